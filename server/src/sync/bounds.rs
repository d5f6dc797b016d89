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

/// The y-protocols message types and sync kinds.
const MESSAGE_SYNC: u8 = 0;
const MESSAGE_AWARENESS: u8 = 1;
const SYNC_STEP_1: u8 = 0;
const SYNC_STEP_2: u8 = 1;
const SYNC_UPDATE: u8 = 2;

/// Checks the message at the start of `bytes`: a sync message's payload (state vector
/// or update) and an awareness message's client count. Numbers must be in the form
/// clients write them — yrs reads a longer or wider form with wrap-around, so a check
/// reading it otherwise would look at other bytes than yrs does. Other message types are
/// left to yrs.
pub(crate) fn check_message(bytes: &[u8]) -> Result<(), String> {
    let mut r = Reader { bytes, pos: 0 };
    match r.tag()? {
        MESSAGE_SYNC => {
            let kind = r.tag()?;
            let payload = r.payload()?;
            match kind {
                SYNC_STEP_1 => check_state_vector(payload),
                SYNC_STEP_2 | SYNC_UPDATE => check_update(payload),
                other => Err(format!("unknown sync message kind {other}")),
            }
        }
        MESSAGE_AWARENESS => {
            let mut update = Reader {
                bytes: r.payload()?,
                pos: 0,
            };
            // Each entry: a client id, a clock and a JSON state.
            update.count32("awareness clients", 3).map(drop)
        }
        _ => Ok(()),
    }
}

/// Checks a sync step 1's payload: an encoded state vector.
fn check_state_vector(bytes: &[u8]) -> Result<(), String> {
    let mut r = Reader { bytes, pos: 0 };
    let clients = r.count32("state vector clients", 2)?;
    for _ in 0..clients {
        r.u64()?;
        r.u32()?;
    }
    Ok(())
}

/// Checks an update (lib0 v1 encoding): its blocks, their contents and its delete set.
fn check_update(bytes: &[u8]) -> Result<(), String> {
    let mut r = Reader { bytes, pos: 0 };
    let clients = r.count32("update clients", 3)?;
    // Each client once, as every encoder writes it: yrs merges two sections of one
    // client into one list of blocks that may overlap, and a room that applied such an
    // update held a state its own encoding no longer carries (fuzz finding 7).
    let mut seen = std::collections::HashSet::new();
    for _ in 0..clients {
        let blocks = r.count32("blocks", 1)?;
        let client = r.u64()?;
        if !seen.insert(client) {
            return Err(format!("an update lists client {client} twice"));
        }
        r.u32()?; // first clock
        for _ in 0..blocks {
            block(&mut r)?;
        }
    }
    let deleted = r.count32("delete set clients", 2)?;
    for _ in 0..deleted {
        r.u64()?; // client
        let ranges = r.count32("deleted ranges", 2)?;
        for _ in 0..ranges {
            r.u32()?;
            r.u32()?;
        }
    }
    Ok(())
}

fn block(r: &mut Reader) -> Result<(), String> {
    let info = r.u8()?;
    if info == SKIP || info == GC {
        r.u32()?;
        return Ok(());
    }
    if info & HAS_ORIGIN != 0 {
        r.id()?;
    }
    if info & HAS_RIGHT_ORIGIN != 0 {
        r.id()?;
    }
    if info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN) == 0 {
        if r.u32()? == 1 {
            r.buf()?; // a root type's name
        } else {
            r.id()?; // the parent type's item
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
        1 => r.u32().map(drop),
        // JSON values as strings: an old Yjs encoding (Yjs 13 writes values as `Any`)
        // that yrs 0.28 writes as a count and the strings but reads back as one string
        // more — a room holding one could not decode its own state again, nor could a
        // client its sync step 2 (fuzz finding 6).
        2 => Err("JSON content (an old Yjs encoding) is not accepted".into()),
        // binary, string, embed (JSON text)
        3..=5 => r.buf(),
        // format: a key and a JSON text
        6 => {
            r.buf()?;
            r.buf()
        }
        // a shared type (its kind is one raw byte)
        7 => match r.u8()? {
            TYPE_XML_ELEMENT => r.buf(),
            TYPE_WEAK_LINK => Err("weak links are not accepted".into()),
            0..=6 | 9 | 15 => Ok(()),
            other => Err(format!("unknown type kind {other}")),
        },
        // values
        8 => {
            let n = r.count32("values", 1)?;
            for _ in 0..n {
                any(r, 0)?;
            }
            Ok(())
        }
        // A subdocument: a room that took one never freed its document when it unloaded
        // (yrs keeps the two pointing at each other; fuzz finding 8), and the map's
        // schema has none.
        9 => Err("subdocuments are not accepted".into()),
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
        125 => r.signed(),
        // float32
        124 => r.skip(4),
        // float64, bigint
        123 | 122 => r.skip(8),
        // string, buffer
        119 | 116 => r.buf(),
        // map: key and value
        118 => {
            let n = r.count64("map entries", 2)?;
            for _ in 0..n {
                r.buf()?;
                any(r, depth + 1)?;
            }
            Ok(())
        }
        // array
        117 => {
            let n = r.count64("array items", 1)?;
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

impl<'a> Reader<'a> {
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

    /// A message type or sync kind: a number below 128, in one byte.
    fn tag(&mut self) -> Result<u8, String> {
        let byte = self.u8()?;
        if byte & 0x80 != 0 {
            return Err("a message type of more than one byte".into());
        }
        Ok(byte)
    }

    /// A lib0 variable-length unsigned integer of at most `bits` bits and no more bytes
    /// than those bits need: where yrs reads such a number it reads the same value from
    /// the same bytes (a wider form it would wrap, reading another value).
    fn var(&mut self, bits: u32) -> Result<u64, String> {
        let mut value: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = self.u8()?;
            let part = u64::from(byte & 0x7f);
            if shift >= bits || (bits - shift < 7 && part >> (bits - shift) != 0) {
                return Err(format!("a number wider than {bits} bits"));
            }
            value |= part << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
    }

    fn u32(&mut self) -> Result<u64, String> {
        self.var(32)
    }

    fn u64(&mut self) -> Result<u64, String> {
        self.var(64)
    }

    /// An item id: a client and a clock.
    fn id(&mut self) -> Result<(), String> {
        self.u64()?;
        self.u32().map(drop)
    }

    /// A lib0 signed variable-length integer (sign and six bits first), of 64 bits.
    fn signed(&mut self) -> Result<(), String> {
        for _ in 0..10 {
            if self.u8()? & 0x80 == 0 {
                return Ok(());
            }
        }
        Err("a number wider than 64 bits".into())
    }

    /// A count (read as `bits` wide) of elements each at least `each` bytes long,
    /// held to the bytes left.
    fn count(&mut self, what: &str, each: usize, bits: u32) -> Result<u64, String> {
        let n = self.var(bits)?;
        let room = (self.left() / each) as u64;
        if n > room {
            return Err(format!("{what}: {n} claimed, {} bytes left", self.left()));
        }
        Ok(n)
    }

    fn count32(&mut self, what: &str, each: usize) -> Result<u64, String> {
        self.count(what, each, 32)
    }

    fn count64(&mut self, what: &str, each: usize) -> Result<u64, String> {
        self.count(what, each, 64)
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
        let n = self.u32()?;
        self.skip(n)
    }

    /// A length-prefixed byte string, returned.
    fn payload(&mut self) -> Result<&'a [u8], String> {
        let n = self.u32()?;
        let start = self.pos;
        self.skip(n)?;
        Ok(&self.bytes[start..self.pos])
    }
}

/// An update of one item in root `list` holding one value: arrays nested `depth` deep
/// around a null (tests: what yrs would decode by recursion that deep).
#[cfg(test)]
pub(crate) fn nested_update(depth: usize) -> Vec<u8> {
    let mut update = vec![1, 1, 7, 0, 0x08, 1, 4, b'l', b'i', b's', b't', 1];
    for _ in 0..depth {
        update.extend([117, 1]);
    }
    update.extend([126, 0]);
    update
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
        // Everything else a client may put in: formatting, an embed, a nested map and
        // list, binary.
        {
            let mut txn = doc.transact_mut();
            notes.insert_with_attributes(
                &mut txn,
                0,
                "bold",
                std::collections::HashMap::from([(std::sync::Arc::from("b"), Any::Bool(true))]),
            );
            notes.insert_embed(&mut txn, 0, Any::from(vec![Any::from(1.0)]));
            meta.insert(&mut txn, "nested", yrs::MapPrelim::default());
            meta.insert(&mut txn, "list", yrs::ArrayPrelim::default());
            meta.insert(&mut txn, "bytes", Any::from(vec![1u8, 2, 3]));
        }
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

    /// Fuzz finding 6: yrs reads JSON content back with one string more than it wrote,
    /// so a room that took it could not decode its own state.
    #[test]
    fn json_content_is_refused() {
        // One item in root "x": JSON content, count 1, then the strings yrs would read.
        let update = [1, 1, 0, 0, 0x02, 1, 1, b'x', 1, 1, b'1', 1, b'2', 0];
        let err = check_update(&update).unwrap_err();
        assert!(err.contains("JSON content"), "{err}");
    }

    /// Fuzz finding 8: a subdocument kept the room's document alive forever.
    #[test]
    fn a_subdocument_is_refused() {
        let doc = Doc::with_client_id(7);
        let meta = doc.get_or_insert_map("meta");
        meta.insert(&mut doc.transact_mut(), "sub", Doc::new());
        let update = doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let err = check_update(&update).unwrap_err();
        assert!(err.contains("subdocuments"), "{err}");
    }

    /// Fuzz finding 7: two sections for one client (here two GC blocks of client 0),
    /// which yrs merges into overlapping blocks.
    #[test]
    fn a_client_listed_twice_in_an_update_is_refused() {
        let update = [2, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0];
        let err = check_update(&update).unwrap_err();
        assert!(err.contains("client 0 twice"), "{err}");
        // Each client once passes.
        assert!(check_update(&[2, 1, 0, 0, 0, 1, 1, 5, 1, 0, 1, 0]).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_before_yrs_recurses() {
        let err = check_update(&nested_update(100_000)).unwrap_err();
        assert!(err.contains("nested deeper"), "{err}");
    }
}
