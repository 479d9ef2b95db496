//! Checking a template before it is stored: it parses, renders with sample
//! order data, names only variables templates may use, and an SMS fits its
//! budget with the longest values the API lets in ([`worst_cases`]).

use chrono::{TimeZone, Utc};
use serde::Serialize;

use crate::channels::sms_segments::{self, SmsEncoding};
use crate::domain::{Carrier, Locale, NotificationEvent, OrderStatus};
use crate::templates::sms_budget::{Field, FittedSms, SMS_MAX_SEGMENTS};
use crate::templates::{format_date, MessageContext, TemplateError};

/// Words of Tera's own language that may appear inside tags.
const TERA_WORDS: &[&str] = &[
    "if",
    "elif",
    "else",
    "endif",
    "for",
    "in",
    "endfor",
    "block",
    "endblock",
    "extends",
    "set",
    "set_global",
    "raw",
    "endraw",
    "and",
    "or",
    "not",
    "true",
    "false",
    "loop",
    "index",
    "first",
    "last",
    "is",
    "defined",
    "undefined",
    "filter",
    "endfilter",
    "include",
    "macro",
    "endmacro",
    "import",
    "as",
    "self",
    "super",
    "none",
    "lang",
    "title",
    "content",
    "footer",
];

/// The variables a template may use: the fields of `MessageContext`.
pub fn known_variables() -> Vec<String> {
    match serde_json::to_value(MessageContext::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Names used inside `{{ }}` and `{% %}` that are neither variables we
/// provide nor Tera words, filters or string contents.
pub fn unknown_variables(source: &str) -> Vec<String> {
    let known = known_variables();
    let mut unknown = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find(['{']) {
        let after = &rest[start..];
        let (open, close) = if after.starts_with("{{") {
            ("{{", "}}")
        } else if after.starts_with("{%") {
            ("{%", "%}")
        } else {
            rest = &after[1..];
            continue;
        };
        let Some(end) = after.find(close) else { break };
        let inner = &after[open.len()..end];
        rest = &after[end + close.len()..];
        let mut in_string = None;
        let mut word = String::new();
        let mut after_pipe = false;
        for c in inner.chars().chain(std::iter::once(' ')) {
            if let Some(quote) = in_string {
                if c == quote {
                    in_string = None;
                }
                continue;
            }
            if c == '"' || c == '\'' {
                in_string = Some(c);
                continue;
            }
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                word.push(c);
                continue;
            }
            let name = word.split('.').next().unwrap_or_default().trim_start_matches('-').to_owned();
            let is_number = name.chars().next().is_some_and(|ch| ch.is_ascii_digit());
            if !name.is_empty()
                && !is_number
                && !after_pipe
                && !TERA_WORDS.contains(&name.as_str())
                && !known.contains(&name)
                && !unknown.contains(&name)
            {
                unknown.push(name);
            }
            if !word.is_empty() {
                after_pipe = false;
            }
            if c == '|' {
                after_pipe = true;
            } else if c == '(' {
                // Filter arguments such as `truncate(length=20)` name parameters.
                after_pipe = true;
            }
            word.clear();
        }
    }
    unknown
}

/// An SMS's size, and a warning past two segments.
#[derive(Debug, Clone, Serialize)]
pub struct SmsReport {
    pub segments: usize,
    pub encoding: SmsEncoding,
    pub characters: usize,
    pub warning: Option<String>,
}

pub fn sms_report(rendered: &str) -> SmsReport {
    let count = sms_segments::count(rendered);
    SmsReport {
        segments: count.segments,
        encoding: count.encoding,
        characters: rendered.chars().count(),
        warning: (count.segments > 2).then(|| {
            format!("{} segments with sample data: above the 2-segment limit (costs more, may split)", count.segments)
        }),
    }
}

/// The longest values the API accepts, from its validation (`api/src/`):
/// `order_number` (`routes/orders/create.rs`, letters, digits and `-_#./`,
/// so GSM-7).
pub const ORDER_NUMBER_MAX: usize = 64;
/// Contact and shipping names (`routes/orders/create.rs`).
pub const NAME_MAX: usize = 200;
/// `shipping_address.city` and a request's new city.
pub const CITY_MAX: usize = 100;
/// Address lines.
pub const ADDRESS_LINE_MAX: usize = 200;
/// Postal codes.
pub const POSTAL_CODE_MAX: usize = 20;
/// Free text from customer service (`routes/orders/messages.rs`).
pub const CUSTOM_MESSAGE_MAX: usize = 1000;
/// `request_received` carries the first 200 characters of a support message
/// (`routes/requests/body.rs`).
pub const SUPPORT_MESSAGE_SHOWN: usize = 200;
/// An SMS's link is a click link (`/c/{token}`, `analytics::tracking`), at
/// least as long as templates/README.md assumes even when `PUBLIC_BASE_URL`
/// is shorter (a check must not pass only in development).
pub const LINK_MIN: usize = 59;
/// A click token's length (`links::Signer::click_token`).
const CLICK_TOKEN: &str = "AZXwtnkmc6Z9qYJYQ0nZj3sBsvY6Bqy";

/// Every `reason_code` the templates branch on, plus empty and unknown.
pub const REASON_CODES: &[&str] = &[
    "",
    "weather_delay",
    "customs_delay",
    "address_issue",
    "damaged",
    "lost",
    "refused",
    "failed_attempt",
    "carrier_delay",
    "customs_payment",
    "pickup_required",
    "other",
    "something_new",
];

/// The kinds of request `request_received` branches on, plus empty and unknown.
pub const REQUEST_KINDS: &[&str] = &["reschedule", "change_address", "contact_support", "", "something_new"];

/// The outcomes `request_resolved` branches on, plus empty and unknown.
pub const RESOLUTION_CODES: &[&str] = &[
    "address_changed",
    "reschedule_confirmed",
    "reschedule_declined",
    "support_answered",
    "request_declined",
    "",
    "something_new",
];

/// The longest reply customer service may write to a request.
pub const RESOLUTION_MAX: usize = 2000;

/// The longest tracking number any carrier's rule accepts
/// (`Carrier::parse_tracking_number`).
pub fn tracking_number_max() -> usize {
    Carrier::ALL
        .iter()
        .flat_map(|carrier| (1..=100).filter(|n| carrier.parse_tracking_number(&"7".repeat(*n)).is_ok()))
        .max()
        .unwrap_or(0)
}

/// The longest date `format_date` writes for the locale.
pub fn longest_date(locale: Locale) -> String {
    (1..=12)
        .filter_map(|month| Utc.with_ymd_and_hms(2026, month, 28, 12, 0, 0).single())
        .map(|at| format_date(at, locale))
        .max_by_key(|date| date.chars().count())
        .unwrap_or_default()
}

/// `pattern` repeated to exactly `length` characters (not ending in a space:
/// the API trims).
fn filled(pattern: &str, length: usize) -> String {
    let mut text: String = pattern.chars().cycle().take(length).collect();
    if text.ends_with(' ') {
        text.pop();
        text.push('.');
    }
    text
}

/// The message contexts an SMS of `event` must fit with: every variable at
/// the longest the API accepts, free text outside GSM-7 (so it forces
/// UCS-2), and each `reason_code` (each request kind for `request_received`,
/// with the `message` that kind carries). `public_base_url` makes the links
/// (at least [`LINK_MIN`] characters).
pub fn worst_cases(event: NotificationEvent, locale: Locale, public_base_url: &str) -> Vec<MessageContext> {
    let base = public_base_url.trim_end_matches('/');
    let link = format!("{base}/c/{CLICK_TOKEN}");
    let link =
        if link.chars().count() < LINK_MIN { format!("https://track.example.com/c/{CLICK_TOKEN}") } else { link };
    if event == NotificationEvent::VerificationCode {
        // The only value it is sent with.
        return vec![MessageContext { code: "123456".into(), ..MessageContext::default() }];
    }
    let tracking_number = filled("1234567890", tracking_number_max());
    let carrier = Carrier::ALL.iter().copied().max_by_key(|c| c.display_name().len()).unwrap_or(Carrier::Fedex);
    let carrier_tracking_url =
        Carrier::ALL.iter().map(|c| c.tracking_url(&tracking_number)).max_by_key(String::len).unwrap_or_default();
    let status = OrderStatus::ALL.iter().map(|s| s.as_str()).max_by_key(|s| s.len()).unwrap_or_default();
    let date = longest_date(locale);
    let base_context = MessageContext {
        order_number: filled("SO-2026/EU-WEST#", ORDER_NUMBER_MAX),
        customer_name: filled("María José Fernández-Castellanos ", NAME_MAX),
        status: status.to_owned(),
        estimated_delivery: date.clone(),
        new_estimated_delivery: date.clone(),
        ship_city: filled("San Sebastián de los Reyes ", CITY_MAX),
        ship_country: "ES".into(),
        tracking_page_url: link.clone(),
        short_url: link.clone(),
        carrier: carrier.display_name().to_owned(),
        tracking_number,
        carrier_tracking_url,
        reason_code: String::new(),
        message: filled("Envío de reemplazo: sale mañana, disculpe las molestias. ", CUSTOM_MESSAGE_MAX),
        code: "123456".into(),
        unsubscribe_url: format!("{base}/u/{}", filled("ZW1haWwKYW5hQGV4YW1wbGUuY29t.", 80)),
        rating_url: if event == NotificationEvent::Delivered { link } else { String::new() },
    };
    if event == NotificationEvent::RequestReceived {
        let address = request_address();
        let support = filled("¿Podéis cambiar la talla? ", SUPPORT_MESSAGE_SHOWN);
        return REQUEST_KINDS
            .iter()
            .map(|kind| MessageContext {
                reason_code: (*kind).to_owned(),
                message: match *kind {
                    "reschedule" => date.clone(),
                    "change_address" => address.clone(),
                    _ => support.clone(),
                },
                ..base_context.clone()
            })
            .collect();
    }
    if event == NotificationEvent::RequestResolved {
        let reply = filled("Hemos hablado con el transportista y lo entregará el jueves. ", RESOLUTION_MAX);
        return RESOLUTION_CODES
            .iter()
            .map(|code| MessageContext {
                reason_code: (*code).to_owned(),
                message: if *code == "address_changed" { request_address() } else { reply.clone() },
                ..base_context.clone()
            })
            .collect();
    }
    REASON_CODES.iter().map(|code| MessageContext { reason_code: (*code).to_owned(), ..base_context.clone() }).collect()
}

/// A new delivery address on one line, at its longest.
fn request_address() -> String {
    format!(
        "{}, {} {}, ES",
        filled("Calle de José Ortega y Gasset ", ADDRESS_LINE_MAX),
        filled("28006", POSTAL_CODE_MAX),
        filled("Alcalá de Henares ", CITY_MAX)
    )
}

/// An SMS as sent at its worst: the fitted text with the longest values.
#[derive(Debug, Clone, Serialize)]
pub struct SmsFit {
    /// The case: its `reason_code` (or request kind).
    pub reason_code: String,
    pub segments: usize,
    pub encoding: SmsEncoding,
    /// Septets (GSM-7) or UTF-16 units (UCS-2).
    pub units: usize,
    pub characters: usize,
    /// Within the budget.
    pub fits: bool,
    /// Values shortened or dropped to fit.
    pub shortened: Vec<Field>,
    pub text: String,
}

impl SmsFit {
    /// Why a version is refused.
    pub fn refusal(&self) -> String {
        let reason =
            if self.reason_code.is_empty() { String::new() } else { format!(", reason_code {}", self.reason_code) };
        let what = if self.segments == 0 {
            "renders an empty SMS".to_owned()
        } else {
            format!(
                "needs {} SMS segments ({:?}, {} characters), above the limit of {SMS_MAX_SEGMENTS}",
                self.segments, self.encoding, self.characters
            )
        };
        let shortened: Vec<&str> = self.shortened.iter().map(|f| f.as_str()).collect();
        let after = if shortened.is_empty() {
            String::new()
        } else {
            format!(" even after shortening {}", shortened.join(", "))
        };
        format!(
            "{what} with the longest allowed values ({ORDER_NUMBER_MAX}-character order number, \
             {}-character tracking number{reason}){after}: {}",
            tracking_number_max(),
            self.text
        )
    }
}

/// Fits the SMS with every worst case of `event` (see [`worst_cases`]) and
/// returns the worst: the first that does not fit, else the largest.
pub fn sms_worst_case(
    event: NotificationEvent,
    locale: Locale,
    public_base_url: &str,
    mut fit: impl FnMut(&MessageContext) -> Result<FittedSms, TemplateError>,
) -> Result<SmsFit, TemplateError> {
    let mut worst: Option<SmsFit> = None;
    for data in worst_cases(event, locale, public_base_url) {
        let fitted = fit(&data)?;
        let case = SmsFit {
            reason_code: data.reason_code.clone(),
            segments: fitted.count.segments,
            encoding: fitted.count.encoding,
            units: fitted.count.units,
            characters: fitted.body.chars().count(),
            fits: fitted.fits,
            shortened: fitted.shortened,
            text: fitted.body,
        };
        let key = |c: &SmsFit| (!c.fits, c.segments, c.units);
        if worst.as_ref().is_none_or(|w| key(&case) > key(w)) {
            worst = Some(case);
        }
        if worst.as_ref().is_some_and(|w| !w.fits) {
            break;
        }
    }
    Ok(worst.unwrap_or(SmsFit {
        reason_code: String::new(),
        segments: 0,
        encoding: SmsEncoding::Gsm7,
        units: 0,
        characters: 0,
        fits: false,
        shortened: Vec::new(),
        text: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unknown_names_are_reported() {
        let source = "Hi {{ customer_name | upper }}! {% if carrier %}{{ carrier }} {{ tracking_number | truncate(length=10) }}{% endif %} {{ \"text\" }} {{ shoe_size }} {% if discount_code %}x{% endif %}";
        assert_eq!(unknown_variables(source), ["shoe_size", "discount_code"]);
        assert!(unknown_variables(
            "{% extends \"_layouts/email.html\" %}{% block content %}{{ order_number }}{% endblock content %}"
        )
        .is_empty());
    }

    #[test]
    fn the_longest_values_are_the_apis() {
        assert_eq!(tracking_number_max(), 39, "DHL: 10 to 39 letters or digits");
        assert!(Carrier::ALL.iter().all(|c| c.parse_tracking_number(&"7".repeat(40)).is_err()));
        assert_eq!(longest_date(Locale::En).chars().count(), 12, "Mmm dd, yyyy");
        assert_eq!(longest_date(Locale::Ru).chars().count(), 10);
        let cases = worst_cases(NotificationEvent::OrderShipped, Locale::Ru, "http://localhost:8080");
        assert_eq!(cases.len(), REASON_CODES.len());
        let case = &cases[0];
        assert_eq!(case.order_number.chars().count(), ORDER_NUMBER_MAX);
        assert!(case.order_number.chars().all(|c| c.is_ascii_alphanumeric() || "-_#./".contains(c)));
        assert_eq!(case.customer_name.chars().count(), NAME_MAX);
        assert_eq!(case.tracking_number.len(), 39);
        assert_eq!(case.short_url.chars().count(), LINK_MIN, "never shorter than the documented link");
        assert_eq!(case.message.chars().count(), CUSTOM_MESSAGE_MAX);
        assert!(!sms_segments::is_gsm7(&case.message) && !sms_segments::is_gsm7(&case.customer_name));
        let long_base = "https://tracking.a-rather-long-shop-domain.example.com";
        let cases = worst_cases(NotificationEvent::RequestReceived, Locale::En, long_base);
        assert_eq!(cases[0].message, longest_date(Locale::En));
        assert_eq!(cases[0].short_url, format!("{long_base}/c/{CLICK_TOKEN}"));
        let verification = worst_cases(NotificationEvent::VerificationCode, Locale::Es, long_base);
        assert_eq!((verification.len(), verification[0].code.as_str()), (1, "123456"));
    }
}
