use super::*;

#[test]
fn reads_folded_qp_and_several_values() {
    let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\nEMAIL;TYPE=work:j@example.com\r\nEMAIL;TYPE=home:jm@example.org\r\nTEL:+49 30 1234\r\nTEL:+49 170 5555\r\nNOTE:a very long note that is\r\n  folded over two lines\r\nBDAY:--0314\r\nCATEGORIES:VIP,Customers\r\nORG:Acme GmbH;Sales\r\nEND:VCARD\r\n";
    let p = parse(text);
    assert!(p.malformed.is_empty(), "{:?}", p.malformed);
    let r = &p.records[0];
    assert_eq!(r.name, "Jürgen Müller");
    assert_eq!(r.emails, ["j@example.com", "jm@example.org"]);
    assert_eq!(r.phones, ["+49 30 1234", "+49 170 5555"]);
    assert_eq!(r.notes, "a very long note that is folded over two lines");
    assert_eq!(
        r.birthday.map(|b| b.to_string()).as_deref(),
        Some("--03-14")
    );
    assert_eq!(r.tags, ["vip", "customers"]);
    assert_eq!(r.company.as_deref(), Some("Acme GmbH"));
}

#[test]
fn short_form_qp_tel_uris_addresses_and_dropped_properties() {
    let text = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;QUOTED-PRINTABLE:=E5=8D=81=E4=B8=89;;;;\nTITLE:Boss\nADR;HOME:;;1 Home St;Town;;1;\nADR;WORK:;;2 Office Rd;City;;2;\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Tel Uri\nTEL;VALUE=uri;TYPE=work:tel:+1-555-555-5555;ext=5555\nTITLE:Clerk\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-11-22\nEND:VCARD\n";
    let p = parse(text);
    assert_eq!(p.records[0].name, "十三");
    assert_eq!(p.records[0].address.as_deref(), Some("2 Office Rd\n2 City"));
    assert_eq!(p.records[1].phones, ["+1-555-555-5555 x5555"]);
    assert_eq!(
        p.records[1].birthday.map(|b| b.to_string()).as_deref(),
        Some("--11-22")
    );
    let msgs: Vec<(usize, &str)> = p
        .warnings
        .iter()
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(
        msgs,
        [
            (
                4,
                "TITLE not imported (2 cards): tickler has no field for it"
            ),
            (
                5,
                "address '1 Home St, 1 Town' not imported: a contact keeps one postal address"
            ),
        ]
    );
}

#[test]
fn unterminated_and_stray_lines_are_reported_with_lines() {
    let text = "junk\nBEGIN:VCARD\nVERSION:4.0\nFN:Ok One\nEND:VCARD\nBEGIN:VCARD\nVERSION:4.0\nFN:Never ends\n";
    let p = parse(text);
    assert_eq!(p.records.len(), 1);
    let lines: Vec<usize> = p.malformed.iter().map(|m| m.line).collect();
    assert_eq!(lines, [1, 6]);
}

#[test]
fn a_nested_agent_card_stays_inside() {
    let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Secretary\r\nEND:VCARD\r\nEMAIL:boss@example.com\r\nEND:VCARD\r\n";
    let p = parse(text);
    assert!(p.malformed.is_empty(), "{:?}", p.malformed);
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.records[0].name, "Boss");
    assert_eq!(p.records[0].emails, ["boss@example.com"]);
}
