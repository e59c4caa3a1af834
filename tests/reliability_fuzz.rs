//! Hostile input, replayed: every file of the fuzz corpus under tests/fixtures/fuzz/<target>/
//! (crash reproducers in its crashes/ folder included) goes through the same function the fuzz
//! target calls (`tickler::fuzzing`) and must keep the same invariants. The long fuzz runs
//! themselves are not part of CI: see README.md, "Fuzzing".

use std::path::{Path, PathBuf};
use tickler::fuzzing;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Feed every corpus file of `target` to `check`; fails listing every file that breaks it.
fn replay(target: &str, check: fn(&[u8]) -> Result<(), String>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut all = Vec::new();
    files(&dir, &mut all);
    all.sort();
    assert!(
        all.len() >= 10,
        "{}: only {} corpus files, the corpus went missing",
        dir.display(),
        all.len()
    );
    let mut broken = Vec::new();
    for path in &all {
        let data = std::fs::read(path).unwrap();
        // A panic in a parser is a crash: report which file caused it.
        let outcome = std::panic::catch_unwind(|| check(&data));
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(violation)) => broken.push(format!("{}: {violation}", path.display())),
            Err(_) => broken.push(format!("{}: panicked", path.display())),
        }
    }
    assert!(
        broken.is_empty(),
        "{} of {} {target} corpus files fail:\n{}",
        broken.len(),
        all.len(),
        broken.join("\n")
    );
}

#[test]
fn date_corpus() {
    replay("date", fuzzing::date);
}

#[test]
fn csv_corpus() {
    replay("csv", fuzzing::csv);
}

#[test]
fn vcard_corpus() {
    replay("vcard", fuzzing::vcard);
}

#[test]
fn config_corpus() {
    replay("config", fuzzing::config);
}

/// The fixtures the importers are documented against pass the same checks (they seed the corpus).
#[test]
fn import_fixtures() {
    let fixture = |name: &str| {
        std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
        )
        .unwrap()
    };
    for name in ["google.csv", "outlook.csv", "plain_semicolon.csv"] {
        fuzzing::csv(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    fuzzing::vcard(&fixture("contacts.vcf")).unwrap();
}
