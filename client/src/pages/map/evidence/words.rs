//! How evidence figures read on screen: counts, rates, durations, dates of the filter,
//! channel names. No state and no component.

use crate::format::DAY_MS;
use crate::i18n::{fill, lang, t, Lang};

const MINUTE_MS: i64 = 60_000;
const HOUR_MS: i64 = 60 * MINUTE_MS;
/// Below this a duration reads in minutes, below [`DAYS_FROM`] in hours.
const HOURS_FROM: i64 = HOUR_MS;
/// From this a duration reads in days (two days in hours is still easy to read).
const DAYS_FROM: i64 = 2 * DAY_MS;

/// `12,345` (French: `12 345`): a count with thousands separated.
pub fn count(n: u64) -> String {
    let separator = match lang() {
        Lang::En => ',',
        // A narrow no-break space, as French typography groups digits.
        Lang::Fr => '\u{202f}',
    };
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// `value` with one decimal, the decimal point as the language shown writes it.
fn one_decimal(value: f64) -> String {
    let text = format!("{value:.1}");
    match lang() {
        Lang::En => text,
        Lang::Fr => text.replace('.', ","),
    }
}

/// `38.2 %` (French: `38,2 %`) from a rate of 0.382; `—` when there is none.
pub fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(r) if r.is_finite() => format!("{} %", one_decimal(r * 100.0)),
        _ => "—".to_owned(),
    }
}

/// `45 min`, `5.3 h`, `3.2 days`; `—` when there is none.
pub fn duration(ms: Option<i64>) -> String {
    let Some(ms) = ms else {
        return "—".to_owned();
    };
    let ms = ms.max(0);
    if ms < HOURS_FROM {
        format!("{} min", (ms + MINUTE_MS / 2) / MINUTE_MS)
    } else if ms < DAYS_FROM {
        format!("{} h", one_decimal(ms as f64 / HOUR_MS as f64))
    } else {
        let days = one_decimal(ms as f64 / DAY_MS as f64);
        fill(t().n_days, &[("n", &days)])
    }
}

/// The UTC midnight (ms) of a date input's `YYYY-MM-DD`, if it reads.
pub fn date_ms(value: &str) -> Option<i64> {
    let mut parts = value.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * DAY_MS)
}

/// A date input's `YYYY-MM-DD` for the UTC day of `ms`.
pub fn date_value(ms: i64) -> String {
    let (y, m, d) = parcours_shared::text::civil_from_days(ms.div_euclid(DAY_MS));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A channel: one of the board's by its name in the language shown (`app` → `App`,
/// `Appli`), another as the log names it, capitalised; `—` for none.
pub fn channel(name: &str) -> String {
    if let Some(known) = parcours_shared::Channel::parse(name) {
        return crate::format::channel_label(known).to_owned();
    }
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_group_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn rates_read_as_percentages_with_one_decimal() {
        assert_eq!(percent(Some(0.382)), "38.2 %");
        assert_eq!(percent(Some(1.0)), "100.0 %");
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(f64::NAN)), "—");
    }

    #[test]
    fn durations_read_in_minutes_hours_or_days() {
        assert_eq!(duration(Some(44 * MINUTE_MS + 40_000)), "45 min");
        assert_eq!(duration(Some(5 * HOUR_MS + 18 * MINUTE_MS)), "5.3 h");
        assert_eq!(duration(Some(3 * DAY_MS + 5 * HOUR_MS)), "3.2 days");
        assert_eq!(duration(None), "—");
    }

    #[test]
    fn dates_go_to_utc_midnight_and_back() {
        // 2026-06-01T00:00:00Z, the generated logs' first moment.
        assert_eq!(date_ms("2026-06-01"), Some(1_780_272_000_000));
        assert_eq!(date_value(1_780_272_000_000 + 5 * HOUR_MS), "2026-06-01");
        assert_eq!(date_ms("1970-01-01"), Some(0));
        assert_eq!(
            date_value(date_ms("2024-02-29").expect("leap day")),
            "2024-02-29"
        );
        assert_eq!(date_ms("2026-13-01"), None);
        assert_eq!(date_ms(""), None);
    }
}
