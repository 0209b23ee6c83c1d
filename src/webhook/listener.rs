//! Accepting the receiver's connections so that slow or idle clients cannot
//! starve it: a cap on open connections, a time limit on request headers
//! (which also closes idle keep-alive connections), and room for a newcomer
//! made by closing the oldest connection that has not yet sent a complete,
//! signed request.
//!
//! Why evict rather than refuse: the receiver's port is public. If it simply
//! stopped accepting at the cap, a few hundred connections that never finish
//! their headers would keep Meta (and the laptop's relay fetches) out until
//! they time out, and then take the freed places again. Closing the oldest
//! unfinished connection lets every newcomer in; a real client finishes its
//! request in milliseconds, long before it becomes the oldest.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;

/// The receiver's limits on its clients.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most; a newcomer beyond it closes the oldest
    /// connection that is not in the middle of a signed request.
    pub max_connections: usize,
    /// To send a request's headers, and the most a connection may sit idle
    /// between requests.
    pub header_timeout: Duration,
    /// To send a request's body once its headers are in.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Far below the usual open-file limits (256 on macOS, 1024 on
            // Linux), so the database and the writer always have files left.
            max_connections: 128,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// Set on a connection while it carries a request that must not be cut
/// short: its body is in and signed (so it is being stored), or it needs no
/// body. Handlers reach it through the request's extensions.
#[derive(Clone, Default)]
pub struct Committed(Arc<AtomicBool>);

impl Committed {
    pub fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn clear(&self) {
        self.0.store(false, Ordering::Relaxed);
    }

    fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

struct Entry {
    committed: Committed,
    close: Arc<Notify>,
}

/// Open connections by the order they were accepted.
#[derive(Default)]
struct Open {
    next: u64,
    by_age: BTreeMap<u64, Entry>,
}

impl Open {
    /// Makes room for one more: closes the oldest connection that may be
    /// cut. Returns false when every one is busy with a signed request.
    fn make_room(&mut self, max: usize) -> bool {
        if self.by_age.len() < max {
            return true;
        }
        let victim = self
            .by_age
            .iter()
            .find(|(_, e)| !e.committed.is_set())
            .map(|(k, _)| *k);
        match victim {
            Some(k) => {
                if let Some(e) = self.by_age.remove(&k) {
                    e.close.notify_one();
                }
                true
            }
            None => false,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// requests in progress finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) {
    let open = Arc::new(Mutex::new(Open::default()));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let mut accept_errors = 0u64;
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of files or a connection reset before accept:
                    // wait a little and go on; logged once per burst.
                    if accept_errors == 0 {
                        crate::log_line!("webhook: cannot accept a connection ({e}); retrying");
                    }
                    accept_errors += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        if accept_errors > 1 {
            crate::log_line!("webhook: accepting again after {accept_errors} failed accepts");
        }
        accept_errors = 0;
        // Finished connections leave their task results behind.
        while tasks.try_join_next().is_some() {}
        let (id, committed, close) = {
            let mut open = open.lock().expect("connection table poisoned");
            if !open.make_room(limits.max_connections) {
                // All busy storing signed requests: this one is closed
                // unanswered, and its sender (Meta) retries.
                continue;
            }
            let id = open.next;
            open.next += 1;
            let entry = Entry {
                committed: Committed::default(),
                close: Arc::new(Notify::new()),
            };
            let handles = (id, entry.committed.clone(), entry.close.clone());
            open.by_age.insert(id, entry);
            handles
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let open = open.clone();
        let mut stop = stop_rx.clone();
        let in_request = committed.clone();
        tasks.spawn(async move {
            let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
                let committed = committed.clone();
                // A request without a body cannot be slow once its headers are in.
                if !matches!(*req.method(), hyper::Method::POST | hyper::Method::PUT) {
                    committed.set();
                }
                req.extensions_mut().insert(committed.clone());
                let router = router.clone();
                async move {
                    let response = router.oneshot(req.map(axum::body::Body::new)).await;
                    committed.clear();
                    response
                }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                () = close.notified() => {}
                () = async { drop(stop.wait_for(|stop| *stop).await) } => {
                    // A signed request being stored is finished and answered;
                    // a connection with nothing whole in it is simply closed.
                    if in_request.is_set() {
                        conn.as_mut().graceful_shutdown();
                        let _ = tokio::time::timeout(limits.body_timeout, conn).await;
                    }
                }
            }
            open.lock()
                .expect("connection table poisoned")
                .by_age
                .remove(&id);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    while tasks.join_next().await.is_some() {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_is_made_by_closing_the_oldest_connection_not_storing() {
        let mut open = Open::default();
        for id in 0..3 {
            open.by_age.insert(
                id,
                Entry {
                    committed: Committed::default(),
                    close: Arc::new(Notify::new()),
                },
            );
        }
        open.by_age[&0].committed.set();
        assert!(open.make_room(3));
        assert_eq!(
            open.by_age.keys().copied().collect::<Vec<_>>(),
            [0, 2],
            "1 was the oldest not storing"
        );
        open.by_age[&2].committed.set();
        assert!(!open.make_room(2), "every connection is storing");
        assert!(open.make_room(3), "below the cap nothing is closed");
        assert_eq!(open.by_age.len(), 2);
    }
}
