//! Checking a template before it is stored: it parses, renders with sample
//! order data, and names only variables templates may use.

use serde::Serialize;

use crate::channels::sms_segments::{self, SmsEncoding};
use crate::templates::MessageContext;

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
}
