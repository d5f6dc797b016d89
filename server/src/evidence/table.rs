//! An event log in memory, column by column with dictionaries (a million events take
//! about 30 MB), and its stored form: chunks of varint-encoded rows plus the
//! dictionaries, as blobs in `dataset_chunks` on either backend.

use std::collections::HashMap;

/// Rows per stored chunk.
pub const CHUNK_ROWS: usize = 65_536;

/// One event: indexes into the table's dictionaries (0 = none for channel and segment).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    pub case: u32,
    pub activity: u32,
    pub at: i64,
    pub channel: u32,
    pub segment: u32,
    /// NaN when the row had none.
    pub value: f64,
}

/// A whole event log.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EventTable {
    pub cases: Vec<String>,
    pub activities: Vec<String>,
    /// Index 0 is the empty channel.
    pub channels: Vec<String>,
    /// Index 0 is the empty segment.
    pub segments: Vec<String>,
    /// In file order.
    pub rows: Vec<Row>,
}

/// Interns strings into a dictionary.
#[derive(Debug, Default)]
pub struct Dict {
    pub names: Vec<String>,
    index: HashMap<String, u32>,
}

impl Dict {
    /// A dictionary whose index 0 is the empty string.
    pub fn with_empty() -> Dict {
        let mut d = Dict::default();
        d.intern("");
        d
    }

    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(name) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), i);
        i
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(data: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Encodes rows: per row the case, activity, time delta, channel and segment as
/// varints, a flag for the value and its 8 bytes when present.
pub fn encode_rows(rows: &[Row]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 10);
    put_varint(&mut out, rows.len() as u64);
    let mut prev = 0i64;
    for r in rows {
        put_varint(&mut out, u64::from(r.case));
        put_varint(&mut out, u64::from(r.activity));
        put_varint(&mut out, zigzag(r.at.wrapping_sub(prev)));
        prev = r.at;
        put_varint(&mut out, u64::from(r.channel));
        put_varint(&mut out, u64::from(r.segment));
        if r.value.is_nan() {
            out.push(0);
        } else {
            out.push(1);
            out.extend_from_slice(&r.value.to_le_bytes());
        }
    }
    out
}

/// Decodes what [`encode_rows`] wrote, appending to `rows`.
pub fn decode_rows(data: &[u8], rows: &mut Vec<Row>) -> Option<()> {
    let mut at = 0;
    let n = get_varint(data, &mut at)? as usize;
    rows.reserve(n.min(CHUNK_ROWS));
    let mut prev = 0i64;
    for _ in 0..n {
        let case = u32::try_from(get_varint(data, &mut at)?).ok()?;
        let activity = u32::try_from(get_varint(data, &mut at)?).ok()?;
        prev = prev.wrapping_add(unzigzag(get_varint(data, &mut at)?));
        let channel = u32::try_from(get_varint(data, &mut at)?).ok()?;
        let segment = u32::try_from(get_varint(data, &mut at)?).ok()?;
        let value = match data.get(at)? {
            0 => {
                at += 1;
                f64::NAN
            }
            1 => {
                let bytes: [u8; 8] = data.get(at + 1..at + 9)?.try_into().ok()?;
                at += 9;
                f64::from_le_bytes(bytes)
            }
            _ => return None,
        };
        rows.push(Row {
            case,
            activity,
            at: prev,
            channel,
            segment,
            value,
        });
    }
    (at == data.len()).then_some(())
}

/// Encodes a dictionary: its length, then each name's length and bytes.
pub fn encode_names(names: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(names.iter().map(|n| n.len() + 2).sum::<usize>() + 4);
    put_varint(&mut out, names.len() as u64);
    for n in names {
        put_varint(&mut out, n.len() as u64);
        out.extend_from_slice(n.as_bytes());
    }
    out
}

pub fn decode_names(data: &[u8]) -> Option<Vec<String>> {
    let mut at = 0;
    let n = get_varint(data, &mut at)? as usize;
    let mut names = Vec::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let len = get_varint(data, &mut at)? as usize;
        let bytes = data.get(at..at.checked_add(len)?)?;
        names.push(String::from_utf8(bytes.to_vec()).ok()?);
        at += len;
    }
    (at == data.len()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_names_round_trip() {
        let rows = vec![
            Row {
                case: 0,
                activity: 3,
                at: 1_780_000_000_000,
                channel: 0,
                segment: 1,
                value: f64::NAN,
            },
            Row {
                case: 70_000,
                activity: 0,
                at: 1_779_999_999_000,
                channel: 2,
                segment: 0,
                value: 12.5,
            },
            Row {
                case: 1,
                activity: 1,
                at: -5,
                channel: 1,
                segment: 1,
                value: -0.0,
            },
        ];
        let mut back = Vec::new();
        decode_rows(&encode_rows(&rows), &mut back).expect("decodes");
        assert_eq!(back.len(), 3);
        assert!(back[0].value.is_nan());
        assert_eq!(&back[1..], &rows[1..]);
        assert_eq!(back[0].at, rows[0].at);
        let names = vec!["".to_owned(), "Compte ouvert".into(), "é😀".into()];
        assert_eq!(decode_names(&encode_names(&names)), Some(names));
        // Truncated or padded data is refused, never misread.
        let enc = encode_rows(&rows);
        assert!(decode_rows(&enc[..enc.len() - 1], &mut Vec::new()).is_none());
        let mut padded = enc.clone();
        padded.push(0);
        assert!(decode_rows(&padded, &mut Vec::new()).is_none());
    }
}
