//! Fuzz target `config`: see `tickler::fuzzing::config` (shared with tests/reliability_fuzz.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = tickler::fuzzing::config(data) {
        panic!("invariant broken: {violation}");
    }
});
