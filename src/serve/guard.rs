//! What every request passes before it reaches a page: the Host it names
//! must be this server's (a loopback name, or the network address printed
//! at start; listening on every interface, any address written as digits,
//! since the printed one is a guess among them), so no web page elsewhere
//! can reach the server by rebinding a name of its own to it; a POST from a page of another origin is
//! refused; a body announced larger than the limit is refused before it
//! is read. Every response says it is not to be sniffed or framed. Joins
//! and wrong join codes are rate-limited per client address.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::{BODY_LIMIT, PageError};

/// The names a request may give as its Host, without the port.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    names: Vec<String>,
    port: u16,
    /// Whether any IP address is a name of this server (listening on
    /// 0.0.0.0 or [::]). A rebinding page can only send its own domain
    /// name, never an address, so addresses are safe to accept.
    any_address: bool,
}

impl Hosts {
    /// Loopback names, plus `shared` (the printed network address), on
    /// `port`; with `any_address`, every IP address as well.
    pub fn new(port: u16, shared: Option<IpAddr>, any_address: bool) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if let Some(ip) = shared {
            names.push(match ip {
                IpAddr::V6(v6) => format!("[{v6}]"),
                IpAddr::V4(v4) => v4.to_string(),
            });
        }
        Hosts {
            names,
            port,
            any_address,
        }
    }

    /// Whether `authority` (`name` or `name:port`) is this server.
    pub fn allows(&self, authority: &str) -> bool {
        let a = authority.trim().to_ascii_lowercase();
        let (name, port) = match a.rsplit_once(':') {
            Some((n, p))
                if !n.is_empty()
                    && (n.starts_with('[') || !n.contains(':'))
                    && !p.contains(']') =>
            {
                (n.to_string(), p.parse::<u16>().ok())
            }
            _ => (a.clone(), None),
        };
        let address = name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok();
        let known = self.names.contains(&name) || (self.any_address && address);
        known && port.is_none_or(|p| p == self.port)
    }
}

/// The Host and Origin checks and the size announced, then the headers
/// every response carries.
pub async fn gate(State(hosts): State<Arc<Hosts>>, request: Request, next: Next) -> Response {
    let mut response = match refusal(&hosts, request.method(), request.headers()) {
        Some(e) => e.into_response(),
        None => next.run(request).await,
    };
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn refusal(hosts: &Hosts, method: &Method, headers: &HeaderMap) -> Option<PageError> {
    let forbidden = |m: String| Some(PageError::new(StatusCode::FORBIDDEN, None, m));
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match host {
        Some(h) if hosts.allows(h) => {}
        Some(h) => {
            return forbidden(format!(
                "this server answers to its own address only, not `{h}`; open the address `zopa serve` printed"
            ));
        }
        None => return forbidden("a request needs a Host header".into()),
    }
    if *method != Method::GET && *method != Method::HEAD {
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
        if let Some(o) = origin {
            let authority = o
                .strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"));
            if !authority.is_some_and(|a| hosts.allows(a)) {
                return forbidden(format!(
                    "a page of `{o}` may not act on this server; use the pages it serves"
                ));
            }
        }
    }
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Some(too_large());
    }
    None
}

/// A body above [`BODY_LIMIT`], announced or found so while it is read.
pub fn too_large() -> PageError {
    PageError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        None,
        format!("a request body may be at most {BODY_LIMIT} bytes"),
    )
}

/// A token bucket per client address: `burst` at once, then one more
/// every `every`.
pub struct Limiter {
    burst: f64,
    every: Duration,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

impl Limiter {
    pub fn new(burst: u32, every: Duration) -> Limiter {
        Limiter {
            burst: f64::from(burst),
            every,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for `ip`, or says how long until one is free.
    pub fn take(&self, ip: IpAddr) -> Result<(), Duration> {
        let now = Instant::now();
        let mut b = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if b.len() > 10_000 {
            // Forget full buckets rather than grow without end.
            let (burst, every) = (self.burst, self.every);
            b.retain(|_, (t, at)| {
                *t + now.duration_since(*at).as_secs_f64() / every.as_secs_f64() < burst
            });
        }
        let (tokens, at) = b.entry(ip).or_insert((self.burst, now));
        let refill = now.duration_since(*at).as_secs_f64() / self.every.as_secs_f64();
        *tokens = (*tokens + refill).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(self.every.mul_f64(1.0 - *tokens))
        }
    }
}

/// The rate limits of class play.
pub struct Limits {
    /// Joins per address: a class of forty on one address (a shared
    /// hotspot) gets in at once; a script filling the class does not.
    pub joins: Limiter,
    /// Wrong join codes per address: a typo or two, never a search.
    pub guesses: Limiter,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            joins: Limiter::new(50, Duration::from_millis(250)),
            guesses: Limiter::new(5, Duration::from_secs(6)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_servers_names_pass() {
        let h = Hosts::new(8080, Some("192.168.1.20".parse().unwrap()), false);
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST",
            "[::1]:8080",
            "192.168.1.20:8080",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1:9999",
            "127.0.0.1.evil.example",
            "192.168.1.21:8080",
            "",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        let every = Hosts::new(8080, None, true);
        assert!(every.allows("10.1.2.3:8080") && every.allows("[fe80::1]:8080"));
        assert!(!every.allows("evil.example:8080") && !every.allows("10.1.2.3:9"));
    }

    #[test]
    fn a_bucket_empties_and_refills() {
        let l = Limiter::new(2, Duration::from_secs(3600));
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(l.take(ip).is_ok() && l.take(ip).is_ok());
        assert!(l.take(ip).is_err());
        assert!(l.take("10.0.0.2".parse().unwrap()).is_ok());
    }
}
