//! `cargo xtask postgres start|stop|url`: a throw-away Postgres cluster for
//! the Postgres store's tests, started the same way by CI and developers.
//!
//! `start` runs `initdb -A trust -U postgres` in a scratch directory and
//! `pg_ctl start` on a free port of 127.0.0.1 (as the `postgres` user when
//! run as root: the server refuses to run as root), then prints
//! `export EDLINK_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:PORT/postgres`
//! on stdout, so `eval "$(cargo xtask postgres start)"` sets it. `stop` stops
//! the cluster and removes its directory. `url` prints the URL of a running
//! cluster.
//!
//! The binaries come from `PATH` (`initdb`, `pg_ctl`) or the newest
//! `/usr/lib/postgresql/*/bin` (Debian's `apt-get install -y postgresql`).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const USAGE: &str = "usage: cargo xtask postgres <start | stop | url>";

pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("start") => start(),
        Some("stop") => stop(),
        Some("url") => {
            let port =
                running_port()?.ok_or("no cluster is running (cargo xtask postgres start)")?;
            println!("{}", url(port));
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    }
}

/// Where the cluster lives: one per machine and user of the tool, so `stop`
/// finds what `start` made.
fn home() -> PathBuf {
    std::env::temp_dir().join("edlink-xtask-postgres")
}

fn url(port: u16) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// `initdb` or `pg_ctl`: on PATH, else the newest Debian install.
fn binary(name: &str) -> Result<PathBuf, String> {
    let on_path = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(p) = on_path.filter(|p| p.is_file()) {
        return Ok(p);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin").join(name);
            bin.is_file().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, p)| p).ok_or_else(|| {
        format!("{name} not found on PATH nor in /usr/lib/postgresql/*/bin: install PostgreSQL (apt-get install -y postgresql)")
    })
}

/// Runs a Postgres binary, as the `postgres` user when we are root.
fn pg(binary: &Path, args: &[&str]) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(binary).args(args);
        c
    } else {
        let mut c = Command::new(binary);
        c.args(args);
        c
    }
}

fn run_quietly(mut command: Command, what: &str) -> Result<(), String> {
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: cannot run: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn data_dir() -> PathBuf {
    home().join("data")
}

/// The port of the running cluster, if one runs.
fn running_port() -> Result<Option<u16>, String> {
    let Ok(port) = std::fs::read_to_string(home().join("port")) else {
        return Ok(None);
    };
    let status = pg(
        &binary("pg_ctl")?,
        &["-D", &data_dir().display().to_string(), "status"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .status()
    .map_err(|e| format!("pg_ctl status: {e}"))?;
    Ok(status.success().then(|| port.trim().parse().ok()).flatten())
}

fn start() -> Result<(), String> {
    if let Some(port) = running_port()? {
        eprintln!("postgres: already running on port {port}");
        println!("export EDLINK_TEST_POSTGRES_URL={}", url(port));
        return Ok(());
    }
    let (initdb, pg_ctl) = (binary("initdb")?, binary("pg_ctl")?);
    let home = home();
    if home.exists() {
        std::fs::remove_dir_all(&home).map_err(|e| format!("removing {}: {e}", home.display()))?;
    }
    std::fs::create_dir_all(&home).map_err(|e| format!("creating {}: {e}", home.display()))?;
    if is_root() {
        run_quietly(
            {
                let mut c = Command::new("chown");
                c.args(["-R", "postgres:postgres"]).arg(&home);
                c
            },
            "chown",
        )?;
    }
    let data = data_dir().display().to_string();
    run_quietly(
        pg(
            &initdb,
            &["-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", &data],
        ),
        "initdb",
    )?;
    // A free port now; a race with another process is possible but rare,
    // and pg_ctl then fails loudly.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("finding a free port: {e}"))?
        .port();
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
        home.display()
    );
    let log = home.join("server.log").display().to_string();
    run_quietly(
        pg(
            &pg_ctl,
            &[
                "-D", &data, "-l", &log, "-o", &options, "-w", "-t", "30", "start",
            ],
        ),
        "pg_ctl start",
    )
    .map_err(|e| format!("{e}\n(see {log})"))?;
    std::fs::write(home.join("port"), port.to_string())
        .map_err(|e| format!("writing the port file: {e}"))?;
    eprintln!(
        "postgres: running on 127.0.0.1:{port} (data in {data}); stop with `cargo xtask postgres stop`"
    );
    println!("export EDLINK_TEST_POSTGRES_URL={}", url(port));
    Ok(())
}

fn stop() -> Result<(), String> {
    let home = home();
    if !home.exists() {
        eprintln!("postgres: nothing to stop");
        return Ok(());
    }
    if data_dir().exists() {
        let data = data_dir().display().to_string();
        // Already stopped is fine: the directory goes either way.
        let _ = run_quietly(
            pg(
                &binary("pg_ctl")?,
                &["-D", &data, "-m", "fast", "-w", "stop"],
            ),
            "pg_ctl stop",
        );
    }
    std::fs::remove_dir_all(&home).map_err(|e| format!("removing {}: {e}", home.display()))?;
    eprintln!("postgres: stopped and removed");
    Ok(())
}
