//! Live events over one WebSocket, for any number of orders. The protocol is
//! JSON text frames:
//!
//! - client: `{"type":"subscribe","order_id":…,"last_event_id":N?}` (or
//!   `"tracking_code"` instead of `order_id`, for guests),
//!   `{"type":"unsubscribe","order_id":…}`, `{"type":"ping"}`;
//! - server: `{"type":"subscribed","order_id":…}`,
//!   `{"type":"event","event":{…}}` (the SSE event JSON),
//!   `{"type":"error","code":…,"message":…}`, `{"type":"unsubscribed",…}`,
//!   `{"type":"pong"}`, `{"type":"reset","order_id":…}`, `{"type":"shutdown"}`,
//!   `{"type":"dropped"}`.
//!
//! The server pings every heartbeat and closes a socket silent for three.

use std::collections::HashMap;
use std::time::Instant;

use actix_web::{get, web, HttpRequest, HttpResponse};
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, Session};
use ordertrack_shared::domain::Locale;
use ordertrack_shared::models::Order;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use uuid::Uuid;

use super::access::{caller, register, viewer, TicketScope};
use crate::auth::Principal;
use crate::errors::{ApiError, ErrorBody};
use crate::live::hub::{Follow, Subscription};
use crate::live::replay::{missed, Missed};
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct WsQuery {
    /// A stream ticket with scope `ws`, for browsers.
    #[param(ignore)] // declared as the `stream_ticket` security scheme
    pub ticket: Option<String>,
    /// The language of the entries: en, es, ro or ru. Wins over
    /// `Accept-Language`; without either, each order's language.
    pub locale: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Command {
    Subscribe { order_id: Option<Uuid>, tracking_code: Option<String>, last_event_id: Option<i64> },
    Unsubscribe { order_id: Uuid },
    Ping,
}

/// Upgrade to a WebSocket carrying live order events (protocol in the
/// module docs of `routes::streams::ws` and in docs/ARCHITECTURE.md).
/// Without a token or ticket the socket may only follow tracking codes.
#[utoipa::path(
    get, path = "/api/v1/ws", tag = "live",
    params(WsQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket handshake", body = ErrorBody),
        (status = 401, description = "A bad, used or expired ticket", body = ErrorBody),
        (status = 403, description = "An Origin that may not connect", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write", body = ErrorBody),
        (status = 429, description = "Too many streams for this token or address", body = ErrorBody),
        (status = 503, description = "This replica holds as many streams as it may", body = ErrorBody),
    ),
    security((), ("bearer" = []), ("stream_ticket" = []))
)]
#[get("/ws")]
pub async fn websocket(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<WsQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if let Some(origin) = req.headers().get(actix_web::http::header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        if !state.config.stream.allowed_origins.iter().any(|allowed| allowed == origin) {
            tracing::info!(%origin, "websocket from a foreign origin refused");
            return Err(ApiError::Forbidden);
        }
    }
    let locale = locale::requested(&req, query.locale.as_deref())?;
    let principal = caller(&state, &req, query.ticket.as_deref(), TicketScope::Ws).await?;
    let ip = crate::client_ip::client_key(&req, &state.config.webhooks.trusted_proxies);
    let viewer = viewer(&state, &req, principal.as_ref(), &ip, "ws", locale);
    let staff = viewer.staff;
    let subscription = register(&state, Follow::Orders(Default::default()), viewer)?;
    let (response, session, messages) =
        actix_ws::handle(&req, body).map_err(|e| ApiError::bad_request("not_websocket", e.to_string(), None))?;
    let socket = Socket { state: state.clone(), principal, staff, locale, ip, session, last_sent: HashMap::new() };
    actix_web::rt::spawn(socket.run(subscription, messages));
    Ok(response)
}

struct Socket {
    state: web::Data<AppState>,
    principal: Option<Principal>,
    /// Sees staff-only events and internal fields.
    staff: bool,
    /// The language of the entries; `None`: each order's.
    locale: Option<Locale>,
    ip: String,
    session: Session,
    /// Per followed order, the last event id sent (no duplicates after a replay).
    last_sent: HashMap<Uuid, i64>,
}

/// The socket is gone.
struct Closed;

impl Socket {
    async fn run(mut self, mut sub: Subscription, mut messages: MessageStream) {
        let hub = sub.hub().clone();
        let mut shutdown = hub.shutdown_signal();
        let beat = hub.config().heartbeat;
        let mut heartbeat = tokio::time::interval(beat);
        heartbeat.tick().await;
        let mut heard = Instant::now();
        let reason = loop {
            let step = tokio::select! {
                message = messages.recv() => {
                    heard = Instant::now();
                    match message {
                        Some(Ok(Message::Text(text))) => self.command(&sub, &text).await,
                        Some(Ok(Message::Ping(bytes))) => self.session.pong(&bytes).await.map_err(|_| Closed),
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break None,
                        Some(Ok(_)) => Ok(()),
                    }
                }
                event = sub.events.recv() => match event {
                    Some(event) => {
                        let fresh = self.last_sent.get(&event.order_id).is_some_and(|last| event.id > *last);
                        if fresh {
                            self.last_sent.insert(event.order_id, event.id);
                            match event.json_for(self.staff, self.locale) {
                                Some(json) => self.send_event(json).await,
                                None => Ok(()),
                            }
                        } else {
                            Ok(())
                        }
                    }
                    None => {
                        let _ = self.send(json!({"type": "dropped"})).await;
                        break Some(CloseReason { code: CloseCode::Again, description: Some("too slow".into()) });
                    }
                },
                _ = heartbeat.tick() => {
                    if heard.elapsed() > beat * 3 {
                        break Some(CloseReason { code: CloseCode::Policy, description: Some("no answer to pings".into()) });
                    }
                    self.session.ping(b"").await.map_err(|_| Closed)
                }
                _ = shutdown.wait_for(|stop| *stop) => {
                    let _ = self.send(json!({"type": "shutdown"})).await;
                    break Some(CloseReason { code: CloseCode::Restart, description: None });
                }
            };
            if step.is_err() {
                break None;
            }
        };
        drop(sub);
        let _ = self.session.close(reason).await;
    }

    async fn send(&mut self, message: serde_json::Value) -> Result<(), Closed> {
        self.session.text(message.to_string()).await.map_err(|_| Closed)
    }

    async fn send_event(&mut self, event_json: &str) -> Result<(), Closed> {
        self.session.text(format!("{{\"type\":\"event\",\"event\":{event_json}}}")).await.map_err(|_| Closed)
    }

    async fn error(&mut self, code: &str, message: &str, order_id: Option<Uuid>) -> Result<(), Closed> {
        self.send(json!({"type": "error", "code": code, "message": message, "order_id": order_id})).await
    }

    async fn command(&mut self, sub: &Subscription, text: &str) -> Result<(), Closed> {
        let command = match serde_json::from_str::<Command>(text) {
            Ok(command) => command,
            Err(e) => return self.error("bad_request", &e.to_string(), None).await,
        };
        match command {
            Command::Ping => self.send(json!({"type": "pong"})).await,
            Command::Unsubscribe { order_id } => {
                sub.hub().unfollow_order(sub, order_id);
                self.last_sent.remove(&order_id);
                self.send(json!({"type": "unsubscribed", "order_id": order_id})).await
            }
            Command::Subscribe { order_id, tracking_code, last_event_id } => {
                let order = match self.find(order_id, tracking_code.as_deref()).await {
                    Ok(order) => order,
                    Err(ApiError::NotFound(_)) => {
                        return self.error("not_found", "no such order, or not yours", order_id).await
                    }
                    Err(ApiError::TooManyRequests { .. }) => {
                        return self.error("rate_limited", "too many tracking lookups", order_id).await
                    }
                    Err(e) => return self.error("unavailable", &e.to_string(), order_id).await,
                };
                self.subscribe(sub, order, last_event_id).await
            }
        }
    }

    /// The order to follow, if this socket may see it.
    async fn find(&self, order_id: Option<Uuid>, code: Option<&str>) -> Result<Order, ApiError> {
        let mut conn = self.state.conn().await?;
        match (order_id, code, &self.principal) {
            (Some(id), None, Some(principal)) => crate::routes::orders::load::visible_order(&conn, principal, id).await,
            (None, Some(code), _) => {
                let limit = self.state.config.tracking_rate_per_minute;
                self.state.rate_limiter.check("tracking", &self.ip, limit, 60).await?;
                Order::find_by_tracking_code(&mut conn, code).await.map_err(|_| ApiError::NotFound("order"))
            }
            _ => Err(ApiError::NotFound("order")),
        }
    }

    async fn subscribe(&mut self, sub: &Subscription, order: Order, resume: Option<i64>) -> Result<(), Closed> {
        let Some(position) = sub.hub().follow_order(sub, order.id) else {
            return self.error("unavailable", "the server is starting", Some(order.id)).await;
        };
        self.send(json!({"type": "subscribed", "order_id": order.id})).await?;
        let mut last = position;
        if let Some(after) = resume {
            let follow = Follow::Orders([order.id].into());
            match missed(&self.state.db, &follow, self.staff, after, position).await {
                Missed::Events(events) => {
                    for event in events {
                        if let Some(json) = event.json_for(self.staff, self.locale) {
                            self.send_event(json).await?;
                        }
                    }
                }
                Missed::Reset(_) => self.send(json!({"type": "reset", "order_id": order.id})).await?,
            }
            last = last.max(after);
        }
        self.last_sent.insert(order.id, last);
        Ok(())
    }
}
