//! Live order updates: the per-replica fan-out ([`hub`]), the tailer that
//! feeds it from the `order_events` log ([`tailer`]), catching up after a
//! reconnect ([`replay`]), and the SSE writer ([`sse`]). The endpoints are in
//! `routes::streams`.

pub mod event;
pub mod hub;
pub mod replay;
pub mod sse;
pub mod tailer;
