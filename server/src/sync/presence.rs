//! Presence (y-protocols awareness) a peer may publish, and what the room makes of it.
//!
//! Any peer — a viewer, a public-link visitor — sends awareness, so it is bounded like
//! any other input: a few client ids per peer, a few kilobytes per state, a steady rate.
//! The room processes a message in time proportional to the ids in it, a peer may only
//! update or clear the ids it announced, and the name and colour people see come from
//! the server's account, not from what the client claims; so does `user.editor`
//! (whether the person may edit the map), which the web app reads before it follows
//! someone who asks everyone to follow them. Violators are closed with
//! 1008 and counted in `/metrics`.
//!
//! Awareness is gossip: a stock y-websocket client sends back every presence change it
//! learns (from the server, or from other tabs over a BroadcastChannel), naming other
//! clients' ids. Those entries are not violations; the room ignores an entry unless it
//! is for an id the peer announced, or brings a newer state (a higher clock) of an id
//! that nobody else — no other person — holds. A message may therefore name as many ids
//! as there are people on the map, up to [`MAX_IDS_PER_MESSAGE`].

use std::time::Instant;

use serde_json::{Map, Value};

/// Awareness client ids one peer may announce (further new ids it names are ignored).
/// A tab has one (its document's client id); a client that had to change its id (Yjs
/// does so on a clock clash) needs a second; tabs of one browser relaying each other's
/// presence while their own sockets reconnect, a few more. Four is generous.
pub(crate) const MAX_CLIENTS_PER_PEER: usize = 4;
/// Most ids one awareness message may name, checked before it is decoded. Stock clients
/// relay everyone's presence, so a message can name everyone on the map; a thousand is
/// far past any meeting, while a million (7 MB) is an attack.
pub(crate) const MAX_IDS_PER_MESSAGE: u64 = 1024;
/// Largest state, in bytes of JSON. Parcours publishes ~100 bytes (name, colour,
/// selection); editors with cursors a few hundred.
pub(crate) const MAX_STATE_BYTES: usize = 8 * 1024;
/// Steady rate of a peer's own presence updates, and the burst allowed above it.
/// y-websocket renews presence every 15 s; apps send one per selection or cursor move,
/// a few a second, at most one a frame.
pub(crate) const RATE_PER_SECOND: f64 = 60.0;
/// See [`RATE_PER_SECOND`].
pub(crate) const RATE_BURST: f64 = 120.0;
/// Steady rate of awareness messages of any kind per peer (relays of others' presence
/// included: with 50 people moving their cursors a stock client relays hundreds a
/// second), and its burst.
pub(crate) const MESSAGES_PER_SECOND: f64 = 1_000.0;
/// See [`MESSAGES_PER_SECOND`].
pub(crate) const MESSAGES_BURST: f64 = 2_000.0;

/// Why a peer's presence is refused.
#[derive(Debug)]
pub(crate) enum Violation {
    StateTooLarge(usize),
    TooOften,
    NotJson,
}

impl Violation {
    /// The close reason.
    pub(crate) fn reason(&self) -> String {
        match self {
            Violation::StateTooLarge(n) => {
                format!("presence state of {n} bytes (at most {MAX_STATE_BYTES})")
            }
            Violation::TooOften => "presence sent too often".into(),
            Violation::NotJson => "presence state is not JSON".into(),
        }
    }
}

/// A token bucket: `burst` at once, `rate` a second steadily.
#[derive(Debug, Clone)]
pub(crate) struct RateLimit {
    rate: f64,
    burst: f64,
    tokens: f64,
    at: Option<Instant>,
}

impl RateLimit {
    /// A full bucket.
    pub(crate) fn new(rate: f64, burst: f64) -> RateLimit {
        RateLimit {
            rate,
            burst,
            tokens: burst,
            at: None,
        }
    }

    /// For a peer's own presence updates.
    pub(crate) fn own_states() -> RateLimit {
        RateLimit::new(RATE_PER_SECOND, RATE_BURST)
    }

    /// For awareness messages of any kind.
    pub(crate) fn messages() -> RateLimit {
        RateLimit::new(MESSAGES_PER_SECOND, MESSAGES_BURST)
    }

    /// Takes one token at `now`; false when over the rate.
    pub(crate) fn take(&mut self, now: Instant) -> bool {
        if let Some(at) = self.at {
            let elapsed = now.saturating_duration_since(at).as_secs_f64();
            self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        }
        self.at = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// `json` (a published state) with `user.name`, `user.color` and `user.editor` set to
/// who the server knows the peer to be; other fields are kept. A state that is not an
/// object is kept as it is (nobody is named by it).
pub(crate) fn stamp(
    json: &str,
    name: &str,
    color: &str,
    editor: bool,
) -> Result<String, Violation> {
    if json.len() > MAX_STATE_BYTES {
        return Err(Violation::StateTooLarge(json.len()));
    }
    let mut value: Value = serde_json::from_str(json).map_err(|_| Violation::NotJson)?;
    let Some(object) = value.as_object_mut() else {
        return Ok(json.to_owned());
    };
    let user = object
        .entry("user")
        .or_insert_with(|| Value::Object(Map::new()));
    if !user.is_object() {
        *user = Value::Object(Map::new());
    }
    if let Some(user) = user.as_object_mut() {
        user.insert("name".into(), Value::String(name.to_owned()));
        user.insert("color".into(), Value::String(color.to_owned()));
        user.insert("editor".into(), Value::Bool(editor));
    }
    Ok(value.to_string())
}

/// How long a [`RateLimit`] needs to refill completely (for tests).
#[cfg(test)]
pub(crate) fn refill_time() -> std::time::Duration {
    std::time::Duration::from_secs_f64(RATE_BURST / RATE_PER_SECOND)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn the_server_writes_the_name_and_colour_and_keeps_the_rest() {
        let stamped = stamp(
            r##"{"user":{"name":"The CEO","color":"#000000","editor":true,"x":1},"selected":"c1"}"##,
            "Camille",
            "#155eef",
            false,
        )
        .expect("stamped");
        let v: Value = serde_json::from_str(&stamped).expect("json");
        assert_eq!(v["user"]["name"], "Camille");
        assert_eq!(v["user"]["color"], "#155eef");
        // A viewer claiming to edit (to have everyone follow them) is told apart.
        assert_eq!(v["user"]["editor"], false);
        assert_eq!(v["user"]["x"], 1);
        assert_eq!(v["selected"], "c1");
    }

    #[test]
    fn a_state_without_a_user_gets_one() {
        let stamped = stamp(r#"{"cursor":3}"#, "Sam", "#d92d20", true).expect("stamped");
        let v: Value = serde_json::from_str(&stamped).expect("json");
        assert_eq!(v["user"]["name"], "Sam");
        assert_eq!(v["user"]["editor"], true);
        assert_eq!(v["cursor"], 3);
    }

    #[test]
    fn oversized_and_non_json_states_are_refused() {
        let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(MAX_STATE_BYTES));
        assert!(matches!(
            stamp(&big, "a", "b", true),
            Err(Violation::StateTooLarge(_))
        ));
        assert!(matches!(
            stamp("{nope", "a", "b", true),
            Err(Violation::NotJson)
        ));
    }

    #[test]
    fn the_rate_allows_a_burst_then_the_steady_rate() {
        let mut rate = RateLimit::own_states();
        let t0 = Instant::now();
        for _ in 0..RATE_BURST as usize {
            assert!(rate.take(t0));
        }
        assert!(!rate.take(t0), "the burst is spent");
        assert!(
            rate.take(t0 + Duration::from_millis(100)),
            "3 more after 100 ms"
        );
        assert!(rate.take(t0 + refill_time() * 2));
    }
}
