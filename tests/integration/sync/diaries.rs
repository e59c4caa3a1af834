//! `tickler sync` between real diaries (the binary) through a real Radicale: first sync both
//! ways, a second diary converging, touches logged on both sides meeting, a follow-up completed by
//! another client's plain HTTP PUT, two fields of one contact edited on two diaries, a sync killed
//! half-way, the server stopped half-way.

use super::radicale::{Login, Radicale};
use assert_cmd::Command;
use serde_json::Value;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

const TODAY: &str = "2026-03-10";
const PASSWORD: &str = "s3cret-Pass!";

pub struct Diary {
    _dir: TempDir,
    pub db: PathBuf,
}

impl Diary {
    pub fn new() -> Diary {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("diary.redb");
        Diary { _dir: dir, db }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("tickler").unwrap();
        c.env("TICKLER_DB", &self.db)
            .env("TICKLER_TODAY", TODAY)
            .env("TICKLER_SYNC_PASSWORD", PASSWORD)
            .env("HOME", self.db.parent().unwrap())
            .env("XDG_DATA_HOME", self.db.parent().unwrap().join("data"));
        c
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: bad JSON ({e}): {out}"))
    }

    /// Sync with the server as `user`; the report.
    pub fn sync(&self, server: &Radicale, user: &str) -> Value {
        self.json(&["sync", "--url", &server.url(), "--username", user, "--json"])
    }

    fn contact(&self, query: &str) -> Value {
        self.json(&["show", query, "--json"])
    }
}

fn names(d: &Diary) -> Vec<String> {
    let mut v: Vec<String> = d
        .json(&["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// Done touches of a contact as (date, channel, summary), sorted.
fn history(d: &Diary, query: &str) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = d.contact(query)["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["state"] == "done")
        .map(|t| {
            (
                t["date"].as_str().unwrap().to_string(),
                t["channel"].as_str().unwrap().to_string(),
                t["summary"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn planned(d: &Diary, query: &str) -> Vec<(String, String)> {
    let mut v: Vec<_> = d.contact(query)["planned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["date"].as_str().unwrap().to_string(),
                t["channel"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn seed(d: &Diary) {
    d.ok(&[
        "add",
        "Ada Lovelace",
        "--company",
        "Analytical Engines",
        "--email",
        "ada@example.com",
        "--phone",
        "+44 20 7946 0000",
        "--tag",
        "vip",
    ]);
    d.ok(&["add", "Grace Hopper", "--email", "grace@example.com"]);
    d.ok(&[
        "log",
        "ada",
        "-c",
        "call",
        "-d",
        "2026-03-02",
        "-s",
        "talked about the engine",
    ]);
    d.ok(&[
        "plan",
        "ada",
        "2026-03-16",
        "-c",
        "email",
        "-s",
        "send the report",
        "--force",
    ]);
    d.ok(&["sale", "ada", "1250.00", "--date", "2026-03-03"]);
}

#[test]
fn first_sync_both_ways_and_a_second_diary_converging() {
    let Some(server) = Radicale::start(Login::Htpasswd(&[("ada", PASSWORD)])) else {
        return;
    };
    let a = Diary::new();
    seed(&a);
    let first = a.sync(&server, "ada");
    assert_eq!(first["created"]["contacts"], 2, "{first}");
    assert!(
        first["created"]["follow_ups"].as_u64().unwrap() >= 1,
        "{first}"
    );
    assert!(
        first["created"]["history"].as_u64().unwrap() >= 1,
        "{first}"
    );
    assert_eq!(server.items("ada", "tickler-contacts").len(), 2);

    // The teammate's empty diary gets the contacts, the follow-up and the history.
    let b = Diary::new();
    let got = b.sync(&server, "ada");
    assert_eq!(got["fetched"]["contacts"], 2, "{got}");
    assert_eq!(names(&b), names(&a));
    assert_eq!(history(&b, "ada"), history(&a, "ada"));
    assert_eq!(planned(&b, "ada"), planned(&a, "ada"));
    let sales = b.contact("ada")["sales"].clone();
    assert_eq!(sales[0]["amount_cents"], 125_000, "{sales}");

    // The url and user name are remembered; nothing changed: nothing read, nothing written.
    let quiet = a.json(&["sync", "--json"]);
    assert_eq!(quiet["fetched"]["contacts"], 0, "{quiet}");
    assert_eq!(quiet["created"]["contacts"], 0, "{quiet}");
    assert_eq!(quiet["updated"]["contacts"], 0, "{quiet}");
    assert_eq!(quiet["updated"]["follow_ups"], 0, "{quiet}");
    assert_eq!(quiet["updated"]["history"], 0, "{quiet}");
}

#[test]
fn touches_on_both_sides_meet_and_two_field_edits_merge() {
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let a = Diary::new();
    seed(&a);
    a.sync(&server, "team");
    let b = Diary::new();
    b.sync(&server, "team");

    a.ok(&[
        "log",
        "ada",
        "-c",
        "meeting",
        "-d",
        "2026-03-09",
        "-s",
        "met at the fair",
    ]);
    a.ok(&["edit", "ada", "--company", "Analytical Engines Ltd"]);
    b.ok(&[
        "log",
        "ada",
        "-c",
        "email",
        "-d",
        "2026-03-10",
        "--in",
        "-s",
        "asked for a quote",
    ]);
    b.ok(&["edit", "ada", "--add-phone", "+44 7700 900000"]);
    b.sync(&server, "team");
    let merged = a.sync(&server, "team");
    b.sync(&server, "team");

    let expected = vec![
        (
            "2026-03-02".to_string(),
            "call".to_string(),
            "talked about the engine".to_string(),
        ),
        (
            "2026-03-09".to_string(),
            "meeting".to_string(),
            "met at the fair".to_string(),
        ),
        (
            "2026-03-10".to_string(),
            "email".to_string(),
            "asked for a quote".to_string(),
        ),
    ];
    assert_eq!(history(&a, "ada"), expected, "{merged}");
    assert_eq!(history(&b, "ada"), expected);
    for d in [&a, &b] {
        let c = d.contact("ada")["contact"].clone();
        assert_eq!(c["company"], "Analytical Engines Ltd", "{c}");
        let phones: Vec<&str> = c["phones"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert!(
            phones.contains(&"+44 20 7946 0000") && phones.contains(&"+44 7700 900000"),
            "{c}"
        );
    }
    assert!(merged["cases"].as_array().unwrap().is_empty(), "{merged}");
    // The same field on both sides: the server's value kept, ours in the notes, the case listed.
    a.ok(&["edit", "ada", "--company", "AE (A's spelling)"]);
    b.ok(&["edit", "ada", "--company", "AE (B's spelling)"]);
    b.sync(&server, "team");
    let conflict = a.sync(&server, "team");
    let cases = conflict["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{conflict}");
    assert_eq!(cases[0]["field"], "company");
    let c = a.contact("ada")["contact"].clone();
    assert_eq!(c["company"], "AE (B's spelling)");
    assert!(c["notes"].as_str().unwrap().contains("A's spelling"), "{c}");
    // The review list shows it too.
    let review = a.json(&["review", "--json"]);
    assert_eq!(review["sync_cases"][0]["field"], "company", "{review}");
}

#[test]
fn the_password_comes_from_a_command_and_is_never_stored() {
    let Some(server) = Radicale::start(Login::Htpasswd(&[("ada", PASSWORD)])) else {
        return;
    };
    let a = Diary::new();
    seed(&a);
    let secret = a.db.with_file_name("secret.txt");
    std::fs::write(&secret, format!("{PASSWORD}\n")).unwrap();
    a.ok(&[
        "settings",
        "set",
        "sync_password_command",
        &format!("cat '{}'", secret.display()),
    ]);
    let shown = a.json(&["settings", "show", "--json"]);
    assert!(
        shown["sync_password_command"]
            .as_str()
            .unwrap()
            .starts_with("cat "),
        "{shown}"
    );
    let out = a
        .cmd()
        .env_remove("TICKLER_SYNC_PASSWORD")
        .args([
            "sync",
            "--url",
            &server.url(),
            "--username",
            "ada",
            "--json",
        ])
        .assert()
        .success();
    let r: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(r["created"]["contacts"], 2, "{r}");
    // A wrong password: refused, said so, never shown.
    a.ok(&[
        "settings",
        "set",
        "sync_password_command",
        "echo wrong-pw-123",
    ]);
    let out = a
        .cmd()
        .env_remove("TICKLER_SYNC_PASSWORD")
        .args(["sync"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("refused the login") && !err.contains("wrong-pw-123"),
        "{err}"
    );
    // The password is nowhere in the diary's file.
    let bytes = std::fs::read(&a.db).unwrap();
    assert!(
        !bytes
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes()),
        "password stored"
    );
    assert_eq!(
        shown["sync_url"], "",
        "not remembered before the first sync"
    );
}

/// A minimal HTTP/1.1 request, as another client would send it.
fn http(port: u16, method: &str, path: &str, body: &str, extra: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic dGVhbTp4\r\nConnection: close\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// The server's file of the open follow-up whose text holds `needle`.
fn todo_file(server: &Radicale, user: &str, needle: &str) -> PathBuf {
    server
        .items(user, "tickler-calendar")
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| {
                t.contains("BEGIN:VTODO") && t.contains("STATUS:NEEDS-ACTION") && t.contains(needle)
            })
        })
        .expect("the open VTODO on the server")
}

#[test]
fn a_follow_up_completed_by_another_client_is_logged_on_the_next_sync() {
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let a = Diary::new();
    seed(&a);
    a.sync(&server, "team");
    let file = todo_file(&server, "team", "X-TICKLER-SEND:send the report");
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let path = format!("/team/tickler-calendar/{name}");
    let (status, text) = http(server.port, "GET", &path, "", "");
    assert_eq!(status, 200, "{text}");
    let done = text.replace(
        "STATUS:NEEDS-ACTION",
        "STATUS:COMPLETED\r\nCOMPLETED:20260309T160000Z",
    );
    let (status, _) = http(server.port, "PUT", &path, &done, "");
    assert!(status == 201 || status == 204, "PUT gave {status}");

    let r = a.sync(&server, "team");
    assert!(!r["applied"].as_array().unwrap().is_empty(), "{r}");
    let h = history(&a, "ada");
    assert!(
        h.iter()
            .any(|(d, c, s)| d == "2026-03-09" && c == "email" && s == "send the report"),
        "{h:?}"
    );
    assert!(
        !planned(&a, "ada").iter().any(|(d, _)| d == "2026-03-16"),
        "{:?}",
        planned(&a, "ada")
    );
}

fn big(d: &Diary, n: usize) {
    d.ok(&["demo", "--contacts", &n.to_string(), "--seed", "4"]);
}

fn item_count(server: &Radicale, user: &str) -> usize {
    server.items(user, "tickler-contacts").len() + server.items(user, "tickler-calendar").len()
}

fn wait_for_items(server: &Radicale, user: &str, at_least: usize) {
    let start = std::time::Instant::now();
    while item_count(server, user) < at_least && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn_sync(d: &Diary, server: &Radicale, user: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_tickler"))
        .args(["sync", "--url", &server.url(), "--username", user])
        .env("TICKLER_DB", &d.db)
        .env("TICKLER_TODAY", TODAY)
        .env("TICKLER_SYNC_PASSWORD", PASSWORD)
        .env("HOME", d.db.parent().unwrap())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// After a broken sync, one more completes it and a fresh diary gets the same diary.
fn completes_and_converges(a: &Diary, server: &Radicale, user: &str) {
    let again = a.sync(server, user);
    assert!(again["cases"].as_array().unwrap().is_empty(), "{again}");
    let settled = a.sync(server, user);
    assert_eq!(settled["created"]["contacts"], 0, "{settled}");
    let b = Diary::new();
    let took = b.sync(server, user);
    // Everything taken over, archived contacts (and their follow-ups and history) included.
    assert!(took["cases"].as_array().unwrap().is_empty(), "{took}");
    assert_eq!(names(&b), names(a));
    let all = |d: &Diary| {
        d.json(&["list", "--json", "--archived"])
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(all(&b), all(a));
    let contacts = all(a);
    assert_eq!(
        server.items(user, "tickler-contacts").len(),
        contacts,
        "no duplicates on the server"
    );
}

#[test]
fn a_sync_killed_half_way_is_completed_by_the_next() {
    let Some(server) = Radicale::start(Login::Any) else {
        return;
    };
    let a = Diary::new();
    big(&a, 40);
    let mut child = spawn_sync(&a, &server, "team");
    wait_for_items(&server, "team", 10);
    child.kill().unwrap();
    let _ = child.wait();
    assert!(item_count(&server, "team") > 0);
    completes_and_converges(&a, &server, "team");
}

#[test]
fn the_server_stopped_half_way() {
    let Some(mut server) = Radicale::start(Login::Any) else {
        return;
    };
    let a = Diary::new();
    big(&a, 40);
    let child = spawn_sync(&a, &server, "team");
    wait_for_items(&server, "team", 10);
    server.stop();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("run `tickler sync` again"), "{err}");
    assert!(!err.contains(PASSWORD), "{err}");
    server.restart();
    completes_and_converges(&a, &server, "team");
}

#[test]
fn a_server_down_says_what_to_do_and_no_password_is_shown() {
    let a = Diary::new();
    seed(&a);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/");
    let out = a
        .cmd()
        .args(["sync", "--url", &url, "--username", "ada"])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        err.contains("cannot reach") && err.contains("run `tickler sync` again"),
        "{err}"
    );
    assert!(!err.contains(PASSWORD), "{err}");
    // Not remembered after a failure: the next plain `tickler sync` asks for an account.
    let out = a.cmd().args(["sync"]).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("--url"), "{err}");
}

#[test]
fn a_vdir_is_written_for_vdirsyncer_users() {
    let a = Diary::new();
    seed(&a);
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("dav");
    let r = a.json(&["sync", "--url", url.to_str().unwrap(), "--json"]);
    assert_eq!(r["created"]["contacts"], 2, "{r}");
    let cards = std::fs::read_dir(url.join("tickler-contacts"))
        .unwrap()
        .count();
    assert_eq!(cards, 3, "two cards and the displayname file");
    let b = Diary::new();
    b.json(&["sync", "--url", url.to_str().unwrap(), "--json"]);
    assert_eq!(names(&b), names(&a));
    assert!(
        Path::new(&url)
            .join("tickler-calendar/displayname")
            .exists()
    );
}

#[test]
fn khard_and_python_vobject_read_the_cards() {
    let has_khard = std::process::Command::new("khard")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let python = "/usr/bin/python3";
    let has_vobject = std::process::Command::new(python)
        .args(["-c", "import vobject"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_khard || !has_vobject {
        eprintln!(
            "skipped: khard or python3-vobject is not installed here (.ci/run installs them)"
        );
        return;
    }
    let a = Diary::new();
    seed(&a);
    a.ok(&[
        "edit",
        "ada",
        "--birthday",
        "1815-12-10",
        "--address",
        "12 St James's Square\nLondon",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let vdir = dir.path().join("dav");
    a.ok(&["sync", "--url", vdir.to_str().unwrap()]);
    let config = dir.path().join("khard.conf");
    std::fs::write(
        &config,
        format!(
            "[addressbooks]\n[[tickler]]\npath = {}/\n[general]\ndefault_action = list\n",
            vdir.join("tickler-contacts").display()
        ),
    )
    .unwrap();
    let list = std::process::Command::new("khard")
        .arg("-c")
        .arg(&config)
        .args(["list", "--parsable"])
        .output()
        .unwrap();
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    let text = String::from_utf8_lossy(&list.stdout);
    let mut listed: Vec<&str> = text.lines().filter_map(|l| l.split('\t').nth(1)).collect();
    listed.sort_unstable();
    assert_eq!(listed, ["Ada Lovelace", "Grace Hopper"], "{text}");
    let show = std::process::Command::new("khard")
        .arg("-c")
        .arg(&config)
        .args(["show", "--format", "yaml", "Ada"])
        .output()
        .unwrap();
    let yaml = String::from_utf8_lossy(&show.stdout);
    for needle in [
        "ada@example.com",
        "+44 20 7946 0000",
        "Analytical Engines",
        "1815-12-10",
    ] {
        assert!(
            yaml.contains(needle),
            "{needle} missing from khard's view:\n{yaml}"
        );
    }
    let script = r#"
import sys, glob, vobject
for path in sorted(glob.glob(sys.argv[1] + "/*.vcf")):
    c = vobject.readOne(open(path).read())
    if c.fn.value != "Ada Lovelace":
        continue
    print(c.fn.value)
    print(c.org.value[0])
    print(c.email.value)
    print(c.tel.value)
    print(c.adr.value.street)
    print(c.contents['x-tickler-stage'][0].value)
"#;
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(vdir.join("tickler-contacts"))
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
            "Ada Lovelace",
            "Analytical Engines",
            "ada@example.com",
            "+44 20 7946 0000",
            "12 St James's Square",
            "London",
            "lead",
        ]
    );
}
