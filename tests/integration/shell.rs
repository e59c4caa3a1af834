//! `tickler completions SHELL` and `tickler man`: a real bash completes verbs and the diary's
//! contact names through the printed script; the man page names every command and flag.

use assert_cmd::Command;
use std::process::Command as Process;

fn tickler(db: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("tickler").unwrap();
    c.env("TICKLER_DB", db).env("TICKLER_TODAY", "2026-11-24");
    c
}

/// What bash offers for `words`, the last one being completed.
fn bash_completes(db: &std::path::Path, words: &[&str]) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("tickler");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let script = format!(
        "source <('{}' completions bash)\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_TYPE=9\n_clap_complete_tickler tickler '{}' x\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        bin.display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
    );
    let out = Process::new("bash")
        .args(["-c", &script])
        .env("TICKLER_DB", db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_verbs_flags_and_contact_names() {
    if Process::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: no bash here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.redb");
    for name in ["Ada Lovelace", "Adam Smith", "Bob Stone"] {
        tickler(&db).args(["add", name]).assert().success();
    }
    tickler(&db)
        .args(["archive", "Bob Stone", "--reason", "no-need"])
        .assert()
        .success();
    assert_eq!(bash_completes(&db, &["tickler", "imp"]), ["import"]);
    assert_eq!(
        bash_completes(&db, &["tickler", "log", "Ad"]),
        ["Ada Lovelace", "Adam Smith"]
    );
    // Both contacts of a merge; archived contacts are not offered.
    assert_eq!(
        bash_completes(&db, &["tickler", "merge", "Ada Lovelace", "Ada"]),
        ["Ada Lovelace", "Adam Smith"]
    );
    assert!(bash_completes(&db, &["tickler", "show", "Bo"]).is_empty());
    assert_eq!(
        bash_completes(&db, &["tickler", "export", "--format", "v"]),
        ["vcf"]
    );
    // A diary that is not there is not created by completing.
    let none = dir.path().join("none.redb");
    assert!(bash_completes(&none, &["tickler", "log", "A"]).is_empty());
    assert!(!none.exists());
}

#[test]
fn the_man_page_names_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.redb");
    let out = tickler(&db).arg("man").assert().success();
    let page = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(page.starts_with(".ie"), "{}", &page[..80]);
    assert!(page.contains(".TH tickler 1"));
    for verb in ["import", "export", "completions", "agenda", "merge"] {
        assert!(page.contains(verb), "{verb}");
    }
    let pages = dir.path().join("man1");
    tickler(&db)
        .args(["man", "--dir", pages.to_str().unwrap()])
        .assert()
        .success();
    let import = std::fs::read_to_string(pages.join("tickler-import.1")).unwrap();
    assert!(import.contains("\\-\\-encoding"), "{import}");
    assert!(pages.join("tickler.1").exists());
    assert!(!db.exists(), "man opened the diary");
}
