//! The piece library through the real binary: add, list, show, missing; `log --piece` refusing a
//! piece already received (exit 3, naming when); campaigns skipping those who have it; `show`
//! listing what a contact received; the agenda suggesting a piece; undo; mailing lists out.

use super::campaigns::Diary;
use serde_json::Value;

/// A category of three prospects (two with postal addresses) and a customer, and two pieces.
fn diary() -> Diary {
    let d = Diary::new();
    d.ok(&["category", "add", "Prospects", "--cadence", "30d"]);
    d.ok(&[
        "add",
        "Ada Lovelace",
        "--company",
        "Engines",
        "--category",
        "Prospects",
        "--email",
        "ada@example.com",
        "--address",
        "12 St James's Square\\nLondon SW1Y 4JH",
    ]);
    d.ok(&[
        "add",
        "Grace Hopper",
        "--category",
        "Prospects",
        "--email",
        "grace@example.com",
        "--address",
        "1 Navy Way\\nArlington\\nVA 22202\\nUSA",
    ]);
    d.ok(&[
        "add",
        "Smith, Jo",
        "--category",
        "Prospects",
        "--phone",
        "555 0100",
    ]);
    d.ok(&[
        "add",
        "Linus",
        "--stage",
        "customer",
        "--email",
        "linus@example.org",
    ]);
    d.ok(&[
        "piece",
        "add",
        "Heat pumps: the 2026 report",
        "--kind",
        "report",
        "--url",
        "https://example.com/heat-pumps.pdf",
    ]);
    d.ok(&[
        "piece",
        "add",
        "November newsletter",
        "--kind",
        "newsletter",
    ]);
    d
}

#[test]
fn pieces_are_added_listed_and_shown() {
    let d = diary();
    let list = d.json(&["piece", "list", "--json"]);
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Heat pumps: the 2026 report", "November newsletter"]
    );
    assert_eq!(list[0]["kind"], "report");
    assert_eq!(list[0]["url"], "https://example.com/heat-pumps.pdf");
    assert_eq!(list[0]["received"], 0);
    let (_, err) = d.refused(&["piece", "add", "november NEWSLETTER"], 2);
    assert!(err.contains("exists already (p2)"), "{err}");
    let (_, err) = d.refused(&["piece", "add", "Flyer", "--kind", "flyer"], 2);
    assert!(err.contains("unknown kind 'flyer'"), "{err}");
    let (_, err) = d.refused(&["log", "ada", "--piece", "brochure"], 2);
    assert!(err.contains("no piece matches 'brochure'"), "{err}");
}

#[test]
fn a_piece_is_never_sent_twice_unless_forced() {
    let d = diary();
    let out = d.ok(&[
        "log",
        "ada",
        "-c",
        "email",
        "--piece",
        "heat pumps",
        "-d",
        "-5d",
    ]);
    assert!(out.contains("Logged email with c1 Ada Lovelace"), "{out}");
    let (_, err) = d.refused(&["log", "ada", "-c", "letter", "--piece", "p1"], 3);
    assert!(
        err.contains("c1 Ada Lovelace received p1 \"Heat pumps: the 2026 report\" on 2026-11-19"),
        "{err}"
    );
    let v = d.json(&[
        "log", "ada", "-c", "letter", "--piece", "p1", "--force", "--json",
    ]);
    assert_eq!(v["done"], 1);
    let show = d.json(&["piece", "show", "heat", "--json"]);
    let dates: Vec<&str> = show["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-11-19", "2026-11-24"]);
    assert_eq!(show["recipients"][0]["name"], "Ada Lovelace");
    assert_eq!(show["recipients"][0]["state"], "received");
    // `show` lists what the contact received.
    let ada = d.json(&["show", "ada", "--json"]);
    let pieces: Vec<(&str, &str)> = ada["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["title"].as_str().unwrap(), p["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pieces,
        [
            ("Heat pumps: the 2026 report", "2026-11-19"),
            ("Heat pumps: the 2026 report", "2026-11-24")
        ]
    );
    let text = d.ok(&["show", "ada"]);
    assert!(text.contains("Heat pumps: the 2026 report"), "{text}");
    // Undo takes the piece back with the touch.
    d.ok(&["undo"]);
    d.ok(&["undo"]);
    let show = d.json(&["piece", "show", "p1", "--json"]);
    assert!(show["recipients"].as_array().unwrap().is_empty(), "{show}");
}

#[test]
fn a_campaign_with_a_piece_skips_those_who_have_it() {
    let d = diary();
    d.ok(&[
        "log",
        "grace",
        "-c",
        "newsletter",
        "--piece",
        "november",
        "-d",
        "-20d",
    ]);
    let v = d.json(&[
        "log",
        "--category",
        "Prospects",
        "-c",
        "newsletter",
        "--piece",
        "November newsletter",
        "--json",
    ]);
    let status: Vec<(&str, &str, Option<&str>)> = v["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
                c["reason"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        status,
        [
            ("Ada Lovelace", "logged", None),
            ("Grace Hopper", "skipped", Some("received")),
            ("Smith, Jo", "logged", None),
        ]
    );
    assert_eq!(v["contacts"][0]["piece"]["title"], "November newsletter");
    let missing = d.json(&["piece", "missing", "november", "--json"]);
    let names: Vec<&str> = missing["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Linus"]);
    let missing = d.json(&[
        "piece",
        "missing",
        "heat",
        "--category",
        "Prospects",
        "--json",
    ]);
    assert_eq!(missing["contacts"].as_array().unwrap().len(), 3);
    assert_eq!(missing["selection"], "category Prospects");
}

#[test]
fn the_agenda_suggests_a_piece_not_yet_received() {
    let d = diary();
    d.ok(&["plan", "ada", "+1d", "-c", "email"]);
    d.ok(&["plan", "linus", "+1d", "-c", "call"]);
    let agenda = d.json(&["agenda", "--json"]);
    let items: Vec<&Value> = agenda["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|day| day["items"].as_array().unwrap())
        .collect();
    let ada = items.iter().find(|i| i["name"] == "Ada Lovelace").unwrap();
    // The newest piece that travels by email and Ada has not had.
    assert_eq!(ada["suggested_piece"]["title"], "November newsletter");
    let linus = items.iter().find(|i| i["name"] == "Linus").unwrap();
    assert_eq!(
        linus["suggested_piece"],
        Value::Null,
        "no piece goes by a call"
    );
    d.ok(&[
        "log",
        "ada",
        "-c",
        "email",
        "--piece",
        "November newsletter",
        "-d",
        "-10d",
    ]);
    let agenda = d.json(&["agenda", "--json"]);
    let ada = agenda["days"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|day| day["items"].as_array().unwrap())
        .find(|i| i["name"] == "Ada Lovelace")
        .unwrap()
        .clone();
    assert_eq!(
        ada["suggested_piece"]["title"],
        "Heat pumps: the 2026 report"
    );
    let text = d.ok(&["agenda"]);
    assert!(text.contains("Heat pumps: the 2026 report"), "{text}");
}

#[test]
fn mailing_lists_for_a_selection() {
    let d = diary();
    let out = d
        .cmd()
        .args(["export", "--format", "labels", "--category", "Prospects"])
        .assert()
        .success();
    let o = out.get_output();
    assert_eq!(
        String::from_utf8(o.stdout.clone()).unwrap(),
        "name,company,address_1,address_2,address_3,address_4\n\
         Ada Lovelace,Engines,12 St James's Square,London SW1Y 4JH,,\n\
         Grace Hopper,,1 Navy Way,Arlington,VA 22202,USA\n"
    );
    let err = String::from_utf8(o.stderr.clone()).unwrap();
    assert!(
        err.contains("1 left out, no postal address: c3 Smith, Jo"),
        "{err}"
    );
    let emails = d.ok(&["export", "--format", "emails"]);
    assert_eq!(
        emails,
        "Ada Lovelace <ada@example.com>\nGrace Hopper <grace@example.com>\nLinus <linus@example.org>\n"
    );
    let emails = d.ok(&["export", "--format", "emails", "--stage", "customer"]);
    assert_eq!(emails, "Linus <linus@example.org>\n");
    let (_, err) = d.refused(&["export", "--format", "csv", "--tag", "x"], 2);
    assert!(err.contains("--format labels or emails"), "{err}");
}

/// Python's standard library reads the mailing lists as a mail program and a spreadsheet would:
/// `email.utils.getaddresses` parses each `Name <address>` line back to the contact's name and
/// first address (names with commas, dots, quotes and accents included), and `csv` reads the
/// labels with the address lines in their columns.
#[test]
fn python_reads_the_mailing_lists_back() {
    const PYTHON: &str = "/usr/bin/python3";
    if !std::path::Path::new(PYTHON).exists() {
        eprintln!("skipped: {PYTHON} is not installed here (.ci/run installs it)");
        return;
    }
    let d = Diary::new();
    let people = [
        ("Smith, Jo", "jo@example.com"),
        ("Dr. Ada Lovelace", "ada@example.com"),
        ("Zoë \"Z\" Müller", "zoe@example.de"),
        ("Linus", "linus@example.org"),
    ];
    for (name, email) in people {
        d.ok(&[
            "add",
            name,
            "--email",
            email,
            "--address",
            "1 Main St\\nSpringfield",
        ]);
    }
    let dir = tempfile::tempdir().unwrap();
    let (emails, labels) = (dir.path().join("bcc.txt"), dir.path().join("labels.csv"));
    let paths = [emails.to_str().unwrap(), labels.to_str().unwrap()];
    d.ok(&["export", "--format", "emails", "-o", paths[0]]);
    d.ok(&["export", "--format", "labels", "-o", paths[1]]);
    let script = r#"
import csv, email.utils, json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    lines = [l.rstrip("\n") for l in f if l.strip()]
pairs = [list(email.utils.getaddresses([l])[0]) for l in lines]
with open(sys.argv[2], encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
print(json.dumps({"emails": pairs, "labels": rows}))
"#;
    let out = std::process::Command::new(PYTHON)
        .args(["-c", script, paths[0], paths[1]])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(String, String)> = v["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = people
        .iter()
        .map(|(n, e)| (n.to_string(), e.to_string()))
        .collect();
    want.sort();
    assert_eq!(got, want);
    let rows = v["labels"].as_array().unwrap();
    assert_eq!(rows.len(), people.len() + 1);
    assert_eq!(rows[0][0], "name");
    for (name, _) in people {
        let row = rows.iter().find(|r| r[0] == name).unwrap();
        assert_eq!(
            (&row[2], &row[3]),
            (&Value::from("1 Main St"), &Value::from("Springfield"))
        );
    }
}
