//! Fuzz target `date`: see `tickler::fuzzing::date` (shared with tests/reliability_fuzz.rs).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = tickler::fuzzing::date(data) {
        panic!("invariant broken: {violation}");
    }
});
