//! A running `mot webhook serve` for the integration tests: the real binary
//! on a temp database, spoken to over HTTP, stopped with SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mot::webhook::verify::sign;
use serde_json::Value;

use super::Mot;
use super::platform::Portable;

pub const SECRET: &str = "test-app-secret-0001";
pub const VERIFY_TOKEN: &str = "test-verify-token";
pub const RELAY_TOKEN: &str = "test-relay-token";
/// The number and business account every fixture and the mock use.
pub const PHONE_NUMBER_ID: &str = "1234567890";
pub const BUSINESS_ACCOUNT_ID: &str = "0000000000000001";

/// A running `mot webhook serve`, its stderr collected by a thread.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// The first line: `webhook: listening on http://ADDR (…)`.
    pub banner: String,
    log: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
    pub rt: tokio::runtime::Runtime,
    pub http: reqwest::Client,
}

impl Server {
    pub fn start(mot: &Mot) -> Server {
        Server::start_with(mot, None)
    }

    pub fn start_with(mot: &Mot, relay_token: Option<&str>) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
        cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"]);
        Server::spawn(mot, cmd, relay_token)
    }

    /// The server with extra `webhook serve` flags.
    pub fn start_args(mot: &Mot, args: &[&str]) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
        cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"])
            .args(args);
        Server::spawn(mot, cmd, None)
    }

    pub fn spawn(mot: &Mot, cmd: Command, relay_token: Option<&str>) -> Server {
        Server::spawn_env(mot, cmd, relay_token, &[])
    }

    /// A receiver whose environment also has `extra` (`MOT_NOW`, say).
    pub fn start_env(mot: &Mot, extra: &[(&str, &str)]) -> Server {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
        cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"]);
        Server::spawn_env(mot, cmd, None, extra)
    }

    fn spawn_env(
        mot: &Mot,
        mut cmd: Command,
        relay_token: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Server {
        cmd.env_clear()
            .portable()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", mot.dir.path())
            .env("XDG_CONFIG_HOME", mot.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", mot.dir.path().join("xdg-data"))
            .env("USER", "test-pharmacist")
            .env("MOT_CONFIG", mot.config())
            .env("MOT_DB", mot.db())
            .env("MOT_WHATSAPP_APP_SECRET", SECRET)
            .env("MOT_WEBHOOK_VERIFY_TOKEN", VERIFY_TOKEN)
            // The fixtures' number and business account: only their events are ours.
            .env("MOT_WHATSAPP_PHONE_NUMBER_ID", PHONE_NUMBER_ID)
            .env("MOT_WHATSAPP_BUSINESS_ACCOUNT_ID", BUSINESS_ACCOUNT_ID)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(token) = relay_token {
            cmd.env("MOT_RELAY_TOKEN", token);
        }
        cmd.envs(extra.iter().copied());
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (lines_tx, lines_rx) = mpsc::channel();
        let reader = {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    log.lock().unwrap().push(line.clone());
                    let _ = lines_tx.send(line);
                }
            })
        };
        // Usually the first line; but events left unapplied by the last run
        // are applied (and logged) while the listener starts.
        let deadline = Instant::now() + Duration::from_secs(15);
        let (banner, addr) = loop {
            let line = lines_rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|e| {
                    let _ = child.kill();
                    panic!(
                        "the server never said where it listens ({e}): {:?}",
                        log.lock().unwrap()
                    )
                });
            if let Some(addr) = line
                .strip_prefix("webhook: listening on http://")
                .and_then(|rest| rest.split_whitespace().next())
            {
                break (line.clone(), addr.to_string());
            }
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Server {
            child,
            addr,
            banner,
            log,
            reader: Some(reader),
            rt,
            http,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs a body with the given `X-Hub-Signature-256`, if any.
    pub fn post(&self, path: &str, body: Vec<u8>, signature: Option<&str>) -> (u16, String) {
        let mut req = self
            .http
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body);
        if let Some(sig) = signature {
            req = req.header("x-hub-signature-256", sig);
        }
        self.rt.block_on(async {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        })
    }

    /// POSTs a body signed with the app secret, as Meta does.
    pub fn post_signed(&self, body: &[u8]) -> u16 {
        self.post("/", body.to_vec(), Some(&sign(SECRET.as_bytes(), body)))
            .0
    }

    /// POSTs a signed body and insists on 200.
    pub fn deliver(&self, body: &[u8]) {
        let (status, text) = self.post("/", body.to_vec(), Some(&sign(SECRET.as_bytes(), body)));
        assert_eq!(status, 200, "{text}");
        assert_eq!(text, "EVENT_RECEIVED");
    }

    pub fn get(&self, path: &str, query: &[(&str, &str)], bearer: Option<&str>) -> (u16, String) {
        let mut req = self.http.get(self.url(path)).query(query);
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        self.rt.block_on(async {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        })
    }

    pub fn post_json(&self, path: &str, body: &Value, bearer: Option<&str>) -> (u16, String) {
        let mut req = self.http.post(self.url(path)).json(body);
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        self.rt.block_on(async {
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        })
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// SIGTERM; insists on a graceful exit 0; returns everything it said.
    pub fn stop(&mut self) -> Vec<String> {
        terminate(self.child.id());
        self.wait_stopped()
    }

    /// Waits for the server to exit (after a SIGTERM already sent); insists
    /// on a graceful exit 0; returns everything it said.
    pub fn wait_stopped(&mut self) -> Vec<String> {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(15) {
                let _ = self.child.kill();
                panic!("the server did not stop on SIGTERM: {:?}", self.log());
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        let log = self.log();
        assert_eq!(status.code(), Some(0), "not a graceful exit: {log:#?}");
        assert_eq!(
            log.last().map(String::as_str),
            Some("webhook: stopped; every acknowledged event is stored"),
            "{log:#?}"
        );
        log
    }
}

/// SIGTERM (Ctrl-Break on Windows), as a service manager stops the server.
pub fn terminate(pid: u32) {
    super::platform::interrupt(pid);
}

impl Drop for Server {
    fn drop(&mut self) {
        // Only if a test failed before `stop`: never leave a server behind.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
