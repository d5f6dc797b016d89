//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
//! async threads because it is slow on purpose, and never more than
//! [`MAX_CONCURRENT_HASHES`] at once: 400 parallel logins must not ask for 400 × 19 MiB.
//! The 19 MiB working areas are kept and reused while people sign in: allocated and
//! freed per hash, the allocator kept freed areas around and a login storm left the
//! process at 1.2 GB. They are given back [`KEEP_MEMORY_FOR`] after the last hash, so
//! a server at rest does not hold 19–76 MiB for the next sign-in.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

/// Hashes computed at once at most (each takes 19 MiB and a core for tens of ms).
pub const MAX_CONCURRENT_HASHES: usize = 4;
/// How long a request waits for a hashing slot before it is told to come back (429).
pub const HASH_WAIT: Duration = Duration::from_secs(5);
/// How long the working areas are kept after the last hash.
pub const KEEP_MEMORY_FOR: Duration = Duration::from_secs(30);

/// Why a password could not be hashed or checked.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every slot stayed busy for [`HASH_WAIT`].
    #[error("the server is busy checking passwords; try again shortly")]
    Busy,
    /// argon2 failed.
    #[error("hashing failed: {0}")]
    Failed(String),
}

/// The hashing slots and their reusable working memory; one per process.
#[derive(Debug)]
pub struct Hasher {
    slots: Semaphore,
    /// Working areas of finished hashes, at most one per slot.
    memory: Arc<Mutex<Vec<Vec<Block>>>>,
    /// Hashes finished, so a release planned after one sees whether another came since.
    finished: Arc<AtomicU64>,
    /// How long the working areas are kept after the last hash.
    keep_memory_for: Duration,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher::keeping_memory_for(KEEP_MEMORY_FOR)
    }
}

/// Largest working area kept for reuse, in blocks (1 KiB each): four times the
/// default; a larger stored cost is computed with memory of its own.
const MAX_POOLED_BLOCKS: usize = 4 * Params::DEFAULT_M_COST as usize;

impl Hasher {
    /// A hasher that gives its working areas back `keep` after the last hash.
    pub fn keeping_memory_for(keep: Duration) -> Hasher {
        Hasher {
            slots: Semaphore::new(MAX_CONCURRENT_HASHES),
            memory: Arc::default(),
            finished: Arc::default(),
            keep_memory_for: keep,
        }
    }

    /// Working areas kept for the next hashes.
    pub fn kept_areas(&self) -> usize {
        self.memory.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// After a hash: the working areas are dropped `keep_memory_for` from now unless
    /// another hash finishes meanwhile (which plans its own release).
    fn release_later(&self) {
        let this = self.finished.fetch_add(1, Ordering::Relaxed) + 1;
        let finished = self.finished.clone();
        let memory = self.memory.clone();
        let keep = self.keep_memory_for;
        tokio::spawn(async move {
            tokio::time::sleep(keep).await;
            if finished.load(Ordering::Relaxed) == this {
                memory.lock().unwrap_or_else(|p| p.into_inner()).clear();
            }
        });
    }

    /// Hashes `password` into a PHC string (`$argon2id$v=19$...`) with a random salt.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let _slot = self.slot().await?;
        let memory = self.memory.clone();
        let hashed = tokio::task::spawn_blocking(move || hash_with(&memory, password.as_bytes()))
            .await
            .map_err(|e| HashError::Failed(e.to_string()))?;
        self.release_later();
        hashed
    }

    /// True when `password` matches the stored PHC string.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashError> {
        let _slot = self.slot().await?;
        let memory = self.memory.clone();
        let verified =
            tokio::task::spawn_blocking(move || verify_with(&memory, password.as_bytes(), &hash))
                .await
                .map_err(|e| HashError::Failed(e.to_string()));
        self.release_later();
        verified
    }

    async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, HashError> {
        match tokio::time::timeout(HASH_WAIT, self.slots.acquire()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(HashError::Busy),
        }
    }
}

/// Runs `f` on a working area of `blocks` blocks, taken from (and given back to) the
/// pool.
fn with_memory<R>(
    pool: &Mutex<Vec<Vec<Block>>>,
    blocks: usize,
    f: impl FnOnce(&mut [Block]) -> R,
) -> R {
    let lock = || pool.lock().unwrap_or_else(|p| p.into_inner());
    let mut area = if blocks <= MAX_POOLED_BLOCKS {
        lock().pop().unwrap_or_default()
    } else {
        Vec::new()
    };
    if area.len() < blocks {
        area.resize(blocks, Block::default());
    }
    let result = f(&mut area[..blocks]);
    if blocks <= MAX_POOLED_BLOCKS {
        let mut pool = lock();
        if pool.len() < MAX_CONCURRENT_HASHES {
            pool.push(area);
        }
    }
    result
}

fn hash_with(pool: &Mutex<Vec<Vec<Block>>>, password: &[u8]) -> Result<String, HashError> {
    let failed = |e: &dyn std::fmt::Display| HashError::Failed(e.to_string());
    let params = Params::default();
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt: [u8; 16] = rand::random();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_memory(pool, params.block_count(), |blocks| {
        argon.hash_password_into_with_memory(password, &salt, &mut out, blocks)
    })
    .map_err(|e| failed(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| failed(&e))?,
        salt: Some(Salt::new(&salt).map_err(|e| failed(&e))?),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` gives the stored hash (any argon2 variant and cost it names).
fn verify_with(pool: &Mutex<Vec<Vec<Block>>>, password: &[u8], stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm.as_str()) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let argon = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let computed = with_memory(pool, params.block_count(), |blocks| {
        argon.hash_password_into_with_memory(password, salt.as_ref(), &mut out, blocks)
    });
    // `Output`'s equality is constant-time.
    computed.is_ok() && Output::new(&out).is_ok_and(|out| out == *expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only_and_reads_as_standard_phc() {
        let hasher = Hasher::default();
        let hash = hasher.hash("correct horse".into()).await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(hasher
            .verify("correct horse".into(), hash.clone())
            .await
            .unwrap());
        assert!(!hasher
            .verify("correct horsf".into(), hash.clone())
            .await
            .unwrap());
        assert!(!hasher
            .verify("x".into(), "not a hash".into())
            .await
            .unwrap());
        // The argon2 crate's own verifier agrees (hashes stay portable).
        use argon2::PasswordVerifier;
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        // And ours reads the crate's hashes (accounts made before this change).
        use argon2::PasswordHasher;
        let theirs = Argon2::default()
            .hash_password(b"older")
            .unwrap()
            .to_string();
        assert!(hasher.verify("older".into(), theirs).await.unwrap());
        assert!(hasher.kept_areas() <= MAX_CONCURRENT_HASHES);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn working_memory_is_reused_while_busy_and_given_back_at_rest() {
        let keep = Duration::from_millis(300);
        let hasher = Arc::new(Hasher::keeping_memory_for(keep));
        let hash = hasher.hash("correct horse".into()).await.unwrap();
        assert_eq!(hasher.kept_areas(), 1, "kept for the next sign-in");
        // Busy: each hash within `keep` of the last postpones the release.
        for _ in 0..3 {
            tokio::time::sleep(keep / 2).await;
            assert!(hasher
                .verify("correct horse".into(), hash.clone())
                .await
                .unwrap());
            assert_eq!(hasher.kept_areas(), 1, "reused, not given back while busy");
        }
        // Four at once: at most one area per slot.
        let all = (0..4).map(|_| {
            let hasher = hasher.clone();
            let hash = hash.clone();
            async move { hasher.verify("correct horse".into(), hash).await.unwrap() }
        });
        assert!(futures_util::future::join_all(all)
            .await
            .into_iter()
            .all(|ok| ok));
        assert!((1..=MAX_CONCURRENT_HASHES).contains(&hasher.kept_areas()));
        // At rest: given back.
        tokio::time::sleep(keep * 2).await;
        assert_eq!(hasher.kept_areas(), 0);
        // And made again when needed.
        assert!(hasher.verify("correct horse".into(), hash).await.unwrap());
        assert_eq!(hasher.kept_areas(), 1);
    }
}
