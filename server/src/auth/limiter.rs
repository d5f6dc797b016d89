//! Failed-login throttling, per account and per client address, in memory: after
//! too many failures in a window, further attempts are refused until it passes.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per account within [`WINDOW`].
pub const MAX_FAILURES_PER_ACCOUNT: u32 = 5;
/// Failures allowed per client address within [`WINDOW`] (several people may share one).
pub const MAX_FAILURES_PER_ADDRESS: u32 = 20;
/// The counting window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Entries kept before old ones are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Hash, PartialEq, Eq)]
enum Key {
    Account(String),
    Address(IpAddr),
}

/// Counts failed logins.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<Key, (Instant, u32)>>,
}

impl LoginLimiter {
    /// Whether another attempt for `email` from `addr` may be made now.
    pub fn allowed(&self, email: &str, addr: Option<IpAddr>) -> bool {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let over = |key: Key, max: u32| {
            map.get(&key)
                .is_some_and(|(since, n)| since.elapsed() < WINDOW && *n >= max)
        };
        !over(Key::Account(email.to_owned()), MAX_FAILURES_PER_ACCOUNT)
            && !addr.is_some_and(|a| over(Key::Address(a), MAX_FAILURES_PER_ADDRESS))
    }

    /// Records a failed attempt.
    pub fn failed(&self, email: &str, addr: Option<IpAddr>) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SWEEP_AT {
            map.retain(|_, (since, _)| since.elapsed() < WINDOW);
        }
        let keys = std::iter::once(Key::Account(email.to_owned())).chain(addr.map(Key::Address));
        for key in keys {
            let entry = map.entry(key).or_insert((Instant::now(), 0));
            if entry.0.elapsed() >= WINDOW {
                *entry = (Instant::now(), 0);
            }
            entry.1 += 1;
        }
    }

    /// Forgets an account's failures after a successful login.
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&Key::Account(email.to_owned()));
    }
}
