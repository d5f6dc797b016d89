//! Session tokens: JWTs signed with HS256 by a key from the configuration or generated
//! on first start and kept in the data directory. Only HS256 is accepted (never
//! `alg: none`); each token carries the account's token version, so bumping the version
//! revokes every token issued before.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use parcours_shared::ids::UserId;
use serde::{Deserialize, Serialize};

use crate::config::Secret;
use crate::util::{now_ms, random_id};

/// File in the data directory holding the generated signing key.
pub const KEY_FILE: &str = "session-key";
/// Length of a generated key, in `[a-z0-9]` characters (~186 bits).
const GENERATED_KEY_LEN: usize = 36;
/// Clock skew tolerated when checking expiry.
const LEEWAY_SECS: u64 = 5;

/// What a session token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: u64,
    /// Issued at, seconds since the epoch.
    pub iat: u64,
    /// The account's token version when issued.
    pub ver: i64,
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid or expired session token")]
    Invalid,
}

/// The signing key, in both forms jsonwebtoken wants. Debug never shows it.
pub struct SessionKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionKeys([redacted])")
    }
}

impl SessionKeys {
    /// Keys from a secret.
    pub fn from_secret(secret: &[u8]) -> SessionKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECS;
        validation.set_required_spec_claims(&["exp", "sub"]);
        SessionKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// The configured secret, or the one kept in `data_dir` (created on first start,
    /// readable by the owner only). There is no built-in default.
    pub fn load(configured: Option<&Secret>, data_dir: &Path) -> anyhow::Result<SessionKeys> {
        if let Some(secret) = configured {
            return Ok(SessionKeys::from_secret(secret.expose().as_bytes()));
        }
        let path = data_dir.join(KEY_FILE);
        let secret = match std::fs::read_to_string(&path) {
            Ok(s) if s.trim().len() >= 32 => s.trim().to_owned(),
            Ok(_) => anyhow::bail!(
                "{} is too short; delete it to generate a new one",
                path.display()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::util::private_dir(data_dir)
                    .with_context(|| format!("cannot create {}", data_dir.display()))?;
                let secret = random_id(GENERATED_KEY_LEN);
                write_private(&path, &secret)?;
                tracing::info!(path = %path.display(), "generated a new session signing key");
                secret
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        };
        Ok(SessionKeys::from_secret(secret.as_bytes()))
    }

    /// A token for `user` at `version`, valid for `ttl`. Returns it with its expiry (ms).
    pub fn issue(
        &self,
        user: &UserId,
        version: i64,
        ttl: Duration,
    ) -> anyhow::Result<(String, i64)> {
        let now = (now_ms() / 1000) as u64;
        let claims = Claims {
            sub: user.0.clone(),
            iat: now,
            exp: now + ttl.as_secs(),
            ver: version,
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims.exp as i64 * 1000))
    }

    /// Checks signature, algorithm and expiry; the caller checks the version.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| TokenError::Invalid)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, secret: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(secret.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, secret: &str) -> anyhow::Result<()> {
    std::fs::write(path, secret).with_context(|| format!("cannot create {}", path.display()))
}
