use super::*;

fn ed_link() -> Origin {
    Origin::for_base_url("https://ed.link").unwrap()
}

#[test]
fn base_urls_accepted() {
    for base in [
        "https://ed.link",
        "https://ed.link/",
        "https://ED.link:443",
        "https://proxy.example/edlink/",
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://[::1]:9000",
        "http://localhost:3000",
        "http://LOCALHOST",
    ] {
        assert!(Origin::for_base_url(base).is_ok(), "{base}");
    }
}

#[test]
fn base_urls_refused() {
    for base in [
        "http://ed.link",
        "http://10.0.0.1",
        "http://localhost.evil.example",
        "ftp://ed.link",
        "https://user:pass@ed.link",
        "https://user@ed.link",
        "https://ed.link/?a=1",
        "https://ed.link/#x",
        "ed.link",
        "",
        "https://",
        "file:///etc/passwd",
    ] {
        let err = Origin::for_base_url(base).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidArgument, "{base}");
        assert!(!err.to_string().contains("pass@"), "{err}");
    }
}

#[test]
fn join_keeps_a_path_prefix() {
    assert_eq!(
        ed_link().join("/api/v1/integrations"),
        "https://ed.link/api/v1/integrations"
    );
    let proxied = Origin::for_base_url("https://proxy.example/edlink/").unwrap();
    assert_eq!(
        proxied.join("/api/v1/x"),
        "https://proxy.example/edlink/api/v1/x"
    );
}

#[test]
fn same_origin_and_https_subdomains_pass() {
    let origin = ed_link();
    for ok in [
        "https://ed.link/api/v1/integrations?$cursor=a",
        "https://ED.LINK/api/v1/integrations",
        "https://ed.link:443/api/v1/integrations",
        "https://eu.ed.link/api/v1/integrations?$cursor=b",
        "https://a.b.ed.link/x",
    ] {
        assert!(origin.check(ok).is_ok(), "{ok}");
    }
}

#[test]
fn hostile_urls_are_refused() {
    let origin = ed_link();
    for bad in [
        "http://ed.link/api/v1/integrations",
        "https://ed.link:8443/api/v1/integrations",
        "https://ed.link@evil.example/api/v1/integrations",
        "https://user:pw@ed.link/api/v1/integrations",
        "https://evil.example/api/v1/integrations",
        "https://ed.link.evil.example/api/v1/integrations",
        "https://evil-ed.link/api/v1/integrations",
        "https://xed.link/",
        "http://eu.ed.link/",
        "https://eu.ed.link:8443/",
        "https:evil.example/x",
        "//evil.example/x",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "file:///etc/passwd",
        "https://127.0.0.1/",
        "not a url",
        "",
    ] {
        let err = origin.check(bad).unwrap_err();
        assert!(matches!(err, Error::OffOrigin { .. }), "{bad}: {err:?}");
    }
}

#[test]
fn loopback_base_allows_only_its_own_port() {
    let origin = Origin::for_base_url("http://127.0.0.1:8080").unwrap();
    assert!(origin.check("http://127.0.0.1:8080/api/v1/x").is_ok());
    assert!(origin.check("http://127.0.0.1:8081/api/v1/x").is_err());
    assert!(origin.check("http://localhost:8080/api/v1/x").is_err());
    assert!(origin.check("https://127.0.0.1:8080/api/v1/x").is_err());
}

#[test]
fn refused_urls_are_described_without_user_info() {
    let err = ed_link()
        .check("https://me:hunter2@evil.example/x")
        .unwrap_err();
    let text = err.to_string();
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("evil.example"), "{text}");
    let long = format!("https://evil.example/{}", "a".repeat(1_000));
    assert!(ed_link().check(&long).unwrap_err().to_string().len() < 400);
}
