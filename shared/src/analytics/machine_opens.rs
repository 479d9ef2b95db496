//! Telling an open by a person from a fetch by a mail-privacy proxy, which
//! loads the images of every message whether or not anyone reads it.
//!
//! Apple Mail Privacy Protection fetches with the bare user agent
//! `Mozilla/5.0` and nothing else (since 2021-09-20, ua-parser/uap-core
//! #509), from Apple's relay network; Yahoo's proxy names itself
//! (`YahooMailProxy`). Both prefetch. Gmail's image proxy
//! (`GoogleImageProxy`) fetches when the message is opened, so its opens are
//! a person's. Apple Mail's own, longer user agent is a person too.
//!
//! The relay's addresses are a long, changing list Apple publishes
//! (`https://mask-api.icloud.com/egress-ip-ranges.csv`); an operator who
//! downloads it points `MACHINE_OPEN_RANGES_FILE` at it, and fetches from
//! those ranges count as machine opens too.

use std::net::IpAddr;

use crate::webhooks::IpAllowlist;

/// Addresses of prefetching proxies (empty: none configured).
#[derive(Debug, Clone, Default)]
pub struct ProxyRanges(IpAllowlist);

impl ProxyRanges {
    /// One range per line, first field of a CSV line (Apple's format:
    /// `prefix,country,region,city,`); blank lines and `#` comments skipped.
    pub fn parse(text: &str) -> Result<ProxyRanges, String> {
        let prefixes: Vec<&str> = text
            .lines()
            .map(|line| line.split(',').next().unwrap_or_default().trim())
            .filter(|prefix| !prefix.is_empty() && !prefix.starts_with('#'))
            .collect();
        IpAllowlist::parse(&prefixes.join(",")).map(ProxyRanges)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        !self.0.is_empty() && self.0.allows(ip)
    }
}

/// Whether an open-pixel fetch came from a prefetching proxy.
pub fn is_machine_open(user_agent: &str, ip: Option<IpAddr>, ranges: &ProxyRanges) -> bool {
    let user_agent = user_agent.trim();
    user_agent == "Mozilla/5.0" || user_agent.contains("YahooMailProxy") || ip.is_some_and(|ip| ranges.contains(ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_and_yahoo_prefetches_are_machines_people_and_gmail_are_not() {
        let none = ProxyRanges::default();
        let person: Option<IpAddr> = Some("203.0.113.9".parse().unwrap());
        let machine = |agent: &str| is_machine_open(agent, person, &none);
        assert!(machine("Mozilla/5.0"));
        assert!(machine("YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"));
        assert!(machine(
            "Mozilla/5.0 (compatible; YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html)"
        ));
        assert!(!machine("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)"));
        assert!(!machine("Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)"));
        assert!(!machine(""));
    }

    #[test]
    fn a_fetch_from_a_listed_relay_range_is_a_machine() {
        let apple =
            "# Apple's format\n172.224.226.0/27,GB,GB-EN,London,\n2a02:26f7:b3c0:4000::/64,GB,GB-EN,London,\n\n";
        let ranges = ProxyRanges::parse(apple).unwrap();
        let agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)";
        assert!(is_machine_open(agent, Some("172.224.226.7".parse().unwrap()), &ranges));
        assert!(is_machine_open(agent, Some("2a02:26f7:b3c0:4000::1".parse().unwrap()), &ranges));
        assert!(!is_machine_open(agent, Some("172.224.227.7".parse().unwrap()), &ranges));
        assert!(!is_machine_open(agent, None, &ranges));
        assert!(ProxyRanges::parse("not-an-ip,GB").is_err());
    }
}
