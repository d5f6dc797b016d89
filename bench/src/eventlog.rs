//! A seeded generator of realistic multi-channel retail-bank event logs (CSV), for the
//! evidence tests, the demo and the benchmark: customers hear of the bank, research on
//! the website, the chatbot or in branch, open an account in the app or in branch, get
//! started and stay. Cases drop off between stages (the app's sign-up loses more
//! digital-first customers), repeat activities, skip research, switch channels.
//!
//! Columns: `case_id,activity,timestamp,channel,segment,value`; rows are in time order
//! across cases (as a real export is), timestamps ISO 8601 in UTC with milliseconds,
//! unique within a case. The same seed and size always give the same file.

use std::io::{self, Write};

/// The stages of the retail bank template, in order, with their activities: `(name,
/// channel)`.
pub const STAGES: [(&str, &[(&str, &str)]); 5] = [
    (
        "Awareness",
        &[
            ("Webinar attended", "web"),
            ("Forum visit", "other"),
            ("Ad clicked", "web"),
        ],
    ),
    (
        "Research and advice",
        &[
            ("Product page viewed", "web"),
            ("Calculator used", "web"),
            ("Chatbot question", "chat"),
            ("Adviser meeting", "store"),
        ],
    ),
    (
        "Account opening",
        &[
            ("Application started", "app"),
            ("ID uploaded", "app"),
            ("Application submitted", "app"),
            ("Account opened", "app"),
        ],
    ),
    (
        "Getting started",
        &[
            ("Welcome email opened", "email"),
            ("First deposit", "app"),
            ("Card activated", "app"),
        ],
    ),
    (
        "Ongoing relationship",
        &[("Lesson followed", "app"), ("Adviser call", "phone")],
    ),
];

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }

    /// Exponentially distributed with this mean.
    fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }
}

/// One event of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub case: u64,
    pub activity: &'static str,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub channel: &'static str,
    pub segment: &'static str,
    pub value: Option<f64>,
}

/// One customer being written: each event comes a little after the previous one.
struct Case {
    case: u64,
    segment: &'static str,
    at: f64,
}

impl Case {
    fn push(
        &mut self,
        rng: &mut Rng,
        events: &mut Vec<Event>,
        activity: &'static str,
        channel: &'static str,
        value: Option<f64>,
    ) {
        self.at += 1.0 + rng.exp(40.0 * MINUTE);
        events.push(Event {
            case: self.case,
            activity,
            at: self.at as i64,
            channel,
            segment: self.segment,
            value,
        });
    }
}

/// The log's first moment: 2026-06-01T00:00:00Z.
const START_MS: i64 = 1_780_272_000_000;
const MINUTE: f64 = 60_000.0;
const HOUR: f64 = 60.0 * MINUTE;
const DAY: f64 = 24.0 * HOUR;

/// The events of `cases` customers, in time order across cases.
pub fn generate(cases: usize, seed: u64) -> Vec<Event> {
    let mut rng = Rng(seed ^ 0x005E_ED0F_BA4C);
    let mut events = Vec::with_capacity(cases * 10);
    for case in 0..cases as u64 {
        let digital = rng.chance(0.6);
        let segment = if digital {
            "digital-first"
        } else {
            "homebuyer"
        };
        let mut c = Case {
            case,
            segment,
            at: START_MS as f64 + rng.unit() * 90.0 * DAY,
        };
        // Awareness: one or two touches.
        let (activity, channel) = *rng.pick(STAGES[0].1);
        c.push(&mut rng, &mut events, activity, channel, None);
        for p in [0.5, 0.3] {
            if rng.chance(p) {
                let (activity, channel) = *rng.pick(STAGES[0].1);
                c.push(&mut rng, &mut events, activity, channel, None);
            }
        }
        if !rng.chance(0.8) {
            continue;
        }
        // Research, skipped by some; the calculator is often used twice.
        if !rng.chance(0.06) {
            c.at += rng.exp(2.0 * DAY);
            let visits = 2 + (rng.next() % 4) as usize;
            for _ in 0..visits {
                let (activity, channel) = if digital {
                    *rng.pick(&STAGES[1].1[..3])
                } else {
                    *rng.pick(STAGES[1].1)
                };
                c.push(&mut rng, &mut events, activity, channel, None);
                if activity == "Calculator used" && rng.chance(0.4) {
                    c.push(&mut rng, &mut events, activity, channel, None);
                }
            }
            if !rng.chance(if digital { 0.7 } else { 0.6 }) {
                continue;
            }
        }
        // Account opening: the app loses digital-first applicants halfway; homebuyers
        // open in branch, after a wait.
        c.at += rng.exp(if digital { 6.0 * HOUR } else { 4.0 * DAY });
        let channel = if digital { "app" } else { "store" };
        c.push(&mut rng, &mut events, "Application started", channel, None);
        if digital {
            c.push(&mut rng, &mut events, "ID uploaded", "app", None);
            if rng.chance(0.2) {
                // Sent back to step one.
                c.push(&mut rng, &mut events, "Application started", "app", None);
                c.push(&mut rng, &mut events, "ID uploaded", "app", None);
            }
        }
        if !rng.chance(if digital { 0.6 } else { 0.85 }) {
            continue;
        }
        c.push(
            &mut rng,
            &mut events,
            "Application submitted",
            channel,
            None,
        );
        c.at += rng.exp(if digital { 1.0 * DAY } else { 3.0 * DAY });
        c.push(&mut rng, &mut events, "Account opened", channel, None);
        // Getting started.
        c.at += rng.exp(1.5 * DAY);
        c.push(&mut rng, &mut events, "Welcome email opened", "email", None);
        if !rng.chance(0.85) {
            continue;
        }
        let deposit = (50.0 + rng.exp(900.0)).round();
        c.push(&mut rng, &mut events, "First deposit", "app", Some(deposit));
        if rng.chance(0.7) {
            c.push(&mut rng, &mut events, "Card activated", "app", None);
        }
        if !rng.chance(0.8) {
            continue;
        }
        // Ongoing relationship.
        c.at += rng.exp(10.0 * DAY);
        let touches = 3 + (rng.next() % 7) as usize;
        for _ in 0..touches {
            let (activity, channel) = if digital {
                ("Lesson followed", "app")
            } else {
                *rng.pick(STAGES[4].1)
            };
            c.push(&mut rng, &mut events, activity, channel, None);
            c.at += rng.exp(7.0 * DAY);
        }
    }
    events.sort_by_key(|e| (e.at, e.case));
    events
}

/// Writes `events` as CSV; returns the number of rows written.
pub fn write_csv(mut out: impl Write, events: &[Event]) -> io::Result<u64> {
    writeln!(out, "case_id,activity,timestamp,channel,segment,value")?;
    for e in events {
        let value = e.value.map(|v| v.to_string()).unwrap_or_default();
        writeln!(
            out,
            "C{:07},{},{},{},{},{}",
            e.case,
            e.activity,
            iso8601(e.at),
            e.channel,
            e.segment,
            value
        )?;
    }
    out.flush()?;
    Ok(events.len() as u64)
}

/// `2026-06-01T10:15:30.123Z`.
pub fn iso8601(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let in_day = ms.rem_euclid(86_400_000);
    let (y, m, d) = parcours_shared::text::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_log_and_another_seed_another() {
        let a = generate(200, 7);
        assert_eq!(a, generate(200, 7));
        assert_ne!(a, generate(200, 8));
        assert!(a.windows(2).all(|w| w[0].at <= w[1].at), "time order");
        // About ten events a case, every stage reached by some.
        assert!((1_600..2_600).contains(&a.len()), "{}", a.len());
        for (stage, activities) in STAGES {
            assert!(
                a.iter()
                    .any(|e| activities.iter().any(|(n, _)| *n == e.activity)),
                "{stage} is reached"
            );
        }
    }

    #[test]
    fn timestamps_are_iso_8601() {
        assert_eq!(iso8601(START_MS), "2026-06-01T00:00:00.000Z");
        assert_eq!(iso8601(951_825_600_123), "2000-02-29T12:00:00.123Z");
    }
}
