//! Import benchmarks: 100,000 contacts from a Google Contacts CSV (the current column set: two
//! e-mails, two phones, an address in parts and formatted, a birthday, labels, a note, and the
//! label columns beside them) and from a vCard 3.0 file, each into a new database file, as
//! `tickler import FILE` does it: read the bytes, detect the encoding, parse, then decide and write
//! every contact in ONE transaction. The bound: the CSV under 3 s (release build).
//! Also the CSV parse alone, and the CSV export of the imported diary.
//!
//! The machine these run on is often shared, so the imports are measured twice: wall time
//! (criterion's default) and the CPU time of the importing thread (Linux, from
//! /proc/thread-self/schedstat; the import runs on the calling thread), which other processes
//! hardly change.

use chrono::NaiveDate;
use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
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

/// CPU time of the calling thread, in nanoseconds.
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    let text = or_stop(
        std::fs::read_to_string("/proc/thread-self/schedstat"),
        "CPU time (Linux's /proc/thread-self/schedstat)",
    );
    let first = text.split_whitespace().next().unwrap_or_default();
    or_stop(first.parse::<u64>(), "schedstat's first field")
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;
    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, started: u64) -> u64 {
        thread_cpu_ns().saturating_sub(started)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (div, unit) = match typical {
            t if t >= 1e9 => (1e9, "s cpu"),
            t if t >= 1e6 => (1e6, "ms cpu"),
            _ => (1e3, "µs cpu"),
        };
        values.iter_mut().for_each(|v| *v /= div);
        unit
    }
    fn scale_throughputs(&self, _: f64, _: &Throughput, values: &mut [f64]) -> &'static str {
        values.iter_mut().for_each(|v| *v = 0.0);
        "(no throughput)"
    }
    fn scale_for_machines(&self, _: &mut [f64]) -> &'static str {
        "ns"
    }
}

/// A database file removed when dropped (after the measurement).
struct Gone(std::path::PathBuf);

impl Drop for Gone {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
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
                    Gone(db)
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

/// The two imports again, in CPU time of the importing thread.
fn imports_cpu(c: &mut Criterion<ThreadCpu>) {
    let dir = or_stop(tempfile::tempdir(), "temporary directory");
    let csv = dir.path().join("google.csv");
    let vcf = dir.path().join("contacts.vcf");
    or_stop(std::fs::write(&csv, google_csv(N)), "write csv");
    or_stop(std::fs::write(&vcf, vcards(N)), "write vcf");
    let mut g = c.benchmark_group("import cpu");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    let mut run = 0usize;
    for (name, file) in [("csv 100k", &csv), ("vcard 100k", &vcf)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || {
                    run += 1;
                    dir.path().join(format!("db-{run}.redb"))
                },
                |db| {
                    assert_eq!(import_file(file, &db), N);
                    Gone(db)
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, imports);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = imports_cpu
}
criterion_main!(benches, cpu);
