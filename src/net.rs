//! The one place mot builds an HTTP client or an async runtime, so every
//! caller gets the same user agent, connect timeout and error wording
//! (`clippy.toml` refuses the builders anywhere else).

use std::time::Duration;

use anyhow::{Context, Result};
use tokio::runtime::Runtime;

/// How long a connection may take to open, whatever the request's timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An HTTPS client (rustls) that gives up on a request after `timeout`.
#[allow(clippy::disallowed_methods)]
pub fn client(timeout: Duration) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .user_agent(concat!("mot/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .context("cannot set up the HTTPS client")
}

/// A runtime on the calling thread, for one request at a time.
#[allow(clippy::disallowed_methods)]
pub fn runtime() -> Result<Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the network runtime")
}

/// A runtime with `workers` threads, for requests in flight together.
#[allow(clippy::disallowed_methods)]
pub fn runtime_with_workers(workers: usize) -> Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .context("cannot start the network runtime")
}
