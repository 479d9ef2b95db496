//! Telling an open by a person from a fetch by a mail-privacy proxy, which
//! loads the images of every message whether or not anyone reads it.
//!
//! Apple Mail Privacy Protection fetches with the bare user agent
//! `Mozilla/5.0` and nothing else (since 2021-09-20, ua-parser/uap-core
//! #509); Yahoo's proxy names itself (`YahooMailProxy`). Both prefetch.
//! Gmail's image proxy (`GoogleImageProxy`) fetches when the message is
//! opened, so its opens are a person's. Apple Mail's own, longer user agent
//! is a person too.

/// Whether an open-pixel fetch with this user agent came from a prefetching proxy.
pub fn is_machine_open(user_agent: &str) -> bool {
    let user_agent = user_agent.trim();
    user_agent == "Mozilla/5.0" || user_agent.contains("YahooMailProxy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_and_yahoo_prefetches_are_machines_people_and_gmail_are_not() {
        assert!(is_machine_open("Mozilla/5.0"));
        assert!(is_machine_open("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"));
        assert!(is_machine_open(
            "Mozilla/5.0 (compatible; YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html)"
        ));
        let apple_mail = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        assert!(!is_machine_open(apple_mail));
        assert!(!is_machine_open(
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"
        ));
        assert!(!is_machine_open(""));
    }
}
