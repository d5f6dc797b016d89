//! Reading timestamps of event logs, in the formats of [`TIMESTAMP_FORMATS`], to
//! milliseconds since the epoch (UTC; an offset in the text is applied, a time without
//! one is read as UTC). Hand-written: these run once per row of a 10-million-row file.

use parcours_shared::api::TIMESTAMP_FORMATS;

/// A timestamp format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Iso8601,
    Dmy,
    Mdy,
    EpochS,
    EpochMs,
}

impl Format {
    /// The format named `name` (one of [`TIMESTAMP_FORMATS`] but `auto`).
    pub fn named(name: &str) -> Option<Format> {
        match name {
            "iso8601" => Some(Format::Iso8601),
            "dmy" => Some(Format::Dmy),
            "mdy" => Some(Format::Mdy),
            "epoch_s" => Some(Format::EpochS),
            "epoch_ms" => Some(Format::EpochMs),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Iso8601 => "iso8601",
            Format::Dmy => "dmy",
            Format::Mdy => "mdy",
            Format::EpochS => "epoch_s",
            Format::EpochMs => "epoch_ms",
        }
    }

    /// Parses `text`, or `None`.
    pub fn parse(self, text: &str) -> Option<i64> {
        let text = text.trim();
        match self {
            Format::Iso8601 => iso8601(text),
            Format::Dmy => slashed(text, false),
            Format::Mdy => slashed(text, true),
            Format::EpochS => {
                let s: f64 = text.parse().ok()?;
                (s.is_finite() && s.abs() < 1e12).then(|| (s * 1000.0).round() as i64)
            }
            Format::EpochMs => {
                let ms: i64 = text.parse().ok()?;
                (ms.abs() < 1_000_000_000_000_000).then_some(ms)
            }
        }
    }
}

/// The one format every sample reads in, trying ISO 8601 first, then day-first, then
/// month-first dates, then epoch milliseconds (13 digits) and seconds. `None` when none
/// fits them all (or there are no samples).
pub fn detect<'a>(samples: impl IntoIterator<Item = &'a str> + Clone) -> Option<Format> {
    let candidates = [
        Format::Iso8601,
        Format::Dmy,
        Format::Mdy,
        Format::EpochMs,
        Format::EpochS,
    ];
    let mut any = false;
    for s in samples.clone() {
        any |= !s.trim().is_empty();
    }
    if !any {
        return None;
    }
    candidates.into_iter().find(|f| {
        samples.clone().into_iter().all(|s| {
            let s = s.trim();
            if *f == Format::EpochMs && s.len() < 12 {
                return false;
            }
            f.parse(s).is_some()
        })
    })
}

/// Whether `name` is a format an import accepts.
pub fn known(name: &str) -> bool {
    TIMESTAMP_FORMATS.contains(&name)
}

fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0i64, |n, d| {
        n.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    })
}

/// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH[:]MM]`.
fn iso8601(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let date = days_from_civil(y, m, d)?;
    if b.len() == 10 {
        return Some(date * 86_400_000);
    }
    if b[10] != b'T' && b[10] != b' ' {
        return None;
    }
    let (time, rest) = clock(&b[11..])?;
    let offset = zone(rest)?;
    Some(date * 86_400_000 + time - offset)
}

/// `DD/MM/YYYY[ HH:MM[:SS]]` (or month first), also with `-` or `.` separators.
fn slashed(text: &str, month_first: bool) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let sep = b[2];
    if !matches!(sep, b'/' | b'-' | b'.') || b[5] != sep {
        return None;
    }
    let (a, c, y) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..10])?);
    let (m, d) = if month_first { (a, c) } else { (c, a) };
    let date = days_from_civil(y, m, d)?;
    if b.len() == 10 {
        return Some(date * 86_400_000);
    }
    if b[10] != b' ' && b[10] != b'T' {
        return None;
    }
    let (time, rest) = clock(&b[11..])?;
    let offset = zone(rest)?;
    Some(date * 86_400_000 + time - offset)
}

/// `HH:MM[:SS[.fff]]` → (ms into the day, what follows).
fn clock(b: &[u8]) -> Option<(i64, &[u8])> {
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let (h, mi) = (digits(&b[0..2])?, digits(&b[3..5])?);
    let mut ms = 0;
    let mut s = 0;
    let mut rest = &b[5..];
    if rest.first() == Some(&b':') {
        s = digits(rest.get(1..3)?)?;
        rest = &rest[3..];
        if matches!(rest.first(), Some(b'.' | b',')) {
            let frac: &[u8] = &rest[1..];
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return None;
            }
            let mut f = digits(&frac[..n.min(3)])?;
            for _ in n.min(3)..3 {
                f *= 10;
            }
            ms = f;
            rest = &frac[n..];
        }
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some((((h * 60 + mi) * 60 + s) * 1000 + ms, rest))
}

/// `` / `Z` / `±HH[:MM]` / `±HHMM` → the offset in ms.
fn zone(b: &[u8]) -> Option<i64> {
    match b {
        [] | [b'Z'] | [b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [h1, h2] => (digits(&[*h1, *h2])?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?)
                }
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let ms = (h * 60 + m) * 60_000;
            Some(if *sign == b'-' { -ms } else { ms })
        }
        _ => None,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, `None` when it does not exist.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1..=9999).contains(&y) {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if d > month_days[(m - 1) as usize] {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_8601_in_its_usual_shapes() {
        let t = 1_780_308_930_123; // 2026-06-01T10:15:30.123Z
        for s in [
            "2026-06-01T10:15:30.123Z",
            "2026-06-01 10:15:30.123",
            "2026-06-01T12:15:30.123+02:00",
            "2026-06-01T05:15:30.123-0500",
            "2026-06-01T10:15:30,123",
        ] {
            assert_eq!(Format::Iso8601.parse(s), Some(t), "{s}");
        }
        assert_eq!(Format::Iso8601.parse("2026-06-01T10:15"), Some(t - 30_123));
        assert_eq!(Format::Iso8601.parse("2026-06-01"), Some(t - 36_930_123));
        for bad in [
            "2026-02-30T00:00:00Z",
            "2026-13-01",
            "yesterday",
            "2026-06-01T25:00",
            "2026-06-01T10:15:30Q",
        ] {
            assert_eq!(Format::Iso8601.parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_first_month_first_and_epochs() {
        assert_eq!(
            Format::Dmy.parse("01/06/2026 10:15"),
            Format::Iso8601.parse("2026-06-01T10:15")
        );
        assert_eq!(
            Format::Mdy.parse("06/01/2026"),
            Format::Iso8601.parse("2026-06-01")
        );
        assert_eq!(
            Format::EpochS.parse("1780308930.5"),
            Some(1_780_308_930_500)
        );
        assert_eq!(
            Format::EpochMs.parse("1780308930123"),
            Some(1_780_308_930_123)
        );
        assert_eq!(Format::Dmy.parse("31/02/2026"), None);
    }

    #[test]
    fn detection_takes_the_format_every_sample_fits() {
        assert_eq!(
            detect(["2026-06-01T10:15:30Z", "2026-06-02 08:00"]),
            Some(Format::Iso8601)
        );
        // 13/06 only reads day first.
        assert_eq!(
            detect(["01/06/2026 10:00", "13/06/2026 09:00"]),
            Some(Format::Dmy)
        );
        assert_eq!(detect(["06/13/2026 10:00"]), Some(Format::Mdy));
        assert_eq!(
            detect(["1780308930123", "1780308931123"]),
            Some(Format::EpochMs)
        );
        assert_eq!(detect(["1780308930"]), Some(Format::EpochS));
        assert_eq!(detect(["2026-06-01", "soon"]), None);
        let none: [&str; 0] = [];
        assert_eq!(detect(none), None);
    }
}
