//! The one owner of "now": every time mot records or compares against comes
//! from [`now`].
//!
//! For tests and demos only, `MOT_NOW` (an RFC 3339 time such as
//! `2026-03-02T09:00:00Z`) starts the clock at that moment; it then runs on in
//! real time, so the times one command writes stay in order. A value that
//! does not parse is ignored and the real clock is used. A team never sets
//! it: it exists so a week of sends, replies and purges can be run in
//! seconds (`examples/first_week.rs`, the integration tests).

use std::sync::OnceLock;

use jiff::{SignedDuration, Timestamp};

/// The environment variable that moves the clock (tests and demos only).
pub const ENV: &str = "MOT_NOW";

/// How far the clock is from the real one, decided once per process.
static OFFSET: OnceLock<SignedDuration> = OnceLock::new();

/// The current time: the real clock, or `MOT_NOW` running on from when this
/// process first asked.
pub fn now() -> Timestamp {
    let real = Timestamp::now();
    let offset = *OFFSET.get_or_init(|| {
        start()
            .map(|at| at.duration_since(real))
            .unwrap_or(SignedDuration::ZERO)
    });
    real + offset
}

/// Where `MOT_NOW` starts the clock, if it is set and parses.
// The one place the clock reads the environment: it sits below `config`, and
// `--since` is parsed (and needs "now") before any configuration is read.
#[allow(clippy::disallowed_methods)]
fn start() -> Option<Timestamp> {
    parse(&std::env::var(ENV).ok()?)
}

/// A `MOT_NOW` value as a time, or `None` if it is not one.
fn parse(text: &str) -> Option<Timestamp> {
    text.trim().parse::<Timestamp>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_real_time_moves_the_clock() {
        assert_eq!(
            parse(" 2026-03-02T09:00:00Z "),
            Some("2026-03-02T09:00:00Z".parse().unwrap())
        );
        for bad in ["", "tomorrow", "2026-03-02", "1"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
