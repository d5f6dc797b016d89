//! Throttling of password checks and account creation, per account and per client
//! address, in memory with bounded size.
//!
//! An attempt is counted *before* its password is checked, so 400 parallel logins for
//! one account evaluate at most [`MAX_ATTEMPTS_PER_ACCOUNT`] passwords; a successful
//! one is given back (an office behind one address is not locked out by its own
//! sign-ins). Sign-ups are counted per address, password changes per account. The
//! table holds at most [`MAX_ENTRIES`]; when full, expired entries go first, then the
//! oldest.
//!
//! With `--cluster` the counters are shared by every node, in PostgreSQL's
//! `login_limits` table ([`LoginLimiter::share`]): each count is one atomic upsert that
//! counts only under the limit, so guesses spread over the nodes gain nothing. Should
//! the database not answer, the node counts in memory meanwhile.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use sqlx::PgPool;

use crate::util::now_ms;

/// Password checks allowed per account within [`WINDOW`], not counting successes.
pub const MAX_ATTEMPTS_PER_ACCOUNT: u32 = 5;
/// Password checks allowed per client address within [`WINDOW`] (several people may
/// share one), not counting successes.
pub const MAX_ATTEMPTS_PER_ADDRESS: u32 = 20;
/// Accounts one address may create within [`WINDOW`] by default (`--signups-per-address`):
/// a team signing up together behind one office address fits; a script does not.
pub const DEFAULT_SIGNUPS_PER_ADDRESS: u32 = 30;
/// Longest account name kept in a shared counter's key, in bytes.
const MAX_SHARED_ACCOUNT: usize = 256;
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
    /// The cluster's shared counters, when the node is in one.
    shared: OnceLock<PgPool>,
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
            shared: OnceLock::new(),
        }
    }

    /// From now on, counts in the cluster's shared table on `pool` (once; later calls
    /// change nothing).
    pub fn share(&self, pool: PgPool) {
        let _ = self.shared.set(pool);
    }

    /// Counts an attempt in the shared table; `Ok(None)` when a limit is reached.
    async fn attempt_shared(
        pool: &PgPool,
        account: &str,
        addr: Option<IpAddr>,
    ) -> Result<Option<Attempt>, sqlx::Error> {
        // The address first: one over its limit adds no row for the accounts it
        // names, so a flood from one address cannot grow the table.
        let address_key = addr.map(|a| Key::Address(a).shared());
        if let Some(key) = &address_key {
            if !count_shared(pool, key, MAX_ATTEMPTS_PER_ADDRESS).await? {
                return Ok(None);
            }
        }
        let account_key = Key::Account(account.to_owned()).shared();
        if !count_shared(pool, &account_key, MAX_ATTEMPTS_PER_ACCOUNT).await? {
            if let Some(key) = &address_key {
                give_back_shared(pool, key).await?;
            }
            return Ok(None);
        }
        Ok(Some(Attempt {
            account: account.to_owned(),
            addr,
        }))
    }

    /// Deletes the shared counters whose window ended (bounded work per call).
    pub async fn sweep_shared(&self) {
        if let Some(pool) = self.shared.get() {
            let cutoff = now_ms() - WINDOW.as_millis() as i64;
            if let Err(e) = sqlx::query("delete from login_limits where since <= $1")
                .bind(cutoff)
                .execute(pool)
                .await
            {
                tracing::debug!(error = %e, "sweeping the login counters failed");
            }
        }
    }

    /// Counts a password check for `account` from `addr`, if both are under their
    /// limits; `None` (nothing counted) when either is over.
    pub async fn attempt(&self, account: &str, addr: Option<IpAddr>) -> Option<Attempt> {
        if let Some(pool) = self.shared.get() {
            match Self::attempt_shared(pool, account, addr).await {
                Ok(attempt) => return attempt,
                Err(e) => {
                    tracing::warn!(error = %e, "shared login counters unreachable; counting on this node")
                }
            }
        }
        self.attempt_here(account, addr)
    }

    fn attempt_here(&self, account: &str, addr: Option<IpAddr>) -> Option<Attempt> {
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
    pub async fn succeeded(&self, attempt: Attempt) {
        if let Some(pool) = self.shared.get() {
            let account = Key::Account(attempt.account.clone()).shared();
            let given_back = async {
                sqlx::query("delete from login_limits where key = $1")
                    .bind(&account)
                    .execute(pool)
                    .await?;
                if let Some(a) = attempt.addr {
                    give_back_shared(pool, &Key::Address(a).shared()).await?;
                }
                Ok::<(), sqlx::Error>(())
            };
            if let Err(e) = given_back.await {
                tracing::warn!(error = %e, "could not give a login attempt back");
            }
        }
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
    pub async fn signup(&self, addr: Option<IpAddr>) -> bool {
        let Some(addr) = addr else {
            return true;
        };
        if let Some(pool) = self.shared.get() {
            match count_shared(pool, &Key::Signup(addr).shared(), self.signups_per_address).await {
                Ok(counted) => return counted,
                Err(e) => {
                    tracing::warn!(error = %e, "shared sign-up counters unreachable; counting on this node")
                }
            }
        }
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

impl Key {
    /// The key's row in the shared table. An account name is cut to
    /// [`MAX_SHARED_ACCOUNT`] bytes: no real address is longer (254), and a login
    /// sent with a megabyte "email" must not become a megabyte key (PostgreSQL
    /// refuses index entries past ~2.7 kB; bogus names that share a prefix share a
    /// counter, which costs only their sender).
    fn shared(&self) -> String {
        match self {
            Key::Account(a) => {
                let mut end = a.len().min(MAX_SHARED_ACCOUNT);
                while !a.is_char_boundary(end) {
                    end -= 1;
                }
                format!("account:{}", &a[..end])
            }
            Key::Address(a) => format!("address:{a}"),
            Key::Signup(a) => format!("signup:{a}"),
        }
    }
}

/// One more for `key` in the shared table if it is under `max` (a new window when the
/// last one ended): true when counted. One statement, so two nodes counting at once
/// cannot both pass the limit.
async fn count_shared(pool: &PgPool, key: &str, max: u32) -> Result<bool, sqlx::Error> {
    let now = now_ms();
    let ended = now - WINDOW.as_millis() as i64;
    let counted: Option<i32> = sqlx::query_scalar(
        "insert into login_limits (key, since, n) values ($1, $2, 1)
         on conflict (key) do update set
             since = case when login_limits.since <= $3 then excluded.since else login_limits.since end,
             n = case when login_limits.since <= $3 then 1 else login_limits.n + 1 end
         where login_limits.since <= $3 or login_limits.n < $4
         returning n",
    )
    .bind(key)
    .bind(now)
    .bind(ended)
    .bind(max as i32)
    .fetch_optional(pool)
    .await?;
    Ok(counted.is_some())
}

/// One less for `key` in the shared table.
async fn give_back_shared(pool: &PgPool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("update login_limits set n = greatest(n - 1, 0) where key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
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

    #[tokio::test]
    async fn attempts_are_counted_before_the_check_and_successes_given_back() {
        let limiter = LoginLimiter::default();
        let mut held = Vec::new();
        for _ in 0..MAX_ATTEMPTS_PER_ACCOUNT {
            held.push(
                limiter
                    .attempt("a@x.org", ip(1))
                    .await
                    .expect("under the limit"),
            );
        }
        assert!(
            limiter.attempt("a@x.org", ip(1)).await.is_none(),
            "in flight count too"
        );
        limiter.succeeded(held.pop().expect("one")).await;
        assert!(
            limiter.attempt("a@x.org", ip(1)).await.is_some(),
            "a success resets the account"
        );
    }

    #[tokio::test]
    async fn an_address_is_limited_across_accounts_but_not_by_its_successes() {
        let limiter = LoginLimiter::default();
        for i in 0..MAX_ATTEMPTS_PER_ADDRESS {
            let attempt = limiter
                .attempt(&format!("u{i}@x.org"), ip(2))
                .await
                .expect("ok");
            if i % 2 == 0 {
                limiter.succeeded(attempt).await;
            }
        }
        assert!(limiter.attempt("other@x.org", ip(2)).await.is_some());
    }

    #[tokio::test]
    async fn signups_are_limited_per_address() {
        let limiter = LoginLimiter::new(10);
        for _ in 0..10 {
            assert!(limiter.signup(ip(3)).await);
        }
        assert!(!limiter.signup(ip(3)).await);
        assert!(limiter.signup(ip(4)).await);
    }

    #[test]
    fn a_shared_key_is_bounded_whatever_the_name_sent() {
        let long = "é".repeat(10_000);
        let key = Key::Account(long).shared();
        assert!(
            key.len() <= "account:".len() + MAX_SHARED_ACCOUNT,
            "{}",
            key.len()
        );
        assert_eq!(
            Key::Account("a@x.org".into()).shared(),
            "account:a@x.org",
            "real addresses are kept whole"
        );
    }

    #[tokio::test]
    async fn the_table_never_grows_past_its_bound() {
        let limiter = LoginLimiter::default();
        for i in 0..(MAX_ENTRIES + 5_000) {
            let _ = limiter.attempt(&format!("spray{i}@x.org"), None).await;
        }
        assert!(limiter.len() <= MAX_ENTRIES);
    }
}
