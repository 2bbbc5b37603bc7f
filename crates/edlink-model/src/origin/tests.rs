use super::*;

fn ed_link() -> Origin {
    Origin::new("https://ed.link").unwrap()
}

#[test]
fn base_urls() {
    for ok in [
        "https://ed.link",
        "https://ed.link/",
        "https://ED.link:443",
        "https://proxy.example/edlink/",
        "http://127.0.0.1:8080",
        "http://[::1]:9000",
        // The scheme policy (plain http only to loopback) is the client's.
        "http://mock:8080",
    ] {
        assert!(Origin::new(ok).is_ok(), "{ok}");
    }
    for bad in [
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
        let err = Origin::new(bad).unwrap_err();
        assert!(!err.to_string().contains("pass@"), "{err}");
    }
}

#[test]
fn join_keeps_a_path_prefix() {
    assert_eq!(
        ed_link().join("/api/v1/integrations"),
        "https://ed.link/api/v1/integrations"
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
        "https://ed%2Elink/x",
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
        "https://ed.link./x",
        "https://[::1]/x",
        "https://127.0.0.1/",
        "https:\\\\evil.example\\x",
        "https://evil.example\\@ed.link/x",
        "https://ed.link%40evil.example/x",
        "//evil.example/x",
        "javascript:alert(1)",
        "data:text/plain,hi",
        "file:///etc/passwd",
        "not a url",
        "",
    ] {
        assert!(origin.check(bad).is_err(), "{bad}");
    }
}

#[test]
fn relative_references_resolve_like_the_request_would_be_sent() {
    let origin = ed_link();
    let page = "https://ed.link/api/v1/integrations?$first=2";
    for (reference, expected) in [
        (
            "?$cursor=x",
            "https://ed.link/api/v1/integrations?$cursor=x",
        ),
        (
            "/api/v1/integrations?$cursor=x",
            "https://ed.link/api/v1/integrations?$cursor=x",
        ),
        (
            "integrations?$cursor=x",
            "https://ed.link/api/v1/integrations?$cursor=x",
        ),
        ("//eu.ed.link/a", "https://eu.ed.link/a"),
        ("https://ed.link/b", "https://ed.link/b"),
    ] {
        assert_eq!(
            origin.resolve(page, reference).unwrap().as_str(),
            expected,
            "{reference}"
        );
    }
    // Backslashes are slashes to the WHATWG parser (and to the request).
    for hostile in [
        r"\\evil.example/x",
        r"/\evil.example/x",
        "//evil.example/x",
        "http:evil.example",
    ] {
        assert!(origin.resolve(page, hostile).is_err(), "{hostile}");
    }
    // A same-scheme reference without `//` is a path on the same host.
    assert_eq!(
        origin.resolve(page, "https:evil.example").unwrap().as_str(),
        "https://ed.link/api/v1/evil.example"
    );
}

#[test]
fn loopback_base_allows_only_its_own_port() {
    let origin = Origin::new("http://127.0.0.1:8080").unwrap();
    assert!(origin.check("http://127.0.0.1:8080/api/v1/x").is_ok());
    assert!(origin.check("http://127.0.0.1:8081/api/v1/x").is_err());
    assert!(origin.check("http://localhost:8080/api/v1/x").is_err());
    assert!(origin.check("https://127.0.0.1:8080/api/v1/x").is_err());
    let v6 = Origin::new("http://[::1]:9000").unwrap();
    assert!(v6.check("http://[::1]:9000/x").is_ok());
    assert!(v6.check("http://[0:0:0:0:0:0:0:1]:9000/x").is_ok());
    assert!(v6.check("http://[::2]:9000/x").is_err());
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
