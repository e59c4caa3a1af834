//! The standard tools read what tickler writes: todoman lists the follow-ups from a vdir that
//! vdirsyncer synced from Radicale, and from a vdir tickler wrote itself; python's vobject reads
//! the history journals. Each skips with a message where its tool is not installed (.ci/run
//! installs them).

use super::radicale::{Login, Radicale};
use chrono::NaiveDate;
use std::path::Path;
use std::process::Command;
use tickler::model::{Channel, Direction};
use tickler::sync::mapping::journal::{self, Entry, History, What};
use tickler::sync::mapping::todo::{self, FollowUp, TodoState};
use tickler::sync::transport::dav::Dav;
use tickler::sync::transport::vdir::Vdir;
use tickler::sync::transport::{Collection, Credentials, Target, Transport};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn has(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: {tool} is not installed here (.ci/run installs it)");
    }
    ok
}

fn follow_ups() -> Vec<FollowUp> {
    let ada = FollowUp {
        uid: "0a1b-touch-1".into(),
        contact_uid: "9f8e-contact".into(),
        who: "Ada Lovelace (Analytical Engines)".into(),
        channel: Channel::Call,
        due: d(2026, 3, 5),
        why: "every 30 days".into(),
        send: "the report, pages 3; 4".into(),
        state: TodoState::Open,
    };
    let grace = FollowUp {
        uid: "0a1b-touch-2".into(),
        contact_uid: "7c6d-contact".into(),
        who: "Grace Hopper".into(),
        channel: Channel::Postcard,
        due: d(2026, 3, 9),
        why: String::new(),
        send: String::new(),
        state: TodoState::Open,
    };
    let done = FollowUp {
        uid: "0a1b-touch-3".into(),
        state: TodoState::Completed(d(2026, 3, 2)),
        ..ada.clone()
    };
    vec![ada, grace, done]
}

fn history() -> History {
    History {
        contact_uid: "9f8e-contact".into(),
        who: "Ada Lovelace (Analytical Engines)".into(),
        year: 2026,
        entries: vec![Entry {
            id: "0a1b-touch-3".into(),
            date: d(2026, 3, 2),
            what: What::Touch {
                channel: Channel::Call,
                direction: Direction::Out,
                summary: "talked about the engine".into(),
            },
        }],
    }
}

fn put_all(t: &mut dyn Transport) {
    t.prepare(true).unwrap();
    for f in follow_ups() {
        t.create(
            Collection::Calendar,
            &f.uid,
            &todo::write(&f, d(2026, 3, 1)),
        )
        .unwrap();
    }
    let h = history();
    t.create(
        Collection::Calendar,
        &h.uid(),
        &journal::write(&h, d(2026, 3, 2)),
    )
    .unwrap();
}

/// todoman's JSON list of the open tasks in the vdir collections matched by `glob`.
fn todoman_list(glob: &Path, work: &Path) -> serde_json::Value {
    let config = work.join("todoman.py");
    std::fs::write(
        &config,
        format!(
            "path = \"{}\"\ncache_path = \"{}\"\ndate_format = \"%Y-%m-%d\"\ntime_format = \"%H:%M\"\n",
            glob.display(),
            work.join("todoman.cache").display()
        ),
    )
    .unwrap();
    let out = Command::new("todoman")
        .arg("-c")
        .arg(&config)
        .args(["--porcelain", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_lists_the_open_follow_ups(list: &serde_json::Value) {
    let mut summaries: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["summary"].as_str().unwrap())
        .collect();
    summaries.sort_unstable();
    // The completed one is not listed (todoman hides done tasks).
    assert_eq!(
        summaries,
        [
            "Call Ada Lovelace (Analytical Engines)",
            "Send a postcard to Grace Hopper"
        ],
        "{list}"
    );
    let ada = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["summary"].as_str().unwrap().starts_with("Call"))
        .unwrap();
    assert!(
        ada["description"]
            .as_str()
            .unwrap()
            .contains("Send: the report, pages 3; 4"),
        "{ada}"
    );
    // todoman gives the due date as a timestamp (midnight, local time of this machine).
    assert!(ada["due"].as_i64().is_some(), "{ada}");
}

#[test]
fn todoman_lists_follow_ups_that_vdirsyncer_synced_from_the_server() {
    if !has("vdirsyncer") || !has("todoman") {
        return;
    }
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let Target::Dav(uri) = Target::parse(&server.url()).unwrap() else {
        panic!()
    };
    let creds = Credentials {
        username: "ada".into(),
        password: "x".into(),
    };
    let mut dav = Dav::new(uri, Some(creds)).unwrap();
    put_all(&mut dav);

    let work = tempfile::tempdir().unwrap();
    let w = work.path();
    let config = w.join("vdirsyncer.conf");
    std::fs::write(
        &config,
        format!(
            "[general]\nstatus_path = \"{status}/\"\n\n[pair cal]\na = \"local\"\nb = \"remote\"\ncollections = [\"from b\"]\n\n\
             [storage local]\ntype = \"filesystem\"\npath = \"{vdir}/\"\nfileext = \".ics\"\n\n\
             [storage remote]\ntype = \"caldav\"\nurl = \"{url}\"\nusername = \"ada\"\npassword = \"x\"\n",
            status = w.join("status").display(),
            vdir = w.join("vdir").display(),
            url = server.url(),
        ),
    )
    .unwrap();
    let vdirsyncer = |args: &[&str], input: &str| {
        use std::io::Write as _;
        let mut child = Command::new("vdirsyncer")
            .arg("-c")
            .arg(&config)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "vdirsyncer {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // discover asks whether to create the local collection.
    vdirsyncer(&["discover", "cal"], "y\n");
    vdirsyncer(&["sync"], "");
    let list = todoman_list(&w.join("vdir/*"), w);
    assert_lists_the_open_follow_ups(&list);
}

#[test]
fn todoman_reads_a_vdir_that_tickler_wrote() {
    if !has("todoman") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let mut vdir = Vdir::new(work.path().join("dav"));
    put_all(&mut vdir);
    let list = todoman_list(&work.path().join("dav/tickler-calendar"), work.path());
    assert_lists_the_open_follow_ups(&list);
}

#[test]
fn python_vobject_reads_the_history_and_the_follow_ups() {
    let python = "/usr/bin/python3";
    let probe = Command::new(python).args(["-c", "import vobject"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: python3-vobject is not installed here (.ci/run installs it)");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let h = history();
    let journal_file = work.path().join("history.ics");
    std::fs::write(&journal_file, journal::write(&h, d(2026, 3, 2))).unwrap();
    let todo_file = work.path().join("todo.ics");
    std::fs::write(&todo_file, todo::write(&follow_ups()[0], d(2026, 3, 1))).unwrap();
    let script = r#"
import sys, vobject
j = vobject.readOne(open(sys.argv[1]).read()).vjournal
print(j.summary.value)
print(j.description.value)
print(j.contents['x-tickler-entry'][0].params['ID'][0])
t = vobject.readOne(open(sys.argv[2]).read()).vtodo
print(t.summary.value)
print(t.due.value.isoformat())
print(t.valarm.trigger.value)
"#;
    let out = Command::new(python)
        .args(["-c", script])
        .arg(&journal_file)
        .arg(&todo_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "History of Ada Lovelace (Analytical Engines), 2026",
            "2026-03-02 call: talked about the engine",
            "0a1b-touch-3",
            "Call Ada Lovelace (Analytical Engines)",
            "2026-03-05",
            "9:00:00",
        ]
    );
}
