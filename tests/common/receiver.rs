//! A running `mot webhook serve` for tests that post signed webhooks to it.
//! Stopped by killing it on drop, which works on every platform; tests that
//! need a graceful stop use their own harness (tests/webhook.rs).

use super::platform::Portable;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mot::webhook::verify::sign;

use super::Mot;

pub const SECRET: &str = super::server::SECRET;
pub const VERIFY_TOKEN: &str = "test-verify-token";

pub struct Receiver {
    child: Child,
    pub addr: String,
    log: Arc<Mutex<Vec<String>>>,
    rt: tokio::runtime::Runtime,
    http: reqwest::Client,
}

impl Receiver {
    /// Starts a receiver on `mot`'s database; with `relay_token` it only
    /// stores events for a laptop to fetch.
    pub fn start(mot: &Mot, relay_token: Option<&str>) -> Receiver {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("mot"));
        cmd.args(["webhook", "serve", "--listen", "127.0.0.1:0"])
            .env_clear()
            .portable()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", mot.dir.path())
            .env("USER", "test-pharmacist")
            .env("MOT_CONFIG", mot.config())
            .env("MOT_DB", mot.db())
            .env("MOT_WHATSAPP_APP_SECRET", SECRET)
            .env("MOT_WEBHOOK_VERIFY_TOKEN", VERIFY_TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(token) = relay_token {
            cmd.env("MOT_RELAY_TOKEN", token);
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = mpsc::channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    log.lock().unwrap().push(line.clone());
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(15);
        let addr = loop {
            let line = rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|e| panic!("the receiver never said where it listens: {e}"));
            if let Some(addr) = line
                .strip_prefix("webhook: listening on http://")
                .and_then(|rest| rest.split_whitespace().next())
            {
                break addr.to_string();
            }
        };
        Receiver {
            child,
            addr,
            log,
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// POSTs a body signed with the app secret, as Meta does; insists on 200.
    pub fn deliver(&self, body: &[u8]) {
        let signature = sign(SECRET.as_bytes(), body);
        let (status, text) = self.rt.block_on(async {
            let res = self
                .http
                .post(format!("{}/", self.url()))
                .header("content-type", "application/json")
                .header("x-hub-signature-256", signature)
                .body(body.to_vec())
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        });
        assert_eq!(status, 200, "{text}");
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits until every stored event is applied (a 200 means stored).
    pub fn wait_applied(&self, mot: &Mot) {
        let start = Instant::now();
        loop {
            let pending: i64 = mot
                .sql()
                .query_row(
                    "SELECT count(*) FROM webhook_events WHERE applied_at IS NULL",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            if pending == 0 {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "events were stored but never applied: {:#?}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
