//! One WebSocket message from a peer, decoded as the peer task does.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    // The server catches panics inside yrs (a peer's bad bytes must not take it down);
    // libfuzzer-sys's hook would abort on those too. A panic that escapes the target
    // (a failed check) still aborts: libfuzzer-sys catches it and aborts.
    init: std::panic::set_hook(Box::new(|_| {})),
    |data: &[u8]| parcours_server::sync::fuzzing::frame(data)
);
