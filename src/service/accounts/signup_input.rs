//! What a sign-up sends, and checking and tidying its profile fields.

use crate::{error::FieldErrors, store::clients};

/// Reference 004's sign-up fields.
#[derive(Debug, Clone, Default)]
pub struct SignupInput {
    /// `private` or `company`.
    pub kind: String,
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub vat_id: Option<String>,
    pub phone: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub currency: Option<String>,
}

/// Field checks shared by sign-up and profile changes.
pub fn check_profile(p: &clients::Profile, errors: &mut FieldErrors) {
    let mut add = |f: &str, m: &str| errors.entry(f.to_string()).or_default().push(m.to_string());
    if p.first_name.trim().is_empty() {
        add("first_name", "is required");
    }
    if p.last_name.trim().is_empty() {
        add("last_name", "is required");
    }
    if p.kind == "company"
        && p.company_name
            .as_deref()
            .is_none_or(|c| c.trim().is_empty())
    {
        add("company_name", "is required for a company account");
    }
    let country_ok = p.country.is_empty()
        || (p.country.len() == 2 && p.country.bytes().all(|b| b.is_ascii_uppercase()));
    if !country_ok {
        add(
            "country",
            "must be a two-letter ISO country code such as GB",
        );
    }
    if !crate::service::bootstrap::looks_like_email(&p.email) {
        add("email", "must be an email address");
    }
    for (field, value, max) in [
        ("first_name", &p.first_name, 100),
        ("last_name", &p.last_name, 100),
        ("phone", &p.phone, 40),
        ("address1", &p.address1, 200),
        ("address2", &p.address2, 200),
        ("city", &p.city, 100),
        ("state", &p.state, 100),
        ("postcode", &p.postcode, 20),
    ] {
        if value.chars().count() > max {
            add(field, &format!("must be at most {max} characters"));
        }
    }
}

/// Normalize a profile: trim everything, upper-case the country, empty
/// optional fields become absent.
pub fn tidy_profile(p: &mut clients::Profile) {
    let opt = |o: &mut Option<String>| {
        *o = o
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
    };
    for s in [
        &mut p.first_name,
        &mut p.last_name,
        &mut p.email,
        &mut p.phone,
        &mut p.address1,
        &mut p.address2,
        &mut p.city,
        &mut p.state,
        &mut p.postcode,
    ] {
        *s = s.trim().to_string();
    }
    p.country = p.country.trim().to_uppercase();
    opt(&mut p.company_name);
    opt(&mut p.company_number);
    opt(&mut p.vat_id);
    p.kind = match p.kind.trim().to_lowercase().as_str() {
        "company" => "company".into(),
        _ => "person".into(),
    };
}
