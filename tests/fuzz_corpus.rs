//! Replays the fuzzers' corpus (fuzz/corpus/*) on the stable toolchain: every input a
//! fuzz run kept, and every crash it found once fixed and added there, goes through the
//! same entry points as in `fuzz/` — decoding a peer's frame, a room fed frames from
//! two editors and a viewer with its invariants checked, and an uploaded map file read,
//! checked and written — without panicking.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Panics inside yrs that the server catches (a peer's bad bytes), counted quietly.
static CAUGHT: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` on every input; a panic that escapes names the input that caused it.
fn replay(target: &str, f: fn(&[u8])) {
    std::panic::set_hook(Box::new(|_| {
        CAUGHT.fetch_add(1, Ordering::Relaxed);
    }));
    let inputs = corpus(target);
    let mut escaped = Vec::new();
    for (path, data) in &inputs {
        if std::panic::catch_unwind(|| f(data)).is_err() {
            escaped.push(path.display().to_string());
        }
    }
    println!(
        "{target}: {} inputs replayed; panics inside yrs caught so far: {}",
        inputs.len(),
        CAUGHT.load(Ordering::Relaxed)
    );
    assert!(
        escaped.is_empty(),
        "{target}: these inputs panicked: {escaped:?}"
    );
}

#[test]
fn the_frame_corpus_decodes_without_panicking() {
    replay("frame", parcours_server::sync::fuzzing::frame);
}

#[test]
fn the_room_corpus_keeps_the_rooms_invariants() {
    replay("room", parcours_server::sync::fuzzing::room);
}

#[test]
fn the_import_corpus_is_refused_clearly_or_written_whole() {
    replay("import", parcours_server::export::fuzzing::import);
}
