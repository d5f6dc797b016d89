//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
//! async threads because it is slow on purpose, and never more than
//! [`MAX_CONCURRENT_HASHES`] at once: 400 parallel logins must not ask for 400 × 19 MiB.
//! The 19 MiB working areas are kept and reused: allocated and freed per hash, the
//! allocator kept freed areas around and a login storm left the process at 1.2 GB.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

/// Hashes computed at once at most (each takes 19 MiB and a core for tens of ms).
pub const MAX_CONCURRENT_HASHES: usize = 4;
/// How long a request waits for a hashing slot before it is told to come back (429).
pub const HASH_WAIT: Duration = Duration::from_secs(5);

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
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            slots: Semaphore::new(MAX_CONCURRENT_HASHES),
            memory: Arc::default(),
        }
    }
}

/// Largest working area kept for reuse, in blocks (1 KiB each): four times the
/// default; a larger stored cost is computed with memory of its own.
const MAX_POOLED_BLOCKS: usize = 4 * Params::DEFAULT_M_COST as usize;

impl Hasher {
    /// Hashes `password` into a PHC string (`$argon2id$v=19$...`) with a random salt.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let _slot = self.slot().await?;
        let memory = self.memory.clone();
        tokio::task::spawn_blocking(move || hash_with(&memory, password.as_bytes()))
            .await
            .map_err(|e| HashError::Failed(e.to_string()))?
    }

    /// True when `password` matches the stored PHC string.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashError> {
        let _slot = self.slot().await?;
        let memory = self.memory.clone();
        tokio::task::spawn_blocking(move || verify_with(&memory, password.as_bytes(), &hash))
            .await
            .map_err(|e| HashError::Failed(e.to_string()))
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
        assert!(hasher.memory.lock().unwrap().len() <= MAX_CONCURRENT_HASHES);
    }
}
