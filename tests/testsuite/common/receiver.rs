//! A running `mot webhook serve` for tests that post signed webhooks to it:
//! the shared [`Server`] harness (killed on drop if still running), with the
//! few conveniences these tests use.

use std::time::{Duration, Instant};

use super::Mot;
use super::server::Server;

pub struct Receiver(Server);

impl Receiver {
    /// Starts a receiver on `mot`'s database; with `relay_token` it only
    /// stores events for a laptop to fetch.
    pub fn start(mot: &Mot, relay_token: Option<&str>) -> Receiver {
        Receiver(Server::start_with(mot, relay_token))
    }

    pub fn url(&self) -> String {
        self.0.url("")
    }

    /// POSTs a body signed with the app secret, as Meta does; insists on 200.
    pub fn deliver(&self, body: &[u8]) {
        self.0.deliver(body);
    }

    pub fn log(&self) -> Vec<String> {
        self.0.log()
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
