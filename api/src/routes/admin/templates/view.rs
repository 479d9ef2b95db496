//! Shared by the template endpoints: the key in the path, seeding the file
//! as version 1, validation against sample data, and the views.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;
use ordertrack_shared::domain::{Channel, Locale, NotificationEvent};
use ordertrack_shared::models::{TemplateKey, TemplateVersion};
use ordertrack_shared::templates::check::{sms_report, sms_worst_case, unknown_variables, SmsFit, SmsReport};
use ordertrack_shared::templates::{MessageContext, Rendered, Renderer, TemplateParts};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::errors::ApiError;

pub fn parse_key(event: &str, channel: &str, locale: &str) -> Result<TemplateKey, ApiError> {
    let event: NotificationEvent = event.parse().map_err(|_| ApiError::NotFound("template"))?;
    let channel: Channel = channel.parse().map_err(|_| ApiError::NotFound("template"))?;
    let locale: Locale = locale.parse().map_err(|_| ApiError::NotFound("template"))?;
    if event == NotificationEvent::VerificationCode && channel != Channel::Sms {
        return Err(ApiError::NotFound("template"));
    }
    Ok(TemplateKey { event, channel, locale })
}

/// Values a template is tried with: long, realistic, every field set.
pub fn sample_data() -> MessageContext {
    MessageContext {
        order_number: "SO-2026-000123456789".into(),
        customer_name: "María José Fernández".into(),
        status: "in_transit".into(),
        estimated_delivery: "Sep 30, 2026".into(),
        new_estimated_delivery: "Oct 02, 2026".into(),
        ship_city: "Valencia".into(),
        ship_country: "ES".into(),
        tracking_page_url: "https://track.example.com/t/AbCdEf123456".into(),
        short_url: "https://track.example.com/t/AbCdEf123456".into(),
        carrier: "FedEx".into(),
        tracking_number: "123456789012".into(),
        carrier_tracking_url: "https://www.fedex.com/fedextrack/?trknbr=123456789012".into(),
        reason_code: "weather_delay".into(),
        message: "Your replacement ships tomorrow.".into(),
        code: "123456".into(),
        unsubscribe_url: "https://track.example.com/u/sample".into(),
        rating_url: "https://track.example.com/r/sample".into(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateVersionView {
    pub version: i32,
    pub active: bool,
    pub subject: Option<String>,
    pub body: String,
    pub html: Option<String>,
    pub comment: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl From<&TemplateVersion> for TemplateVersionView {
    fn from(v: &TemplateVersion) -> Self {
        TemplateVersionView {
            version: v.version,
            active: v.active,
            subject: v.subject.clone(),
            body: v.body.clone(),
            html: v.html.clone(),
            comment: v.comment.clone(),
            created_by: v.created_by.clone(),
            created_at: v.created_at,
        }
    }
}

/// What a render produced, per channel.
#[derive(Debug, Serialize, ToSchema)]
pub struct RenderedView {
    pub subject: Option<String>,
    pub text: String,
    pub html: Option<String>,
    /// SMS only: its size in segments.
    #[schema(value_type = Option<Object>)]
    pub sms: Option<SmsReport>,
}

impl From<Rendered> for RenderedView {
    fn from(rendered: Rendered) -> Self {
        match rendered {
            Rendered::Email(e) => {
                RenderedView { subject: Some(e.subject), text: e.text, html: Some(e.html), sms: None }
            }
            Rendered::Sms(body) => RenderedView { subject: None, sms: Some(sms_report(&body)), text: body, html: None },
            Rendered::Push { title, body } => RenderedView { subject: Some(title), text: body, html: None, sms: None },
        }
    }
}

pub fn parts(v: &TemplateVersion) -> TemplateParts {
    TemplateParts { subject: v.subject.clone(), body: v.body.clone(), html: v.html.clone() }
}

/// The key's versions, seeding the file as version 1 the first time.
pub async fn versions(
    conn: &mut AsyncPgConnection,
    renderer: &Renderer,
    key: TemplateKey,
) -> Result<Vec<TemplateVersion>, ApiError> {
    let existing = TemplateVersion::all(conn, key).await?;
    if !existing.is_empty() {
        return Ok(existing);
    }
    let file = renderer
        .file_parts(key.event, key.channel.as_str(), key.locale)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    TemplateVersion {
        id: Uuid::now_v7(),
        event: key.event,
        channel: key.channel,
        locale: key.locale,
        version: 1,
        subject: file.subject,
        body: file.body,
        html: file.html,
        comment: "initial version, from templates/".into(),
        created_by: "seed".into(),
        created_at: Utc::now(),
        active: true,
    }
    // Two first reads at once (the console's page and its preview) both seed.
    .insert_if_absent(conn)
    .await?;
    Ok(TemplateVersion::all(conn, key).await?)
}

/// Refuses a template that does not parse, does not render with sample
/// data, or names a variable templates cannot use, and an SMS that does not
/// fit its segment budget with the longest values the API accepts, even
/// with shortened values (`check::sms_worst_case`). The error names the
/// part (`body`, `subject`, `html`) and gives Tera's line and reason, or the
/// SMS's segments. An SMS gets its worst case back.
pub fn validate(
    renderer: &Renderer,
    key: TemplateKey,
    draft: &TemplateParts,
    public_base_url: &str,
) -> Result<(RenderedView, Option<SmsFit>), ApiError> {
    let needs_subject = key.channel != Channel::Sms;
    if needs_subject && draft.subject.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(ApiError::invalid("subject", "this channel needs a subject (email) or title (push)"));
    }
    if key.channel == Channel::Email && draft.html.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Err(ApiError::invalid("html", "an email needs an HTML part"));
    }
    for (field, source) in
        [("subject", draft.subject.as_deref()), ("body", Some(draft.body.as_str())), ("html", draft.html.as_deref())]
    {
        if let Some(source) = source {
            let unknown = unknown_variables(source);
            if !unknown.is_empty() {
                return Err(ApiError::invalid(field, format!("unknown variable(s): {}", unknown.join(", "))));
            }
        }
    }
    let invalid = |e: ordertrack_shared::templates::TemplateError| {
        let field = match &e {
            ordertrack_shared::templates::TemplateError::Render { name, .. } if name == "subject.txt" => "subject",
            ordertrack_shared::templates::TemplateError::Render { name, .. } if name == "body.html" => "html",
            _ => "body",
        };
        ApiError::invalid(field, e.to_string())
    };
    let sample =
        renderer.render_parts(key.channel.as_str(), draft, &sample_data()).map(RenderedView::from).map_err(invalid)?;
    if key.channel != Channel::Sms {
        return Ok((sample, None));
    }
    let worst = sms_worst_case(key.event, key.locale, public_base_url, |data| renderer.fit_sms_parts(draft, data))
        .map_err(invalid)?;
    if !worst.fits {
        return Err(ApiError::invalid("body", worst.refusal()));
    }
    Ok((sample, Some(worst)))
}
