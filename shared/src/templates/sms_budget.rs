//! Fitting an SMS into its segment budget.
//!
//! Carriers bill per segment and an SMS past two segments may arrive split,
//! so every SMS must fit in [`SMS_MAX_SEGMENTS`] (templates/README.md). The
//! templates are written for realistic values, but the API accepts longer
//! ones (a 64-character order number, a 39-character tracking number, a
//! 1000-character message from customer service). [`fit_sms`] renders with
//! the real values first and, only when the result is over budget, renders
//! again with shortened values, one [`Field`] at a time, least useful loss
//! first, until it fits:
//!
//! 1. the order number keeps its end (what tells orders apart), at least 8
//!    characters, behind an ellipsis;
//! 2. the shopper's name and city (never meant for SMS) are shortened, then
//!    dropped;
//! 3. the tracking number is dropped (the tracking page shows it);
//! 4. the order number is dropped, only where the SMS carries the tracking
//!    link, which identifies the order;
//! 5. the free text (`message`) is cut at a word, behind an ellipsis.
//!
//! The fitter only needs a way to render a [`MessageContext`], so it serves
//! the template files, stored template versions and any later rendering path
//! that changes what goes into an SMS (for instance a click-tracking link
//! instead of `short_url`).

use serde::Serialize;

use super::{MessageContext, TemplateError};
use crate::channels::sms_segments::{self, SmsSegments};

/// The documented limit: every SMS fits in two segments.
pub const SMS_MAX_SEGMENTS: usize = 2;

/// Characters of the order number kept at the least when it is shortened.
pub const ORDER_NUMBER_MIN_KEPT: usize = 8;

/// A value the fitter may shorten or drop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    OrderNumber,
    CustomerName,
    ShipCity,
    TrackingNumber,
    Message,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::OrderNumber => "order_number",
            Field::CustomerName => "customer_name",
            Field::ShipCity => "ship_city",
            Field::TrackingNumber => "tracking_number",
            Field::Message => "message",
        }
    }

    fn value(self, data: &MessageContext) -> &str {
        match self {
            Field::OrderNumber => &data.order_number,
            Field::CustomerName => &data.customer_name,
            Field::ShipCity => &data.ship_city,
            Field::TrackingNumber => &data.tracking_number,
            Field::Message => &data.message,
        }
    }

    fn with(self, data: &MessageContext, value: String) -> MessageContext {
        let mut data = data.clone();
        match self {
            Field::OrderNumber => data.order_number = value,
            Field::CustomerName => data.customer_name = value,
            Field::ShipCity => data.ship_city = value,
            Field::TrackingNumber => data.tracking_number = value,
            Field::Message => data.message = value,
        }
        data
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy)]
enum Cut {
    /// Keep the end, at least this many characters.
    KeepEnd(usize),
    /// Keep the beginning, down to nothing: whole words only, or cut back to
    /// a word when there is one.
    KeepStart {
        whole_words: bool,
    },
    Drop,
}

#[derive(Debug, Clone, Copy)]
struct Step {
    field: Field,
    cut: Cut,
    /// Only when the SMS carries the tracking link (it identifies the order).
    needs_link: bool,
}

/// The ladder, least useful loss first.
const STEPS: &[Step] = &[
    Step { field: Field::OrderNumber, cut: Cut::KeepEnd(ORDER_NUMBER_MIN_KEPT), needs_link: false },
    Step { field: Field::CustomerName, cut: Cut::KeepStart { whole_words: true }, needs_link: false },
    Step { field: Field::ShipCity, cut: Cut::KeepStart { whole_words: true }, needs_link: false },
    Step { field: Field::TrackingNumber, cut: Cut::Drop, needs_link: false },
    Step { field: Field::OrderNumber, cut: Cut::Drop, needs_link: true },
    Step { field: Field::Message, cut: Cut::KeepStart { whole_words: false }, needs_link: false },
];

/// An SMS after fitting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FittedSms {
    /// What to send: the text within budget, or the shortest the fitter got.
    pub body: String,
    pub count: SmsSegments,
    /// Fields shortened or dropped to fit, in the order they were.
    pub shortened: Vec<Field>,
    /// Within budget (and not empty).
    pub fits: bool,
}

/// Renders `data` with `render` and, if the text is over `max_segments`,
/// shortens values step by step until it fits. `render` returns the SMS text
/// (trimmed). When nothing makes it fit, the result carries the shortest text
/// with `fits: false`: the caller decides whether to send it (a worker does,
/// and warns) or to refuse the template (the template check does).
pub fn fit_sms<F>(data: &MessageContext, max_segments: usize, mut render: F) -> Result<FittedSms, TemplateError>
where
    F: FnMut(&MessageContext) -> Result<String, TemplateError>,
{
    let mut fitter = Fitter { original: data, max_segments, render: &mut render };
    let mut current = data.clone();
    let mut body = fitter.render(&current)?;
    let mut shortened = Vec::new();
    if body.is_empty() || fitter.within(&body) {
        return Ok(fitter.finish(body, shortened));
    }
    for step in STEPS {
        let value = step.field.value(&current).to_owned();
        if value.is_empty() || (step.needs_link && !carries_link(&body, &current)) {
            continue;
        }
        // Only what the SMS prints is worth shortening.
        let Some(base_gsm) = fitter.printed(&current, step.field)? else { continue };
        let length = value.chars().count();
        let value = match step.cut {
            Cut::Drop => String::new(),
            Cut::KeepEnd(min) if length <= min + 1 => continue,
            Cut::KeepEnd(min) => {
                let cut = |kept: usize| keep_end(&value, kept, base_gsm);
                fitter.longest(&current, step.field, min, length - 1, cut)?.unwrap_or_else(|| cut(min))
            }
            Cut::KeepStart { whole_words } => {
                let cut = |kept: usize| keep_start(&value, kept, base_gsm, whole_words);
                fitter.longest(&current, step.field, 1, length - 1, cut)?.unwrap_or_default()
            }
        };
        current = step.field.with(&current, value);
        body = fitter.render(&current)?;
        if shortened.last() != Some(&step.field) {
            shortened.push(step.field);
        }
        if fitter.within(&body) {
            break;
        }
    }
    // A later step may have freed room the order number could not get at
    // first: give it back as much of its end as now fits.
    let number = &data.order_number;
    if fitter.within(&body) && !current.order_number.is_empty() && current.order_number != *number {
        let length = number.chars().count();
        let base_gsm = fitter.printed(&current, Field::OrderNumber)?.unwrap_or(true);
        let cut = |kept: usize| if kept >= length { number.clone() } else { keep_end(number, kept, base_gsm) };
        if let Some(value) = fitter.longest(&current, Field::OrderNumber, ORDER_NUMBER_MIN_KEPT, length, cut)? {
            current = Field::OrderNumber.with(&current, value);
            body = fitter.render(&current)?;
        }
    }
    Ok(fitter.finish(body, shortened))
}

struct Fitter<'a, F> {
    original: &'a MessageContext,
    max_segments: usize,
    render: &'a mut F,
}

impl<F> Fitter<'_, F>
where
    F: FnMut(&MessageContext) -> Result<String, TemplateError>,
{
    fn within(&self, body: &str) -> bool {
        let segments = sms_segments::count(body).segments;
        segments >= 1 && segments <= self.max_segments
    }

    /// Renders, tidying the spaces a dropped value leaves behind.
    fn render(&mut self, data: &MessageContext) -> Result<String, TemplateError> {
        let body = (self.render)(data)?;
        let dropped = STEPS.iter().any(|s| s.field.value(data).is_empty() && !s.field.value(self.original).is_empty());
        Ok(if dropped { tidy(&body) } else { body })
    }

    /// `None` when the SMS does not print `field`; else whether it is GSM-7
    /// without it (an ellipsis there must be three dots: "…" would turn the
    /// whole text into UCS-2).
    fn printed(&mut self, data: &MessageContext, field: Field) -> Result<Option<bool>, TemplateError> {
        let with = (self.render)(data)?;
        let without = (self.render)(&field.with(data, String::new()))?;
        Ok((with != without).then(|| sms_segments::is_gsm7(&without)))
    }

    /// The value with the largest `kept` in `low..=high` whose text fits
    /// (segments grow with the text, so a binary search finds it).
    fn longest(
        &mut self,
        data: &MessageContext,
        field: Field,
        low: usize,
        high: usize,
        cut: impl Fn(usize) -> String,
    ) -> Result<Option<String>, TemplateError> {
        let (mut low, mut high, mut best) = (low, high, None);
        while low <= high {
            let middle = low + (high - low) / 2;
            let value = cut(middle);
            let body = self.render(&field.with(data, value.clone()))?;
            if self.within(&body) {
                best = Some(value);
                low = middle + 1;
            } else if middle == 0 {
                break;
            } else {
                high = middle - 1;
            }
        }
        Ok(best)
    }

    fn finish(&self, body: String, shortened: Vec<Field>) -> FittedSms {
        FittedSms { count: sms_segments::count(&body), fits: self.within(&body), body, shortened }
    }
}

/// The SMS links to the order's page (either form of the link).
fn carries_link(body: &str, data: &MessageContext) -> bool {
    [&data.short_url, &data.tracking_page_url, &data.rating_url]
        .iter()
        .any(|link| !link.is_empty() && body.contains(link.as_str()))
}

/// "…" costs one unit in UCS-2 but turns a GSM-7 text into UCS-2: three
/// dots there.
fn ellipsis(base_gsm: bool, kept: &str) -> &'static str {
    if base_gsm && sms_segments::is_gsm7(kept) {
        "..."
    } else {
        "…"
    }
}

/// The last `kept` characters behind an ellipsis.
fn keep_end(value: &str, kept: usize, base_gsm: bool) -> String {
    let length = value.chars().count();
    let tail: String = value.chars().skip(length.saturating_sub(kept)).collect();
    format!("{}{tail}", ellipsis(base_gsm, &tail))
}

/// The first `kept` characters cut back to the last whole word (when there
/// is one, or always with `whole_words`), behind an ellipsis. Nothing kept
/// is the empty string.
fn keep_start(value: &str, kept: usize, base_gsm: bool, whole_words: bool) -> String {
    if kept == 0 {
        return String::new();
    }
    let head: String = value.chars().take(kept).collect();
    let next_is_break = value.chars().nth(kept).is_none_or(char::is_whitespace);
    let head = match head.rfind(char::is_whitespace) {
        _ if next_is_break => head.as_str(),
        Some(at) => &head[..at],
        None if whole_words => "",
        None => head.as_str(),
    };
    let head = head.trim_end_matches(|c: char| c.is_whitespace() || ",;:-.!?".contains(c));
    if head.is_empty() {
        return String::new();
    }
    format!("{head}{}", ellipsis(base_gsm, head))
}

/// Spaces a dropped value leaves behind: doubled spaces, a space before
/// punctuation.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c == ' ' || ".,:;!?".contains(c)) && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::sms_segments::SmsEncoding;

    const LINK: &str = "https://track.example.com/t/AbCdEf123456";

    fn data(order_number: &str) -> MessageContext {
        MessageContext { order_number: order_number.into(), short_url: LINK.into(), ..MessageContext::default() }
    }

    /// A tiny template language: `{order}`, `{tracking}`, `{message}`,
    /// `{name}`, `{link}`.
    fn template(source: String) -> impl FnMut(&MessageContext) -> Result<String, TemplateError> {
        move |d: &MessageContext| {
            Ok(source
                .replace("{order}", &d.order_number)
                .replace("{tracking}", &d.tracking_number)
                .replace("{message}", &d.message)
                .replace("{name}", &d.customer_name)
                .replace("{link}", &d.short_url)
                .trim()
                .to_owned())
        }
    }

    fn long_order_number() -> String {
        "SO-2026/EU-WEST#".repeat(4)
    }

    fn cyrillic(n: usize) -> String {
        "Ж".repeat(n)
    }

    #[test]
    fn a_text_within_budget_is_left_alone() {
        let fitted = fit_sms(&data("SO-1"), 2, template("Order {order} shipped: {link}".into())).unwrap();
        assert_eq!(fitted.body, format!("Order SO-1 shipped: {LINK}"));
        assert!(fitted.fits && fitted.shortened.is_empty());
        assert_eq!(fitted.count.segments, 1);
    }

    #[test]
    fn the_order_number_keeps_as_much_of_its_end_as_fits() {
        let number = long_order_number();
        assert_eq!(number.len(), 64);
        // 66 units of fixed UCS-2 text and the 40-character link leave 28 of
        // the 134 units of two segments for the number.
        let fitted = fit_sms(&data(&number), 2, template(format!("{} {{order}} {{link}}", cyrillic(64)))).unwrap();
        assert!(fitted.fits, "{fitted:?}");
        assert_eq!(fitted.count, SmsSegments { encoding: SmsEncoding::Ucs2, units: 134, segments: 2 });
        assert_eq!(fitted.shortened, [Field::OrderNumber]);
        let shown = fitted.body.split(' ').nth(1).unwrap();
        assert!(shown.starts_with('…') && number.ends_with(shown.trim_start_matches('…')), "{shown}");
        assert_eq!(shown.chars().count(), 28);
    }

    #[test]
    fn gsm7_texts_get_three_dots_not_an_ellipsis_character() {
        let source = format!("{} {{order}} {{link}}", "a".repeat(240));
        let fitted = fit_sms(&data(&long_order_number()), 2, template(source)).unwrap();
        assert!(fitted.fits, "{fitted:?}");
        assert_eq!(fitted.count.encoding, SmsEncoding::Gsm7);
        assert!(fitted.body.contains(" ...") && !fitted.body.contains('…'), "{}", fitted.body);
    }

    #[test]
    fn the_order_number_is_dropped_only_where_the_link_identifies_the_order() {
        let fixed = cyrillic(80);
        let fitted =
            fit_sms(&data(&long_order_number()), 2, template(format!("Заказ {{order}}: {fixed} {{link}}"))).unwrap();
        assert!(fitted.fits, "{fitted:?}");
        assert_eq!(fitted.shortened, [Field::OrderNumber]);
        assert_eq!(fitted.body, format!("Заказ: {fixed} {LINK}"), "dropped, spaces tidied");

        let source = format!("Заказ {{order}}: {fixed} {}", cyrillic(40));
        let fitted = fit_sms(&data(&long_order_number()), 2, template(source)).unwrap();
        assert!(!fitted.fits, "{fitted:?}");
        assert!(fitted.body.contains(&format!("…{}:", &long_order_number()[56..])), "the shortest: {}", fitted.body);
    }

    #[test]
    fn the_tracking_number_goes_before_the_order_number_and_gives_it_room_back() {
        let source = format!("Заказ {{order}} {}{{tracking}} {{link}}", cyrillic(60));
        let parcel = MessageContext { tracking_number: "JD".repeat(19), ..data(&long_order_number()) };
        let fitted = fit_sms(&parcel, 2, template(source)).unwrap();
        assert!(fitted.fits, "{fitted:?}");
        assert_eq!(fitted.shortened, [Field::OrderNumber, Field::TrackingNumber]);
        assert!(!fitted.body.contains("JD"), "{}", fitted.body);
        // 108 units without the number: 26 for it (not just the minimum 8).
        let shown = fitted.body.split(' ').nth(1).unwrap();
        assert_eq!((shown.chars().count(), fitted.count.units), (26, 134), "{}", fitted.body);
    }

    #[test]
    fn free_text_is_cut_at_a_word_as_a_last_resort() {
        let message = "Your replacement item ships tomorrow morning, sorry for the wait! ".repeat(15);
        let custom = MessageContext { message: message.clone(), ..data(&long_order_number()) };
        let fitted = fit_sms(&custom, 2, template("Order {order}: {message}".into())).unwrap();
        assert!(fitted.fits, "{fitted:?}");
        assert_eq!(fitted.shortened, [Field::OrderNumber, Field::Message]);
        assert!(fitted.count.units > 290, "as much as fits: {fitted:?}");
        assert!(fitted.body.starts_with("Order ...") && fitted.body.ends_with("..."), "{}", fitted.body);
        let shown = fitted.body.split(": ").nth(1).unwrap().trim_end_matches("...");
        assert!(message.starts_with(shown) && message[shown.len()..].starts_with([' ', ',']), "at a word: {shown}");

        // Cyrillic text is UCS-2 anyway: "…".
        let russian =
            MessageContext { message: "Курьер приедет завтра утром. ".repeat(20), ..custom };
        let fitted = fit_sms(&russian, 2, template("Заказ {order}: {message}".into())).unwrap();
        assert!(fitted.fits && fitted.body.ends_with('…'), "{fitted:?}");
    }

    #[test]
    fn names_are_shortened_and_then_dropped() {
        let name = "María José Fernández-Castellanos de la Santísima Trinidad ".repeat(4);
        let named = MessageContext { customer_name: name, ..data("SO-1") };
        let source = || template("Hi {name}, your order {order} has shipped and is on its way. {link}".into());
        let fitted = fit_sms(&named, 2, source()).unwrap();
        assert!(fitted.fits, "{fitted:?}");
        assert_eq!(fitted.shortened, [Field::CustomerName]);
        assert!(fitted.body.starts_with("Hi María José") && fitted.body.contains("la…, your order"), "{}", fitted.body);
        // One segment: only without the name (and its "í"), in GSM-7.
        let fitted = fit_sms(&named, 1, source()).unwrap();
        assert!(fitted.fits && fitted.count.encoding == SmsEncoding::Gsm7, "{fitted:?}");
        assert_eq!(fitted.body, format!("Hi, your order SO-1 has shipped and is on its way. {LINK}"));
    }

    #[test]
    fn an_empty_or_hopeless_text_does_not_fit() {
        let fitted = fit_sms(&data("SO-1"), 2, template(String::new())).unwrap();
        assert!(!fitted.fits && fitted.count.segments == 0);
        let fitted = fit_sms(&data("SO-1"), 2, template(cyrillic(200))).unwrap();
        assert!(!fitted.fits && fitted.count.segments == 3 && fitted.shortened.is_empty(), "{fitted:?}");
    }

    #[test]
    fn tidying_removes_what_a_dropped_value_leaves() {
        assert_eq!(tidy("Заказ : доставлен"), "Заказ: доставлен");
        assert_eq!(tidy("Your order  has shipped ."), "Your order has shipped.");
        assert_eq!(tidy("Thanks for your order ! We"), "Thanks for your order! We");
    }

    #[test]
    fn cuts_keep_words_and_ends() {
        assert_eq!(keep_end("ABCDEFGHIJ", 4, false), "…GHIJ");
        assert_eq!(keep_end("ABCDEFGHIJ", 4, true), "...GHIJ");
        assert_eq!(keep_start("one two three", 9, true, false), "one two...");
        assert_eq!(keep_start("one two three", 7, true, false), "one two...");
        assert_eq!(keep_start("onetwothree", 5, false, false), "onetw…");
        assert_eq!(keep_start("onetwothree", 5, false, true), "");
        assert_eq!(keep_start("one, two", 5, false, false), "one…");
        assert_eq!(keep_start("Sorry. Again", 7, false, false), "Sorry…");
        assert_eq!(keep_start("Jürgen Ñúñez", 8, true, true), "Jürgen...", "ü is GSM-7");
        assert_eq!(keep_start("Ana Ñúñez Gil", 9, true, false), "Ana Ñúñez…", "ú is not");
        assert_eq!(keep_start("anything", 0, true, false), "");
    }
}
