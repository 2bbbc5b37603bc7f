//! The mock server in a child process of its own, so its CPU time and memory
//! are not the client's: `xtask bench __mock --items N` (N integrations) or
//! `__mock --people STUDENTS` (a district of that many students behind one
//! active integration, for the Graph rows) serves until its stdin closes.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Instant;

use edlink_mock::{Collection, MockServer, MockServerBuilder};

use super::procfs;

/// The application secret key the benchmark's mock wants.
pub(crate) const KEY: &str = "bench-secret-key";
/// Seed of the generated integrations.
pub(crate) const SEED: u64 = 42;

/// Integrations of the Graph mock (one of them active, whose district is listed).
const GRAPH_INTEGRATIONS: usize = 20;

/// The hidden mode: generate `--items N` integrations (or, with `--people S`,
/// a district of S students behind the first active one of a few), serve on a
/// free port (one core: a current-thread runtime on its own thread), print
/// `listening on URL generated_s=…` (and `people=… token=…`), and stop when
/// stdin reaches its end. Identity bodies only: the loopback benchmark
/// compares decoding costs, and the raw and floor clients do not ask for
/// gzip (the network benchmark has a mock of its own).
pub(crate) fn serve(args: &[String]) -> Result<(), String> {
    let (flag, n) = match args {
        [flag, n] if flag == "--items" || flag == "--people" => (flag.as_str(), n),
        _ => return Err("usage: xtask bench __mock --items N | --people STUDENTS".into()),
    };
    let n = n
        .parse::<usize>()
        .map_err(|e| format!("{flag} {n:?}: {e}"))?;
    let people = flag == "--people";
    let builder = || {
        let builder = MockServer::builder()
            .secret_key(KEY)
            .seed(SEED)
            .log_capacity(0)
            .gzip(false);
        if people {
            builder.generated(GRAPH_INTEGRATIONS, SEED).students(n)
        } else {
            builder.generated(n, SEED)
        }
    };
    serve_described(builder, |server| {
        if !people {
            return Ok(String::new());
        }
        let id = *server
            .integrations_with_status("active")
            .first()
            .ok_or("the mock has no active integration")?;
        let token = server.access_token(id).ok_or("no access token")?;
        let district = server.graph(id).ok_or("no district")?;
        Ok(format!(
            " people={} token={token}",
            district.len(Collection::People)
        ))
    })
}

/// Builds a server with `builder` (generation timed), starts it in the
/// background, prints `listening on URL generated_s=…`, and serves until the
/// parent closes our stdin (or dies).
pub(crate) fn serve_until_stdin_closes(
    builder: impl FnOnce() -> MockServerBuilder,
) -> Result<(), String> {
    serve_described(builder, |_| Ok(String::new()))
}

/// [`serve_until_stdin_closes`], with `describe`'s words after the URL line's
/// own (generation is timed before them, so it never counts them).
fn serve_described(
    builder: impl FnOnce() -> MockServerBuilder,
    describe: impl FnOnce(&MockServer) -> Result<String, String>,
) -> Result<(), String> {
    let started = Instant::now();
    let server = builder()
        .start_background()
        .map_err(|e| format!("mock server: {e}"))?;
    let generated_s = started.elapsed().as_secs_f64();
    let extra = describe(&server)?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "listening on {} generated_s={generated_s:.2}{extra}",
            server.base_url()
        )
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    }
    // Serve until the parent closes our stdin (or dies).
    let mut sink = Vec::new();
    let _ = std::io::stdin().lock().read_to_end(&mut sink);
    server.shutdown_blocking();
    Ok(())
}

/// A running mock child process.
pub(crate) struct MockProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    url: String,
    generated_s: f64,
    /// For a Graph mock: how many people its district has, and the access
    /// token that lists them.
    people: Option<(usize, String)>,
}

impl MockProcess {
    /// Starts `exe bench __mock --items N` and waits for its URL.
    pub(crate) fn spawn(exe: &Path, items: usize) -> Result<Self, String> {
        Self::start(exe, &["__mock", "--items", &items.to_string()])
    }

    /// Starts `exe bench __mock --people STUDENTS` and waits for its URL.
    pub(crate) fn spawn_people(exe: &Path, students: usize) -> Result<Self, String> {
        let mock = Self::start(exe, &["__mock", "--people", &students.to_string()])?;
        if mock.people.is_none() {
            return Err("the Graph mock printed no people= and token=".into());
        }
        Ok(mock)
    }

    /// Starts `exe bench ARGS…` (a hidden mode that serves until its stdin
    /// closes) and waits for its URL.
    pub(crate) fn start(exe: &Path, args: &[&str]) -> Result<Self, String> {
        let mut child = Command::new(exe)
            .arg("bench")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting the mock ({}): {e}", exe.display()))?;
        let stdin = child.stdin.take();
        let stdout = child
            .stdout
            .take()
            .ok_or("the mock's stdout is not piped")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("reading the mock's URL: {e}"))?;
        let mut words = line.split_whitespace();
        let url = match (words.next(), words.next(), words.next()) {
            (Some("listening"), Some("on"), Some(url)) => url.to_owned(),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("the mock did not start: {line:?}"));
            }
        };
        let rest: Vec<&str> = words.collect();
        let field = |name: &str| rest.iter().find_map(|w| w.strip_prefix(name));
        let generated_s = field("generated_s=")
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN);
        let people = field("people=")
            .and_then(|n| n.parse().ok())
            .zip(field("token=").map(str::to_owned));
        Ok(Self {
            child,
            stdin,
            url,
            generated_s,
            people,
        })
    }

    /// For a Graph mock: its people count and the token that lists them.
    pub(crate) fn people(&self) -> Option<(usize, &str)> {
        self.people.as_ref().map(|(n, t)| (*n, t.as_str()))
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// Seconds the child took to generate its data.
    pub(crate) fn generated_s(&self) -> f64 {
        self.generated_s
    }

    /// CPU seconds the mock process has used so far.
    pub(crate) fn cpu_seconds(&self) -> Result<f64, String> {
        procfs::cpu_seconds(Some(self.child.id()))
    }

    /// Closes its stdin and waits for it to exit.
    pub(crate) fn stop(mut self) -> Result<(), String> {
        self.finish()
    }

    fn finish(&mut self) -> Result<(), String> {
        if let Some(stdin) = self.stdin.take() {
            drop(stdin);
            let status = self
                .child
                .wait()
                .map_err(|e| format!("waiting for the mock: {e}"))?;
            if !status.success() {
                return Err(format!("the mock exited with {status}"));
            }
        }
        Ok(())
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        // On an early error: close stdin so the child exits, and reap it.
        let _ = self.finish();
    }
}
