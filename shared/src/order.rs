//! Fractional indexing: order keys that sort stages, lanes, cards and paths.
//!
//! An order key is a short ASCII string compared byte by byte (the same order in Rust,
//! in JavaScript and in SQL). To put an item between two others we write a key strictly
//! between theirs, so a move touches one entry and concurrent moves converge.
//!
//! The format is the one of the `fractional-indexing` npm package with its default
//! base-62 digits (`0-9A-Za-z`), so a Yjs client can use that package directly: a key is
//! an *integer part* whose head letter gives its length (`a0`..`az`, then `b00`..; `Zz`
//! and below for prepends) followed by an optional *fraction* without trailing `0`.
//! Appending at the end therefore stays short (`a0`, `a1`, ... `az`, `b00`, ...).
//!
//! Two replicas appending concurrently can produce the same key; readers break such ties
//! by id, and [`place_at`] re-keys the siblings when a new item must go between two
//! equal (or malformed) keys.

use thiserror::Error;

/// The base-62 digit alphabet, in ASCII order.
const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// The smallest digit; a fraction never ends with it.
const ZERO: u8 = b'0';
/// The key returned when there is no neighbour at all.
const FIRST_KEY: &str = "a0";
/// The smallest integer part (`A` + 26 zeros); no integer sorts before it.
const SMALLEST_INTEGER: &str = "A00000000000000000000000000";

/// Why an order key could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum OrderError {
    /// A neighbour key is not in the fractional-indexing format.
    #[error("malformed order key {0:?}")]
    InvalidKey(String),
    /// The lower neighbour is not strictly below the upper one.
    #[error("order keys out of order: {0:?} >= {1:?}")]
    NotAscending(String, String),
    /// The integer space is exhausted in that direction (needs billions of edits).
    #[error("order key space exhausted")]
    Exhausted,
}

/// A key strictly between `a` and `b` (`None` = open end).
///
/// Never panics: when the neighbours are malformed or not ascending it falls back to a
/// key after `a` alone, then before `b` alone, then to the first key. Use
/// [`try_key_between`] (or [`place_at`]) when strictness matters.
pub fn key_between(a: Option<&str>, b: Option<&str>) -> String {
    try_key_between(a, b)
        .or_else(|_| try_key_between(a, None))
        .or_else(|_| try_key_between(None, b))
        .unwrap_or_else(|_| FIRST_KEY.to_owned())
}

/// `n` ascending keys strictly between `a` and `b`; same fallbacks as [`key_between`].
pub fn keys_between(a: Option<&str>, b: Option<&str>, n: usize) -> Vec<String> {
    try_keys_between(a, b, n)
        .or_else(|_| try_keys_between(a, None, n))
        .or_else(|_| try_keys_between(None, b, n))
        .or_else(|_| try_keys_between(None, None, n))
        .unwrap_or_default()
}

/// A key strictly between `a` and `b`, or why there is none.
pub fn try_key_between(a: Option<&str>, b: Option<&str>) -> Result<String, OrderError> {
    if let Some(a) = a {
        validate_key(a)?;
    }
    if let Some(b) = b {
        validate_key(b)?;
    }
    match (a, b) {
        (None, None) => Ok(FIRST_KEY.to_owned()),
        (Some(a), Some(b)) if a >= b => Err(OrderError::NotAscending(a.into(), b.into())),
        (None, Some(b)) => {
            let (ib, fb) = b.split_at(integer_len(b.as_bytes()[0])?);
            if ib == SMALLEST_INTEGER {
                return Ok(format!("{ib}{}", midpoint(b"", Some(fb.as_bytes()))?));
            }
            if fb.is_empty() {
                decrement_integer(ib)?.ok_or(OrderError::Exhausted)
            } else {
                Ok(ib.to_owned())
            }
        }
        (Some(a), None) => {
            let (ia, fa) = a.split_at(integer_len(a.as_bytes()[0])?);
            match increment_integer(ia)? {
                Some(i) => Ok(i),
                None => Ok(format!("{ia}{}", midpoint(fa.as_bytes(), None)?)),
            }
        }
        (Some(a), Some(b)) => {
            let (ia, fa) = a.split_at(integer_len(a.as_bytes()[0])?);
            let (ib, fb) = b.split_at(integer_len(b.as_bytes()[0])?);
            if ia == ib {
                return Ok(format!(
                    "{ia}{}",
                    midpoint(fa.as_bytes(), Some(fb.as_bytes()))?
                ));
            }
            let i = increment_integer(ia)?.ok_or(OrderError::Exhausted)?;
            if i.as_str() < b {
                Ok(i)
            } else {
                Ok(format!("{ia}{}", midpoint(fa.as_bytes(), None)?))
            }
        }
    }
}

/// `n` ascending keys strictly between `a` and `b`, or why there are none.
pub fn try_keys_between(
    a: Option<&str>,
    b: Option<&str>,
    n: usize,
) -> Result<Vec<String>, OrderError> {
    match n {
        0 => Ok(Vec::new()),
        1 => Ok(vec![try_key_between(a, b)?]),
        _ => match (a, b) {
            (_, None) => {
                let mut keys = vec![try_key_between(a, None)?];
                while keys.len() < n {
                    let next = try_key_between(keys.last().map(String::as_str), None)?;
                    keys.push(next);
                }
                Ok(keys)
            }
            (None, Some(_)) => {
                let mut keys = vec![try_key_between(None, b)?];
                while keys.len() < n {
                    let next = try_key_between(None, keys.last().map(String::as_str))?;
                    keys.push(next);
                }
                keys.reverse();
                Ok(keys)
            }
            (Some(_), Some(_)) => {
                // Split in halves so the keys stay balanced and short.
                let mid = n / 2;
                let c = try_key_between(a, b)?;
                let mut keys = try_keys_between(a, Some(&c), mid)?;
                keys.push(c.clone());
                keys.extend(try_keys_between(Some(&c), b, n - mid - 1)?);
                Ok(keys)
            }
        },
    }
}

/// Whether `key` is a well-formed order key.
pub fn is_valid_key(key: &str) -> bool {
    validate_key(key).is_ok()
}

/// Where a new (or moved) item goes among its sorted siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The order key for the placed item.
    pub key: String,
    /// Siblings that need a new key too, as (index in the given list, new key). Empty
    /// unless the neighbours at that spot were tied or malformed.
    pub rekey: Vec<(usize, String)>,
}

/// The key putting a new item at `index` among siblings whose keys are `sorted` (in
/// display order, without the item itself). `index` is clamped to the list length.
///
/// When the two neighbours cannot be separated (equal keys from concurrent appends, or
/// keys a foreign client malformed), every sibling is re-keyed in its current display
/// order, which keeps the result exactly as displayed plus the new item at `index`.
pub fn place_at(sorted: &[&str], index: usize) -> Placement {
    let index = index.min(sorted.len());
    let lo = index.checked_sub(1).map(|i| sorted[i]);
    let hi = sorted.get(index).copied();
    if let Ok(key) = try_key_between(lo, hi) {
        return Placement {
            key,
            rekey: Vec::new(),
        };
    }
    let mut fresh = keys_between(None, None, sorted.len() + 1);
    let key = fresh.remove(index);
    Placement {
        key,
        rekey: fresh.into_iter().enumerate().collect(),
    }
}

fn digit_index(d: u8) -> Option<usize> {
    DIGITS.iter().position(|&x| x == d)
}

/// Length of the integer part announced by its head letter.
fn integer_len(head: u8) -> Result<usize, OrderError> {
    match head {
        b'a'..=b'z' => Ok(usize::from(head - b'a') + 2),
        b'A'..=b'Z' => Ok(usize::from(b'Z' - head) + 2),
        _ => Err(OrderError::InvalidKey(char::from(head).to_string())),
    }
}

fn validate_key(key: &str) -> Result<(), OrderError> {
    let invalid = || OrderError::InvalidKey(key.to_owned());
    let bytes = key.as_bytes();
    let head = *bytes.first().ok_or_else(invalid)?;
    let len = integer_len(head).map_err(|_| invalid())?;
    if len > bytes.len() || key == SMALLEST_INTEGER {
        return Err(invalid());
    }
    if bytes[1..].iter().any(|&d| digit_index(d).is_none()) {
        return Err(invalid());
    }
    if bytes.len() > len && bytes.last() == Some(&ZERO) {
        return Err(invalid());
    }
    Ok(())
}

/// Digits strictly between fractions `a` and `b` (`None` = 1.0); inputs have no
/// trailing zero and `a < b`.
fn midpoint(a: &[u8], b: Option<&[u8]>) -> Result<String, OrderError> {
    if let Some(b) = b {
        // Skip the common prefix, padding `a` with zeros.
        let n = (0..b.len())
            .take_while(|&i| a.get(i).copied().unwrap_or(ZERO) == b[i])
            .count();
        if n > 0 {
            let prefix = String::from_utf8_lossy(&b[..n]).into_owned();
            let rest_a = a.get(n..).unwrap_or(b"");
            return Ok(prefix + &midpoint(rest_a, Some(&b[n..]))?);
        }
    }
    let bad = || OrderError::InvalidKey(String::from_utf8_lossy(a).into_owned());
    let digit_a = match a.first() {
        Some(&d) => digit_index(d).ok_or_else(bad)?,
        None => 0,
    };
    let digit_b = match b.and_then(|b| b.first()) {
        Some(&d) => digit_index(d).ok_or_else(bad)?,
        None if b.is_some() => return Err(bad()),
        None => DIGITS.len(),
    };
    if digit_b > digit_a + 1 {
        return Ok(char::from(DIGITS[(digit_a + digit_b).div_ceil(2)]).to_string());
    }
    match b {
        Some(b) if b.len() > 1 => Ok(char::from(b[0]).to_string()),
        _ => {
            let rest = midpoint(a.get(1..).unwrap_or(b""), None)?;
            Ok(format!("{}{rest}", char::from(DIGITS[digit_a])))
        }
    }
}

/// The next integer part, or `None` past the largest one.
fn increment_integer(x: &str) -> Result<Option<String>, OrderError> {
    step_integer(x, true)
}

/// The previous integer part, or `None` below the smallest one.
fn decrement_integer(x: &str) -> Result<Option<String>, OrderError> {
    step_integer(x, false)
}

fn step_integer(x: &str, up: bool) -> Result<Option<String>, OrderError> {
    let bytes = x.as_bytes();
    let (&head, digits) = bytes
        .split_first()
        .ok_or_else(|| OrderError::InvalidKey(x.to_owned()))?;
    if integer_len(head)? != bytes.len() {
        return Err(OrderError::InvalidKey(x.to_owned()));
    }
    let (first, last) = (DIGITS[0], DIGITS[DIGITS.len() - 1]);
    let mut digs = digits.to_vec();
    let mut carry = true;
    for d in digs.iter_mut().rev() {
        let i = digit_index(*d).ok_or_else(|| OrderError::InvalidKey(x.to_owned()))?;
        if up {
            *d = if i + 1 == DIGITS.len() {
                first
            } else {
                DIGITS[i + 1]
            };
            carry = i + 1 == DIGITS.len();
        } else {
            *d = if i == 0 { last } else { DIGITS[i - 1] };
            carry = i == 0;
        }
        if !carry {
            break;
        }
    }
    let head = if !carry {
        head
    } else if up {
        match head {
            b'Z' => return Ok(Some(format!("a{}", char::from(first)))),
            b'z' => return Ok(None),
            _ => {
                let h = head + 1;
                if h > b'a' {
                    digs.push(first);
                } else {
                    digs.pop();
                }
                h
            }
        }
    } else {
        match head {
            b'a' => return Ok(Some(format!("Z{}", char::from(last)))),
            b'A' => return Ok(None),
            _ => {
                let h = head - 1;
                if h < b'Z' {
                    digs.push(last);
                } else {
                    digs.pop();
                }
                h
            }
        }
    };
    let mut out = vec![head];
    out.extend(digs);
    Ok(Some(String::from_utf8_lossy(&out).into_owned()))
}

#[cfg(test)]
#[path = "order_tests.rs"]
mod tests;
