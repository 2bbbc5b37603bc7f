//! HTTP proxies: which requests go through which proxy, and the `CONNECT`
//! tunnel that carries them (so TLS runs end to end, from this client to the
//! server; the proxy relays bytes it cannot read).
//!
//! hyper-util's [`Matcher`] applies a proxy URL (with its credentials) and
//! `NO_PROXY`'s rules (curl's: names and their subdomains, IP addresses,
//! CIDR ranges, `*`). The handshake is this crate's own (see `tunnel`).

mod env;
mod error;
mod tunnel;

use std::fmt;

use http::{HeaderValue, Uri};
use hyper_util::client::proxy::matcher::Matcher;

use crate::{TransportError, TransportErrorKind};

pub(crate) use env::EnvProxies;
pub(crate) use error::ProxyError;
pub(crate) use tunnel::open as open_tunnel;

/// The proxy choices made on the builder.
#[derive(Clone)]
pub(crate) struct ProxyOptions {
    /// A proxy URL for every request; may hold a password, so never printed.
    pub(crate) explicit: Option<String>,
    /// Hosts reached directly (`NO_PROXY` syntax), replacing the variable.
    pub(crate) no_proxy: Option<String>,
    /// Whether the proxy variables are read (when no explicit proxy is set).
    pub(crate) from_env: bool,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        Self {
            explicit: None,
            no_proxy: None,
            from_env: true,
        }
    }
}

impl fmt::Debug for ProxyOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyOptions")
            .field("proxy", &self.explicit.as_deref().map(Redacted))
            .field("no_proxy", &self.no_proxy)
            .field("from_env", &self.from_env)
            .finish()
    }
}

/// Where one request's connection goes.
pub(crate) enum Route {
    /// Straight to the server.
    Direct,
    /// Through a `CONNECT` tunnel opened by this proxy.
    Tunnel(Proxy),
}

/// A proxy to open a tunnel through.
#[derive(Clone)]
pub(crate) struct Proxy {
    /// `http://host:port/`: what to dial (no credentials in it).
    pub(crate) uri: Uri,
    /// `Basic …` for `Proxy-Authorization`, marked sensitive.
    pub(crate) authorization: Option<HeaderValue>,
}

impl Proxy {
    /// `host:port` of the proxy, for messages.
    pub(crate) fn address(&self) -> String {
        crate::cause::target(&self.uri)
    }
}

/// The routing of one scheme (`http` or `https`).
enum Rule {
    Direct,
    /// `matcher` intercepts what goes through the proxy (`NO_PROXY` aside).
    Via(Matcher),
    /// The setting could not be used: requests it would carry are refused
    /// (`matcher` holds a placeholder proxy, never dialled, only to apply
    /// `NO_PROXY`, whose rules hyper-util exposes through a `Matcher` only).
    Unusable {
        matcher: Matcher,
        origin: &'static str,
        reason: &'static str,
    },
}

/// Every request's route, decided when the transport is built.
pub(crate) struct Proxies {
    http: Rule,
    https: Rule,
    /// For `Debug`: where each scheme's proxy came from and its address.
    summary: Summary,
}

#[derive(Clone, Default)]
struct Summary {
    https: Option<String>,
    http: Option<String>,
    no_proxy: Option<String>,
}

impl Proxies {
    /// The routes `options` ask for, with `env` read only if they say so.
    /// An explicit proxy URL that cannot be used fails here; an unusable
    /// variable fails only the requests it would carry (so a bad variable
    /// does not break a program that never uses the scheme, or whose hosts
    /// are in `NO_PROXY`).
    pub(crate) fn new(
        options: &ProxyOptions,
        env: impl FnOnce() -> EnvProxies,
    ) -> Result<Self, TransportError> {
        if let Some(url) = &options.explicit {
            if let Err(reason) = check(url) {
                return Err(TransportError::new(
                    TransportErrorKind::Other,
                    format!("the proxy URL set on the builder cannot be used: {reason}"),
                ));
            }
            let no = options.no_proxy.clone().unwrap_or_default();
            let rule = || Rule::Via(Matcher::builder().all(url.as_str()).no(no.as_str()).build());
            let address = format!("{} (set on the builder)", Redacted(url));
            return Ok(Self {
                http: rule(),
                https: rule(),
                summary: Summary {
                    https: Some(address.clone()),
                    http: Some(address),
                    no_proxy: options.no_proxy.clone(),
                },
            });
        }
        if !options.from_env {
            return Ok(Self {
                http: Rule::Direct,
                https: Rule::Direct,
                summary: Summary {
                    no_proxy: options.no_proxy.clone(),
                    ..Summary::default()
                },
            });
        }
        let env = env();
        let no = options
            .no_proxy
            .clone()
            .or_else(|| env.no_proxy.as_ref().map(|s| s.value.clone()))
            .unwrap_or_default();
        let rule = |setting: &Option<env::Setting>, scheme: Scheme| match setting {
            None => Rule::Direct,
            Some(setting) => {
                let builder = Matcher::builder().no(no.as_str());
                match check(&setting.value) {
                    Ok(()) => Rule::Via(scheme.set(builder, &setting.value).build()),
                    Err(reason) => Rule::Unusable {
                        matcher: scheme.set(builder, "http://placeholder.invalid").build(),
                        origin: setting.origin,
                        reason,
                    },
                }
            }
        };
        let describe = |setting: &Option<env::Setting>| {
            setting
                .as_ref()
                .map(|s| format!("{} (from {})", Redacted(&s.value), s.origin))
        };
        Ok(Self {
            http: rule(&env.http, Scheme::Http),
            https: rule(&env.https, Scheme::Https),
            summary: Summary {
                https: describe(&env.https),
                http: describe(&env.http),
                no_proxy: (!no.is_empty()).then_some(no),
            },
        })
    }

    /// Where a request to `uri` goes; an error if its proxy setting is
    /// unusable (checked before anything is sent).
    pub(crate) fn route(&self, uri: &Uri) -> Result<Route, TransportError> {
        let rule = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("https") => &self.https,
            Some(s) if s.eq_ignore_ascii_case("http") => &self.http,
            _ => return Ok(Route::Direct),
        };
        match rule {
            Rule::Direct => Ok(Route::Direct),
            Rule::Via(matcher) => Ok(match matcher.intercept(uri) {
                None => Route::Direct,
                Some(intercept) => Route::Tunnel(Proxy {
                    uri: intercept.uri().clone(),
                    authorization: intercept.basic_auth().cloned().map(|mut value| {
                        value.set_sensitive(true);
                        value
                    }),
                }),
            }),
            Rule::Unusable {
                matcher,
                origin,
                reason,
            } => match matcher.intercept(uri) {
                None => Ok(Route::Direct),
                Some(_) => Err(TransportError::new(
                    TransportErrorKind::InvalidRequest,
                    format!(
                        "the proxy in {origin} cannot be used ({reason}); fix or unset it, \
                         or list {} in NO_PROXY",
                        uri.host().unwrap_or("the host")
                    ),
                )),
            },
        }
    }
}

impl fmt::Debug for Proxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxies")
            .field("https", &self.summary.https)
            .field("http", &self.summary.http)
            .field("no_proxy", &self.summary.no_proxy)
            .finish()
    }
}

#[derive(Clone, Copy)]
enum Scheme {
    Http,
    Https,
}

impl Scheme {
    fn set(
        self,
        builder: hyper_util::client::proxy::matcher::Builder,
        url: &str,
    ) -> hyper_util::client::proxy::matcher::Builder {
        match self {
            Self::Http => builder.http(url),
            Self::Https => builder.https(url),
        }
    }
}

/// Whether `url` is a proxy this transport can use: `http://` (or no
/// scheme), with a host, and at most one `@` (a password holding `@` must
/// be percent-encoded, or it is cut there). The reason never quotes the URL,
/// which may hold a password.
fn check(url: &str) -> Result<(), &'static str> {
    let uri: Uri = url
        .trim()
        .parse()
        .map_err(|_| "it is not a URL like http://[user:password@]host:port")?;
    match uri.scheme_str() {
        None => {}
        Some(s) if s.eq_ignore_ascii_case("http") => {}
        Some(s) if s.eq_ignore_ascii_case("https") => {
            return Err("https:// proxies (TLS to the proxy) are not supported; use http://");
        }
        Some(_) => return Err("only http:// proxies are supported (no SOCKS)"),
    }
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    if uri.host().is_none_or(str::is_empty) {
        return Err("it has no host");
    }
    if authority.matches('@').count() > 1 {
        return Err("its user or password holds '@', which must be written %40");
    }
    Ok(())
}

/// A proxy URL shown as `host:port` only: never its user or password.
struct Redacted<'a>(&'a str);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

impl fmt::Display for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.trim().parse::<Uri>() {
            Ok(uri) if uri.host().is_some() => {
                let host = uri.host().unwrap_or_default();
                match uri.port_u16() {
                    Some(port) => write!(f, "{host}:{port}"),
                    None => f.write_str(host),
                }
            }
            _ => f.write_str("<not a URL>"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn options(explicit: Option<&str>, no_proxy: Option<&str>) -> ProxyOptions {
        ProxyOptions {
            explicit: explicit.map(str::to_owned),
            no_proxy: no_proxy.map(str::to_owned),
            from_env: true,
        }
    }

    fn env(https: Option<&str>, no_proxy: Option<&str>) -> EnvProxies {
        let setting = |value: Option<&str>, origin| {
            value.map(|value| env::Setting {
                value: value.to_owned(),
                origin,
            })
        };
        EnvProxies {
            https: setting(https, "HTTPS_PROXY"),
            http: None,
            no_proxy: setting(no_proxy, "NO_PROXY"),
        }
    }

    fn route(proxies: &Proxies, url: &str) -> Result<Option<Proxy>, TransportError> {
        proxies.route(&url.parse().unwrap()).map(|r| match r {
            Route::Direct => None,
            Route::Tunnel(proxy) => Some(proxy),
        })
    }

    #[test]
    fn credentials_become_a_sensitive_basic_header() {
        let proxies = Proxies::new(
            &options(Some("http://edlink:pa%40ss@proxy.corp:3128"), None),
            || panic!("the environment was read"),
        )
        .unwrap();
        let proxy = route(&proxies, "https://ed.link/api").unwrap().unwrap();
        assert_eq!(proxy.address(), "proxy.corp:3128");
        let auth = proxy.authorization.unwrap();
        assert!(auth.is_sensitive());
        // base64("edlink:pa@ss"), worked out by hand.
        assert_eq!(auth, "Basic ZWRsaW5rOnBhQHNz");
        assert!(!proxy.uri.to_string().contains("pa"), "{}", proxy.uri);
    }

    #[test]
    fn no_proxy_hosts_go_direct() {
        let proxies = Proxies::new(&options(None, None), || {
            env(
                Some("http://proxy:3128"),
                Some("localhost,.internal,10.0.0.0/8"),
            )
        })
        .unwrap();
        for direct in [
            "https://localhost:8443/",
            "https://api.internal/",
            "https://10.2.3.4/",
        ] {
            assert!(route(&proxies, direct).unwrap().is_none(), "{direct}");
        }
        assert!(route(&proxies, "https://ed.link/").unwrap().is_some());
        // http:// had no variable.
        assert!(route(&proxies, "http://127.0.0.1:8080/").unwrap().is_none());
    }

    #[test]
    fn the_builder_no_proxy_replaces_the_variable() {
        let mut options = options(None, Some("ed.link"));
        options.from_env = true;
        let proxies = Proxies::new(&options, || env(Some("http://proxy:3128"), Some("*"))).unwrap();
        assert!(route(&proxies, "https://ed.link/").unwrap().is_none());
        assert!(route(&proxies, "https://other.example/").unwrap().is_some());
    }

    #[test]
    fn the_environment_is_not_read_when_told_not_to() {
        let options = ProxyOptions {
            from_env: false,
            ..ProxyOptions::default()
        };
        let proxies = Proxies::new(&options, || panic!("the environment was read")).unwrap();
        assert!(route(&proxies, "https://ed.link/").unwrap().is_none());
    }

    #[test]
    fn an_unusable_variable_refuses_only_the_requests_it_would_carry() {
        for (value, reason) in [
            ("socks5://proxy:1080", "SOCKS"),
            ("https://proxy:443", "https://"),
            ("http://user:pa@ss@proxy:1", "%40"),
            ("http://", "not a URL"),
        ] {
            let proxies =
                Proxies::new(&options(None, None), || env(Some(value), Some("localhost"))).unwrap();
            let err = route(&proxies, "https://ed.link/")
                .err()
                .unwrap_or_else(|| panic!("{value} was used"));
            assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
            assert!(err.message().contains("HTTPS_PROXY"), "{err}");
            assert!(err.message().contains(reason), "{err}");
            assert!(!err.message().contains("pa@ss"), "{err}");
            // NO_PROXY still applies, and http:// is not concerned.
            assert!(route(&proxies, "https://localhost/").unwrap().is_none());
            assert!(route(&proxies, "http://127.0.0.1/").unwrap().is_none());
        }
    }

    #[test]
    fn an_unusable_builder_proxy_fails_the_build_without_quoting_it() {
        let err = Proxies::new(
            &options(Some("socks5://u:s3cret@p:1"), None),
            EnvProxies::default,
        )
        .unwrap_err();
        assert!(err.message().contains("SOCKS"), "{err}");
        assert!(!format!("{err:?}").contains("s3cret"));
    }

    #[test]
    fn debug_shows_addresses_never_credentials() {
        let proxies = Proxies::new(&options(Some("http://u:s3cret@proxy:3128"), None), || {
            panic!("the environment was read")
        })
        .unwrap();
        let debug = format!("{proxies:?}");
        assert!(debug.contains("proxy:3128"), "{debug}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("u:"),
            "{debug}"
        );

        let options = options(Some("http://u:s3cret@proxy:3128"), None);
        let debug = format!("{options:?}");
        assert!(
            debug.contains("proxy:3128") && !debug.contains("s3cret"),
            "{debug}"
        );

        let env_proxies = Proxies::new(&ProxyOptions::default(), || {
            env(Some("http://u:s3cret@p:1"), None)
        })
        .unwrap();
        let debug = format!("{env_proxies:?}");
        assert!(debug.contains("p:1 (from HTTPS_PROXY)"), "{debug}");
        assert!(!debug.contains("s3cret"), "{debug}");
    }
}
