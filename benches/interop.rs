//! Import benchmarks: 100,000 contacts from a Google Contacts CSV (the current column set: two
//! e-mails, two phones, an address in parts and formatted, a birthday, labels, a note, and the
//! label columns beside them) and from a vCard 3.0 file, each into a new database file, as
//! `tickler import FILE` does it: read the bytes, detect the encoding, parse, then decide and write
//! every contact in ONE transaction. The bound: the CSV under 3 s (release build).
//! Also the CSV parse alone, and the CSV export of the imported diary.

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;
use tickler::interop::import::{self, Imported};
use tickler::interop::{ImportOptions, export};
use tickler::store::Store;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const N: usize = 100_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or(NaiveDate::MIN)
}

/// The value, or stop the bench with what failed.
fn or_stop<T, E: std::fmt::Display>(r: Result<T, E>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("{what}: {e}"),
    }
}

const GOOGLE_HEADER: &str = "First Name,Middle Name,Last Name,Organization Name,Organization Title,Birthday,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value,Address 1 - Label,Address 1 - Formatted,Address 1 - Street,Address 1 - City,Address 1 - Postal Code,Address 1 - Country";

fn google_csv(n: usize) -> String {
    let mut s = String::with_capacity(n * 400);
    s.push_str(GOOGLE_HEADER);
    s.push_str("\r\n");
    for i in 0..n {
        let (m, d) = (i % 12 + 1, i % 28 + 1);
        let _ = write!(
            s,
            "Person{i},,Müller-{},Company {} GmbH,Buyer,1970-{m:02}-{d:02},\"Met at the fair\nasked for the catalogue\",* myContacts ::: Kunden,Work,p{i}@example.com,Home,p{i}@mail.example,Work,+49 30 {i:07},Mobile,+49 170 {i:07},Work,\"Hauptstraße {}\n{:05} Berlin\nDeutschland\",Hauptstraße {},Berlin,{:05},Deutschland\r\n",
            i % 977,
            i % 5000,
            i % 300,
            10000 + i % 89999,
            i % 300,
            10000 + i % 89999,
        );
    }
    s
}

fn vcards(n: usize) -> String {
    let mut s = String::with_capacity(n * 300);
    for i in 0..n {
        let (m, d) = (i % 12 + 1, i % 28 + 1);
        let _ = write!(
            s,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person{i} Müller\r\nN:Müller;Person{i};;;\r\nORG:Company {}\r\nEMAIL;TYPE=INTERNET,WORK:p{i}@example.com\r\nTEL;TYPE=CELL:+49 170 {i:07}\r\nADR;TYPE=WORK:;;Hauptstraße {};Berlin;;{:05};Deutschland\r\nBDAY:1970-{m:02}-{d:02}\r\nNOTE:a note long enough to be folded by the exporting address b\r\n ook {i}\r\nCATEGORIES:Kunden\r\nEND:VCARD\r\n",
            i % 5000,
            i % 300,
            10000 + i % 89999,
        );
    }
    s
}

/// `tickler import FILE` into a new database: bytes, encoding, parse, plan and write.
fn import_file(path: &Path, db: &Path) -> usize {
    let store = or_stop(Store::open(db), "new database");
    let loaded = or_stop(import::load(path, &[], &AtomicUsize::new(0)), "load");
    let opts = ImportOptions {
        category: None,
        stage: None,
        today: today(),
    };
    match or_stop(import::run(&store, loaded, &opts, "bench", false), "import") {
        Imported::Contacts(plan) => plan.created,
        Imported::Restored(n) => n,
    }
}

fn imports(c: &mut Criterion) {
    let dir = or_stop(tempfile::tempdir(), "temporary directory");
    let csv = dir.path().join("google.csv");
    let vcf = dir.path().join("contacts.vcf");
    or_stop(std::fs::write(&csv, google_csv(N)), "write csv");
    or_stop(std::fs::write(&vcf, vcards(N)), "write vcf");
    let mut g = c.benchmark_group("import");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    let text = google_csv(N);
    g.bench_function("csv parse 100k", |b| {
        b.iter(|| black_box(or_stop(tickler::interop::csv::parse(&text, &[]), "parse")))
    });
    let mut run = 0usize;
    for (name, file) in [("csv 100k", &csv), ("vcard 100k", &vcf)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    run += 1;
                    dir.path().join(format!("db-{run}.redb"))
                },
                |db| {
                    let created = import_file(file, &db);
                    assert_eq!(created, N);
                    let _ = std::fs::remove_file(&db);
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
    let db = dir.path().join("exported.redb");
    import_file(&csv, &db);
    let store = or_stop(Store::open(&db), "reopen");
    c.bench_function("csv export 100k", |b| {
        b.iter(|| {
            let fill = or_stop(
                export::filler(&store, export::Kind::Csv { excel: false }, today()),
                "export",
            );
            let mut out = Vec::with_capacity(64 << 20);
            or_stop(fill(&mut out), "write");
            black_box(out.len())
        })
    });
}

criterion_group!(benches, imports);
criterion_main!(benches);
