//! Which contact field a CSV column holds, from its header: the column sets of Google Contacts
//! (the current export and the older one), Outlook (English, and the German, French, Spanish,
//! Italian and Dutch exports), Apple, Thunderbird, LinkedIn, tickler's own export, and plain
//! sheets. Every e-mail, phone and address column is recognised; address columns are grouped
//! (Outlook's Business / Home / Other, Google's Address 1 / 2...), because a contact keeps one
//! postal address.

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    FirstName,
    MiddleName,
    LastName,
    Company,
    Email,
    Phone,
    /// The whole postal address of group `.0`.
    Address(u8),
    /// One part of an address split over columns (street, city...) of group `.0`, joined in
    /// column order.
    AddressPart(u8),
    Birthday,
    BirthYear,
    BirthMonth,
    BirthDay,
    Tags,
    Notes,
    Category,
    Stage,
    Cadence,
    NoReason,
    /// tickler's own export: the contact's id in the diary it came from.
    SourceId,
    /// Describes another column (an e-mail's type, a phone's label, tickler's id and dates): read
    /// by no field, and not reported as lost.
    Label,
    /// A column tickler has no field for (job title, web page...): its values are reported.
    Ignore,
}

impl Field {
    /// A field by its `--map` name.
    pub fn parse(s: &str) -> Option<Field> {
        let n = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        Some(match n.as_str() {
            "name" | "full-name" => Field::Name,
            "first-name" | "first" | "given-name" => Field::FirstName,
            "middle-name" | "middle" => Field::MiddleName,
            "last-name" | "last" | "family-name" | "surname" => Field::LastName,
            "company" | "organization" | "org" => Field::Company,
            "email" | "e-mail" => Field::Email,
            "phone" | "tel" | "mobile" => Field::Phone,
            "address" => Field::Address(0),
            "address-part" => Field::AddressPart(0),
            "birthday" | "bday" => Field::Birthday,
            "birth-year" => Field::BirthYear,
            "birth-month" => Field::BirthMonth,
            "birth-day" => Field::BirthDay,
            "tags" | "tag" | "categories" | "labels" => Field::Tags,
            "notes" | "note" => Field::Notes,
            "category" => Field::Category,
            "stage" => Field::Stage,
            "cadence" => Field::Cadence,
            "no-reason" | "reason" => Field::NoReason,
            "ignore" | "skip" | "none" => Field::Ignore,
            _ => return None,
        })
    }

    /// Whether a file with this column can name a contact.
    pub fn names(self) -> bool {
        matches!(
            self,
            Field::Name | Field::FirstName | Field::LastName | Field::Email | Field::Company
        )
    }
}

/// A header as compared: lower-case, `e-mail` as `email`, punctuation and lone dashes as spaces,
/// one space between words.
pub fn normalize(header: &str) -> String {
    let h = header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .replace("e-mail", "email")
        .replace("e‑mail", "email");
    h.split(|c: char| c.is_whitespace() || matches!(c, ':' | '(' | ')' | '_' | '"'))
        .filter(|w| !w.is_empty() && *w != "-")
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whole-header names, in every language the exports come in.
const NAMES: &[(&str, Field)] = &[
    ("name", Field::Name),
    ("full name", Field::Name),
    ("display name", Field::Name),
    ("contact", Field::Name),
    ("contact name", Field::Name),
    ("anzeigename", Field::Name),
    ("nom complet", Field::Name),
    ("first name", Field::FirstName),
    ("given name", Field::FirstName),
    ("firstname", Field::FirstName),
    ("vorname", Field::FirstName),
    ("prénom", Field::FirstName),
    ("nombre", Field::FirstName),
    ("voornaam", Field::FirstName),
    ("nome", Field::FirstName),
    ("middle name", Field::MiddleName),
    ("additional name", Field::MiddleName),
    ("weitere vornamen", Field::MiddleName),
    ("deuxième prénom", Field::MiddleName),
    ("segundo nombre", Field::MiddleName),
    ("secondo nome", Field::MiddleName),
    ("last name", Field::LastName),
    ("family name", Field::LastName),
    ("surname", Field::LastName),
    ("lastname", Field::LastName),
    ("nachname", Field::LastName),
    ("nom", Field::LastName),
    ("apellidos", Field::LastName),
    ("cognome", Field::LastName),
    ("achternaam", Field::LastName),
    ("company", Field::Company),
    ("organization", Field::Company),
    ("organisation", Field::Company),
    ("organization name", Field::Company),
    ("organization 1 name", Field::Company),
    ("company name", Field::Company),
    ("org", Field::Company),
    ("firma", Field::Company),
    ("société", Field::Company),
    ("organización", Field::Company),
    ("organizzazione", Field::Company),
    ("bedrijf", Field::Company),
    ("email", Field::Email),
    ("mail", Field::Email),
    ("birthday", Field::Birthday),
    ("bday", Field::Birthday),
    ("date of birth", Field::Birthday),
    ("birth date", Field::Birthday),
    ("geburtstag", Field::Birthday),
    ("anniversaire", Field::Birthday),
    ("cumpleaños", Field::Birthday),
    ("compleanno", Field::Birthday),
    ("verjaardag", Field::Birthday),
    ("birth year", Field::BirthYear),
    ("birth month", Field::BirthMonth),
    ("birth day", Field::BirthDay),
    ("notes", Field::Notes),
    ("note", Field::Notes),
    ("comments", Field::Notes),
    ("notizen", Field::Notes),
    ("remarques", Field::Notes),
    ("notas", Field::Notes),
    ("notitie", Field::Notes),
    ("labels", Field::Tags),
    ("group membership", Field::Tags),
    ("categories", Field::Tags),
    ("tags", Field::Tags),
    ("kategorien", Field::Tags),
    ("catégories", Field::Tags),
    ("categorías", Field::Tags),
    ("categorie", Field::Tags),
    ("categorieën", Field::Tags),
    ("address", Field::Address(0)),
    ("postal address", Field::Address(0)),
    ("adresse", Field::Address(0)),
    ("anschrift", Field::Address(0)),
];

/// Words of a phone column ("Business Phone", "Mobiltelefon", "Fax Number", "Pager").
const PHONE_WORDS: &[&str] = &[
    "phone",
    "telefon",
    "téléphone",
    "teléfono",
    "telefono",
    "telefoon",
    "mobile",
    "mobil",
    "mobiel",
    "móvil",
    "cellulare",
    "cell",
    "handy",
    "iphone",
    "fax",
    "télécopie",
    "pager",
    "isdn",
];

/// Words of an address part, in the exports' languages.
const ADDRESS_PARTS: &[&str] = &[
    "street",
    "straße",
    "strasse",
    "rue",
    "calle",
    "via",
    "straat",
    "city",
    "ort",
    "ville",
    "ciudad",
    "città",
    "plaats",
    "state",
    "region",
    "province",
    "bundesland/kanton",
    "bundesland",
    "kanton",
    "département/région",
    "provincia",
    "zip",
    "zipcode",
    "postal code",
    "postleitzahl",
    "code postal",
    "código postal",
    "cap",
    "postcode",
    "country",
    "country/region",
    "land/region",
    "land",
    "pays/région",
    "pays",
    "país/región",
    "paese",
    "po box",
    "pobox",
    "postfach",
    "boîte postale",
    "extended address",
    "address 2",
    "address 3",
    "street 2",
    "street 3",
];

/// Words that make a column describe another rather than hold a value.
fn is_label(h: &str) -> bool {
    let ends = [
        " type",
        " label",
        " typ",
        "-typ",
        " display name",
        " angezeigter name",
        " nom complet",
    ];
    ends.iter().any(|e| h.ends_with(e)) || h.starts_with("type ")
}

/// The field a header suggests.
pub fn guess(header: &str) -> Field {
    let h = normalize(header);
    let h = h.as_str();
    if let Some((_, f)) = NAMES.iter().find(|(n, _)| *n == h) {
        return *f;
    }
    if is_label(h) {
        return Field::Label;
    }
    let words: Vec<&str> = h.split([' ', '-']).collect();
    let has = |w: &str| words.contains(&w) || h.contains(w) && w.contains(' ');
    if words
        .iter()
        .any(|w| w.starts_with("email") || *w == "mail" || *w == "messagerie" || *w == "correo")
    {
        return Field::Email;
    }
    if PHONE_WORDS
        .iter()
        .any(|p| words.iter().any(|w| w.contains(p)))
    {
        return Field::Phone;
    }
    if h.contains("formatted") {
        return Field::Address(0);
    }
    if ADDRESS_PARTS.iter().any(|p| has(p)) || words.contains(&"address") {
        return Field::AddressPart(0);
    }
    Field::Ignore
}

/// The address group of an address column: what its header says besides the part ("business",
/// "home", "address 1", "geschäftlich"...).
pub fn address_group(header: &str) -> String {
    let norm = normalize(header);
    // Google: "Address 2 - City" is of group "address 2".
    if let Some(rest) = norm.strip_prefix("address ")
        && let Some(n) = rest.split(' ').next().filter(|n| n.parse::<u8>().is_ok())
    {
        return format!("address {n}");
    }
    let mut h = format!(" {norm} ");
    let mut parts: Vec<&str> = ADDRESS_PARTS.to_vec();
    // Longest first, so "postal code" goes before "postal".
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    for p in parts
        .iter()
        .chain(["formatted", "address", "weitere", "weiteres", "weiterer"].iter())
    {
        h = h.replace(&format!(" {p} "), " ");
    }
    let g = h.split_whitespace().collect::<Vec<_>>().join(" ");
    if g.is_empty() {
        // "Weitere Straße", "Other Street" name their group in the word they drop.
        norm.split_whitespace().next().unwrap_or("").to_string()
    } else {
        g
    }
}

/// Whether an address group is a place of work (preferred: tickler is for selling).
pub fn is_work_group(group: &str) -> bool {
    [
        "business",
        "work",
        "geschäftlich",
        "bureau",
        "trabajo",
        "ufficio",
        "werk",
    ]
    .iter()
    .any(|w| group.contains(w))
}

/// The name of the export a header row looks like, and whether its dates put the day first.
pub fn layout(headers: &[String]) -> (&'static str, bool) {
    let norm: Vec<String> = headers.iter().map(|h| normalize(h)).collect();
    let has = |n: &str| norm.iter().any(|h| h == n);
    let localized = ["vorname", "prénom", "nombre", "voornaam", "nome"]
        .iter()
        .any(|n| has(n));
    let emails = headers.iter().any(|h| guess(h) == Field::Email);
    if norm.len() >= 5 && norm[..5] == ["id", "name", "company", "emails", "phones"] {
        ("tickler", false)
    } else if has("email 1 value") || has("group membership") || has("given name") {
        ("google", false)
    } else if has("primary email") || (has("display name") && has("birth year")) {
        ("thunderbird", false)
    } else if has("connected on") {
        ("linkedin", false)
    } else if localized && emails {
        ("outlook", true)
    } else if has("email address") || has("email 2 address") || has("business phone") {
        ("outlook", false)
    } else if localized {
        ("plain", true)
    } else {
        ("plain", false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_email_phone_and_address_column() {
        for h in [
            "E-mail Address",
            "E-mail 2 Address",
            "E-mail 3 Address",
            "Primary Email",
            "Secondary Email",
            "E-mail 1 - Value",
            "Email Home",
            "E-Mail-Adresse",
            "E-Mail 2: Adresse",
            "Adresse de messagerie",
            "Email Address",
            "Home Email",
        ] {
            assert_eq!(guess(h), Field::Email, "{h}");
        }
        for h in [
            "Business Phone",
            "Mobile Phone",
            "Home Phone 2",
            "Phone 1 - Value",
            "Work Phone",
            "Mobile Number",
            "Fax Number",
            "Pager Number",
            "Mobiltelefon",
            "Telefon (privat)",
            "Telefon geschäftlich",
            "Téléphone bureau",
            "iPhone",
        ] {
            assert_eq!(guess(h), Field::Phone, "{h}");
        }
        for h in [
            "E-mail Type",
            "E-mail 1 - Type",
            "Phone 1 - Type",
            "E-mail Display Name",
            "E-Mail: Angezeigter Name",
            "Address 1 - Type",
        ] {
            assert_eq!(guess(h), Field::Label, "{h}");
        }
        for h in [
            "Business Street",
            "Home City",
            "Other Postal Code",
            "Business Country/Region",
            "Address 1 - Street",
            "Home Address",
            "Work ZipCode",
            "Straße geschäftlich",
            "Postleitzahl privat",
            "Land/Region geschäftlich",
            "Weitere Straße",
        ] {
            assert_eq!(guess(h), Field::AddressPart(0), "{h}");
        }
        assert_eq!(guess("Address 1 - Formatted"), Field::Address(0));
        assert_eq!(guess("Job Title"), Field::Ignore);
        assert_eq!(guess("Display Name"), Field::Name);
    }

    #[test]
    fn address_groups() {
        assert_eq!(address_group("Business Street 2"), "business");
        assert_eq!(address_group("Home Postal Code"), "home");
        assert_eq!(address_group("Address 2 - City"), "address 2");
        assert_eq!(address_group("Home Address 2"), "home");
        assert_eq!(address_group("Straße geschäftlich"), "geschäftlich");
        assert_eq!(address_group("Weitere Straße"), "weitere");
        assert_eq!(address_group("Other Country/Region"), "other");
    }
}
