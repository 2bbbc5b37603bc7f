//! The session `edlink login` stores and `edlink my` reads: the person's
//! token set, with what is needed to refresh it (the client id, and the
//! *name* of the variable holding the client secret, never the secret).
//!
//! It lives in the user's config directory: `$EDLINK_CONFIG_DIR`, else
//! `$XDG_CONFIG_HOME/edlink`, else `$HOME/.config/edlink`. The file is a
//! credential: it is written whole or not at all (a temporary file in the
//! same directory, then a rename, so a crash never leaves half a token),
//! readable by its owner only (0600, the directory 0700 on unix).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use edlink_client::model::TokenSet;
use serde::{Deserialize, Serialize};

use crate::exit::Failure;

/// The file of a real sign-in.
const SESSION_FILE: &str = "session.json";
/// The file of `--demo login`: a demo never overwrites a real session.
const DEMO_SESSION_FILE: &str = "demo-session.json";

/// What is stored. `Debug` shows no token (`TokenSet` hides them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredSession {
    /// The base URL signed in at: the tokens are sent nowhere else.
    pub base_url: String,
    /// The SSO application's client id.
    pub client_id: String,
    /// The environment variable holding the client secret (needed to
    /// refresh); `None` for the demo, whose secret is built in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret_env: Option<String>,
    /// The person's token set, in full.
    pub tokens: TokenSet,
}

/// Where sessions are kept, from the environment (see the module docs).
pub fn config_dir() -> Result<PathBuf, Failure> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("EDLINK_CONFIG_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CONFIG_HOME") {
        return Ok(PathBuf::from(dir).join("edlink"));
    }
    if let Some(home) = var("HOME") {
        return Ok(PathBuf::from(home).join(".config").join("edlink"));
    }
    Err(Failure::Usage(
        "cannot find a config directory for the session: set EDLINK_CONFIG_DIR (or \
         XDG_CONFIG_HOME or HOME)"
            .to_owned(),
    ))
}

/// The session file (`demo` picks the demo's own).
pub fn session_path(demo: bool) -> Result<PathBuf, Failure> {
    let name = if demo {
        DEMO_SESSION_FILE
    } else {
        SESSION_FILE
    };
    Ok(config_dir()?.join(name))
}

/// Reads the stored session; `None` when there is none. A file that is not
/// a session is an error naming it (never its content: it holds tokens).
pub fn load(path: &Path) -> Result<Option<StoredSession>, Failure> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(Failure::Other(format!(
                "cannot read the session {}: {err}",
                path.display()
            )));
        }
    };
    serde_json::from_slice(&bytes).map(Some).map_err(|err| {
        Failure::Other(format!(
            "the session {} is not valid (line {}, column {}): run `edlink login` again",
            path.display(),
            err.line(),
            err.column()
        ))
    })
}

/// Writes `session` to `path` atomically, owner-only.
pub fn save(path: &Path, session: &StoredSession) -> Result<(), Failure> {
    write_private(path, session).map_err(|err| {
        Failure::Other(format!(
            "cannot store the session in {}: {err}",
            path.display()
        ))
    })
}

fn write_private(path: &Path, session: &StoredSession) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("the session path has no directory"))?;
    create_private_dir(dir)?;
    let json = serde_json::to_vec_pretty(session).map_err(io::Error::other)?;
    // Unique per process, in the same directory so the rename stays on one
    // file system (and is atomic).
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("session");
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    // A temporary file left by a crash of an earlier process with this id
    // goes first: the new one must be created here, with its mode.
    let _ = fs::remove_file(&temp);
    let written = (|| {
        let mut file = open_private(&temp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// A new file only its owner can read (0600 from its creation on unix, so it
/// is never readable by others, not even for an instant).
fn open_private(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The directory (and its parents), the last one 0700 on unix when made here.
fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_round_trips_owner_only() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("nested").join(SESSION_FILE);
        assert!(load(&path).map_err(|e| format!("{e:?}"))?.is_none());
        let session = StoredSession {
            base_url: "http://127.0.0.1:1".to_owned(),
            client_id: "client-1".to_owned(),
            client_secret_env: Some("SECRET_VAR".to_owned()),
            tokens: TokenSet::new("acc-123").with_refresh_token("ref-456"),
        };
        save(&path, &session).map_err(|e| format!("{e:?}"))?;
        let back = load(&path).map_err(|e| format!("{e:?}"))?.ok_or("stored")?;
        assert_eq!(back.tokens, session.tokens);
        assert!(!format!("{back:?}").contains("acc-123"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path)?.permissions().mode() & 0o777, 0o600);
            let parent = path.parent().ok_or("a parent")?;
            assert_eq!(fs::metadata(parent)?.permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(fs::read_dir(path.parent().ok_or("a parent")?)?.count(), 1);
        Ok(())
    }
}
