//! `cargo run --example mock_graph`: the command line that starts the mock Graph API of `server.rs`.
//!
//! Prints `mock Graph API listening on http://127.0.0.1:PORT` on stdout, then serves until
//! SIGINT, SIGTERM or ctrl-c. Example (Ofcom drama numbers only):
//!
//! ```text
//! cargo run --example mock_graph -- --port 8089 --rate-limit 20 \
//!     --fail 447700900013=131026 --hang 447700900014 \
//!     --history default=delivered --history 447700900015=failed:131026
//! ```
// clippy.toml's owners are mot's own modules; tests and examples inspect the
// database, read the environment and run mock servers directly.
#![allow(clippy::disallowed_methods)]

mod server;

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use server::{DEFAULT_PHONE_NUMBER_ID, DEFAULT_TOKEN, Mock, Options, Outcome};

/// Local mock of the WhatsApp Cloud API (Meta Graph API), on 127.0.0.1 only.
#[derive(Debug, Parser)]
#[command(name = "mock_graph")]
struct Cli {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8089)]
    port: u16,
    /// Bearer token to expect.
    #[arg(long, default_value = DEFAULT_TOKEN)]
    token: String,
    /// Phone number id to expect in the path.
    #[arg(long, default_value = DEFAULT_PHONE_NUMBER_ID)]
    phone_number_id: String,
    /// Milliseconds slept before every messages answer.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    latency_ms: u64,
    /// Messages per second accepted (token bucket of max(1, rate/10)); more get code 130429.
    #[arg(long, value_name = "MSGS_PER_SEC", value_parser = parse_rate)]
    rate_limit: Option<f64>,
    /// Answer sends to NUMBER with Graph error CODE (repeatable).
    #[arg(long, value_name = "NUMBER=CODE", value_parser = parse_fail)]
    fail: Vec<(String, u32)>,
    /// Answer every Nth authorised messages POST with HTTP 500, code 1.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    server_error_every: Option<u64>,
    /// Accept sends to NUMBER but never answer them (repeatable).
    #[arg(long, value_name = "NUMBER", value_parser = parse_number)]
    hang: Vec<String>,
    /// Require exactly N body parameters (else code 132000).
    #[arg(long, value_name = "N")]
    template_params: Option<usize>,
    /// Delivery outcome in message_history: default=OUTCOME or NUMBER=OUTCOME, where OUTCOME
    /// is none, sent, delivered, read or failed:CODE (repeatable).
    #[arg(long, value_name = "WHO=OUTCOME", value_parser = parse_history)]
    history: Vec<(String, Outcome)>,
    /// Append every accepted send to FILE as a JSON line.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// The number's quality rating: GREEN, YELLOW, RED or UNKNOWN.
    #[arg(long, default_value = "GREEN")]
    quality: String,
    /// The number's messaging-limit tier, e.g. TIER_250, TIER_2K, TIER_UNLIMITED.
    #[arg(long, default_value = "TIER_2K")]
    tier: String,
    /// A template the business account holds: NAME:STATUS:LANGUAGE:BODY, e.g.
    /// 'mot_notice:PAUSED:en_GB:{{1}}' (repeatable; default one APPROVED mot_notice "{{1}}").
    #[arg(long, value_name = "NAME:STATUS:LANG:BODY", value_parser = parse_template)]
    template: Vec<server::account::MockTemplate>,
    /// Refuse text and interactive messages (code 131047) to anyone who has not written in
    /// the last 24 hours; `POST /_mock/customer_wrote?from=NUMBER` (post_webhook's --mock)
    /// opens their window.
    #[arg(long)]
    enforce_window: bool,
}

impl Cli {
    fn options(self) -> Options {
        let mut opts = Options {
            token: self.token,
            phone_number_id: self.phone_number_id,
            latency: Duration::from_millis(self.latency_ms),
            rate_limit: self.rate_limit,
            fail: self.fail.into_iter().collect(),
            server_error_every: self.server_error_every,
            hang: self.hang.into_iter().collect(),
            template_params: self.template_params,
            record: self.record,
            enforce_window: self.enforce_window,
            ..Options::default()
        };
        let mut history = HashMap::new();
        for (who, outcome) in self.history {
            if who == "default" {
                opts.history_default = outcome;
            } else {
                history.insert(who, outcome);
            }
        }
        opts.history = history;
        opts.account.quality_rating = self.quality;
        opts.account.messaging_limit_tier = self.tier;
        if !self.template.is_empty() {
            opts.account.templates = self.template;
        }
        opts
    }
}

fn parse_template(s: &str) -> Result<server::account::MockTemplate, String> {
    let mut parts = s.splitn(4, ':');
    let (Some(name), Some(status), Some(language), Some(body)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("{s:?} is not NAME:STATUS:LANGUAGE:BODY"));
    };
    let mut t = server::account::MockTemplate::approved(name, body);
    t.status = status.to_string();
    t.language = language.to_string();
    Ok(t)
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err(format!(
            "{s:?} is not a positive number of messages per second"
        )),
    }
}

/// Recipient digits, with an optional leading '+' dropped.
fn parse_number(s: &str) -> Result<String, String> {
    let digits = s.trim().strip_prefix('+').unwrap_or(s.trim());
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(digits.to_string())
    } else {
        Err(format!(
            "{s:?} is not a phone number (digits, optional leading '+')"
        ))
    }
}

fn parse_fail(s: &str) -> Result<(String, u32), String> {
    let (number, code) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not NUMBER=CODE"))?;
    let code = code
        .trim()
        .parse()
        .map_err(|_| format!("bad error code in {s:?}"))?;
    Ok((parse_number(number)?, code))
}

fn parse_history(s: &str) -> Result<(String, Outcome), String> {
    let (who, outcome) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not WHO=OUTCOME"))?;
    let who = match who.trim() {
        "default" => "default".to_string(),
        number => parse_number(number)?,
    };
    Ok((who, outcome.parse()?))
}

/// Resolves on SIGINT/ctrl-c or, on Unix, SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            Err(err) => eprintln!("mock_graph: cannot listen for SIGTERM: {err}"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let port = cli.port;
    let mock = match Mock::start_on(port, cli.options()).await {
        Ok(mock) => mock,
        Err(err) => {
            eprintln!("mock_graph: cannot start on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    // A closed stdout must not stop the mock.
    let _ = writeln!(stdout, "mock Graph API listening on {}", mock.base_url());
    let _ = stdout.flush();
    shutdown_signal().await;
    eprintln!("mock_graph: shutting down");
    ExitCode::SUCCESS
}
