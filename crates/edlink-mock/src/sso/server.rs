//! The [`MockServer`] methods of sign-in: signing a person in without a browser, finding
//! someone to sign in, and expiring or revoking their tokens on demand.

use uuid::Uuid;

use crate::MockServer;
use crate::sso::login::{person_with_role, signed_in};
use crate::sso::tokens::Grant;

impl MockServer {
    /// Plays Edlink's login page: `person` of `integration`'s district signs in to the SSO
    /// application, and the answer is where the page would redirect the browser:
    /// `redirect_uri` with `code` and `state` added. The code is single-use, bound to
    /// `redirect_uri` and the application, and expires after [`CODE_TTL`](crate::CODE_TTL).
    /// `None` when the server lists no such integration or its district has no such person.
    ///
    /// `GET /sso/login` does the same over HTTP (see `docs/mock.md`).
    ///
    /// ```no_run
    /// # async fn demo() -> std::io::Result<()> {
    /// let server = edlink_mock::MockServer::builder().start().await?;
    /// let integration = server.integrations_with_status("active")[0];
    /// let teacher = server.person_with_role(integration, "teacher").expect("a teacher");
    /// let back = server
    ///     .sign_in(integration, teacher, "https://app.example/callback", "s-1")
    ///     .expect("a person of that district");
    /// assert!(back.starts_with("https://app.example/callback?code="));
    /// assert!(back.ends_with("&state=s-1"));
    /// # Ok(()) }
    /// ```
    pub fn sign_in(
        &self,
        integration: Uuid,
        person: Uuid,
        redirect_uri: &str,
        state: &str,
    ) -> Option<String> {
        let st = &self.state;
        let district = st.graph.district(&st.data, integration.as_u128())?;
        district.position(crate::Collection::People, person.as_u128())?;
        let grant = Grant {
            integration: integration.as_u128(),
            person: person.as_u128(),
        };
        Some(signed_in(
            st,
            grant,
            &st.config.sso.client_id,
            redirect_uri,
            Some(state),
        ))
    }

    /// The first person (by id) of `integration`'s district whose `roles` hold `role`
    /// (`"teacher"`, `"student"`, …): someone to sign in. Generates the district if needed.
    pub fn person_with_role(&self, integration: Uuid, role: &str) -> Option<Uuid> {
        person_with_role(&self.state, integration.as_u128(), role).map(Uuid::from_u128)
    }

    /// Every person access token issued so far expires now: the next User API request
    /// with one is answered `EXPIRED_TOKEN`, so a client's refresh path runs. Tokens
    /// issued afterwards are not affected.
    pub fn expire_person_tokens(&self) {
        self.state.tokens.expire_all(self.state.now_ms());
    }

    /// This person access token expires now; `false` when the server never issued it.
    pub fn expire_person_token(&self, access_token: &str) -> bool {
        self.state.tokens.expire(access_token, self.state.now_ms())
    }

    /// This refresh token stops working (the person signed out, or the district revoked
    /// the application); `false` when the server never issued it.
    pub fn revoke_refresh_token(&self, refresh_token: &str) -> bool {
        self.state.tokens.revoke(refresh_token)
    }

    /// Every refresh token issued so far stops working.
    pub fn revoke_refresh_tokens(&self) {
        self.state.tokens.revoke_all();
    }

    /// How many person access tokens the token endpoint has issued (the serial number of
    /// the last one, see [`Credential::PersonToken`](crate::Credential::PersonToken)).
    pub fn person_tokens_issued(&self) -> u64 {
        self.state.tokens.issued()
    }

    /// The SSO application's client id.
    pub fn sso_client_id(&self) -> &str {
        &self.state.config.sso.client_id
    }

    /// The SSO application's client secret.
    pub fn sso_client_secret(&self) -> &str {
        &self.state.config.sso.client_secret
    }
}
