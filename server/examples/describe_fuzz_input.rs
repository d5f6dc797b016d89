//! Reads a finding of the `room` fuzz target: prints what it sends, frame by frame,
//! then replays it through the room as the fuzzer does and prints how long that took.
//!
//!     cargo run --release -p parcours-server --example describe_fuzz_input fuzz/open/INPUT

use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: describe_fuzz_input FILE");
        std::process::exit(2);
    };
    let data = match std::fs::read(&path) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    print!("{}", parcours_server::sync::fuzzing::describe(&data));
    let started = Instant::now();
    parcours_server::sync::fuzzing::room(&data);
    println!(
        "replayed in {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
