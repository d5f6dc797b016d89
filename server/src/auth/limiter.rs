//! Throttling of password checks and account creation, per account and per client
//! address, in memory with bounded size.
//!
//! An attempt is counted *before* its password is checked, so 400 parallel logins for
//! one account evaluate at most [`MAX_ATTEMPTS_PER_ACCOUNT`] passwords; a successful
//! one is given back (an office behind one address is not locked out by its own
//! sign-ins). Sign-ups are counted per address, password changes per account. The
//! table holds at most [`MAX_ENTRIES`]; when full, expired entries go first, then the
//! oldest.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Password checks allowed per account within [`WINDOW`], not counting successes.
pub const MAX_ATTEMPTS_PER_ACCOUNT: u32 = 5;
/// Password checks allowed per client address within [`WINDOW`] (several people may
/// share one), not counting successes.
pub const MAX_ATTEMPTS_PER_ADDRESS: u32 = 20;
/// Accounts one address may create within [`WINDOW`] by default (`--signups-per-address`):
/// a team signing up together behind one office address fits; a script does not.
pub const DEFAULT_SIGNUPS_PER_ADDRESS: u32 = 30;
/// The counting window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Most entries kept; past it, expired then oldest entries are dropped.
pub const MAX_ENTRIES: usize = 100_000;

/// What is counted.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
enum Key {
    /// Password checks of one account (login, password change).
    Account(String),
    /// Password checks from one address.
    Address(IpAddr),
    /// Sign-ups from one address.
    Signup(IpAddr),
}

/// The counters.
#[derive(Debug)]
pub struct LoginLimiter {
    counts: Mutex<HashMap<Key, (Instant, u32)>>,
    /// Sign-ups allowed per address within [`WINDOW`].
    signups_per_address: u32,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::new(DEFAULT_SIGNUPS_PER_ADDRESS)
    }
}

/// An attempt that was let through; [`LoginLimiter::succeeded`] gives it back.
#[derive(Debug)]
#[must_use]
pub struct Attempt {
    account: String,
    addr: Option<IpAddr>,
}

impl LoginLimiter {
    /// A limiter allowing `signups_per_address` sign-ups per address per window.
    pub fn new(signups_per_address: u32) -> LoginLimiter {
        LoginLimiter {
            counts: Mutex::new(HashMap::new()),
            signups_per_address,
        }
    }

    /// Counts a password check for `account` from `addr`, if both are under their
    /// limits; `None` (nothing counted) when either is over.
    pub fn attempt(&self, account: &str, addr: Option<IpAddr>) -> Option<Attempt> {
        let mut map = self.lock();
        let now = Instant::now();
        let account_key = Key::Account(account.to_owned());
        let over = |map: &HashMap<Key, (Instant, u32)>, key: &Key, max: u32| {
            map.get(key)
                .is_some_and(|(since, n)| now.duration_since(*since) < WINDOW && *n >= max)
        };
        if over(&map, &account_key, MAX_ATTEMPTS_PER_ACCOUNT)
            || addr.is_some_and(|a| over(&map, &Key::Address(a), MAX_ATTEMPTS_PER_ADDRESS))
        {
            return None;
        }
        bump(&mut map, account_key, now);
        if let Some(a) = addr {
            bump(&mut map, Key::Address(a), now);
        }
        Some(Attempt {
            account: account.to_owned(),
            addr,
        })
    }

    /// The attempt succeeded: the account starts afresh and the address gets its
    /// attempt back.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut map = self.lock();
        map.remove(&Key::Account(attempt.account));
        if let Some(a) = attempt.addr {
            if let Some((_, n)) = map.get_mut(&Key::Address(a)) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// Counts an account creation from `addr`; false when the address is over its
    /// limit (nothing counted).
    pub fn signup(&self, addr: Option<IpAddr>) -> bool {
        let Some(addr) = addr else {
            return true;
        };
        let mut map = self.lock();
        let now = Instant::now();
        let key = Key::Signup(addr);
        if map.get(&key).is_some_and(|(since, n)| {
            now.duration_since(*since) < WINDOW && *n >= self.signups_per_address
        }) {
            return false;
        }
        bump(&mut map, key, now);
        true
    }

    /// How many entries the table holds (for tests and metrics).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (Instant, u32)>> {
        self.counts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One more for `key`, starting a new window when the last one passed; makes room
/// first when the table is full.
fn bump(map: &mut HashMap<Key, (Instant, u32)>, key: Key, now: Instant) {
    if !map.contains_key(&key) && map.len() >= MAX_ENTRIES {
        map.retain(|_, (since, _)| now.duration_since(*since) < WINDOW);
        if map.len() >= MAX_ENTRIES {
            // Still full of live entries: drop the oldest tenth in one pass.
            let mut ages: Vec<Instant> = map.values().map(|(since, _)| *since).collect();
            let cut = ages.len() / 10;
            let (_, oldest_kept, _) = ages.select_nth_unstable(cut);
            let threshold = *oldest_kept;
            map.retain(|_, (since, _)| *since >= threshold);
        }
    }
    let entry = map.entry(key).or_insert((now, 0));
    if now.duration_since(entry.0) >= WINDOW {
        *entry = (now, 0);
    }
    entry.1 += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> Option<IpAddr> {
        Some(IpAddr::from([10, 0, 0, n]))
    }

    #[test]
    fn attempts_are_counted_before_the_check_and_successes_given_back() {
        let limiter = LoginLimiter::default();
        let mut held = Vec::new();
        for _ in 0..MAX_ATTEMPTS_PER_ACCOUNT {
            held.push(limiter.attempt("a@x.org", ip(1)).expect("under the limit"));
        }
        assert!(
            limiter.attempt("a@x.org", ip(1)).is_none(),
            "in flight count too"
        );
        limiter.succeeded(held.pop().expect("one"));
        assert!(
            limiter.attempt("a@x.org", ip(1)).is_some(),
            "a success resets the account"
        );
    }

    #[test]
    fn an_address_is_limited_across_accounts_but_not_by_its_successes() {
        let limiter = LoginLimiter::default();
        for i in 0..MAX_ATTEMPTS_PER_ADDRESS {
            let attempt = limiter.attempt(&format!("u{i}@x.org"), ip(2)).expect("ok");
            if i % 2 == 0 {
                limiter.succeeded(attempt);
            }
        }
        assert!(limiter.attempt("other@x.org", ip(2)).is_some());
    }

    #[test]
    fn signups_are_limited_per_address() {
        let limiter = LoginLimiter::new(10);
        for _ in 0..10 {
            assert!(limiter.signup(ip(3)));
        }
        assert!(!limiter.signup(ip(3)));
        assert!(limiter.signup(ip(4)));
    }

    #[test]
    fn the_table_never_grows_past_its_bound() {
        let limiter = LoginLimiter::default();
        for i in 0..(MAX_ENTRIES + 5_000) {
            let _ = limiter.attempt(&format!("spray{i}@x.org"), None);
        }
        assert!(limiter.len() <= MAX_ENTRIES);
    }
}
