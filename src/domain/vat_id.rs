//! EU VAT identification numbers: the prefix of each member state (Greece
//! writes EL) and the shape of its numbers, as the Commission's VIES pages
//! list them, and what is known about an id (`VatStatus`). A well-formed
//! id is not a valid one: only VIES (or staff) can say that.

/// The VAT prefix of an EU member state's ISO code, or `None` outside the EU.
pub fn prefix_for(country: &str) -> Option<&'static str> {
    let code = country.trim().to_ascii_uppercase();
    let prefix = match code.as_str() {
        "GR" | "EL" => "EL",
        other => super::tax::EU.iter().copied().find(|c| *c == other)?,
    };
    Some(prefix)
}

/// An id split into its prefix and number, as VIES is asked about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatId {
    pub prefix: &'static str,
    pub number: String,
}

impl VatId {
    /// `FR12345678901`.
    pub fn full(&self) -> String {
        format!("{}{}", self.prefix, self.number)
    }
}

/// Read `text` as a VAT id of `country` (an EU member state): spaces, dots
/// and dashes are dropped, case does not matter, and the prefix may be
/// left out. Answers why it is not one.
pub fn parse(country: &str, text: &str) -> Result<VatId, String> {
    let prefix =
        prefix_for(country).ok_or_else(|| "is only checked for EU member states".to_string())?;
    let tidy: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .collect::<String>()
        .to_ascii_uppercase();
    let number = match tidy.get(..2) {
        Some(p) if p == prefix => tidy[2..].to_string(),
        Some(p) if p.bytes().all(|b| b.is_ascii_uppercase()) && prefix_for(p).is_some() => {
            return Err(format!(
                "is a VAT id of {p}, but the address is in {}",
                country.trim().to_ascii_uppercase()
            ));
        }
        _ => tidy,
    };
    if !shape_ok(prefix, &number) {
        return Err(format!(
            "is not a VAT number as {prefix} writes them (e.g. {})",
            example(prefix)
        ));
    }
    Ok(VatId { prefix, number })
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn digits_in(s: &str, lens: &[usize]) -> bool {
    lens.iter().any(|n| digits(s, *n))
}

fn alnum(b: u8) -> bool {
    b.is_ascii_digit() || b.is_ascii_uppercase()
}

/// The number's shape per member state (after the prefix).
fn shape_ok(prefix: &str, n: &str) -> bool {
    let b = n.as_bytes();
    match prefix {
        "AT" => b.len() == 9 && b[0] == b'U' && digits(&n[1..], 8),
        "BE" => digits(n, 10) && matches!(b[0], b'0' | b'1'),
        "BG" => digits_in(n, &[9, 10]),
        "CY" => b.len() == 9 && digits(&n[..8], 8) && b[8].is_ascii_uppercase(),
        "CZ" => digits_in(n, &[8, 9, 10]),
        "DE" | "EE" | "EL" | "PT" => digits(n, 9),
        "DK" | "FI" | "HU" | "LU" | "MT" | "SI" => digits(n, 8),
        "ES" => b.len() == 9 && alnum(b[0]) && digits(&n[1..8], 7) && alnum(b[8]),
        // Two check characters (digits or letters but O and I), then the SIREN.
        "FR" => {
            b.len() == 11
                && b[..2].iter().all(|c| alnum(*c) && *c != b'O' && *c != b'I')
                && digits(&n[2..], 9)
        }
        "HR" | "IT" | "LV" => digits(n, 11),
        // 1234567X, 1234567XX, or the old 1X23456X.
        "IE" => {
            (b.len() == 8 || b.len() == 9)
                && (digits(&n[..7], 7) && b[7..].iter().all(u8::is_ascii_uppercase)
                    || (b.len() == 8
                        && b[0].is_ascii_digit()
                        && (b[1].is_ascii_uppercase() || b[1] == b'+' || b[1] == b'*')
                        && digits(&n[2..7], 5)
                        && b[7].is_ascii_uppercase()))
        }
        "LT" => digits_in(n, &[9, 12]),
        "NL" => b.len() == 12 && digits(&n[..9], 9) && b[9] == b'B' && digits(&n[10..], 2),
        "PL" | "SK" => digits(n, 10),
        "RO" => (2..=10).any(|len| digits(n, len)),
        "SE" => digits(n, 12),
        _ => false,
    }
}

fn example(prefix: &str) -> &'static str {
    match prefix {
        "AT" => "ATU12345678",
        "BE" => "BE0123456789",
        "CY" => "CY12345678X",
        "ES" => "ESX1234567X",
        "FR" => "FR12345678901",
        "IE" => "IE1234567X",
        "NL" => "NL123456789B01",
        "SE" => "SE123456789001",
        "DE" => "DE123456789",
        "IT" => "IT12345678901",
        _ => "its own format",
    }
}

/// What is known about a client's VAT id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VatStatus {
    /// Not asked yet, or nothing to ask (no id, or outside the EU).
    Unchecked,
    /// VIES found it valid.
    Valid,
    /// VIES found it invalid, or it is not even well formed.
    Invalid,
    /// VIES could not answer; it is asked again later.
    Unavailable,
    /// Staff checked it themselves.
    Verified,
}

impl VatStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VatStatus::Unchecked => "unchecked",
            VatStatus::Valid => "valid",
            VatStatus::Invalid => "invalid",
            VatStatus::Unavailable => "unavailable",
            VatStatus::Verified => "verified",
        }
    }

    pub fn parse(s: &str) -> VatStatus {
        match s {
            "valid" => VatStatus::Valid,
            "invalid" => VatStatus::Invalid,
            "unavailable" => VatStatus::Unavailable,
            "verified" => VatStatus::Verified,
            _ => VatStatus::Unchecked,
        }
    }

    /// Only an id someone vouched for moves the VAT to the buyer.
    pub fn allows_reverse_charge(self) -> bool {
        matches!(self, VatStatus::Valid | VatStatus::Verified)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_tidied_and_checked_against_their_member_states_format() {
        let fr = parse("FR", "fr 12.345.678-901").unwrap();
        assert_eq!(fr.full(), "FR12345678901");
        assert_eq!(parse("FR", "12345678901").unwrap().number, "12345678901");
        assert_eq!(parse("gr", "EL123456789").unwrap().full(), "EL123456789");
        assert_eq!(parse("GR", "123456789").unwrap().prefix, "EL");
        assert!(parse("FR", "FR123").is_err());
        assert!(
            parse("FR", "FRIO345678901").is_err(),
            "no O or I in the key"
        );
        assert!(parse("DE", "FR12345678901").unwrap_err().contains("of FR"));
        assert!(parse("DE", "DE12345678").is_err());
        assert!(parse("NL", "NL123456789B01").is_ok());
        assert!(parse("NL", "NL123456789").is_err());
        assert!(parse("AT", "ATU12345678").is_ok());
        assert!(parse("BE", "BE2123456789").is_err());
        assert!(parse("ES", "ESX1234567X").is_ok());
        assert!(parse("IE", "IE1234567WA").is_ok());
        assert!(parse("IE", "IE1S12345L").is_ok());
        assert!(parse("RO", "RO12").is_ok());
        assert!(parse("US", "123").is_err());
    }

    #[test]
    fn only_a_validated_or_verified_id_allows_reverse_charge() {
        for s in ["unchecked", "valid", "invalid", "unavailable", "verified"] {
            let status = VatStatus::parse(s);
            assert_eq!(status.as_str(), s);
            assert_eq!(
                status.allows_reverse_charge(),
                matches!(s, "valid" | "verified")
            );
        }
    }
}
