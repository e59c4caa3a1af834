//! Real files written by other programs (tests/fixtures/real, see its README for each file's
//! source and licence): every one is imported and checked against what the file says — names,
//! e-mails, phones, birthdays — plus the encodings, warnings and line numbers the files exercise.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use tickler::interop::import::{self, LoadOptions, Loaded};
use tickler::interop::{ImportError, Parsed, text};

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(name)
}

/// One contact as the file gives it.
struct Card {
    name: &'static str,
    emails: &'static [&'static str],
    phones: &'static [&'static str],
    /// YYYY-MM-DD or --MM-DD; empty for none.
    birthday: &'static str,
}

struct Fixture {
    file: &'static str,
    encoding: Option<&'static str>,
    mapping: &'static str,
    malformed: usize,
    cards: Vec<Card>,
}

fn c(
    name: &'static str,
    emails: &'static [&'static str],
    phones: &'static [&'static str],
    birthday: &'static str,
) -> Card {
    Card {
        name,
        emails,
        phones,
        birthday,
    }
}

fn fx(file: &'static str, mapping: &'static str, malformed: usize, cards: Vec<Card>) -> Fixture {
    Fixture {
        file,
        encoding: None,
        mapping,
        malformed,
        cards,
    }
}

fn fx_enc(
    file: &'static str,
    encoding: &'static str,
    mapping: &'static str,
    malformed: usize,
    cards: Vec<Card>,
) -> Fixture {
    Fixture {
        encoding: Some(encoding),
        ..fx(file, mapping, malformed, cards)
    }
}

/// What each file says (read by eye from the files, not from the importer).
fn fixtures() -> Vec<Fixture> {
    vec![
        fx(
            "aosp/v21_backslash.vcf",
            "vcard",
            0,
            vec![c("A;B\\C\\;D:E\\\\", &[], &[], "")],
        ),
        fx(
            "aosp/v21_complicated.vcf",
            "vcard",
            0,
            vec![c(
                "Joe Due",
                &["forrestgump@walladalla.com", "cell@example.com"],
                &[
                    "(111) 555-1212",
                    "(404) 555-1212",
                    "0311111111",
                    "0322222222",
                    "0333333333",
                ],
                "1980-01-01",
            )],
        ),
        fx(
            "aosp/v21_japanese_1.vcf",
            "vcard",
            0,
            vec![c("安藤ロイド", &[], &["0300000000"], "")],
        ),
        fx(
            "aosp/v21_multiple_entry.vcf",
            "vcard",
            0,
            vec![
                c("安藤ロイド3", &[], &["9", "10", "11", "12"], ""),
                c("安藤ロイド4", &[], &["13", "14", "15", "16"], ""),
                c("安藤ロイド5", &[], &["17", "18", "19", "20"], ""),
            ],
        ),
        fx(
            "aosp/v21_simple_1.vcf",
            "vcard",
            0,
            vec![c("Roid Ando", &[], &[], "")],
        ),
        fx(
            "aosp/v21_winmo_65.vcf",
            "vcard",
            0,
            vec![c("Example", &[], &[], "")],
        ),
        fx(
            "aosp/v30_comma_separated.vcf",
            "vcard",
            0,
            vec![c("G M F", &[], &["1"], "")],
        ),
        fx(
            "aosp/v30_ios_613_multiline.vcf",
            "vcard",
            0,
            vec![c(
                "Bob Smith",
                &["bob@smithauto.com"],
                &["(650) 555-1212"],
                "",
            )],
        ),
        fx(
            "aosp/v30_simple.vcf",
            "vcard",
            0,
            vec![c("And Roid", &[], &["0300000000"], "")],
        ),
        fx(
            "aosp/v40_sort_as.vcf",
            "vcard",
            0,
            vec![c("安藤 ロイド", &[], &[], "")],
        ),
        fx(
            "ez-vcard/John_Doe_ANDROID.vcf",
            "vcard",
            0,
            vec![
                c("john.doe@company.com", &["john.doe@company.com"], &[], ""),
                c("jane.doe@company.com", &["jane.doe@company.com"], &[], ""),
                c("Ñ Ñ Ñ Ñ Ñ", &[], &["123456789"], ""),
                c(
                    "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ",
                    &[],
                    &["123456", "234567", "3456789", "45678901"],
                    "",
                ),
                c("Ñ Ñ Ñ Ñ", &["bob@company.com"], &["123456"], ""),
                c("ÑÑÑÑ", &["henry@company.com"], &["55556666"], ""),
            ],
        ),
        fx(
            "ez-vcard/John_Doe_BLACK_BERRY.vcf",
            "vcard",
            0,
            vec![c("John Doe", &[], &["+96123456789"], "")],
        ),
        fx(
            "ez-vcard/John_Doe_EVOLUTION.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. John Richter, James Doe Sr.",
                &["john.doe@ibm.com"],
                &["905-666-1234", "905-555-1234"],
                "1980-03-22",
            )],
        ),
        fx(
            "ez-vcard/John_Doe_GMAIL.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. John Richter, James Doe Sr.",
                &["john.doe@ibm.com"],
                &["905-555-1234", "905-666-1234"],
                "1980-03-22",
            )],
        ),
        fx(
            "ez-vcard/John_Doe_IPHONE.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. John Richter James Doe Sr.",
                &["john.doe@ibm.com"],
                &[
                    "905-555-1234",
                    "905-666-1234",
                    "905-777-1234",
                    "905-888-1234",
                    "905-999-1234",
                    "905-111-1234",
                    "905-222-1234",
                ],
                "2012-06-06",
            )],
        ),
        fx(
            "ez-vcard/John_Doe_LOTUS_NOTES.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. Doe John I Johny",
                &["john.doe@ibm.com", "billy_bob@gmail.com"],
                &["+1 (212) 204-34456", "00-1-212-555-7777"],
                "1980-05-21",
            )],
        ),
        fx(
            "ez-vcard/John_Doe_MAC_ADDRESS_BOOK.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. John Richter,James Doe Sr.",
                &["john.doe@ibm.com"],
                &[
                    "905-777-1234",
                    "905-666-1234",
                    "905-555-1234",
                    "905-888-1234",
                    "905-999-1234",
                    "905-111-1234",
                    "905-222-1234",
                ],
                "2012-06-06",
            )],
        ),
        fx(
            "ez-vcard/John_Doe_MS_OUTLOOK.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. John Richter James Doe Sr.",
                &["john.doe@ibm.cm"],
                &["(905) 555-1234", "(905) 666-1234"],
                "1980-03-22",
            )],
        ),
        fx(
            "ez-vcard/fullcontact.vcf",
            "vcard",
            0,
            vec![c(
                "Prefix FirstName MiddleName LastName Suffix",
                &[
                    "home@example.com",
                    "work@example.com",
                    "school@example.com",
                    "other@example.com",
                    "custom@example.com",
                ],
                &[
                    "555-555-1111",
                    "555-555-1112",
                    "555-555-1113",
                    "555-555-1114",
                    "555-555-1115",
                    "555-555-1116",
                    "555-555-1117",
                    "555-555-1118",
                    "555-555-1119",
                ],
                "2016-08-01",
            )],
        ),
        fx(
            "ez-vcard/gmail-list.vcf",
            "vcard",
            0,
            vec![
                c("Arnold Smith", &["asmithk@gmail.com"], &[], ""),
                c("Chris Beatle", &["chrisy55d@yahoo.com"], &[], ""),
                c("Doug White", &["dwhite@gmail.com"], &[], ""),
            ],
        ),
        fx(
            "ez-vcard/gmail-single.vcf",
            "vcard",
            0,
            vec![c(
                "Greg Dartmouth",
                &["gdartmouth@hotmail.com"],
                &["555 555 1111", "555 555 2222"],
                "1960-09-10",
            )],
        ),
        fx(
            "ez-vcard/outlook-2003.vcf",
            "vcard",
            0,
            vec![c("John Doe III", &["jdoe@hotmail.com"], &[], "1980-03-21")],
        ),
        fx(
            "ez-vcard/outlook-2007.vcf",
            "vcard",
            0,
            vec![c(
                "Mr. Michael Angstadt Jr.",
                &["mike.angstadt@gmail.com"],
                &[
                    "(111) 555-1111",
                    "(111) 555-2222",
                    "(111) 555-4444",
                    "(111) 555-3333",
                ],
                "1922-03-10",
            )],
        ),
        fx(
            "ez-vcard/rfc2426-example.vcf",
            "vcard",
            0,
            vec![
                c(
                    "Frank Dawson",
                    &["Frank_Dawson@Lotus.com", "fdawson@earthlink.net"],
                    &["+1-919-676-9515", "+1-919-676-9564"],
                    "",
                ),
                c(
                    "Tim Howes",
                    &["howes@netscape.com"],
                    &["+1-415-937-3419", "+1-415-528-4164"],
                    "",
                ),
            ],
        ),
        fx(
            "ez-vcard/rfc6350-example.vcf",
            "vcard",
            0,
            vec![c(
                "Simon Perreault",
                &["simon.perreault@viagenie.ca"],
                &["+1-418-656-9254 x102", "+1-418-262-6501"],
                "--02-03",
            )],
        ),
        fx(
            "ez-vcard/thunderbird-MoreFunctionsForAddressBook-extension.vcf",
            "vcard",
            0,
            vec![c(
                "John Doe",
                &[
                    "doe.john@hotmail.com",
                    "additional-email@company.com",
                    "additional-email1@company.com",
                    "additional-email2@company.com",
                    "additional-email3@company.com",
                ],
                &[
                    "555-555-1111",
                    "555-555-2222",
                    "555-555-5555",
                    "555-555-3333",
                    "555-555-4444",
                ],
                "1970-09-21",
            )],
        ),
        fx(
            "khard/korean-c.vcf",
            "vcard",
            0,
            vec![c("최유림", &[], &[], "")],
        ),
        fx(
            "khard/labels.vcf",
            "vcard",
            0,
            vec![c("labeled guy", &[], &[], "")],
        ),
        fx(
            "khard/tel-value-uri.vcf",
            "vcard",
            0,
            vec![c("bug 195", &[], &["67545678"], "")],
        ),
        fx(
            "khard/text-bday.vcf",
            "vcard",
            0,
            vec![c("text birthday", &[], &[], "")],
        ),
        fx(
            "linkedin-network-intelligence/Connections.csv",
            "linkedin",
            0,
            vec![
                c("Alice Johnson", &["alice.johnson@techcorp.com"], &[], ""),
                c("Bob Williams", &["bob@startupxyz.com"], &[], ""),
                c("Carol Davis", &[], &[], ""),
                c("David Brown", &["david.b@anthropic.com"], &[], ""),
                c("Eve Wilson", &["eve@consulting.io"], &[], ""),
                c("Frank Miller", &[], &[], ""),
                c("Grace Lee", &["grace.lee@meta.com"], &[], ""),
                c("Henry Taylor", &[], &[], ""),
                c("Ivy Martinez", &["ivy@startup.co"], &[], ""),
                c("Jack Anderson", &["jack.a@openai.com"], &[], ""),
            ],
        ),
        fx(
            "rolomind/google.csv",
            "google",
            0,
            vec![
                c("John Doe", &["john@example.com"], &["+1-555-0123"], ""),
                c("Jane Smith", &["jane@example.com"], &["+1-555-0124"], ""),
                c("Bob Wilson", &["bob@startup.com"], &[], ""),
                c(
                    "Alice Brown",
                    &["alice.brown@email.com"],
                    &["+1-555-0125"],
                    "",
                ),
            ],
        ),
        fx(
            "rolomind/linkedin.csv",
            "linkedin",
            0,
            vec![
                c("John Doe", &["john@example.com"], &[], ""),
                c("Jane Smith", &["jane@example.com"], &[], ""),
                c("Bob Wilson", &[], &[], ""),
                c("Alice Brown", &["alice.brown@email.com"], &[], ""),
                c("Charlie Davis", &["charlie@startup.com"], &[], ""),
            ],
        ),
        fx(
            "roundcube/all.csv",
            "outlook",
            0,
            vec![c(
                "Display Name",
                &["home@example.com", "work@example.com", "other@example.com"],
                &[
                    "100", "200", "300", "400", "500", "600", "700", "800", "900", "111", "222",
                    "333", "444",
                ],
                "1991-01-20",
            )],
        ),
        fx(
            "roundcube/apple.vcf",
            "vcard",
            0,
            vec![c("Apple Computer AG", &[], &[], "")],
        ),
        fx(
            "roundcube/email.csv",
            "thunderbird",
            0,
            vec![
                c("test1@domain.tld", &["test1@domain.tld"], &[], ""),
                c("test2@domain.tld", &["test2@domain.tld"], &[], ""),
                c("test3@domain.tld", &["test3@domain.tld"], &[], ""),
                c("test4@domain.tld", &["test4@domain.tld"], &[], ""),
            ],
        ),
        fx(
            "roundcube/gmail.csv",
            "google",
            0,
            vec![c(
                "Prefix Firstname Middle Lastname Suffix",
                &[
                    "home@aaa.pl",
                    "work@email.pl",
                    "unknown@email.com",
                    "other@email.com",
                ],
                &[],
                "1975-12-12",
            )],
        ),
        fx(
            "roundcube/johndoe.vcf",
            "vcard",
            0,
            vec![c(
                "John Doë",
                &["inbox@roundcube.net", "roundcube@gmail.com"],
                &["+123456789", "+987654321"],
                "",
            )],
        ),
        fx(
            "roundcube/outlook.csv",
            "outlook",
            0,
            vec![c(
                "test1@domain.tld",
                &["test1@domain.tld", "test2@domain.tld", "test3@domain.tld"],
                &[],
                "",
            )],
        ),
        fx(
            "roundcube/tb_plain.csv",
            "thunderbird",
            0,
            vec![c(
                "Displayname",
                &["test@domain.tld", "next@domain.tld"],
                &[],
                "1970-11-15",
            )],
        ),
        fx_enc(
            "roundcube/thebat.vcf",
            "iso-8859-2",
            "vcard",
            0,
            vec![c(
                "Piotr Iksiński",
                &["piotr.iksinski@somedomain.com"],
                &[],
                "",
            )],
        ),
        fx(
            "roundcube/utf-16_sample.vcf",
            "vcard",
            0,
            vec![c("Ǽgean ĽdaMonté", &[], &[], "")],
        ),
        fx(
            "sabre/issue153.vcf",
            "vcard",
            0,
            vec![c("Test Benutzer", &[], &[], "")],
        ),
        fx("sabre/issue64.vcf", "vcard", 1, vec![]),
        fx(
            "thunderbird/basic_addressbook.csv",
            "thunderbird",
            0,
            vec![c("John Doe", &["johndoe@host.invalid"], &[], "")],
        ),
        fx(
            "thunderbird/basic_csv_addressbook.csv",
            "thunderbird",
            0,
            vec![
                c("John Doe", &["john@doe.invalid"], &[], ""),
                c("Jane Doe", &["jane@doe.invalid"], &[], ""),
            ],
        ),
        fx(
            "thunderbird/basic_vcard_addressbook.vcf",
            "vcard",
            0,
            vec![
                c("John Doe", &["john.doe@genericemail.invalid"], &[], ""),
                c("Jane Doe", &["jane.doe@genericemail.invalid"], &[], ""),
            ],
        ),
        fx(
            "thunderbird/csv_semicolon.csv",
            "thunderbird",
            0,
            vec![
                c("John Doe", &["john@doe.invalid"], &[], ""),
                c("Jane Doe", &["jane@doe.invalid"], &[], ""),
            ],
        ),
        fx(
            "thunderbird/dos_vcard_addressbook.vcf",
            "vcard",
            0,
            vec![c("Name Surname", &["example@gmail.com"], &[], "")],
        ),
        fx(
            "thunderbird/emptylines_vcard_addressbook.vcf",
            "vcard",
            0,
            vec![
                c("John Doe", &["john.doe@genericemail.invalid"], &[], ""),
                c("Jane Doe", &["jane.doe@genericemail.invalid"], &[], ""),
            ],
        ),
        fx(
            "thunderbird/export.csv",
            "thunderbird",
            0,
            vec![
                c("contact number one", &[], &[], ""),
                c("contact number two", &[], &[], ""),
            ],
        ),
        fx(
            "thunderbird/export.vcf",
            "vcard",
            0,
            vec![
                c("contact number one", &[], &[], ""),
                c("contact number two", &[], &[], ""),
            ],
        ),
        fx(
            "thunderbird/import.csv",
            "plain",
            0,
            vec![c("contact number one", &[], &[], "")],
        ),
        fx(
            "thunderbird/quote.csv",
            "thunderbird",
            0,
            vec![c("Acer America", &[], &["(800) 000-0000"], "")],
        ),
        fx(
            "thunderbird/shiftjis_addressbook.csv",
            "thunderbird",
            0,
            vec![c(
                "名無しの権兵衛",
                &["名無しの権兵衛@host.invalid"],
                &[],
                "",
            )],
        ),
        fx(
            "thunderbird/utf16_addressbook.csv",
            "thunderbird",
            0,
            vec![c("John Doe", &["johndoe@host.invalid"], &[], "")],
        ),
        fx(
            "tine20/contactUmlaut.vcf",
            "vcard",
            0,
            vec![c("Hans Müller - Mein Schiff", &["hans@schiff.de"], &[], "")],
        ),
        fx(
            "tine20/emclient_addressbook.vcf",
            "vcard",
            0,
            vec![c(
                "Prefix Vor Nach Suffix",
                &["privat@email.de", "business@email.de"],
                &[],
                "1950-01-26",
            )],
        ),
        fx(
            "tine20/google_contacts.csv",
            "google",
            0,
            vec![
                c("Ando", &[], &["+49227913452"], ""),
                c("Anna", &[], &["+494471707801"], ""),
                c("Anne", &[], &["01235684494"], ""),
                c("axel", &["abc@here.de"], &["+4921234435"], ""),
                c("Bus Winsen", &[], &["021224351809"], ""),
            ],
        ),
        fx(
            "tine20/importtest_outlook2013.csv",
            "outlook",
            0,
            vec![
                c(
                    "Christian Baumann",
                    &["c.baumann@unittest.de"],
                    &["+49 (0) 40 6432131-550"],
                    "",
                ),
                c(
                    "Cornelius Weiß",
                    &["c.weiss@unittest.de"],
                    &["040 6432131545", "0176 164321545"],
                    "",
                ),
            ],
        ),
        fx(
            "tine20/importtest_win1252.csv",
            "plain",
            0,
            vec![
                c("Peter Pan", &["peter.pan@ecologic.eu"], &[], ""),
                c("Maja Biene", &["maja.biene@bienenstock.de"], &[], ""),
                c("ÖzdemirÖ Üglü", &["oezdemir@ueglue.tu"], &[], ""),
                c("Weiss Cornelius", &["c.weiss@metaways.de"], &[], ""),
            ],
        ),
        fx(
            "tine20/ios_5_addressbook.vcf",
            "vcard",
            0,
            vec![c(
                "Titel AAASync AAASync",
                &[
                    "lars@kneschke.de",
                    "l.kneschke@metaways.de",
                    "andere@mail.de",
                ],
                &[],
                "",
            )],
        ),
        fx(
            "tine20/mac_os_x_addressbook.vcf",
            "vcard",
            0,
            vec![c(
                "Vorname Nachname",
                &["l.kneschke@metaways.de", "lars@kneschke.de"],
                &[],
                "",
            )],
        ),
        fx(
            "tine20/rcube_contacts-3.vcf",
            "vcard",
            0,
            vec![
                c("Some.One@telekom.de", &["some.one@mytine.de"], &[], ""),
                c("der", &["der.der@mytine.de"], &[], ""),
            ],
        ),
        fx(
            "tine20/sogo_connector.vcf",
            "vcard",
            0,
            vec![c(
                "Lars Kneschke",
                &["l.kneschke@metaways.de", "lars@kneschke.de"],
                &[],
                "1975-01-16",
            )],
        ),
        fx(
            "tine20/telefonbuch.vcf",
            "vcard",
            0,
            vec![c("Michael", &["m.spahn@metaways.de"], &["040 12345"], "")],
        ),
        fx(
            "vobject/radicale-1587.vcf",
            "vcard",
            0,
            vec![c("Given Family", &[], &[], "")],
        ),
    ]
}

fn load(file: &str, encoding: Option<&str>) -> Result<Parsed, ImportError> {
    let opts = LoadOptions {
        map: &[],
        encoding: encoding.map(|e| text::encoding_for(e).expect("a known encoding")),
    };
    match import::load_with(&real(file), opts, &AtomicUsize::new(0))? {
        Loaded::Contacts(p) => Ok(p),
        Loaded::Diary(_) => panic!("{file} read as a JSON export"),
    }
}

#[test]
fn every_real_file_imports_as_it_says() {
    let all = fixtures();
    let on_disk = std::fs::read_dir(real(""))
        .unwrap()
        .flatten()
        .filter(|d| d.path().is_dir())
        .flat_map(|d| std::fs::read_dir(d.path()).unwrap().flatten())
        .count();
    // Every file in the folder is in the table (tab_comma_mixed.csv is tested apart).
    assert_eq!(all.len() + 1, on_disk);
    assert!(on_disk >= 40);
    for f in &all {
        let p = load(f.file, f.encoding).unwrap_or_else(|e| panic!("{}: {e}", f.file));
        assert_eq!(p.mapping, f.mapping, "{}", f.file);
        assert_eq!(
            p.malformed.len(),
            f.malformed,
            "{}: {:?}",
            f.file,
            p.malformed
        );
        let got: Vec<_> = p.records.iter().map(|r| r.name.as_str()).collect();
        let want: Vec<_> = f.cards.iter().map(|k| k.name).collect();
        assert_eq!(got, want, "{}", f.file);
        for (r, k) in p.records.iter().zip(&f.cards) {
            let at = format!("{} line {}", f.file, r.line);
            assert_eq!(r.emails, k.emails, "{at}");
            assert_eq!(r.phones, k.phones, "{at}");
            let b = r.birthday.map(|b| b.to_string()).unwrap_or_default();
            assert_eq!(b, k.birthday, "{at}");
        }
    }
}

#[test]
fn a_file_without_a_header_is_refused_with_what_to_do() {
    // Thunderbird's test of a header-less file: its first line is a contact.
    let err = load("thunderbird/tab_comma_mixed.csv", None).unwrap_err();
    assert!(matches!(err, ImportError::NoNameColumn(_)), "{err}");
    assert!(err.to_string().contains("--map"));
}

fn warnings(p: &Parsed) -> Vec<(usize, String)> {
    p.warnings
        .iter()
        .map(|w| (w.line, w.message.clone()))
        .collect()
}

#[test]
fn encodings_are_detected_and_said() {
    let note = |f: &str| load(f, None).unwrap().encoding.unwrap_or_default();
    assert_eq!(
        note("thunderbird/utf16_addressbook.csv"),
        "read as UTF-16LE (byte-order mark)"
    );
    assert_eq!(
        note("roundcube/utf-16_sample.vcf"),
        "read as UTF-16BE (no byte-order mark, every other byte zero)"
    );
    assert_eq!(
        note("aosp/v21_japanese_1.vcf"),
        "read as Shift_JIS (the file's CHARSET)"
    );
    assert!(note("tine20/importtest_outlook2013.csv").starts_with("read as windows-1252 (guessed"));
    assert!(note("thunderbird/shiftjis_addressbook.csv").starts_with("read as Shift_JIS (guessed"));
    assert_eq!(note("roundcube/all.csv"), "read as UTF-8 (byte-order mark)");
    assert_eq!(note("ez-vcard/John_Doe_ANDROID.vcf"), "");
    // The Bat! wrote 8-bit QUOTED-PRINTABLE without a CHARSET: --encoding says which.
    let p = load("roundcube/thebat.vcf", Some("iso-8859-2")).unwrap();
    assert_eq!(p.records[0].name, "Piotr Iksiński");
}

#[test]
fn line_numbers_in_crlf_files_with_multi_line_cells() {
    // German Outlook 2013: CRLF, a note spanning two lines in the first row, 89 fields where the
    // header has 92.
    let p = load("tine20/importtest_outlook2013.csv", None).unwrap();
    let lines: Vec<usize> = p.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4]);
    let w = warnings(&p);
    assert!(
        w.contains(&(
            2,
            "row has 89 fields, the header 92: the last 3 read as empty".to_string()
        )),
        "{w:?}"
    );
    assert_eq!(
        p.records[0].address.as_deref(),
        Some("Pickhuben 2\nHamburg\n20457\nDeutschland")
    );
    // LinkedIn: the header is on line 5, after its "Notes:" preamble.
    let p = load("linkedin-network-intelligence/Connections.csv", None).unwrap();
    assert_eq!(p.records[0].line, 6);
    assert_eq!(p.records[9].line, 15);
    assert_eq!(p.records[0].company.as_deref(), Some("TechCorp"));
}

#[test]
fn values_that_do_not_come_in_are_each_reported() {
    let p = load("thunderbird/export.csv", None).unwrap();
    let w = warnings(&p);
    assert!(
        w.contains(&(
            2,
            "email dropped: invalid email 'contact1@invalid': write it as name@example.com"
                .to_string()
        )),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|(l, m)| *l == 3 && m.starts_with("column 'Job Title' not imported (1 value)")),
        "{w:?}"
    );
    let p = load("khard/text-bday.vcf", None).unwrap();
    assert!(
        warnings(&p)[0]
            .1
            .starts_with("birthday 'circa 1800' is not a date")
    );
    let p = load("ez-vcard/John_Doe_IPHONE.vcf", None).unwrap();
    let w = warnings(&p);
    assert!(
        w.iter().any(
            |(l, m)| *l == 18 && m.contains("not imported: a contact keeps one postal address")
        ),
        "{w:?}"
    );
    assert!(
        w.iter().any(
            |(l, m)| *l == 8 && m == "TITLE not imported (1 card): tickler has no field for it"
        ),
        "{w:?}"
    );
    // Google: a second address, and every phone cell that is not a number.
    let p = load("roundcube/gmail.csv", None).unwrap();
    let w = warnings(&p);
    assert!(
        w.iter().any(|(_, m)| m.starts_with(
            "address 2 address 'work_street, work_city work_zip, work_country' not imported"
        )),
        "{w:?}"
    );
    assert_eq!(
        w.iter()
            .filter(|(_, m)| m.starts_with("phone dropped"))
            .count(),
        7,
        "{w:?}"
    );
}

#[test]
fn vcard_details_from_real_writers() {
    // RFC 6350: a tel: URI with an extension, a birthday without a year.
    let p = load("ez-vcard/rfc6350-example.vcf", None).unwrap();
    assert_eq!(p.records[0].company.as_deref(), Some("Viagenie"));
    // Evolution: an escaped comma in FN, the work address chosen.
    let p = load("ez-vcard/John_Doe_EVOLUTION.vcf", None).unwrap();
    assert!(
        p.records[0]
            .address
            .as_deref()
            .unwrap()
            .contains("Crescent moon drive")
    );
    assert_eq!(p.records[0].tags, ["vip"]);
    // eM Client: a note with line breaks.
    let p = load("tine20/emclient_addressbook.vcf", None).unwrap();
    assert_eq!(p.records[0].notes, "Notes\nwith\nbreaks");
    // SOGo: CATEGORIES become tags.
    let p = load("tine20/sogo_connector.vcf", None).unwrap();
    assert_eq!(p.records[0].tags, ["category 1", "category 2"]);
}

/// Through the binary, each file into a fresh diary: it exits 0 and creates or merges every
/// record (several cards of one person in a file become one contact); a file with no contact in
/// it exits 2.
#[test]
fn every_real_file_imports_through_the_binary() {
    for f in fixtures() {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = assert_cmd::Command::cargo_bin("tickler").unwrap();
        cmd.env("TICKLER_DB", dir.path().join("d.redb"))
            .env("TICKLER_TODAY", "2026-11-24")
            .args(["import", real(f.file).to_str().unwrap(), "--json"]);
        if let Some(e) = f.encoding {
            cmd.args(["--encoding", e]);
        }
        let out = cmd.output().unwrap();
        if f.cards.is_empty() {
            assert_eq!(out.status.code(), Some(2), "{}", f.file);
            continue;
        }
        assert!(
            out.status.success(),
            "{}: {}",
            f.file,
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let n = v["created"].as_u64().unwrap() + v["skipped"].as_u64().unwrap();
        assert_eq!(n, f.cards.len() as u64, "{}: {v}", f.file);
        assert_eq!(v["mapping"], f.mapping, "{}", f.file);
    }
}
