//! Which proxy variables apply, read through a lookup function so tests never
//! touch the process environment.
//!
//! curl's conventions: for each setting the lower-case variable wins over the
//! upper-case one, an empty value counts as unset, `ALL_PROXY` applies when
//! the scheme's own variable is unset, and `NO_PROXY` lists the hosts reached
//! directly. Like hyper-util's `Matcher::from_env`, upper-case `HTTP_PROXY` is
//! ignored when `REQUEST_METHOD` is set: in a CGI program, a request header
//! `Proxy:` arrives as `HTTP_PROXY` ("httpoxy").

/// A proxy setting and the variable it came from (named in messages; the
/// value itself may hold a password and is never printed).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Setting {
    pub(crate) value: String,
    pub(crate) origin: &'static str,
}

/// The proxy settings found in an environment.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct EnvProxies {
    /// For `https://` requests.
    pub(crate) https: Option<Setting>,
    /// For `http://` requests.
    pub(crate) http: Option<Setting>,
    /// The `NO_PROXY` list.
    pub(crate) no_proxy: Option<Setting>,
}

impl EnvProxies {
    /// The settings `lookup` (a variable name to its value) gives.
    pub(crate) fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: &[&'static str]| {
            names.iter().find_map(|&name| {
                lookup(name)
                    .map(|value| value.trim().to_owned())
                    .filter(|value| !value.is_empty())
                    .map(|value| Setting {
                        value,
                        origin: name,
                    })
            })
        };
        let cgi = lookup("REQUEST_METHOD").is_some();
        let http_names: &[&'static str] = if cgi {
            &["http_proxy", "all_proxy", "ALL_PROXY"]
        } else {
            &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        };
        Self {
            https: first(&["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]),
            http: first(http_names),
            no_proxy: first(&["no_proxy", "NO_PROXY"]),
        }
    }

    /// The settings of this process's environment.
    pub(crate) fn from_process() -> Self {
        Self::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Some(value),
            Err(std::env::VarError::NotPresent) => None,
            // Kept (and later refused as unusable) rather than silently
            // ignored: a proxy was meant to be used.
            Err(std::env::VarError::NotUnicode(value)) => {
                Some(value.to_string_lossy().into_owned())
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> EnvProxies {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        EnvProxies::from_lookup(|name| vars.get(name).cloned())
    }

    fn origin(setting: Option<&Setting>) -> Option<&'static str> {
        setting.map(|s| s.origin)
    }

    #[test]
    fn nothing_set_means_no_proxy() {
        assert!(env(&[]) == EnvProxies::default());
    }

    #[test]
    fn lower_case_wins_and_both_cases_are_read() {
        let both = env(&[
            ("https_proxy", "http://lower:1"),
            ("HTTPS_PROXY", "http://upper:1"),
        ]);
        assert_eq!(origin(both.https.as_ref()), Some("https_proxy"));
        assert_eq!(
            both.https.map(|s| s.value).as_deref(),
            Some("http://lower:1")
        );

        let upper = env(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("HTTP_PROXY", "http://h:1"),
            ("NO_PROXY", "localhost"),
        ]);
        assert_eq!(origin(upper.https.as_ref()), Some("HTTPS_PROXY"));
        assert_eq!(origin(upper.http.as_ref()), Some("HTTP_PROXY"));
        assert_eq!(origin(upper.no_proxy.as_ref()), Some("NO_PROXY"));
    }

    #[test]
    fn all_proxy_fills_in_for_unset_schemes() {
        let vars = env(&[("ALL_PROXY", "http://all:1"), ("http_proxy", "http://h:1")]);
        assert_eq!(origin(vars.https.as_ref()), Some("ALL_PROXY"));
        assert_eq!(origin(vars.http.as_ref()), Some("http_proxy"));
    }

    #[test]
    fn empty_values_are_unset_and_values_are_trimmed() {
        let vars = env(&[
            ("https_proxy", ""),
            ("HTTPS_PROXY", "  http://upper:1 "),
            ("no_proxy", " "),
        ]);
        assert_eq!(
            vars.https.map(|s| s.value).as_deref(),
            Some("http://upper:1")
        );
        assert!(vars.no_proxy.is_none());
    }

    #[test]
    fn upper_case_http_proxy_is_ignored_under_cgi() {
        let cgi = env(&[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")]);
        assert!(cgi.http.is_none());
        let cgi = env(&[("REQUEST_METHOD", "GET"), ("http_proxy", "http://ok:1")]);
        assert_eq!(origin(cgi.http.as_ref()), Some("http_proxy"));
    }
}
