//! Open and click tracking of one outgoing message: every http(s) link it
//! carries is replaced by `/c/{token}`, a signed index into the list of
//! targets the message was sent with (stored on the notification), and an
//! HTML email gets a 1x1 pixel at `/o/{token}`.
//!
//! The unsubscribe link stays direct: it must work in one click (RFC 8058)
//! and is counted as an unsubscribe, not a click.

use uuid::Uuid;

use crate::links::Signer;
use crate::templates::MessageContext;

/// A message holds at most this many distinct tracked links (the token
/// carries one byte); any further link is left as it is.
pub const MAX_TRACKED_LINKS: usize = 256;

/// Paths of ours that are never wrapped.
const UNTRACKED_PATHS: [&str; 3] = ["/c/", "/o/", "/u/"];

pub struct LinkTracker<'a> {
    signer: &'a Signer,
    base: String,
    notification_id: Uuid,
    links: Vec<String>,
}

impl<'a> LinkTracker<'a> {
    pub fn new(signer: &'a Signer, public_base_url: &str, notification_id: Uuid) -> Self {
        LinkTracker {
            signer,
            base: public_base_url.trim_end_matches('/').to_owned(),
            notification_id,
            links: Vec::new(),
        }
    }

    /// The click link standing for `target` (the same one each time).
    pub fn track(&mut self, target: &str) -> String {
        if target.is_empty() || self.is_untracked(target) {
            return target.to_owned();
        }
        let index = match self.links.iter().position(|link| link == target) {
            Some(index) => index,
            None if self.links.len() < MAX_TRACKED_LINKS => {
                self.links.push(target.to_owned());
                self.links.len() - 1
            }
            None => return target.to_owned(),
        };
        format!("{}/c/{}", self.base, self.signer.click_token(self.notification_id, index as u8))
    }

    /// `text` with every http(s) link replaced by its click link. In HTML,
    /// `&amp;` in a link is the `&` of its target, and the `/` that Tera
    /// escapes as `&#x2F;` is read back first.
    pub fn rewrite(&mut self, text: &str, html: bool) -> String {
        let unescaped;
        let text = if html {
            unescaped = text.replace("&#x2F;", "/");
            unescaped.as_str()
        } else {
            text
        };
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = find_link(rest) {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let end =
                tail.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>')).unwrap_or(tail.len());
            // Punctuation closing a sentence or a parenthesis is not the link's.
            let link = tail[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']);
            let target = if html { link.replace("&amp;", "&") } else { link.to_owned() };
            out.push_str(&self.track(&target));
            rest = &tail[link.len()..];
        }
        out.push_str(rest);
        out
    }

    /// The message's links in template values (the SMS fitter then counts
    /// them at their real length).
    pub fn track_values(&mut self, data: MessageContext) -> MessageContext {
        MessageContext {
            tracking_page_url: self.track(&data.tracking_page_url),
            short_url: self.track(&data.short_url),
            carrier_tracking_url: self.track(&data.carrier_tracking_url),
            rating_url: self.track(&data.rating_url),
            ..data
        }
    }

    /// `html` with the open pixel before `</body>` (or at the end).
    pub fn with_pixel(&self, html: &str) -> String {
        if html.is_empty() {
            return String::new();
        }
        let pixel = format!(
            r#"<img src="{}/o/{}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">"#,
            self.base,
            self.signer.open_token(self.notification_id)
        );
        match html.rfind("</body>") {
            Some(at) => format!("{}{pixel}{}", &html[..at], &html[at..]),
            None => format!("{html}{pixel}"),
        }
    }

    /// The targets, in token order: stored with the sent notification.
    pub fn into_links(self) -> Vec<String> {
        self.links
    }

    fn is_untracked(&self, target: &str) -> bool {
        target
            .strip_prefix(&self.base)
            .is_some_and(|path| UNTRACKED_PATHS.iter().any(|prefix| path.starts_with(prefix)))
    }
}

fn find_link(text: &str) -> Option<usize> {
    ["https://", "http://"].iter().filter_map(|scheme| text.find(scheme)).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker(signer: &Signer) -> LinkTracker<'_> {
        LinkTracker::new(signer, "https://track.example.com/", Uuid::nil())
    }

    #[test]
    fn every_link_becomes_a_click_link_to_its_index() {
        let signer = Signer::new("secret");
        let mut links = tracker(&signer);
        let text = "Track it: https://track.example.com/t/abc. Carrier (https://dhl.example/x?a=1&b=2), again https://track.example.com/t/abc";
        let out = links.rewrite(text, false);
        assert!(!out.contains("/t/abc") && !out.contains("dhl.example"), "{out}");
        assert!(out.starts_with("Track it: https://track.example.com/c/") && out.contains(". Carrier (https://"));
        assert!(out.contains("), again "));
        let first = out.split_whitespace().nth(2).unwrap().trim_end_matches('.');
        assert_eq!(signer.verify_click_token(first.rsplit('/').next().unwrap()), Some((Uuid::nil(), 0)));
        assert_eq!(out.matches(first).count(), 2, "the same target, the same link");
        assert_eq!(links.into_links(), ["https://track.example.com/t/abc", "https://dhl.example/x?a=1&b=2"]);
    }

    #[test]
    fn html_links_lose_their_entities_and_unsubscribe_stays_direct() {
        let signer = Signer::new("secret");
        let mut links = tracker(&signer);
        let html = r#"<a href="https:&#x2F;&#x2F;shop.example&#x2F;p?a=1&amp;b=2">x</a> <a href="https://track.example.com/u/tok.tag">stop</a></body>"#;
        let rewritten = links.rewrite(html, true);
        let out = links.with_pixel(&rewritten);
        assert!(out.contains(r#"href="https://track.example.com/u/tok.tag""#), "{out}");
        assert!(out.contains(r#"<img src="https://track.example.com/o/"#) && out.ends_with("</body>"));
        assert_eq!(links.into_links(), ["https://shop.example/p?a=1&b=2"]);
    }

    #[test]
    fn text_without_links_is_unchanged() {
        let signer = Signer::new("secret");
        let mut links = tracker(&signer);
        assert_eq!(links.rewrite("Ваш заказ доставлен. mailto:a@b.c", false), "Ваш заказ доставлен. mailto:a@b.c");
        assert!(links.into_links().is_empty());
    }
}
