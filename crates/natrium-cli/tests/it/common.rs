//! A test environment: a JetStream-enabled server, a private context directory, and
//! helpers to run `natrium` against them.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStderr, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use natrium_server::options::Options;
use natrium_testkit::TestServer;

/// The environment variables `natrium` reads, cleared so the host's settings do not leak in.
const NATS_VARS: &[&str] = &[
    "NATS_URL",
    "NATS_USER",
    "NATS_PASSWORD",
    "NATS_TOKEN",
    "NATS_CREDS",
    "NATS_NKEY",
    "NATS_CERT",
    "NATS_KEY",
    "NATS_CA",
    "NATS_TIMEOUT",
    "NATS_CONTEXT",
];

pub struct Env {
    server: Option<TestServer>,
    pub cfg: tempfile::TempDir,
    _store: tempfile::TempDir,
    rt: tokio::runtime::Runtime,
}

impl Env {
    /// A server with JetStream on a temporary store.
    pub fn start() -> Self {
        Self::start_with(|_| {})
    }

    /// A JetStream server after `extra` adjusts its options.
    pub fn start_with(extra: impl FnOnce(&mut Options) + Send + 'static) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let store = tempfile::tempdir().unwrap();
        let path = store.path().to_path_buf();
        let server = rt.block_on(TestServer::start_with(move |o| {
            o.jetstream.enabled = true;
            o.jetstream.store_dir = Some(path);
            extra(o);
        }));
        Self {
            server: Some(server),
            cfg: tempfile::tempdir().unwrap(),
            _store: store,
            rt,
        }
    }

    pub fn url(&self) -> String {
        self.server.as_ref().unwrap().url()
    }

    /// `natrium -s <url>` with a clean environment and a private context directory.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare();
        cmd.args(["-s", &self.url()]);
        cmd
    }

    /// `natrium` without a server flag.
    pub fn bare(&self) -> Command {
        let mut cmd = Command::cargo_bin("natrium").unwrap();
        for var in NATS_VARS {
            cmd.env_remove(var);
        }
        cmd.env("NATRIUM_CONFIG_DIR", self.cfg.path());
        cmd.timeout(Duration::from_secs(30));
        cmd
    }

    /// A running `natrium -s <url> args...`, once it printed `ready` on stderr.
    pub fn spawn(&self, args: &[&str], ready: &str) -> Running {
        let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("natrium"));
        for var in NATS_VARS {
            cmd.env_remove(var);
        }
        let mut child = cmd
            .env("NATRIUM_CONFIG_DIR", self.cfg.path())
            .args(["-s", &self.url()])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        loop {
            let mut line = String::new();
            let n = stderr.read_line(&mut line).unwrap();
            seen.push_str(&line);
            assert!(n > 0, "natrium exited before {ready:?}; stderr: {seen}");
            if line.contains(ready) {
                break;
            }
        }
        Running { child, stderr }
    }

    pub fn client(&self) -> async_nats::Client {
        self.rt.block_on(self.server.as_ref().unwrap().client())
    }

    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _guard = self.rt.enter();
        if let Some(server) = self.server.take() {
            self.rt.block_on(server.shutdown());
        }
    }
}

/// A `natrium` process running in the background.
pub struct Running {
    child: Child,
    stderr: BufReader<ChildStderr>,
}

impl Running {
    /// Waits (at most 20 s) for the process to exit; its exit code and stdout.
    pub fn finish(mut self) -> (i32, String) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let mut out = String::new();
                std::io::Read::read_to_string(self.child.stdout.as_mut().unwrap(), &mut out)
                    .unwrap();
                let mut err = String::new();
                std::io::Read::read_to_string(&mut self.stderr, &mut err).unwrap();
                assert!(status.code().is_some(), "killed by a signal; stderr: {err}");
                // Shown by the test harness only when the test fails.
                eprintln!("natrium stderr: {err}");
                return (status.code().unwrap(), out);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("natrium did not exit in time");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// stdout of a successful command.
pub fn ok_stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

/// stderr of a command that failed with `code`; it must be one line.
pub fn fail_stderr(cmd: &mut Command, code: i32) -> String {
    let out = cmd.assert().code(code).get_output().stderr.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "one error line, got: {text:?}");
    assert!(text.starts_with("natrium: error: "), "{text}");
    text
}

/// stdout parsed as JSON.
pub fn json_stdout(cmd: &mut Command) -> serde_json::Value {
    let text = ok_stdout(cmd);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// `server check connection` thresholds no loaded CI machine reaches, so a healthy server
/// is always OK.
pub const RELAXED: &[&str] = &[
    "--connect-warn",
    "20s",
    "--connect-critical",
    "30s",
    "--rtt-warn",
    "20s",
    "--rtt-critical",
    "30s",
    "--req-warn",
    "20s",
    "--req-critical",
    "30s",
];
