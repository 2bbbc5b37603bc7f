//! The person tokens of a server: authorization codes, access tokens and refresh tokens,
//! their lifetimes on the server's clock, and revocation.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::prng::SplitMix64;
use crate::sso::config::{CODE_TTL, RefreshTokens};

/// Who a token or code signs in: a person of one integration's district.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Grant {
    pub(crate) integration: u128,
    pub(crate) person: u128,
}

#[derive(Debug)]
struct Code {
    grant: Grant,
    client_id: String,
    redirect_uri: String,
    expires_ms: u64,
    used: bool,
}

#[derive(Debug)]
struct Access {
    grant: Grant,
    expires_ms: u64,
}

#[derive(Debug)]
struct Refresh {
    grant: Grant,
    client_id: String,
    revoked: bool,
}

/// A new access token, and the refresh token that goes with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Issued {
    pub(crate) access_token: String,
    /// `None` when the answer sends no refresh token ([`RefreshTokens::Omit`]).
    pub(crate) refresh_token: Option<String>,
}

/// What an access token is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Valid(Grant),
    Expired,
}

/// Why a code or refresh token buys nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    UnknownCode,
    UsedCode,
    ExpiredCode,
    /// The code was issued for another client or `redirect_uri`.
    CodeMismatch,
    UnknownRefreshToken,
    RevokedRefreshToken,
    /// The refresh token was issued to another client.
    RefreshMismatch,
}

#[derive(Debug)]
struct Inner {
    rng: SplitMix64,
    codes: HashMap<String, Code>,
    /// Access tokens by serial number - 1.
    access: Vec<Access>,
    access_by_token: HashMap<String, u64>,
    refresh: HashMap<String, Refresh>,
}

/// Every code and token one server issued.
#[derive(Debug)]
pub(crate) struct TokenStore {
    inner: Mutex<Inner>,
}

/// Characters of the opaque values (Edlink's samples use lowercase letters and digits).
const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";

impl Inner {
    /// 40 characters from the server's own stream (same seed and order, same values).
    fn opaque(&mut self, prefix: &str) -> String {
        let mut out = String::with_capacity(prefix.len() + 40);
        out.push_str(prefix);
        for _ in 0..40 {
            let i = self.rng.below(ALPHABET.len() as u64) as usize;
            out.push(char::from(ALPHABET[i]));
        }
        out
    }

    fn issue_access(&mut self, grant: Grant, now_ms: u64, ttl_ms: u64) -> String {
        let token = self.opaque("");
        self.access.push(Access {
            grant,
            expires_ms: now_ms.saturating_add(ttl_ms),
        });
        self.access_by_token
            .insert(token.clone(), self.access.len() as u64);
        token
    }

    fn issue_refresh(&mut self, grant: Grant, client_id: &str) -> String {
        let token = self.opaque("");
        self.refresh.insert(
            token.clone(),
            Refresh {
                grant,
                client_id: client_id.to_owned(),
                revoked: false,
            },
        );
        token
    }
}

impl TokenStore {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            inner: Mutex::new(Inner {
                rng: SplitMix64::new(seed ^ 0x55D0_70CE_A11C_E5E5),
                codes: HashMap::new(),
                access: Vec::new(),
                access_by_token: HashMap::new(),
                refresh: HashMap::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A single-use code for `grant`, bound to the client and the `redirect_uri`.
    pub(crate) fn issue_code(
        &self,
        grant: Grant,
        client_id: &str,
        redirect_uri: &str,
        now_ms: u64,
    ) -> String {
        let mut inner = self.lock();
        let code = inner.opaque("");
        let expires_ms = now_ms.saturating_add(CODE_TTL.as_millis() as u64);
        inner.codes.insert(
            code.clone(),
            Code {
                grant,
                client_id: client_id.to_owned(),
                redirect_uri: redirect_uri.to_owned(),
                expires_ms,
                used: false,
            },
        );
        code
    }

    /// Exchanges a code: once only, for its client and `redirect_uri`, before it expires.
    pub(crate) fn redeem(
        &self,
        code: &str,
        client_id: &str,
        redirect_uri: &str,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Result<(Grant, Issued), Refused> {
        let mut inner = self.lock();
        let entry = inner.codes.get_mut(code).ok_or(Refused::UnknownCode)?;
        if entry.used {
            return Err(Refused::UsedCode);
        }
        if now_ms >= entry.expires_ms {
            return Err(Refused::ExpiredCode);
        }
        if entry.client_id != client_id || entry.redirect_uri != redirect_uri {
            return Err(Refused::CodeMismatch);
        }
        entry.used = true;
        let grant = entry.grant;
        let access_token = inner.issue_access(grant, now_ms, ttl_ms);
        let refresh_token = Some(inner.issue_refresh(grant, client_id));
        Ok((
            grant,
            Issued {
                access_token,
                refresh_token,
            },
        ))
    }

    /// A new access token for a refresh token, as `policy` says.
    pub(crate) fn refresh(
        &self,
        refresh_token: &str,
        client_id: &str,
        now_ms: u64,
        ttl_ms: u64,
        policy: RefreshTokens,
    ) -> Result<(Grant, Issued), Refused> {
        let mut inner = self.lock();
        let entry = inner
            .refresh
            .get_mut(refresh_token)
            .ok_or(Refused::UnknownRefreshToken)?;
        if entry.revoked {
            return Err(Refused::RevokedRefreshToken);
        }
        if entry.client_id != client_id {
            return Err(Refused::RefreshMismatch);
        }
        let grant = entry.grant;
        if policy == RefreshTokens::Rotate {
            entry.revoked = true;
        }
        let access_token = inner.issue_access(grant, now_ms, ttl_ms);
        let refresh_token = match policy {
            RefreshTokens::Same => Some(refresh_token.to_owned()),
            RefreshTokens::Rotate => Some(inner.issue_refresh(grant, client_id)),
            RefreshTokens::Omit => None,
        };
        Ok((
            grant,
            Issued {
                access_token,
                refresh_token,
            },
        ))
    }

    /// The serial number (1, 2, …) and grant of an access token, valid or not.
    pub(crate) fn lookup(&self, access_token: &str) -> Option<(u64, Grant)> {
        let inner = self.lock();
        let serial = *inner.access_by_token.get(access_token)?;
        let entry = inner.access.get(serial as usize - 1)?;
        Some((serial, entry.grant))
    }

    /// Whether the access token with this serial number still works at `now_ms`.
    pub(crate) fn status(&self, serial: u64, now_ms: u64) -> Option<Status> {
        let inner = self.lock();
        let entry = inner.access.get(serial.checked_sub(1)? as usize)?;
        Some(if now_ms >= entry.expires_ms {
            Status::Expired
        } else {
            Status::Valid(entry.grant)
        })
    }

    /// Every access token issued so far expires at `now_ms`.
    pub(crate) fn expire_all(&self, now_ms: u64) {
        for entry in &mut self.lock().access {
            entry.expires_ms = entry.expires_ms.min(now_ms);
        }
    }

    /// This access token expires at `now_ms`; `false` when the server never issued it.
    pub(crate) fn expire(&self, access_token: &str, now_ms: u64) -> bool {
        let mut inner = self.lock();
        let Some(serial) = inner.access_by_token.get(access_token).copied() else {
            return false;
        };
        match inner.access.get_mut(serial as usize - 1) {
            Some(entry) => {
                entry.expires_ms = entry.expires_ms.min(now_ms);
                true
            }
            None => false,
        }
    }

    /// This refresh token stops working; `false` when the server never issued it.
    pub(crate) fn revoke(&self, refresh_token: &str) -> bool {
        match self.lock().refresh.get_mut(refresh_token) {
            Some(entry) => {
                entry.revoked = true;
                true
            }
            None => false,
        }
    }

    /// Every refresh token issued so far stops working.
    pub(crate) fn revoke_all(&self) {
        for entry in self.lock().refresh.values_mut() {
            entry.revoked = true;
        }
    }

    /// How many access tokens have been issued.
    pub(crate) fn issued(&self) -> u64 {
        self.lock().access.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Grant = Grant {
        integration: 1,
        person: 2,
    };

    #[test]
    fn codes_are_single_use_and_bound() {
        let store = TokenStore::new(7);
        let code = store.issue_code(G, "c", "https://app/cb", 0);
        assert_eq!(
            store.redeem(&code, "c", "https://app/cb/", 1, 100).err(),
            Some(Refused::CodeMismatch)
        );
        assert_eq!(
            store.redeem(&code, "other", "https://app/cb", 1, 100).err(),
            Some(Refused::CodeMismatch)
        );
        let (grant, issued) = match store.redeem(&code, "c", "https://app/cb", 1, 100) {
            Ok(ok) => ok,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(grant, G);
        assert_eq!(
            store.redeem(&code, "c", "https://app/cb", 2, 100).err(),
            Some(Refused::UsedCode)
        );
        assert_eq!(store.lookup(&issued.access_token), Some((1, G)));
        // Issued at 1, living 100 ms.
        assert_eq!(store.status(1, 100), Some(Status::Valid(G)));
        assert_eq!(store.status(1, 101), Some(Status::Expired));
        let late = store.issue_code(G, "c", "u", 0);
        assert_eq!(
            store
                .redeem(&late, "c", "u", CODE_TTL.as_millis() as u64, 100)
                .err(),
            Some(Refused::ExpiredCode)
        );
        assert_eq!(
            store.redeem("nope", "c", "u", 0, 100).err(),
            Some(Refused::UnknownCode)
        );
    }

    #[test]
    fn refresh_policies_and_revocation() {
        let store = TokenStore::new(7);
        let code = store.issue_code(G, "c", "u", 0);
        let refresh = match store.redeem(&code, "c", "u", 0, 100) {
            Ok((_, issued)) => issued.refresh_token.unwrap_or_default(),
            Err(e) => panic!("{e:?}"),
        };
        let same = store.refresh(&refresh, "c", 10, 100, RefreshTokens::Same);
        assert_eq!(
            same.map(|(_, i)| i.refresh_token),
            Ok(Some(refresh.clone()))
        );
        let omit = store.refresh(&refresh, "c", 10, 100, RefreshTokens::Omit);
        assert_eq!(omit.map(|(_, i)| i.refresh_token), Ok(None));
        assert_eq!(
            store
                .refresh(&refresh, "x", 10, 100, RefreshTokens::Same)
                .err(),
            Some(Refused::RefreshMismatch)
        );
        let rotated = match store.refresh(&refresh, "c", 10, 100, RefreshTokens::Rotate) {
            Ok((_, issued)) => issued.refresh_token.unwrap_or_default(),
            Err(e) => panic!("{e:?}"),
        };
        assert_ne!(rotated, refresh);
        assert_eq!(
            store
                .refresh(&refresh, "c", 10, 100, RefreshTokens::Same)
                .err(),
            Some(Refused::RevokedRefreshToken)
        );
        assert!(store.revoke(&rotated));
        assert_eq!(
            store
                .refresh(&rotated, "c", 10, 100, RefreshTokens::Same)
                .err(),
            Some(Refused::RevokedRefreshToken)
        );
        assert_eq!(store.issued(), 4);
        store.expire_all(20);
        assert_eq!(store.status(4, 20), Some(Status::Expired));
        assert_eq!(store.status(4, 19), Some(Status::Valid(G)));
        assert_eq!(store.status(9, 0), None);
    }
}
