//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
//! async threads because it is slow on purpose, and never more than
//! [`MAX_CONCURRENT_HASHES`] at once: 400 parallel logins must not ask for 400 × 19 MiB.

use std::time::Duration;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
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

/// The hashing slots; one per process.
#[derive(Debug)]
pub struct Hasher {
    slots: Semaphore,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            slots: Semaphore::new(MAX_CONCURRENT_HASHES),
        }
    }
}

impl Hasher {
    /// Hashes `password` into a PHC string (`$argon2id$v=19$...`) with a random salt.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let _slot = self.slot().await?;
        tokio::task::spawn_blocking(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| HashError::Failed(e.to_string()))
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))?
    }

    /// True when `password` matches the stored PHC string.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, HashError> {
        let _slot = self.slot().await?;
        tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        })
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
