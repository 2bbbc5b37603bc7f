//! A web application's sign-in with Edlink, end to end, against the fake Edlink
//! server (`edlink-mock`) on this machine: the login URL with a state, the
//! redirect back, the code exchange, storing the token set, reading the
//! person's data (with a refresh on the way), and signing out.
//!
//! The application's handlers are plain async functions here (no web
//! framework), and a small "browser" follows the login page's redirect. See
//! `docs/auth.md` for the walk-through.
//!
//! ```text
//! cargo run -p edlink-client --example sign_in
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use edlink_client::model::{LoginState, TokenSet};
use edlink_client::{Client, HyperTransport, Sso, Transport, User};
use uuid::Uuid;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Where Edlink sends the browser back: a route of this application.
const REDIRECT_URI: &str = "http://127.0.0.1:3000/callback";

/// What the application keeps. A real one keeps `pending` in the browser's
/// session cookie (signed) and `tokens` in its database, encrypted: a token set
/// is a credential.
#[derive(Default)]
struct Store {
    /// Browser session id -> the state of the sign-in it started.
    pending: Mutex<HashMap<String, LoginState>>,
    /// Person id -> their token set.
    tokens: Mutex<HashMap<Uuid, TokenSet>>,
}

/// A lock that a panicked holder does not poison for everyone after it (each
/// write is one insert or remove, so the map stays consistent).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

struct App {
    sso: Sso,
    store: Arc<Store>,
}

impl App {
    /// `GET /login`: a fresh state for this browser, and the address of
    /// Edlink's login page to redirect it to.
    fn login(&self, browser: &str) -> Result<String, BoxError> {
        let state = LoginState::generate()?;
        let url = self.sso.login_url(REDIRECT_URI, &state)?;
        lock(&self.store.pending).insert(browser.to_owned(), state);
        Ok(url.into())
    }

    /// `GET /callback?code=…&state=…`: checks the state this browser was given
    /// (once: it is removed), exchanges the code, stores the token set under
    /// the person's id.
    async fn callback(&self, browser: &str, query: &str) -> Result<Uuid, BoxError> {
        let state = lock(&self.store.pending)
            .remove(browser)
            .ok_or("no sign-in was started in this browser")?;
        let code = state.check_redirect(query)?;
        let tokens = self.sso.exchange_code(code, REDIRECT_URI).await?;
        let person = self.sso.user(tokens.clone()).build().profile().await?.id;
        lock(&self.store.tokens).insert(person, tokens);
        Ok(person)
    }

    /// The person's User API session, from the stored token set; every new
    /// set it gets (a refresh) is stored at once.
    fn user(&self, person: Uuid) -> Result<User, BoxError> {
        let tokens = lock(&self.store.tokens)
            .get(&person)
            .cloned()
            .ok_or("not signed in")?;
        let store = Arc::clone(&self.store);
        Ok(self
            .sso
            .user(tokens)
            .on_refresh(move |fresh| {
                lock(&store.tokens).insert(person, fresh.clone());
            })
            .build())
    }

    /// `GET /classes`: a page of the person's classes.
    async fn classes_page(&self, person: Uuid) -> Result<Vec<String>, BoxError> {
        let user = self.user(person)?;
        let result = user.classes().list().first(50).collect_all().await;
        match result {
            Ok(classes) => Ok(classes
                .into_iter()
                .map(|c| c.name.unwrap_or_default())
                .collect()),
            // The refresh token was refused: forget the set, sign in again.
            Err(err) if err.is_sign_in_required() => {
                self.logout(person);
                Err("your Edlink sign-in has ended: sign in again".into())
            }
            Err(err) => Err(err.into()),
        }
    }

    /// `GET /logout`: forget the token set (Edlink documents no revocation
    /// endpoint; the person stays signed in at Edlink itself).
    fn logout(&self, person: Uuid) {
        lock(&self.store.tokens).remove(&person);
    }
}

/// The browser: follows the login page's redirect and hands the query of the
/// address it lands on to the application's `/callback`.
async fn browser_visits_login_page(url: &str) -> Result<String, BoxError> {
    let request = http::Request::get(url).body(Bytes::new())?;
    let response = HyperTransport::new().send(request).await?;
    let location = response
        .headers()
        .get("location")
        .ok_or("the login page did not redirect")?
        .to_str()?;
    let (_, query) = location.split_once('?').ok_or("no query in the redirect")?;
    Ok(query.to_owned())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // The fake Edlink: its login page signs in the first teacher of its first
    // active integration.
    let edlink = edlink_mock::MockServer::builder().start().await?;
    let client = Client::builder().base_url(edlink.base_url()).build()?;
    let app = App {
        sso: client.sso(edlink.sso_client_id(), edlink.sso_client_secret()),
        store: Arc::default(),
    };

    let login_page = app.login("browser-1")?;
    println!("redirecting the browser to {login_page}");
    let query = browser_visits_login_page(&login_page).await?;
    let person = app.callback("browser-1", &query).await?;
    println!("signed in: {person}");
    println!("classes: {:?}", app.classes_page(person).await?);

    // An hour later: Edlink refuses the access token; the session refreshes it
    // once, repeats the request, and the new set is stored.
    let before = lock(&app.store.tokens)[&person].clone();
    edlink.expire_person_tokens();
    println!("classes: {:?}", app.classes_page(person).await?);
    let after = lock(&app.store.tokens)[&person].clone();
    assert_ne!(before, after, "the refreshed set was stored");
    println!("the token set was refreshed and stored");

    app.logout(person);
    assert!(app.user(person).is_err());
    println!("signed out");
    edlink.shutdown().await;
    Ok(())
}
