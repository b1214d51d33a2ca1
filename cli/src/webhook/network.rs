//! Who a delivery comes from: address networks, and the client's address behind a trusted
//! reverse proxy.

use std::net::IpAddr;

use jauge_server::Request;

/// An IP network (`192.0.2.0/24`, `2001:db8::/32`, or one address), by ipnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network(ipnet::IpNet);

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Network, String> {
        if let Ok(address) = text.parse::<IpAddr>() {
            return Ok(Network(ipnet::IpNet::from(address)));
        }
        text.parse::<ipnet::IpNet>().map(Network).map_err(|_| {
            format!("{text:?} is not an address or a network (192.0.2.0/24, 2001:db8::/32)")
        })
    }
}

impl Network {
    /// Whether `address` is in this network; an IPv4 address mapped into IPv6 (as a dual-stack
    /// socket reports it) is the IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        self.0.contains(&address)
    }
}

/// The client's address: the connection's, or, when that is a trusted reverse proxy, the
/// last address its `X-Forwarded-For` adds (the one the proxy itself saw; earlier ones are the
/// client's word).
pub(super) fn client_address(request: &Request, trusted_proxies: &[Network]) -> IpAddr {
    let peer = request.peer.ip();
    if !trusted_proxies.iter().any(|n| n.contains(peer)) {
        return peer;
    }
    request
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_hold_their_addresses() {
        let net: Network = "192.0.2.0/24".parse().unwrap();
        assert!(net.contains("192.0.2.77".parse().unwrap()));
        assert!(net.contains("::ffff:192.0.2.1".parse().unwrap()));
        assert!(!net.contains("192.0.3.1".parse().unwrap()));
        let one: Network = "2001:db8::1".parse().unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()));
        assert!(!one.contains("2001:db8::2".parse().unwrap()));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!("example.org".parse::<Network>().is_err());
    }
}
