//! Pacing requests to WhatsApp: a rate limiter that never exceeds the
//! configured rate, backoff with jitter, and a shared throttling hold.

use std::time::{Duration, Instant};

/// Paces sends so that no one-second window ever holds more than the rate:
/// a generic cell-rate limiter with a small burst `b` refilling at `rate − 2b`.
#[derive(Debug)]
pub struct Pacer {
    configured: f64,
    rate: f64,
    interval: Duration,
    tolerance: Duration,
    tat: Instant,
}

impl Pacer {
    pub fn new(rate: f64, now: Instant) -> Pacer {
        let mut p = Pacer {
            configured: rate,
            rate,
            interval: Duration::ZERO,
            tolerance: Duration::ZERO,
            tat: now,
        };
        p.set_rate(rate);
        p
    }

    fn set_rate(&mut self, rate: f64) {
        self.rate = rate.clamp(1.0, self.configured);
        let burst = (self.rate / 100.0).floor().max(1.0);
        // Departures never exceed `rate` in any second with `rate − burst`;
        // one more `burst` of headroom absorbs the scheduling jitter between
        // a request leaving here and arriving at WhatsApp (measured: without
        // it, 1007 arrivals in one second at 1000/s).
        let refill = (self.rate - 2.0 * burst).max(self.rate / 2.0);
        self.interval = Duration::from_secs_f64(1.0 / refill);
        self.tolerance = self.interval.mul_f64(burst - 1.0);
    }

    pub fn try_take(&mut self, now: Instant) -> bool {
        if self.tat <= now + self.tolerance {
            self.tat = self.tat.max(now) + self.interval;
            true
        } else {
            false
        }
    }

    pub fn next_free(&self) -> Instant {
        self.tat.checked_sub(self.tolerance).unwrap_or(self.tat)
    }

    /// Throttled by WhatsApp: halve the pace.
    pub fn slow_down(&mut self) {
        self.set_rate(self.rate / 2.0);
    }

    /// A send went through: creep back towards the configured pace.
    pub fn recover(&mut self) {
        if self.rate < self.configured {
            self.set_rate(self.rate * 1.02);
        }
    }
}

/// `base · 2^n`, capped, with ±25% jitter so retries do not arrive together.
pub fn backoff(base: Duration, n: u32, cap: Duration) -> Duration {
    let d = base.saturating_mul(1 << n.min(16)).min(cap);
    d.mul_f64(0.75 + fastrand::f64() * 0.5)
}

/// The whole run's response to WhatsApp saying "too fast": everyone holds
/// off for a backoff that grows with each new episode, and the pace halves.
/// Answers to requests already in flight belong to the same episode.
#[derive(Debug, Default)]
pub struct Throttle {
    streak: u32,
    pub until: Option<Instant>,
}

impl Throttle {
    /// Returns when sending may start again, and whether this began a new episode.
    pub fn hit(&mut self, now: Instant) -> (Instant, bool) {
        if let Some(until) = self.until.filter(|u| *u > now) {
            return (until, false);
        }
        let until = now + backoff(Duration::from_secs(1), self.streak, Duration::from_secs(60));
        self.streak += 1;
        self.until = Some(until);
        (until, true)
    }

    pub fn holding(&self, now: Instant) -> bool {
        self.until.is_some_and(|u| now < u)
    }

    pub fn success(&mut self) {
        self.streak = self.streak.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_never_exceeds_the_rate_in_any_second() {
        for rate in [1.0, 20.0, 80.0, 1000.0] {
            let start = Instant::now();
            let mut p = Pacer::new(rate, start);
            let mut sends = Vec::new();
            // A sender that asks every 100 µs for 5 seconds.
            let mut t = start;
            while t < start + Duration::from_secs(5) {
                if p.try_take(t) {
                    sends.push(t);
                }
                t += Duration::from_micros(100);
            }
            let mut max_in_window = 0;
            let mut lo = 0;
            for hi in 0..sends.len() {
                while sends[hi] - sends[lo] >= Duration::from_secs(1) {
                    lo += 1;
                }
                max_in_window = max_in_window.max(hi - lo + 1);
            }
            assert!(
                max_in_window as f64 <= rate,
                "rate {rate}: {max_in_window} in one second"
            );
            let achieved = sends.len() as f64 / 5.0;
            // Below 2/s the burst of one is a large share, so the pace halves.
            let floor = if rate < 2.0 { 0.45 * rate } else { 0.9 * rate };
            assert!(achieved >= floor, "rate {rate}: achieved {achieved}/s");
        }
    }

    #[test]
    fn pacer_slows_down_and_recovers() {
        let mut p = Pacer::new(80.0, Instant::now());
        p.slow_down();
        assert_eq!(p.rate, 40.0);
        for _ in 0..100 {
            p.recover();
        }
        assert_eq!(p.rate, 80.0);
        for _ in 0..20 {
            p.slow_down();
        }
        assert_eq!(p.rate, 1.0);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let cap = Duration::from_secs(60);
        assert!(backoff(Duration::from_secs(1), 0, cap) <= Duration::from_millis(1250));
        assert!(backoff(Duration::from_secs(1), 3, cap) >= Duration::from_secs(6));
        assert!(backoff(Duration::from_secs(1), 30, cap) <= Duration::from_secs(75));
    }
}
