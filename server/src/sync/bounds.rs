//! A peer's sync payloads walked before yrs decodes them, every count a message claims
//! held to the bytes that follow it.
//!
//! yrs 0.28 reserves room for the counts it reads — a state vector's clients, an
//! update's clients, a JSON map's entries — before reading what they count. For hash
//! maps that reservation is written to (one control byte per slot): ten bytes claiming
//! 520 million clients made the server touch a gigabyte and spend seconds (fuzz
//! finding 5), from any peer, viewers included. Its `Any` values also decode by
//! recursion, so a deep enough nesting would overflow the stack and end the process.
//! Each counted element takes at least one byte, so a claim larger than the bytes left
//! is a lie and is refused here, as is nesting deeper than [`MAX_DEPTH`]; what passes
//! costs yrs no more than the frame's own size. Weak links (a yrs extension no Yjs
//! client sends, with a decoder of its own) are refused too.

/// The deepest nesting of JSON-like values accepted (arrays and maps within arrays and
/// maps). Map values are shallow in the schema; 64 leaves room for any client's own.
pub(crate) const MAX_DEPTH: usize = 64;

/// yrs's content kinds (`block.rs`) and the type kinds of shared types.
const SKIP: u8 = 10;
const GC: u8 = 0;
const HAS_ORIGIN: u8 = 0x80;
const HAS_RIGHT_ORIGIN: u8 = 0x40;
const HAS_PARENT_SUB: u8 = 0x20;
const TYPE_XML_ELEMENT: u8 = 3;
const TYPE_WEAK_LINK: u8 = 7;

/// Checks a sync step 1's payload: an encoded state vector.
pub(crate) fn check_state_vector(bytes: &[u8]) -> Result<(), String> {
    let mut r = Reader { bytes, pos: 0 };
    let clients = r.count("state vector clients", 2)?;
    for _ in 0..clients {
        r.var()?;
        r.var()?;
    }
    Ok(())
}

/// Checks an update (lib0 v1 encoding): its blocks, their contents and its delete set.
pub(crate) fn check_update(bytes: &[u8]) -> Result<(), String> {
    let mut r = Reader { bytes, pos: 0 };
    let clients = r.count("update clients", 3)?;
    for _ in 0..clients {
        let blocks = r.count("blocks", 1)?;
        r.var()?; // client
        r.var()?; // first clock
        for _ in 0..blocks {
            block(&mut r)?;
        }
    }
    let deleted = r.count("delete set clients", 2)?;
    for _ in 0..deleted {
        r.var()?; // client
        let ranges = r.count("deleted ranges", 2)?;
        for _ in 0..ranges {
            r.var()?;
            r.var()?;
        }
    }
    Ok(())
}

fn block(r: &mut Reader) -> Result<(), String> {
    let info = r.u8()?;
    if info == SKIP || info == GC {
        r.var()?;
        return Ok(());
    }
    if info & HAS_ORIGIN != 0 {
        r.var()?;
        r.var()?;
    }
    if info & HAS_RIGHT_ORIGIN != 0 {
        r.var()?;
        r.var()?;
    }
    if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
        if r.var()? == 1 {
            r.buf()?; // a root type's name
        } else {
            r.var()?; // the parent type's item id
            r.var()?;
        }
        if info & HAS_PARENT_SUB != 0 {
            r.buf()?;
        }
    }
    content(r, info & 0x0f)
}

fn content(r: &mut Reader, kind: u8) -> Result<(), String> {
    match kind {
        // deleted: a length
        1 => r.var().map(drop),
        // JSON: strings (yrs reads one more than the count)
        2 => {
            let n = r.count("JSON values", 1)?;
            for _ in 0..=n {
                r.buf()?;
            }
            Ok(())
        }
        // binary, string, embed (JSON text)
        3..=5 => r.buf(),
        // format: a key and a JSON text
        6 => {
            r.buf()?;
            r.buf()
        }
        // a shared type
        7 => match r.u8()? {
            TYPE_XML_ELEMENT => r.buf(),
            TYPE_WEAK_LINK => Err("weak links are not accepted".into()),
            0..=6 | 9 | 15 => Ok(()),
            other => Err(format!("unknown type kind {other}")),
        },
        // values
        8 => {
            let n = r.count("values", 1)?;
            for _ in 0..n {
                any(r, 0)?;
            }
            Ok(())
        }
        // a subdocument: its options
        9 => any(r, 0),
        other => Err(format!("unknown content kind {other}")),
    }
}

/// One lib0 `Any` value.
fn any(r: &mut Reader, depth: usize) -> Result<(), String> {
    if depth >= MAX_DEPTH {
        return Err(format!("values nested deeper than {MAX_DEPTH}"));
    }
    match r.u8()? {
        // undefined, null, false, true
        127 | 126 | 121 | 120 => Ok(()),
        // integer
        125 => r.var().map(drop),
        // float32
        124 => r.skip(4),
        // float64, bigint
        123 | 122 => r.skip(8),
        // string, buffer
        119 | 116 => r.buf(),
        // map: key and value
        118 => {
            let n = r.count("map entries", 2)?;
            for _ in 0..n {
                r.buf()?;
                any(r, depth + 1)?;
            }
            Ok(())
        }
        // array
        117 => {
            let n = r.count("array items", 1)?;
            for _ in 0..n {
                any(r, depth + 1)?;
            }
            Ok(())
        }
        other => Err(format!("unknown value tag {other}")),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn u8(&mut self) -> Result<u8, String> {
        let byte = *self
            .bytes
            .get(self.pos)
            .ok_or("unexpected end of message")?;
        self.pos += 1;
        Ok(byte)
    }

    /// A lib0 variable-length integer (signed ones have the same length), saturated.
    fn var(&mut self) -> Result<u64, String> {
        let mut value: u64 = 0;
        for i in 0..10 {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f).checked_shl(7 * i).unwrap_or(0);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number longer than ten bytes".into())
    }

    /// A count of elements each at least `each` bytes long, held to the bytes left.
    fn count(&mut self, what: &str, each: usize) -> Result<u64, String> {
        let n = self.var()?;
        let room = (self.left() / each) as u64;
        if n > room {
            return Err(format!("{what}: {n} claimed, {} bytes left", self.left()));
        }
        Ok(n)
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        if n > self.left() as u64 {
            return Err("unexpected end of message".into());
        }
        self.pos += n as usize;
        Ok(())
    }

    /// A length-prefixed byte string.
    fn buf(&mut self) -> Result<(), String> {
        let n = self.var()?;
        self.skip(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::updates::encoder::Encode;
    use yrs::{Any, Array, Doc, Map, ReadTxn, StateVector, Text, Transact};

    #[test]
    fn what_yjs_clients_send_passes() {
        let doc = Doc::with_client_id(7);
        let meta = doc.get_or_insert_map("meta");
        let cards = doc.get_or_insert_array("list");
        let notes = doc.get_or_insert_text("notes");
        {
            let mut txn = doc.transact_mut();
            meta.insert(&mut txn, "title", "Bank onboarding");
            meta.insert(&mut txn, "score", 3.5);
            meta.insert(&mut txn, "n", 42);
            meta.insert(&mut txn, "tags", Any::from(vec![Any::from("a"), Any::Null]));
            cards.insert_range(&mut txn, 0, [1.0, 2.0]);
            notes.insert(&mut txn, 0, "hello");
        }
        notes.remove_range(&mut doc.transact_mut(), 1, 2);
        let update = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        check_update(&update).expect("a real update passes");
        check_state_vector(&doc.transact().state_vector().encode_v1()).expect("a real SV");
        check_update(yrs::Update::EMPTY_V1).expect("the empty update");
    }

    #[test]
    fn a_claimed_count_beyond_the_bytes_left_is_refused() {
        // Fuzz finding 5: a state vector claiming ~520 million clients in 7 bytes.
        let sv = [0xbf, 0xc6, 0xcf, 0xf7, 0x01, 0x04, 0x1f];
        let err = check_state_vector(&sv).unwrap_err();
        assert!(err.contains("state vector clients"), "{err}");
        // An update claiming 2^28 clients.
        let err = check_update(&[0x80, 0x80, 0x80, 0x80, 0x01, 0, 0]).unwrap_err();
        assert!(err.contains("update clients"), "{err}");
    }

    #[test]
    fn deep_nesting_is_refused_before_yrs_recurses() {
        // One item holding one value: arrays nested 100 000 deep.
        let mut update = vec![1, 1, 7, 0, 0x08, 1, 4, b'l', b'i', b's', b't', 1];
        for _ in 0..100_000 {
            update.extend([117, 1]);
        }
        update.extend([126, 0]);
        let err = check_update(&update).unwrap_err();
        assert!(err.contains("nested deeper"), "{err}");
    }
}
