//! One uploaded map file (JSON or a CSV card table), read and checked as the import
//! endpoint does, then written into a document when accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| parcours_server::export::fuzzing::import(data));
