//! Headers every response gets: no MIME sniffing, no referrer (tracking and
//! sign-in links carry secrets in their paths), no framing; and for pages, a
//! strict Content-Security-Policy: our own scripts, styles and connections
//! only, nothing inline. A page with an inline `<style>` sets its own policy
//! naming that style's hash ([`policy_with_style`]); Swagger UI, which needs
//! inline script, gets only `frame-ancestors`.

use actix_web::http::header::{self, HeaderMap, HeaderValue};

/// The policy of our pages (the web app and the server-rendered ones).
pub const PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// [`PAGE_POLICY`] that also allows the inline `<style>` whose content is `style`.
pub fn policy_with_style(style: &str) -> String {
    PAGE_POLICY.replace("style-src 'self'", &format!("style-src 'self' 'sha256-{}'", sha256(style)))
}

/// [`policy_with_style`] that also allows the inline `<script>` whose content is `script`.
pub fn policy_with_style_and_script(style: &str, script: &str) -> String {
    policy_with_style(style).replace("script-src 'self'", &format!("script-src 'self' 'sha256-{}'", sha256(script)))
}

fn sha256(text: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

/// The content of the first `<style>` element of `html`.
pub fn inline_style(html: &str) -> Option<&str> {
    inline(html, "style")
}

/// The content of the first `<script>` element of `html`.
pub fn inline_script(html: &str) -> Option<&str> {
    inline(html, "script")
}

fn inline<'a>(html: &'a str, element: &str) -> Option<&'a str> {
    let (open, close) = (format!("<{element}>"), format!("</{element}>"));
    let start = html.find(&open)? + open.len();
    let end = start + html[start..].find(&close)?;
    Some(&html[start..end])
}

pub fn apply(path: &str, headers: &mut HeaderMap) {
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let is_page =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if is_page && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = if path.starts_with("/swagger-ui/") { "frame-ancestors 'none'" } else { PAGE_POLICY };
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inline_style_is_allowed_by_its_hash_only() {
        let html = "<html><style>p{color:red}</style><p>x</p></html>";
        let style = inline_style(html).unwrap();
        assert_eq!(style, "p{color:red}");
        let policy = policy_with_style(style);
        // sha256("p{color:red}"), base64.
        assert!(policy.contains("style-src 'self' 'sha256-"), "{policy}");
        assert!(!policy.contains("unsafe-inline") && policy.contains("script-src 'self';"), "{policy}");
        assert_ne!(policy_with_style("p{color:blue}"), policy);
    }

    #[test]
    fn pages_get_the_strict_policy_and_everything_gets_nosniff() {
        let mut page = HeaderMap::new();
        page.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        apply("/orders/1", &mut page);
        assert_eq!(page.get(header::CONTENT_SECURITY_POLICY).unwrap(), PAGE_POLICY);
        let mut json = HeaderMap::new();
        json.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        apply("/api/v1/orders", &mut json);
        assert!(json.get(header::CONTENT_SECURITY_POLICY).is_none());
        assert_eq!(json.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert_eq!(json.get(header::REFERRER_POLICY).unwrap(), "no-referrer");
    }
}
