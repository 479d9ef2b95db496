//! Which source addresses a webhook may come from: CIDR allowlists per
//! carrier (FedEx publishes `20.65.16.22/31` for its webhooks).

use std::net::IpAddr;

/// One allowlist entry: an IPv4 or IPv6 network. Host bits set in the address
/// (`10.1.2.3/8`) are ignored, as routers do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// `a.b.c.d/len`, `v6::addr/len`, or a single address (a /32 or /128).
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address.trim(), Some(prefix.trim())),
            None => (text.trim(), None),
        };
        let network: IpAddr = address.parse().map_err(|_| format!("'{address}' is not an IP address"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(prefix) => prefix.parse::<u8>().map_err(|_| format!("'/{prefix}' is not a prefix length"))?,
        };
        if prefix > max {
            return Err(format!("/{prefix} is longer than {max} bits"));
        }
        Ok(Cidr { network, prefix })
    }

    /// Whether `ip` is inside this network (same address family only).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(network), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(network) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(network), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(network) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The source addresses a webhook may come from.
///
/// An empty list allows every address: "not configured" must not silently
/// reject every webhook, so the caller decides (with
/// [`is_empty`](Self::is_empty)) whether an empty list is acceptable, e.g. in
/// development only. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, what a
/// dual-stack socket reports for IPv4 clients) match IPv4 entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IpAllowlist(Vec<Cidr>);

impl IpAllowlist {
    /// Comma-separated CIDRs or single addresses, IPv4 and IPv6, whitespace
    /// allowed, empty entries skipped. The error names the bad entry.
    pub fn parse(list: &str) -> Result<IpAllowlist, String> {
        list.split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| Cidr::parse(entry).map_err(|reason| format!("invalid IP allowlist entry '{entry}': {reason}")))
            .collect::<Result<Vec<_>, _>>()
            .map(IpAllowlist)
    }

    pub fn allows(&self, ip: IpAddr) -> bool {
        if self.0.is_empty() {
            return true;
        }
        let mapped = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4),
            IpAddr::V4(_) => None,
        };
        self.0.iter().any(|cidr| cidr.contains(ip) || mapped.is_some_and(|v4| cidr.contains(v4)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn cidrs_match_by_prefix() {
        let list = IpAllowlist::parse("10.0.0.0/8, 192.168.1.7/32, 203.0.113.9").unwrap();
        assert!(list.allows(ip("10.200.3.4")));
        assert!(!list.allows(ip("11.0.0.1")));
        assert!(list.allows(ip("192.168.1.7")));
        assert!(!list.allows(ip("192.168.1.8")));
        assert!(list.allows(ip("203.0.113.9")));
        assert!(!list.allows(ip("203.0.113.10")));

        // FedEx's published webhook range: a /31 is exactly two addresses.
        let fedex = IpAllowlist::parse("20.65.16.22/31").unwrap();
        assert!(fedex.allows(ip("20.65.16.22")) && fedex.allows(ip("20.65.16.23")));
        assert!(!fedex.allows(ip("20.65.16.21")) && !fedex.allows(ip("20.65.16.24")));

        let host_bits = IpAllowlist::parse("10.1.2.3/8").unwrap();
        assert!(host_bits.allows(ip("10.9.9.9")));
    }

    #[test]
    fn zero_prefixes_match_their_whole_family() {
        let v4_all = IpAllowlist::parse("0.0.0.0/0").unwrap();
        assert!(v4_all.allows(ip("1.2.3.4")) && v4_all.allows(ip("255.255.255.255")));
        assert!(!v4_all.allows(ip("2001:db8::1")));
        let v6_all = IpAllowlist::parse("::/0").unwrap();
        assert!(v6_all.allows(ip("2001:db8::1")) && v6_all.allows(ip("::1")));
        assert!(!v6_all.allows(ip("1.2.3.4")));
    }

    #[test]
    fn ipv6_prefixes_match() {
        let list = IpAllowlist::parse("2001:db8::/32, 2606:4700:10::6816:1/128, fe80::/10").unwrap();
        assert!(list.allows(ip("2001:db8:abcd:12::1")));
        assert!(!list.allows(ip("2001:db9::1")));
        assert!(list.allows(ip("2606:4700:10::6816:1")));
        assert!(!list.allows(ip("2606:4700:10::6816:2")));
        assert!(list.allows(ip("fe80::1")) && list.allows(ip("febf::1")));
        assert!(!list.allows(ip("fec0::1")));
        assert!(!list.allows(ip("10.0.0.1")));
    }

    #[test]
    fn ipv4_mapped_ipv6_addresses_match_ipv4_entries() {
        let list = IpAllowlist::parse("10.0.0.0/8, 20.65.16.22/31").unwrap();
        assert!(list.allows(ip("::ffff:10.1.2.3")));
        assert!(list.allows(ip("::ffff:20.65.16.23")));
        assert!(!list.allows(ip("::ffff:20.65.16.24")));
        // Only the mapped form counts, not any IPv6 address with the same low bits.
        assert!(!list.allows(ip("::10.1.2.3")));
        // An IPv6 entry for the mapped range still matches as IPv6.
        assert!(IpAllowlist::parse("::ffff:0:0/96").unwrap().allows(ip("::ffff:192.0.2.1")));
    }

    #[test]
    fn bad_entries_are_named_in_the_error() {
        for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "example.com", "10.0.0.0/x", "10.0.0.0/-1", "/8", "1.2.3.4/"] {
            let err = IpAllowlist::parse(&format!("192.168.0.0/16, {bad}")).unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{err}");
        }
    }

    #[test]
    fn an_empty_list_allows_everything_and_says_so() {
        for text in ["", "  ", " , ,"] {
            let list = IpAllowlist::parse(text).unwrap();
            assert!(list.is_empty());
            assert!(list.allows(ip("203.0.113.1")) && list.allows(ip("2001:db8::1")));
        }
        assert!(!IpAllowlist::parse("127.0.0.1").unwrap().is_empty());
    }
}
