//! Domain names: a zone's own name, and record names given relative to it
//! (`@`, `www`) or absolute (`www.example.com`, `www.example.com.`).

/// A zone's name: lower case, no trailing dot, at least two labels.
pub fn zone_name(raw: &str) -> Result<String, String> {
    let name = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.split('.').count() < 2 {
        return Err("must be a domain name such as example.com".into());
    }
    hostname(&name, false)?;
    Ok(name)
}

/// A record name made absolute (trailing dot) inside `zone` (no dot).
/// `@` or empty is the apex; a name ending in the zone's name is taken
/// as absolute even without the dot (what people type), anything else is
/// relative to the zone.
pub fn absolute(raw: &str, zone: &str) -> Result<String, String> {
    let raw = raw.trim().to_ascii_lowercase();
    if raw.is_empty() || raw == "@" {
        return Ok(format!("{zone}."));
    }
    let full = if let Some(bare) = raw.strip_suffix('.') {
        bare.to_string()
    } else if raw == zone || raw.ends_with(&format!(".{zone}")) {
        raw
    } else {
        format!("{raw}.{zone}")
    };
    if full != zone && !full.ends_with(&format!(".{zone}")) {
        return Err(format!("must be inside the zone {zone}"));
    }
    hostname(&full, true)?;
    Ok(format!("{full}."))
}

/// `name` (absolute, with its dot) as shown: `@` for the apex, else the
/// labels before the zone's name.
pub fn relative(name: &str, zone: &str) -> String {
    let bare = name.trim_end_matches('.');
    if bare == zone {
        return "@".into();
    }
    bare.strip_suffix(&format!(".{zone}"))
        .unwrap_or(bare)
        .to_string()
}

/// A target name (CNAME, NS, MX, SRV) made absolute: the name is taken as
/// written, with or without its trailing dot.
pub(super) fn target(raw: &str) -> Result<String, String> {
    let name = raw.trim().trim_end_matches('.').to_ascii_lowercase();
    if name.is_empty() {
        return Err("must be a host name".into());
    }
    hostname(&name, false)?;
    Ok(format!("{name}."))
}

/// Labels of 1 to 63 letters, digits, hyphens (not at either end) and
/// underscores (SRV and DKIM names use them), 253 characters at most;
/// `*` alone as the leftmost label when `wildcard`.
fn hostname(name: &str, wildcard: bool) -> Result<(), String> {
    if name.len() > 253 {
        return Err("is longer than 253 characters".into());
    }
    for (i, label) in name.split('.').enumerate() {
        if wildcard && i == 0 && label == "*" {
            continue;
        }
        let ok_chars = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if label.is_empty() || label.len() > 63 {
            return Err("has an empty label or one longer than 63 characters".into());
        }
        if !ok_chars || label.starts_with('-') || label.ends_with('-') {
            return Err(format!(
                "`{label}` may hold only letters, digits, hyphens (not first or last) and underscores"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apex_and_relative_names_become_absolute() {
        assert_eq!(absolute("@", "example.com").unwrap(), "example.com.");
        assert_eq!(absolute("", "example.com").unwrap(), "example.com.");
        assert_eq!(absolute("WWW", "example.com").unwrap(), "www.example.com.");
        assert_eq!(
            absolute("_sip._tcp", "example.com").unwrap(),
            "_sip._tcp.example.com."
        );
        assert_eq!(absolute("*", "example.com").unwrap(), "*.example.com.");
    }

    #[test]
    fn a_name_ending_in_the_zone_is_absolute_with_or_without_its_dot() {
        assert_eq!(
            absolute("www.example.com", "example.com").unwrap(),
            "www.example.com."
        );
        assert_eq!(
            absolute("www.example.com.", "example.com").unwrap(),
            "www.example.com."
        );
    }

    #[test]
    fn names_outside_the_zone_are_refused() {
        assert!(absolute("www.other.org.", "example.com").is_err());
        assert!(absolute("badexample.com.", "example.com").is_err());
    }

    #[test]
    fn bad_labels_are_refused() {
        assert!(absolute("-www", "example.com").is_err());
        assert!(absolute("a..b", "example.com").is_err());
        assert!(absolute("sp ace", "example.com").is_err());
        assert!(absolute(&"a".repeat(64), "example.com").is_err());
        assert!(absolute("www.*", "example.com").is_err());
    }

    #[test]
    fn zone_names_need_two_labels() {
        assert_eq!(zone_name("Example.COM.").unwrap(), "example.com");
        assert!(zone_name("localhost").is_err());
        assert!(zone_name("exa mple.com").is_err());
    }

    #[test]
    fn names_are_shown_relative_to_the_zone() {
        assert_eq!(relative("example.com.", "example.com"), "@");
        assert_eq!(relative("www.example.com.", "example.com"), "www");
    }
}
