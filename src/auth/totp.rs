//! TOTP (RFC 6238: SHA-1, 6 digits, 30 s, one step of skew either way).
//! A code works once: callers store the accepted step and refuse any step
//! not above it.

use jiff::Timestamp;
use qrcode::{QrCode, render::svg};
use totp_rs::{Builder, Secret, Totp};

use super::random;
use crate::error::{AppError, Result};

/// A new secret, base32 as authenticator apps expect.
pub fn new_secret() -> String {
    Secret::from(random::bytes::<20>()).to_base32()
}

fn totp(secret_b32: &str, account: &str, issuer: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| AppError::internal(format!("stored TOTP secret unreadable: {e}")))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.to_string())
        .with_issuer(Some(issuer.to_string()))
        .build()
        .map_err(|e| AppError::internal(format!("TOTP: {e}")))
}

/// The `otpauth://` URL for an authenticator app.
pub fn otpauth_url(secret_b32: &str, account: &str, issuer: &str) -> Result<String> {
    totp(secret_b32, account, issuer)?
        .to_url()
        .map_err(|e| AppError::internal(format!("TOTP URL: {e}")))
}

/// The URL as a QR code in SVG.
pub fn qr_svg(url: &str) -> Result<String> {
    let code = QrCode::new(url.as_bytes()).map_err(|e| AppError::internal(format!("QR: {e}")))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// The time step `code` matches at `now`, if any. Whether that step was
/// already used is the caller's to check.
pub fn matching_step(secret_b32: &str, code: &str, now: Timestamp) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let t = totp(secret_b32, "", "till").ok()?;
    let seconds = u64::try_from(now.as_second()).ok()?;
    t.check(&code, seconds)
}

/// The code for `now` (tests and the CLI use it).
pub fn code_at(secret_b32: &str, now: Timestamp) -> Result<String> {
    let t = totp(secret_b32, "", "till")?;
    let seconds = u64::try_from(now.as_second()).map_err(AppError::internal)?;
    Ok(t.generate(seconds).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_only() {
        let secret = new_secret();
        let now: Timestamp = "2026-03-01T00:00:15Z".parse().unwrap();
        let code = code_at(&secret, now).unwrap();
        let step = matching_step(&secret, &code, now).unwrap();
        assert_eq!(step, now.as_second() as u64 / 30);
        let later = now
            .checked_add(jiff::SignedDuration::from_secs(30))
            .unwrap();
        assert_eq!(matching_step(&secret, &code, later), Some(step));
        let much_later = now
            .checked_add(jiff::SignedDuration::from_secs(120))
            .unwrap();
        assert_eq!(matching_step(&secret, &code, much_later), None);
        assert_eq!(matching_step(&secret, "000000x", now), None);
    }

    #[test]
    fn the_setup_url_and_qr_code_name_the_account() {
        let secret = new_secret();
        let url = otpauth_url(&secret, "ama@example.com", "Test Hosting").unwrap();
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(url.contains(&secret));
        assert!(qr_svg(&url).unwrap().contains("<svg"));
    }
}
