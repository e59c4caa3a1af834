use super::*;

#[test]
fn sniffs_semicolons_outside_quotes() {
    assert_eq!(sniff_delimiter("a;b;c\n1,2;3"), b';');
    assert_eq!(sniff_delimiter("\"a;b;c\",d\n"), b',');
    assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
}

#[test]
fn google_and_outlook_headers() {
    let g = "First Name,Last Name,Organization Name,E-mail 1 - Value,E-mail 2 - Value,Phone 1 - Value,Labels\nAda,Lovelace,Engines,ada@example.com,ada2@example.com,+44 1,* myContacts ::: VIP\n";
    let p = parse(g, &[]).unwrap();
    assert_eq!(p.mapping, "google");
    let r = &p.records[0];
    assert_eq!(r.name, "Ada Lovelace");
    assert_eq!(r.emails.len(), 2);
    assert_eq!(r.tags, ["vip"]);
    let o = "First Name,Last Name,Company,Business Street,Business City,Home Street,E-mail Address,E-mail 2 Address,Business Phone,Mobile Phone,Birthday\nBob,Stone,Quarry Ltd,1 Rock Rd,Leeds,2 Home Ln,bob@example.com,b2@example.org,0113 1,07700 2,3/14/1970\n";
    let p = parse(o, &[]).unwrap();
    assert_eq!(p.mapping, "outlook");
    let r = &p.records[0];
    assert_eq!(r.address.as_deref(), Some("1 Rock Rd\nLeeds"));
    assert_eq!(r.emails, ["bob@example.com", "b2@example.org"]);
    assert_eq!(r.phones.len(), 2);
    assert_eq!(
        r.birthday.map(|b| b.to_string()).as_deref(),
        Some("1970-03-14")
    );
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(
        p.warnings[0]
            .message
            .starts_with("home address '2 Home Ln' not imported")
    );
}

#[test]
fn only_an_email_column_is_enough() {
    let p = parse("E-mail 2 Address\r\nx@example.com\r\n", &[]).unwrap();
    assert_eq!(p.records[0].emails, ["x@example.com"]);
    assert_eq!(p.records[0].name, "x@example.com");
    let p = parse(
        "Primary Email,Secondary Email\ny@example.com,z@example.com\n",
        &[],
    )
    .unwrap();
    assert_eq!(p.mapping, "thunderbird");
    assert_eq!(p.records[0].emails, ["y@example.com", "z@example.com"]);
}

#[test]
fn crlf_lines_preambles_and_ragged_rows() {
    let t = "Notes:\r\n\"Some are missing.\"\r\n\r\nFirst Name,Last Name,Email Address,Company,Position\r\nAda,L,ada@example.com,Engines,Boss\r\n\"Multi\r\nLine\",X,x@example.com\r\nToo,Many,t@example.com,Co,Pos,extra\r\n";
    let p = parse(t, &[]).unwrap();
    let lines: Vec<usize> = p.records.iter().map(|r| r.line).collect();
    assert_eq!(lines, [5, 6, 8]);
    assert_eq!(p.records[1].name, "Multi Line X");
    let msgs: Vec<(usize, &str)> = p
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert!(
        msgs.iter()
            .any(|(l, m)| *l == 6 && m.contains("row has 3 fields, the header 5")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|(l, m)| *l == 8 && m.contains("'extra' not imported")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter()
            .any(|(l, m)| *l == 5 && m.contains("column 'Position' not imported (2 values)")),
        "{msgs:?}"
    );
}

#[test]
fn thunderbird_birthday_columns_and_formula_guards() {
    let t = "Display Name,Primary Email,Work Phone,Birth Year,Birth Month,Birth Day\nAda,ada@example.com,'+44 20,1815,12,10\nBob,bob@example.com,,,3,4\n";
    let p = parse(t, &[]).unwrap();
    assert_eq!(p.records[0].phones, ["+44 20"]);
    assert_eq!(
        p.records[0].birthday.map(|b| b.to_string()).as_deref(),
        Some("1815-12-10")
    );
    assert_eq!(
        p.records[1].birthday.map(|b| b.to_string()).as_deref(),
        Some("--03-04")
    );
}

#[test]
fn overrides_and_errors() {
    let t = "Who,Mail\nAda,ada@example.com\n";
    assert!(matches!(
        parse("Foo,Bar\n1,2\n", &[]),
        Err(ImportError::NoNameColumn(_))
    ));
    let p = parse(t, &["who=name".to_string()]).unwrap();
    assert_eq!(p.records[0].name, "Ada");
    assert_eq!(p.mapping, "plain+map");
    assert!(matches!(
        parse(t, &["nope=name".to_string()]),
        Err(ImportError::NoSuchColumn(..))
    ));
    assert!(matches!(
        parse(t, &["who=wat".to_string()]),
        Err(ImportError::BadMapping(_))
    ));
}
