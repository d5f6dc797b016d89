//! Email addresses as accounts and invitations know them: trimmed, lowercased, and
//! shaped like an address.

use crate::error::ApiError;

/// Longest accepted email, in bytes.
const MAX_EMAIL_BYTES: usize = 254;

/// Lowercased, trimmed, and shaped like an address, or a 422.
pub fn normalize_email(email: &str) -> Result<String, ApiError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= MAX_EMAIL_BYTES
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        });
    if valid {
        Ok(email)
    } else {
        Err(ApiError::invalid(
            "invalid_email",
            "that does not look like an email address",
        ))
    }
}
