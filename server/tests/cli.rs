//! The `keystone` binary as operators use it: help, demo, migrate and a graceful stop.

use std::{
    io::Read,
    net::TcpListener,
    process::{Command, Stdio},
    thread,
    time::{Duration, Instant},
};

fn keystone() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keystone"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("LEPTOS_SITE_ADDR")
        .env("RUST_LOG", "info");
    command
}

fn database_url(dir: &tempfile::TempDir) -> String {
    format!(
        "sqlite://{}",
        dir.path().join("data").join("keystone.db").display()
    )
}

#[test]
fn help_documents_the_configuration_variables() {
    let output = keystone().arg("--help").output().expect("run keystone");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "serve",
        "migrate",
        "demo",
        "DATABASE_URL",
        "LEPTOS_SITE_ADDR",
        "RUST_LOG",
    ] {
        assert!(
            help.contains(expected),
            "--help does not mention {expected}:\n{help}"
        );
    }
}

#[test]
fn demo_creates_the_database_reports_progress_and_refuses_to_run_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_url(&dir);
    let output = keystone()
        .args([
            "--database-url",
            &url,
            "demo",
            "--accounts",
            "250",
            "--seed",
            "3",
        ])
        .output()
        .expect("run demo");
    assert!(
        output.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("250/250 accounts"),
        "no progress in:\n{stdout}"
    );
    assert!(stdout.contains("created"), "no summary in:\n{stdout}");
    assert!(dir.path().join("data").join("keystone.db").exists());

    let again = keystone()
        .args(["--database-url", &url, "demo", "--accounts", "10"])
        .output()
        .expect("run demo again");
    assert!(!again.status.success(), "a second demo was accepted");
    assert!(String::from_utf8_lossy(&again.stderr).contains("empty database"));
}

#[test]
fn migrate_creates_an_up_to_date_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = keystone()
        .args(["--database-url", &database_url(&dir), "migrate"])
        .output()
        .expect("run migrate");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
}

#[cfg(unix)]
#[test]
fn serve_answers_health_checks_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .expect("addr")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = keystone()
        .args([
            "--database-url",
            &database_url(&dir),
            "serve",
            "--addr",
            &addr,
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start serve");

    let started = Instant::now();
    let healthy = loop {
        let response = std::net::TcpStream::connect(&addr)
            .ok()
            .and_then(|mut stream| {
                use std::io::Write;
                stream
                    .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .ok()?;
                let mut body = String::new();
                stream.read_to_string(&mut body).ok()?;
                Some(body)
            });
        match response {
            Some(body) => break body,
            None if started.elapsed() < Duration::from_secs(20) => {
                thread::sleep(Duration::from_millis(100))
            }
            None => panic!("keystone serve did not answer within 20 s"),
        }
    };
    assert!(healthy.starts_with("HTTP/1.1 200"), "{healthy}");
    assert!(healthy.contains("\"status\":\"ok\""));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert!(
        status.success(),
        "keystone did not exit cleanly on SIGTERM: {status}"
    );
    let mut logs = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut logs)
        .expect("logs");
    assert!(
        logs.contains("Keystone stopped"),
        "no shutdown log in:\n{logs}"
    );
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_short_ones() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_url(&dir);
    let add = |email: &str, password: &str| {
        let mut child = keystone()
            .args([
                "--database-url",
                &url,
                "user",
                "add",
                "--email",
                email,
                "--name",
                "Rita Ops",
                "--role",
                "admin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run user add");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{password}\n").as_bytes())
            .expect("write password");
        child.wait_with_output().expect("wait")
    };
    let short = add("rita@example.com", "too short");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));

    let created = add("Rita@Example.com", "a long enough passphrase");
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(
        String::from_utf8_lossy(&created.stdout).contains("Created admin user rita@example.com")
    );

    let duplicate = add("rita@example.com", "another long passphrase");
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
}

#[test]
fn user_add_can_generate_a_password_printed_once_on_the_last_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = keystone()
        .args([
            "--database-url",
            &database_url(&dir),
            "user",
            "add",
            "--email",
            "bi@example.com",
            "--name",
            "BI reader",
            "--role",
            "viewer",
            "--generate-password",
        ])
        .output()
        .expect("run user add");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let password = stdout.lines().last().expect("a password line");
    assert!(password.len() >= 20, "weak generated password {password:?}");
}

#[test]
fn token_create_prints_the_token_last_and_revoke_refuses_unknown_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = database_url(&dir);
    let run = |args: &[&str]| {
        let mut command = keystone();
        command.args(["--database-url", &url]).args(args);
        command.output().expect("run keystone token")
    };
    let created = run(&["token", "create", "--name", "bi", "--role", "leader"]);
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8_lossy(&created.stdout);
    assert!(
        stdout
            .lines()
            .last()
            .is_some_and(|line| line.starts_with("ks_")),
        "{stdout}"
    );

    assert!(run(&["token", "revoke", "bi"]).status.success());
    let again = run(&["token", "revoke", "bi"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no live token"));
}
