//! Message rendering. Files under `templates/{event}/{channel}/{locale}.{part}`
//! are the seeded defaults; every send goes through `Renderer::render_email`,
//! so stored template versions can later take their place behind it.

use std::path::Path;

use chrono::{DateTime, Datelike, Utc};
use serde::Serialize;
use tera::{Context, Tera};

use crate::domain::{Locale, NotificationEvent};
use crate::models::Order;

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

/// What templates may use. Every field is documented here and nowhere else.
#[derive(Debug, Clone, Serialize)]
pub struct OrderContext {
    pub order_number: String,
    /// The shopper's name, or empty when unknown.
    pub customer_name: String,
    pub status: String,
    /// The estimated delivery date written for the locale, or empty.
    pub estimated_delivery: String,
    pub ship_city: String,
    pub ship_country: String,
    /// Where the shopper can follow the order.
    pub tracking_page_url: String,
}

impl OrderContext {
    pub fn for_order(order: &Order, locale: Locale, public_base_url: &str) -> Self {
        OrderContext {
            order_number: order.order_number.clone(),
            customer_name: order.contact_name.clone().unwrap_or_default(),
            status: order.status.to_string(),
            estimated_delivery: order
                .estimated_delivery_at
                .map(|at| format_date(at, locale))
                .unwrap_or_default(),
            ship_city: order.ship_city.clone(),
            ship_country: order.ship_country.clone(),
            tracking_page_url: format!(
                "{}/track/{}",
                public_base_url.trim_end_matches('/'),
                order.order_number
            ),
        }
    }
}

/// A date as people of that language write it.
pub fn format_date(at: DateTime<Utc>, locale: Locale) -> String {
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (d, m, y) = (at.day(), at.month(), at.year());
    match locale {
        Locale::En => format!(
            "{} {d}, {y}",
            EN_MONTHS[(m as usize).saturating_sub(1) % 12]
        ),
        Locale::Es => format!("{d:02}/{m:02}/{y}"),
        Locale::Ro | Locale::Ru => format!("{d:02}.{m:02}.{y}"),
    }
}

pub struct Renderer {
    tera: Tera,
}

impl Renderer {
    pub fn from_dir(dir: &Path) -> Result<Self, TemplateError> {
        let glob = format!("{}/**/*", dir.display());
        let tera = Tera::new(&glob).map_err(|e| TemplateError::Load {
            dir: dir.display().to_string(),
            reason: tera_error_chain(&e),
        })?;
        if tera.get_template_names().next().is_none() {
            return Err(TemplateError::Load {
                dir: dir.display().to_string(),
                reason: "no templates found".into(),
            });
        }
        Ok(Renderer { tera })
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
            .map_err(|e| TemplateError::Render {
                name: name.to_owned(),
                reason: tera_error_chain(&e),
            })
    }

    pub fn render_email(
        &self,
        event: NotificationEvent,
        locale: Locale,
        data: &OrderContext,
    ) -> Result<RenderedEmail, TemplateError> {
        let context = Context::from_serialize(data).map_err(|e| TemplateError::Render {
            name: event.to_string(),
            reason: e.to_string(),
        })?;
        let subject = self.render(
            &self.resolve(event, "email", locale, "subject.txt")?,
            &context,
        )?;
        Ok(RenderedEmail {
            subject: subject.trim().to_owned(),
            html: self.render(&self.resolve(event, "email", locale, "html")?, &context)?,
            text: self.render(&self.resolve(event, "email", locale, "txt")?, &context)?,
        })
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

    #[test]
    fn dates_are_written_per_locale() {
        let at = Utc.with_ymd_and_hms(2026, 3, 7, 12, 0, 0).unwrap();
        assert_eq!(format_date(at, Locale::En), "Mar 7, 2026");
        assert_eq!(format_date(at, Locale::Es), "07/03/2026");
        assert_eq!(format_date(at, Locale::Ru), "07.03.2026");
    }
}
