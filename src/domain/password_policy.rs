//! The password rule for customers and staff: long rather than
//! complicated (NIST SP 800-63B), and not the email address.

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Problems with `password`, empty when it is acceptable.
pub fn problems(password: &str, email: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        out.push(format!("must be at least {MIN_CHARS} characters"));
    }
    if chars > MAX_CHARS {
        out.push(format!("must be at most {MAX_CHARS} characters"));
    }
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    if !email.is_empty()
        && (lower == email.to_lowercase() || (local.len() >= 4 && lower.contains(&local)))
    {
        out.push("must not contain your email address".into());
    }
    if chars >= MIN_CHARS && password.chars().all(|c| password.starts_with(c)) {
        out.push("must not be one repeated character".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_what_counts() {
        assert!(problems("correct horse battery", "a@b.c").is_empty());
        assert!(!problems("short", "a@b.c").is_empty());
        assert!(!problems(&"x".repeat(129), "a@b.c").is_empty());
        assert!(!problems("aaaaaaaaaaaaaaaa", "a@b.c").is_empty());
    }

    #[test]
    fn the_email_is_not_a_password() {
        assert!(!problems("Johnny.Smith@example.com", "johnny.smith@example.com").is_empty());
        assert!(!problems("my johnny.smith pass", "johnny.smith@example.com").is_empty());
    }
}
