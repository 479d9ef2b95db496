//! Message rendering. Files under `templates/{event}/{channel}/{locale}.{part}`
//! are the seeded defaults; every send goes through `Renderer::render_email`,
//! so stored template versions can later take their place behind it.

pub mod check;
pub mod diff;
pub mod sms_budget;

use std::path::Path;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use tera::{Context, Tera};

use crate::domain::{Locale, NotificationEvent};
use crate::models::Order;
use sms_budget::{fit_sms, FittedSms, SMS_MAX_SEGMENTS};

/// The folder the default templates are read from when `TEMPLATES_DIR` is unset.
pub const DEFAULT_TEMPLATES_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../templates");

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("cannot load templates from {dir}: {reason}")]
    Load { dir: String, reason: String },
    #[error("no template {name} (nor its English fallback)")]
    Missing { name: String },
    #[error("template {name} failed to render: {reason}")]
    Render { name: String, reason: String },
}

/// An email ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// What templates may use (documented in templates/README.md). Optional
/// values are empty strings, so templates guard them with `{% if %}`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MessageContext {
    pub order_number: String,
    pub customer_name: String,
    pub status: String,
    pub estimated_delivery: String,
    pub new_estimated_delivery: String,
    pub ship_city: String,
    pub ship_country: String,
    /// Our tracking page for the order (email).
    pub tracking_page_url: String,
    /// The same page, short (SMS).
    pub short_url: String,
    pub carrier: String,
    pub tracking_number: String,
    pub carrier_tracking_url: String,
    pub reason_code: String,
    /// Custom messages from customer service.
    pub message: String,
    /// Verification codes.
    pub code: String,
    /// One-click unsubscribe (email).
    pub unsubscribe_url: String,
    /// The delivery's rating page (`delivered` only); email links add
    /// `?score=1` to `?score=5` for one-tap ratings.
    pub rating_url: String,
}

impl MessageContext {
    pub fn for_order(order: &Order, locale: Locale, public_base_url: &str) -> Self {
        let link = format!("{}/t/{}", public_base_url.trim_end_matches('/'), order.tracking_code);
        MessageContext {
            order_number: order.order_number.clone(),
            customer_name: order.contact_name.clone().unwrap_or_default(),
            status: order.status.to_string(),
            estimated_delivery: order.estimated_delivery_at.map(|at| format_date(at, locale)).unwrap_or_default(),
            ship_city: order.ship_city.clone(),
            ship_country: order.ship_country.clone(),
            tracking_page_url: link.clone(),
            short_url: link,
            ..MessageContext::default()
        }
    }

    /// Adds the parcel's carrier details.
    pub fn with_shipment(mut self, shipment: &crate::models::Shipment) -> Self {
        self.carrier = shipment.carrier.display_name().to_owned();
        self.tracking_number = shipment.tracking_number.clone();
        self.carrier_tracking_url = shipment.tracking_url();
        self
    }

    /// Adds the event's own values (reason, new date, custom text, code).
    pub fn with_payload(mut self, payload: &serde_json::Value, locale: Locale) -> Self {
        let text = |key: &str| payload.get(key).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        self.reason_code = text("reason_code");
        self.message = text("message");
        self.code = text("code");
        if let Some(at) = payload
            .get("new_estimated_delivery")
            .and_then(|v| v.as_str())
            .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        {
            self.new_estimated_delivery = format_date(at.with_timezone(&Utc), locale);
        }
        self
    }
}

/// A date as people of that language write it.
pub fn format_date(at: DateTime<Utc>, locale: Locale) -> String {
    const EN_MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (d, m, y) = (at.day(), at.month(), at.year());
    match locale {
        Locale::En => format!("{} {d}, {y}", EN_MONTHS[(m as usize).saturating_sub(1) % 12]),
        Locale::Es => format!("{d:02}/{m:02}/{y}"),
        Locale::Ro | Locale::Ru => format!("{d:02}.{m:02}.{y}"),
    }
}

pub struct Renderer {
    tera: Tera,
    /// Only the layouts: the base for rendering a stored version.
    layouts: Tera,
    dir: std::path::PathBuf,
}

/// The text of one template, by part (a stored version or a file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateParts {
    /// email: the subject; push: the title; sms: none.
    pub subject: Option<String>,
    /// email: plain text; sms: the message; push: the body.
    pub body: String,
    /// email only.
    pub html: Option<String>,
}

/// A rendered message of any channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rendered {
    Email(RenderedEmail),
    Sms(String),
    Push { title: String, body: String },
}

fn file_names(channel: &str) -> (Option<&'static str>, &'static str, Option<&'static str>) {
    match channel {
        "email" => (Some("subject.txt"), "txt", Some("html")),
        "sms" => (None, "txt", None),
        _ => (Some("title.txt"), "body.txt", None),
    }
}

/// A stored version's parts (`body.txt`, `subject.txt`, `body.html`) parsed
/// with the layouts, ready to render.
pub struct CompiledTemplate {
    tera: Tera,
    has_html: bool,
}

impl CompiledTemplate {
    fn fit_sms(&self, data: &MessageContext) -> Result<FittedSms, TemplateError> {
        fit_sms(data, SMS_MAX_SEGMENTS, |data| {
            let context = Context::from_serialize(data)
                .map_err(|e| TemplateError::Render { name: "context".into(), reason: e.to_string() })?;
            self.tera
                .render("body.txt", &context)
                .map(|body| body.trim().to_owned())
                .map_err(|e| TemplateError::Render { name: "body.txt".into(), reason: tera_error_chain(&e) })
        })
    }
}

impl Renderer {
    pub fn from_dir(dir: &Path) -> Result<Self, TemplateError> {
        let glob = format!("{}/**/*.{{html,txt}}", dir.display());
        let tera = Tera::new(&glob)
            .map_err(|e| TemplateError::Load { dir: dir.display().to_string(), reason: tera_error_chain(&e) })?;
        if tera.get_template_names().next().is_none() {
            return Err(TemplateError::Load { dir: dir.display().to_string(), reason: "no templates found".into() });
        }
        let mut layouts = Tera::default();
        let layout_dir = dir.join("_layouts");
        let entries = std::fs::read_dir(&layout_dir)
            .map_err(|e| TemplateError::Load { dir: layout_dir.display().to_string(), reason: e.to_string() })?;
        for entry in entries.flatten() {
            let name = format!("_layouts/{}", entry.file_name().to_string_lossy());
            let source = std::fs::read_to_string(entry.path())
                .map_err(|e| TemplateError::Load { dir: layout_dir.display().to_string(), reason: e.to_string() })?;
            layouts.add_raw_template(&name, &source).map_err(|e| TemplateError::Load {
                dir: layout_dir.display().to_string(),
                reason: tera_error_chain(&e),
            })?;
        }
        Ok(Renderer { tera, layouts, dir: dir.to_owned() })
    }

    /// The file version of a template (the seeded first version).
    pub fn file_parts(
        &self,
        event: NotificationEvent,
        channel: &str,
        locale: Locale,
    ) -> Result<TemplateParts, TemplateError> {
        let read = |part: &str| {
            let path = self.dir.join(event.as_str()).join(channel).join(format!("{locale}.{part}"));
            std::fs::read_to_string(&path)
                .map_err(|_| TemplateError::Missing { name: format!("{event}/{channel}/{locale}.{part}") })
        };
        let (subject, body, html) = file_names(channel);
        Ok(TemplateParts {
            subject: subject.map(read).transpose()?,
            body: read(body)?,
            html: html.map(read).transpose()?,
        })
    }

    /// Renders a stored version's text (not a file) with `data`. Errors name
    /// the part and carry Tera's line and reason.
    pub fn render_parts(
        &self,
        channel: &str,
        parts: &TemplateParts,
        data: &MessageContext,
    ) -> Result<Rendered, TemplateError> {
        self.render_compiled(channel, &self.compile(parts)?, data)
    }

    /// A stored version parsed once, to render many times (the worker
    /// caches it while the version stays active).
    pub fn compile(&self, parts: &TemplateParts) -> Result<CompiledTemplate, TemplateError> {
        let mut tera = self.layouts.clone();
        let mut sources: Vec<(&str, &str)> = vec![("body.txt", parts.body.as_str())];
        if let Some(subject) = &parts.subject {
            sources.push(("subject.txt", subject.as_str()));
        }
        if let Some(html) = &parts.html {
            sources.push(("body.html", html.as_str()));
        }
        for (name, source) in &sources {
            tera.add_raw_template(name, source)
                .map_err(|e| TemplateError::Render { name: (*name).to_owned(), reason: tera_error_chain(&e) })?;
        }
        Ok(CompiledTemplate { tera, has_html: parts.html.is_some() })
    }

    /// Renders a compiled version with `data`; an SMS within [`SMS_MAX_SEGMENTS`].
    pub fn render_compiled(
        &self,
        channel: &str,
        compiled: &CompiledTemplate,
        data: &MessageContext,
    ) -> Result<Rendered, TemplateError> {
        if channel == "sms" {
            let fitted = compiled.fit_sms(data)?;
            warn_over_budget(&fitted, "stored version");
            return Ok(Rendered::Sms(fitted.body));
        }
        let context = Context::from_serialize(data)
            .map_err(|e| TemplateError::Render { name: "context".into(), reason: e.to_string() })?;
        let render = |name: &str| {
            compiled
                .tera
                .render(name, &context)
                .map_err(|e| TemplateError::Render { name: name.to_owned(), reason: tera_error_chain(&e) })
        };
        Ok(match channel {
            "email" => Rendered::Email(RenderedEmail {
                subject: render("subject.txt")?.trim().to_owned(),
                text: render("body.txt")?,
                html: if compiled.has_html { render("body.html")? } else { String::new() },
            }),
            _ => Rendered::Push {
                title: render("subject.txt")?.trim().to_owned(),
                body: render("body.txt")?.trim().to_owned(),
            },
        })
    }

    /// A stored SMS version rendered within [`SMS_MAX_SEGMENTS`]: long
    /// values are shortened when needed (`sms_budget`).
    pub fn fit_sms_parts(&self, parts: &TemplateParts, data: &MessageContext) -> Result<FittedSms, TemplateError> {
        self.compile(parts)?.fit_sms(data)
    }

    /// Renders a page under `templates/_pages/` (HTML, escaped).
    pub fn render_page(&self, name: &str, data: &impl Serialize) -> Result<String, TemplateError> {
        let context = Context::from_serialize(data)
            .map_err(|e| TemplateError::Render { name: name.to_owned(), reason: e.to_string() })?;
        self.render(&format!("_pages/{name}"), &context)
    }

    /// Names of every loaded template (for completeness checks).
    pub fn template_names(&self) -> Vec<String> {
        self.tera.get_template_names().map(str::to_owned).collect()
    }

    fn resolve(
        &self,
        event: NotificationEvent,
        channel: &str,
        locale: Locale,
        part: &str,
    ) -> Result<String, TemplateError> {
        let name = |l: Locale| format!("{event}/{channel}/{l}.{part}");
        let wanted = name(locale);
        if self.tera.get_template(&wanted).is_ok() {
            return Ok(wanted);
        }
        let fallback = name(Locale::En);
        if self.tera.get_template(&fallback).is_ok() {
            tracing::warn!(template = %wanted, "template missing, falling back to English");
            return Ok(fallback);
        }
        Err(TemplateError::Missing { name: wanted })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, TemplateError> {
        self.tera
            .render(name, context)
            .map_err(|e| TemplateError::Render { name: name.to_owned(), reason: tera_error_chain(&e) })
    }

    fn context(event: NotificationEvent, data: &MessageContext) -> Result<Context, TemplateError> {
        Context::from_serialize(data)
            .map_err(|e| TemplateError::Render { name: event.to_string(), reason: e.to_string() })
    }

    /// The SMS text, within [`SMS_MAX_SEGMENTS`] (see [`Renderer::fit_sms`]).
    pub fn render_sms(
        &self,
        event: NotificationEvent,
        locale: Locale,
        data: &MessageContext,
    ) -> Result<String, TemplateError> {
        let fitted = self.fit_sms(event, locale, data)?;
        warn_over_budget(&fitted, &format!("{event}/sms/{locale}"));
        Ok(fitted.body)
    }

    /// Renders the SMS file with the real values and, only if that is over
    /// [`SMS_MAX_SEGMENTS`], with shortened ones (`sms_budget`): the order
    /// number's end, then names, the tracking number, the order number where
    /// the link identifies the order, the free text.
    pub fn fit_sms(
        &self,
        event: NotificationEvent,
        locale: Locale,
        data: &MessageContext,
    ) -> Result<FittedSms, TemplateError> {
        let name = self.resolve(event, "sms", locale, "txt")?;
        fit_sms(data, SMS_MAX_SEGMENTS, |data| Ok(self.render(&name, &Self::context(event, data)?)?.trim().to_owned()))
    }

    /// Title and body of a push.
    pub fn render_push(
        &self,
        event: NotificationEvent,
        locale: Locale,
        data: &MessageContext,
    ) -> Result<(String, String), TemplateError> {
        let context = Self::context(event, data)?;
        let title = self.render(&self.resolve(event, "push", locale, "title.txt")?, &context)?;
        let body = self.render(&self.resolve(event, "push", locale, "body.txt")?, &context)?;
        Ok((title.trim().to_owned(), body.trim().to_owned()))
    }

    pub fn render_email(
        &self,
        event: NotificationEvent,
        locale: Locale,
        data: &MessageContext,
    ) -> Result<RenderedEmail, TemplateError> {
        let context = Self::context(event, data)?;
        let subject = self.render(&self.resolve(event, "email", locale, "subject.txt")?, &context)?;
        Ok(RenderedEmail {
            subject: subject.trim().to_owned(),
            html: self.render(&self.resolve(event, "email", locale, "html")?, &context)?,
            text: self.render(&self.resolve(event, "email", locale, "txt")?, &context)?,
        })
    }
}

/// Sending beats not sending, but an SMS over budget costs more and may
/// arrive split: the template check refuses versions that cannot fit.
fn warn_over_budget(fitted: &FittedSms, template: &str) {
    if !fitted.fits && fitted.count.segments > 0 {
        tracing::warn!(
            template,
            segments = fitted.count.segments,
            units = fitted.count.units,
            "SMS over its {SMS_MAX_SEGMENTS}-segment budget even with shortened values"
        );
    }
}

/// Tera hides the useful part (line, variable) in the error's sources.
fn tera_error_chain(e: &tera::Error) -> String {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        source = inner.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::path::Path;

    use crate::channels::sms_segments;
    use check::{sms_worst_case, SmsFit, REASON_CODES as REASONS, REQUEST_KINDS, RESOLUTION_CODES};
    use sms_budget::Field;

    /// The `reason_code`s an event's templates branch on (plus empty and unknown).
    fn codes_of(event: NotificationEvent) -> &'static [&'static str] {
        match event {
            NotificationEvent::RequestReceived => REQUEST_KINDS,
            NotificationEvent::RequestResolved => RESOLUTION_CODES,
            _ => REASONS,
        }
    }

    const MAX_PUSH_TITLE: usize = 65;
    const MAX_PUSH_BODY: usize = 178;

    fn renderer() -> Renderer {
        Renderer::from_dir(Path::new(DEFAULT_TEMPLATES_DIR)).unwrap()
    }

    #[test]
    fn a_files_parts_render_like_the_file() {
        let renderer = renderer();
        let data = long_context("weather_delay");
        let parts = renderer.file_parts(NotificationEvent::Delayed, "email", Locale::Es).unwrap();
        let Rendered::Email(stored) = renderer.render_parts("email", &parts, &data).unwrap() else { panic!("email") };
        assert_eq!(stored, renderer.render_email(NotificationEvent::Delayed, Locale::Es, &data).unwrap());
        let bad = TemplateParts { subject: None, body: "{% if %}".into(), html: None };
        assert!(renderer.render_parts("sms", &bad, &data).unwrap_err().to_string().contains("body.txt"));
    }

    /// Realistic values at the long end of what shoppers and carriers produce.
    fn long_context(reason: &str) -> MessageContext {
        MessageContext {
            order_number: "SO-2026-000123456789".into(),
            customer_name: "María José Fernández-Castellanos".into(),
            status: "shipped".into(),
            estimated_delivery: "Sep 30, 2026".into(),
            new_estimated_delivery: "Oct 12, 2026".into(),
            ship_city: "San Sebastián de los Reyes".into(),
            ship_country: "ES".into(),
            tracking_page_url: "https://track.example.com/t/AbCdEf123456".into(),
            // An SMS's links are click links (`analytics::tracking`).
            short_url: "https://track.example.com/c/AZXwtnkmc6Z9qYJYQ0nZj3sBsvY6Bqy".into(),
            carrier: "FedEx".into(),
            tracking_number: "1234567890123456789012".into(),
            carrier_tracking_url: "https://www.fedex.com/fedextrack/?trknbr=1234567890123456789012".into(),
            reason_code: reason.into(),
            message: "Your replacement item ships tomorrow; sorry for the wait!!".into(),
            code: "123456".into(),
            unsubscribe_url: "https://track.example.com/u/ZW1haWwKYW5hQGV4YW1wbGUuY29t.AbCdEfGhIjKlMnOp".into(),
            rating_url: "https://track.example.com/c/AZXwtnkmc6Z9qYJYQ0nZj3sBsvY6Bqz".into(),
        }
    }

    fn channels_of(event: NotificationEvent) -> &'static [&'static str] {
        match event {
            NotificationEvent::VerificationCode => &["sms"],
            _ => &["email", "sms", "push"],
        }
    }

    fn parts_of(channel: &str) -> &'static [&'static str] {
        match channel {
            "email" => &["subject.txt", "html", "txt"],
            "sms" => &["txt"],
            _ => &["title.txt", "body.txt"],
        }
    }

    #[test]
    fn every_event_channel_and_locale_has_its_own_template() {
        let names = renderer().template_names();
        let mut missing = Vec::new();
        for &event in NotificationEvent::ALL {
            for channel in channels_of(event) {
                for part in parts_of(channel) {
                    for locale in Locale::ALL {
                        let name = format!("{event}/{channel}/{locale}.{part}");
                        if !names.contains(&name) {
                            missing.push(name);
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing templates: {missing:#?}");
    }

    #[test]
    fn every_template_renders_with_realistic_data() {
        let renderer = renderer();
        for &event in NotificationEvent::ALL {
            for &locale in Locale::ALL {
                for reason in codes_of(event) {
                    let data = long_context(reason);
                    for channel in channels_of(event) {
                        let rendered = match *channel {
                            "email" => {
                                let email = renderer.render_email(event, locale, &data).unwrap();
                                assert!(!email.subject.is_empty() && !email.subject.contains('\n'), "{event}/{locale}");
                                assert!(
                                    email.html.contains(&data.unsubscribe_url.replace('/', "&#x2F;")),
                                    "{event}/{locale}: no unsubscribe link in html"
                                );
                                assert!(
                                    email.text.contains(&data.unsubscribe_url),
                                    "{event}/{locale}: no unsubscribe link in text"
                                );
                                format!("{}{}{}", email.subject, email.html, email.text)
                            }
                            "sms" => renderer.render_sms(event, locale, &data).unwrap(),
                            _ => {
                                let (title, body) = renderer.render_push(event, locale, &data).unwrap();
                                format!("{title}{body}")
                            }
                        };
                        assert!(!rendered.trim().is_empty(), "{event}/{channel}/{locale} is empty");
                        assert!(!rendered.contains("{{") && !rendered.contains("{%"), "{event}/{channel}/{locale}");
                    }
                }
            }
        }
    }

    /// With the realistic long values of templates/README.md the files fit
    /// as written: nothing is shortened, but for the order number of a
    /// Russian SMS (UCS-2, 134 units), which keeps its end to make room for
    /// the 59-character click link.
    #[test]
    fn every_sms_fits_two_segments_with_long_values() {
        let renderer = renderer();
        let mut over = Vec::new();
        for &event in NotificationEvent::ALL {
            for &locale in Locale::ALL {
                for reason in codes_of(event) {
                    let fitted = renderer.fit_sms(event, locale, &long_context(reason)).unwrap();
                    let room_for_the_link = locale == Locale::Ru && fitted.shortened == [Field::OrderNumber];
                    if !fitted.fits || !(fitted.shortened.is_empty() || room_for_the_link) {
                        over.push(format!(
                            "{event}/{locale} ({reason}) needs {} {:?} segments ({} units), shortened {:?}: {}",
                            fitted.count.segments,
                            fitted.count.encoding,
                            fitted.count.units,
                            fitted.shortened,
                            fitted.body
                        ));
                    }
                    assert_eq!(renderer.render_sms(event, locale, &long_context(reason)).unwrap(), fitted.body);
                }
            }
        }
        assert!(over.is_empty(), "{} over budget:\n{}", over.len(), over.join("\n"));
    }

    /// Every SMS file (event × locale × reason) with every value at the
    /// longest the API accepts (`check::worst_cases`: a 64-character order
    /// number, a 39-character tracking number, 200-character names, a
    /// 1000-character message, free text in UCS-2), through the worker's
    /// path (`render_sms` = `fit_sms`): at most two segments. Prints the
    /// longest per locale (`-- --nocapture`).
    #[test]
    fn every_sms_fits_two_segments_with_the_longest_allowed_values() {
        let renderer = renderer();
        let mut failures = Vec::new();
        for &locale in Locale::ALL {
            let mut longest: Option<(NotificationEvent, SmsFit)> = None;
            let mut shortened = Vec::new();
            for &event in NotificationEvent::ALL {
                let worst = sms_worst_case(event, locale, "https://track.example.com", |data| {
                    let fitted = renderer.fit_sms(event, locale, data)?;
                    assert_eq!(
                        renderer.render_sms(event, locale, data)?,
                        fitted.body,
                        "the worker sends the fitted text"
                    );
                    Ok(fitted)
                })
                .unwrap();
                if !worst.fits {
                    failures.push(format!("{event}/{locale}: {}", worst.refusal()));
                }
                if !worst.shortened.is_empty() {
                    shortened.push(format!("{event} {:?}", worst.shortened));
                }
                if longest.as_ref().is_none_or(|(_, l)| (worst.segments, worst.units) > (l.segments, l.units)) {
                    longest = Some((event, worst));
                }
            }
            let (event, l) = longest.unwrap();
            println!(
                "{locale}: {} segment(s), {:?}, {} units, {} characters: {event} ({}), shortened {:?}: {}",
                l.segments, l.encoding, l.units, l.characters, l.reason_code, l.shortened, l.text
            );
            println!("{locale}: shortened at worst: {}", shortened.join(", "));
        }
        assert!(failures.is_empty(), "over budget:\n{}", failures.join("\n"));
    }

    #[test]
    fn romanian_sms_stay_in_gsm7() {
        let renderer = renderer();
        let data = MessageContext { customer_name: "Ion".into(), ..long_context("weather_delay") };
        // A 64-character order number too (if shortened, behind "...", not "…").
        let long_number = MessageContext { order_number: "SO-2026/EU-WEST#".repeat(4), ..data.clone() };
        for &event in NotificationEvent::ALL {
            for data in [&data, &long_number] {
                let body = renderer.render_sms(event, Locale::Ro, data).unwrap();
                assert!(sms_segments::is_gsm7(&body), "{event}: {body}");
            }
        }
    }

    #[test]
    fn a_stored_sms_version_is_fitted_like_a_file() {
        let renderer = renderer();
        let data = MessageContext { order_number: "SO-2026/EU-WEST#".repeat(4), ..long_context("") };
        let parts = renderer.file_parts(NotificationEvent::OutForDelivery, "sms", Locale::Ru).unwrap();
        let Rendered::Sms(stored) = renderer.render_parts("sms", &parts, &data).unwrap() else { panic!("sms") };
        assert_eq!(stored, renderer.render_sms(NotificationEvent::OutForDelivery, Locale::Ru, &data).unwrap());
        let count = sms_segments::count(&stored);
        assert!(count.segments <= sms_budget::SMS_MAX_SEGMENTS && stored.contains("…"), "{count:?}: {stored}");
    }

    #[test]
    fn push_titles_and_bodies_fit_on_a_lock_screen() {
        let renderer = renderer();
        for &event in NotificationEvent::ALL.iter().filter(|e| **e != NotificationEvent::VerificationCode) {
            for &locale in Locale::ALL {
                for reason in codes_of(event) {
                    let (title, body) = renderer.render_push(event, locale, &long_context(reason)).unwrap();
                    assert!(title.chars().count() <= MAX_PUSH_TITLE, "{event}/{locale} title: {title}");
                    assert!(body.chars().count() <= MAX_PUSH_BODY, "{event}/{locale} body: {body}");
                }
            }
        }
    }

    #[test]
    fn dates_are_written_per_locale() {
        let at = Utc.with_ymd_and_hms(2026, 3, 7, 12, 0, 0).unwrap();
        assert_eq!(format_date(at, Locale::En), "Mar 7, 2026");
        assert_eq!(format_date(at, Locale::Es), "07/03/2026");
        assert_eq!(format_date(at, Locale::Ru), "07.03.2026");
    }
}
