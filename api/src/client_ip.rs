//! The client's IP: the TCP peer, unless the peer is a trusted proxy, in
//! which case the nearest untrusted address of `X-Forwarded-For`.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ordertrack_shared::webhooks::IpAllowlist;

pub fn client_ip(req: &HttpRequest, trusted_proxies: &IpAllowlist) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    if trusted_proxies.is_empty() || !trusted_proxies.allows(peer) {
        return Some(peer);
    }
    let forwarded = req.headers().get("X-Forwarded-For").and_then(|v| v.to_str().ok()).unwrap_or_default();
    // Walk from the right: the last hop our proxies did not add is the client.
    let hops: Vec<IpAddr> = forwarded.split(',').filter_map(|h| h.trim().parse().ok()).collect();
    Some(hops.into_iter().rev().find(|ip| !trusted_proxies.allows(*ip)).unwrap_or(peer))
}

/// The client IP as a rate-limiter key ("" when unknown).
pub fn client_key(req: &HttpRequest, trusted_proxies: &IpAllowlist) -> String {
    client_ip(req, trusted_proxies).map(|ip| ip.to_string()).unwrap_or_default()
}
