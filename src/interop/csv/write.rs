//! The CSV export of contacts: one row per contact, columns [`EXPORT_HEADER`], several e-mails,
//! phones or tags joined with "; " (the importer splits them again, so the export re-imports as
//! the same contacts). A cell starting with `=`, `+`, `-` or `@` gets a leading `'`, so a
//! spreadsheet shows it instead of running it as a formula (the importer drops that `'`).
//! `excel`: a UTF-8 byte-order mark and CRLF line ends, which Excel needs to read UTF-8.

use crate::model::Contact;
use std::io::Write;

/// The CSV export's columns (a contract: only ever extended at the end).
pub const EXPORT_HEADER: [&str; 15] = [
    "id",
    "name",
    "company",
    "emails",
    "phones",
    "address",
    "birthday",
    "category",
    "tags",
    "stage",
    "no_reason",
    "cadence",
    "notes",
    "created",
    "updated",
];

/// How the CSV is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// A byte-order mark and CRLF line ends, for Excel.
    pub excel: bool,
}

/// A cell a spreadsheet would run as a formula, neutralised with a leading `'` (a cell that
/// already starts with `'` and a formula character gets one more, so the import's dropping of one
/// gives it back as it was).
pub fn neutralise(v: &str) -> std::borrow::Cow<'_, str> {
    let formula = |s: &str| s.starts_with(['=', '+', '-', '@']);
    if formula(v) || v.strip_prefix('\'').is_some_and(formula) {
        std::borrow::Cow::Owned(format!("'{v}"))
    } else {
        std::borrow::Cow::Borrowed(v)
    }
}

/// Write contacts as CSV (comma-delimited, UTF-8, header row). `category` names a contact's
/// category.
pub fn write_contacts(
    out: &mut dyn Write,
    contacts: &[Contact],
    category: &dyn Fn(&Contact) -> String,
    opts: WriteOptions,
) -> Result<(), ::csv::Error> {
    if opts.excel {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    let terminator = if opts.excel {
        ::csv::Terminator::CRLF
    } else {
        ::csv::Terminator::Any(b'\n')
    };
    let mut w = ::csv::WriterBuilder::new()
        .terminator(terminator)
        .from_writer(out);
    w.write_record(EXPORT_HEADER)?;
    for c in contacts {
        let row = [
            format!("c{}", c.id),
            c.name.clone(),
            c.company.clone().unwrap_or_default(),
            c.emails.join("; "),
            c.phones.join("; "),
            c.address.clone().unwrap_or_default(),
            c.birthday.map(|b| b.to_string()).unwrap_or_default(),
            category(c),
            c.tags.join("; "),
            c.stage.to_string(),
            c.no_reason.map(|r| r.to_string()).unwrap_or_default(),
            c.cadence.map(|k| k.to_string()).unwrap_or_default(),
            c.notes.clone(),
            c.created.to_string(),
            c.updated.to_string(),
        ];
        let cells: Vec<String> = row
            .iter()
            .map(|v| {
                let v = neutralise(v);
                if opts.excel {
                    v.replace('\n', "\r\n")
                } else {
                    v.into_owned()
                }
            })
            .collect();
        w.write_record(&cells)?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactId;
    use chrono::NaiveDate;

    #[test]
    fn formulas_are_neutralised_and_excel_gets_bom_and_crlf() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let mut c = Contact::new(ContactId(1), "=HYPERLINK(\"x\")", day);
        c.phones = vec!["+44 20 7946".into(), "0113".into()];
        c.notes = "line one\nline two".into();
        let mut plain = Vec::new();
        write_contacts(
            &mut plain,
            &[c.clone()],
            &|_| String::new(),
            WriteOptions::default(),
        )
        .unwrap();
        let plain = String::from_utf8(plain).unwrap();
        assert!(plain.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{plain}");
        assert!(plain.contains(",'+44 20 7946; 0113,"), "{plain}");
        assert!(!plain.contains('\r'));
        let mut excel = Vec::new();
        write_contacts(
            &mut excel,
            &[c],
            &|_| String::new(),
            WriteOptions { excel: true },
        )
        .unwrap();
        assert!(excel.starts_with(b"\xEF\xBB\xBFid,name,"));
        let text = String::from_utf8(excel).unwrap();
        assert!(text.contains("\"line one\r\nline two\""));
        assert!(text.ends_with("\r\n"));
        // Both read back as they were written.
        for t in [plain.as_str(), text.as_str()] {
            let p = super::super::parse(t, &[]).unwrap();
            assert_eq!(p.mapping, "tickler");
            assert_eq!(p.records[0].name, "=HYPERLINK(\"x\")");
            assert_eq!(p.records[0].phones, ["+44 20 7946", "0113"]);
            assert_eq!(p.records[0].notes, "line one\nline two");
        }
    }
}
