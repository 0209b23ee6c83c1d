//! Durations and points in time as people type them on the command line and
//! in the config file: `30s`, `15m`, `24h`, `2d`, `1d 12h`, and for `--since`
//! also a date or a date and time. One owner, so every flag and setting
//! accepts the same forms; the command line parses them through clap.

use jiff::{SignedDuration, Timestamp};

/// The longest duration accepted: 100 years of 365 days.
const LONGEST: SignedDuration = SignedDuration::from_hours(100 * 365 * 24);

/// Parses a duration such as `24h`, `90m` or `1d 12h`; it must be above zero
/// and at most 100 years.
pub fn parse(text: &str) -> Result<SignedDuration, String> {
    let bad = || format!("{text:?} is not a duration (try 30s, 15m, 24h or 2d)");
    // Days count as 24 hours: these are retention and expiry periods, not calendar dates.
    let d = match text.trim().parse::<SignedDuration>() {
        Ok(d) => d,
        Err(_) => text
            .trim()
            .parse::<jiff::Span>()
            .and_then(|span| span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()))
            .map_err(|_| bad())?,
    };
    if d.is_negative() || d.is_zero() {
        return Err(format!("{text:?} must be longer than zero"));
    }
    // A time this far ahead is a typo, and past the calendar's end it
    // could not be added to a date at all.
    if d > LONGEST {
        return Err(format!("{text:?} is longer than 100 years"));
    }
    Ok(d)
}

/// A duration as people write it, in the form [`parse`] reads: `24h`,
/// `2d`, `1d 12h`, `90m`, `45s`.
pub fn words(d: SignedDuration) -> String {
    let secs = d.as_secs().unsigned_abs();
    let (days, hours, mins, rest) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    let mut parts = Vec::new();
    // Whole days under three read better as hours (24h, 48h).
    let (days, hours) = if days < 3 && secs.is_multiple_of(86_400) {
        (0, days * 24)
    } else {
        (days, hours)
    };
    for (n, unit) in [(days, "d"), (hours, "h"), (mins, "m"), (rest, "s")] {
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    if parts.is_empty() {
        return "0s".to_string();
    }
    parts.join(" ")
}

/// A duration above zero as the standard library's type, for timeouts.
pub fn parse_std(text: &str) -> Result<std::time::Duration, String> {
    parse(text).map(|d| d.unsigned_abs())
}

/// `--since` as clap parses it: [`since_at`] from now, in the computer's
/// own time zone.
pub fn since(text: &str) -> Result<Timestamp, String> {
    since_at(text, crate::clock::now(), &jiff::tz::TimeZone::system())
}

/// A duration back from `now` (`7d`, `12h`), a date (`2026-11-01`, or day
/// first as in the UK, `01/11/2026`, from midnight) or a date and time (`2026-11-01 09:30`,
/// `2026-11-01T09:30:00Z`); dates and times without a zone are in `tz`, the
/// computer's own time zone, as a pharmacist means them.
pub fn since_at(text: &str, now: Timestamp, tz: &jiff::tz::TimeZone) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(d) = parse(text) {
        return Ok(now.checked_sub(d).unwrap_or(Timestamp::MIN));
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        return Ok(t);
    }
    // A UK date is day first: 01/12/2026 is the first of December.
    let uk = |format: &str| jiff::civil::DateTime::strptime(format, text);
    let civil = text
        .parse::<jiff::civil::DateTime>()
        .or_else(|_| text.parse::<jiff::civil::Date>().map(|d| d.at(0, 0, 0, 0)))
        .or_else(|_| uk("%d/%m/%Y %H:%M"))
        .or_else(|_| jiff::civil::Date::strptime("%d/%m/%Y", text).map(|d| d.at(0, 0, 0, 0)));
    if let Ok(at) = civil {
        return tz.to_timestamp(at).map_err(|e| format!("{text:?}: {e}"));
    }
    Err(format!(
        "{text:?} is neither a duration (7d, 12h), a date (2026-11-01 or 01/11/2026) nor a date and time (2026-11-01 09:30)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_the_ways_people_write_them() {
        let h = SignedDuration::from_hours;
        assert_eq!(parse("24h"), Ok(h(24)));
        assert_eq!(parse("14d"), Ok(h(14 * 24)));
        assert_eq!(parse("1d 12h"), Ok(h(36)));
        assert_eq!(parse("90m"), Ok(SignedDuration::from_mins(90)));
        assert!(parse("soon").unwrap_err().contains("not a duration"));
        assert!(parse("0s").unwrap_err().contains("longer than zero"));
        // Past the calendar's end a deadline could not even be computed.
        assert!(parse("7000000d").unwrap_err().contains("100 years"));
        assert_eq!(parse("36500d"), Ok(h(36500 * 24)));
        assert_eq!(parse_std("10s"), Ok(std::time::Duration::from_secs(10)));
    }

    #[test]
    fn words_read_back_as_the_same_duration() {
        let h = SignedDuration::from_hours;
        for (d, text) in [
            (h(24), "24h"),
            (h(48), "48h"),
            (h(72), "3d"),
            (h(36), "1d 12h"),
            (SignedDuration::from_mins(90), "1h 30m"),
            (SignedDuration::from_secs(45), "45s"),
        ] {
            assert_eq!(words(d), text);
            assert_eq!(parse(text), Ok(d), "{text}");
        }
    }

    #[test]
    fn since_takes_durations_dates_and_date_times() {
        let now: Timestamp = "2026-03-10T12:00:00Z".parse().unwrap();
        let utc = jiff::tz::TimeZone::UTC;
        let at = |s: &str| s.parse::<Timestamp>().unwrap();
        assert_eq!(
            since_at("2d", now, &utc).unwrap(),
            at("2026-03-08T12:00:00Z")
        );
        assert_eq!(
            since_at("2026-01-31", now, &utc).unwrap(),
            at("2026-01-31T00:00:00Z")
        );
        assert_eq!(
            since_at("2026-01-31 09:30", now, &utc).unwrap(),
            at("2026-01-31T09:30:00Z")
        );
        assert_eq!(
            since_at("2026-01-31T09:30:00Z", now, &utc).unwrap(),
            at("2026-01-31T09:30:00Z")
        );
        // A date in British Summer Time is an hour ahead of UTC.
        let london = jiff::tz::TimeZone::get("Europe/London").unwrap();
        assert_eq!(
            since_at("2026-07-01", now, &london).unwrap(),
            at("2026-06-30T23:00:00Z")
        );
        // UK dates, day first, with or without a time.
        assert_eq!(
            since_at("01/12/2026", now, &utc).unwrap(),
            at("2026-12-01T00:00:00Z")
        );
        assert_eq!(
            since_at("1/7/2026 09:30", now, &london).unwrap(),
            at("2026-07-01T08:30:00Z")
        );
        assert!(since_at("31/02/2026", now, &utc).is_err());
        let err = since_at("last tuesday", now, &utc).unwrap_err();
        assert!(err.contains("neither a duration"), "{err}");
    }
}
