//! Session tokens a client could forge: signed with any key and any expiry, or unsigned.

use serde_json::json;

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// A token for `sub`, signed with `key` (HS256), expiring `exp_offset` seconds from now.
pub fn mint(sub: &str, key: &[u8], exp_offset: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("time")
        .as_secs() as i64;
    let claims = json!({"sub": sub, "iat": now, "exp": now + exp_offset, "ver": 0});
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(key),
    )
    .expect("encode")
}

/// An unsigned `alg: none` token claiming to be `sub`.
pub fn alg_none(sub: &str) -> String {
    let header = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let claims = b64url(
        json!({"sub": sub, "exp": 4_000_000_000u64, "iat": 0, "ver": 0})
            .to_string()
            .as_bytes(),
    );
    format!("{header}.{claims}.")
}
