//! Replays the fuzzers' corpus (fuzz/corpus/*) on the stable toolchain: every input a
//! fuzz run kept, and every crash it found once fixed and added there, goes through the
//! same entry points as in `fuzz/` — decoding a peer's frame, and a room fed frames
//! from two editors and a viewer with its invariants checked — without panicking.

use std::path::PathBuf;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("corpus entry").path();
            let data = std::fs::read(&path).expect("corpus file");
            (path, data)
        })
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 5,
        "the {target} corpus has {} inputs; expected the committed corpus",
        inputs.len()
    );
    inputs
}

/// Runs `f` on every input; a panic names the input that caused it.
fn replay(target: &str, f: fn(&[u8])) {
    let inputs = corpus(target);
    for (path, data) in &inputs {
        let outcome = std::panic::catch_unwind(|| f(data));
        assert!(outcome.is_ok(), "{target}: {} panicked", path.display());
    }
    println!("{target}: {} inputs replayed", inputs.len());
}

#[test]
fn the_frame_corpus_decodes_without_panicking() {
    replay("frame", parcours_server::sync::fuzzing::frame);
}

#[test]
fn the_room_corpus_keeps_the_rooms_invariants() {
    replay("room", parcours_server::sync::fuzzing::room);
}
