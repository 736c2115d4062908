//! Access tokens: JWT, HS256, `typ: at+jwt`, 15 minutes, naming the session
//! they belong to. Expiry and not-before are checked against till's Clock
//! (never the system clock), and every use also checks the session is live.

use jiff::Timestamp;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Result};

pub const ISSUER: &str = "till";
pub const AUDIENCE: &str = "till-api";
pub const TYP: &str = "at+jwt";
pub const ACCESS_TTL_SECS: i64 = 15 * 60;
/// Tolerated clock difference for `nbf`, in seconds.
const LEEWAY_SECS: i64 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    /// The user's uuid.
    pub sub: String,
    /// The session's uuid.
    pub sid: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
}

pub fn issue(
    key: &[u8; 32],
    user_uuid: &str,
    session_uuid: &str,
    now: Timestamp,
) -> Result<String> {
    let t = now.as_second();
    let claims = AccessClaims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: user_uuid.into(),
        sid: session_uuid.into(),
        iat: t,
        nbf: t,
        exp: t + ACCESS_TTL_SECS,
        jti: uuid::Uuid::new_v4().simple().to_string(),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some(TYP.into());
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(key))
        .map_err(|e| AppError::internal(format!("signing access token: {e}")))
}

/// Verify signature, algorithm, type, issuer, audience and times.
pub fn verify(key: &[u8; 32], token: &str, now: Timestamp) -> Result<AccessClaims> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| AppError::Unauthenticated)?;
    if header.alg != Algorithm::HS256 || header.typ.as_deref() != Some(TYP) {
        return Err(AppError::Unauthenticated);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    // Times are checked below against the application clock.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    let data =
        jsonwebtoken::decode::<AccessClaims>(token, &DecodingKey::from_secret(key), &validation)
            .map_err(|_| AppError::Unauthenticated)?;
    let t = now.as_second();
    let claims = data.claims;
    if t >= claims.exp || t + LEEWAY_SECS < claims.nbf {
        return Err(AppError::Unauthenticated);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    use super::*;

    const KEY: [u8; 32] = [42; 32];

    fn now() -> Timestamp {
        "2026-05-01T12:00:00Z".parse().unwrap()
    }

    fn sign(header: &Header, claims: &serde_json::Value, key: &[u8]) -> String {
        jsonwebtoken::encode(header, claims, &EncodingKey::from_secret(key)).unwrap()
    }

    fn claims(overrides: serde_json::Value) -> serde_json::Value {
        let t = now().as_second();
        let mut base = serde_json::json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": "u", "sid": "s",
            "iat": t, "nbf": t, "exp": t + 900, "jti": "j"
        });
        for (k, v) in overrides.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    fn at_header() -> Header {
        let mut h = Header::new(Algorithm::HS256);
        h.typ = Some(TYP.into());
        h
    }

    #[test]
    fn an_issued_token_verifies_until_it_expires() {
        let token = issue(&KEY, "user-1", "session-1", now()).unwrap();
        let c = verify(&KEY, &token, now()).unwrap();
        assert_eq!((c.sub.as_str(), c.sid.as_str()), ("user-1", "session-1"));
        let later = now()
            .checked_add(jiff::SignedDuration::from_secs(ACCESS_TTL_SECS - 1))
            .unwrap();
        assert!(verify(&KEY, &token, later).is_ok());
        let expired = now()
            .checked_add(jiff::SignedDuration::from_secs(ACCESS_TTL_SECS))
            .unwrap();
        assert!(verify(&KEY, &token, expired).is_err());
    }

    #[test]
    fn the_negative_suite_is_rejected() {
        let good = claims(serde_json::json!({}));
        // Wrong key.
        assert!(verify(&KEY, &sign(&at_header(), &good, &[1; 32]), now()).is_err());
        // Wrong typ, missing typ.
        let mut plain = Header::new(Algorithm::HS256);
        assert!(verify(&KEY, &sign(&plain, &good, &KEY), now()).is_err());
        plain.typ = Some("JWT".into());
        assert!(verify(&KEY, &sign(&plain, &good, &KEY), now()).is_err());
        // Another HMAC algorithm.
        let mut h512 = Header::new(Algorithm::HS512);
        h512.typ = Some(TYP.into());
        assert!(verify(&KEY, &sign(&h512, &good, &KEY), now()).is_err());
        // Wrong issuer or audience; missing exp.
        let wrong_iss = claims(serde_json::json!({"iss": "evil"}));
        assert!(verify(&KEY, &sign(&at_header(), &wrong_iss, &KEY), now()).is_err());
        let wrong_aud = claims(serde_json::json!({"aud": "other-app"}));
        assert!(verify(&KEY, &sign(&at_header(), &wrong_aud, &KEY), now()).is_err());
        let mut no_exp = good.clone();
        no_exp.as_object_mut().unwrap().remove("exp");
        assert!(verify(&KEY, &sign(&at_header(), &no_exp, &KEY), now()).is_err());
        // Expired; not yet valid.
        let t = now().as_second();
        let expired = claims(serde_json::json!({"exp": t - 1}));
        assert!(verify(&KEY, &sign(&at_header(), &expired, &KEY), now()).is_err());
        let future = claims(serde_json::json!({"nbf": t + 60}));
        assert!(verify(&KEY, &sign(&at_header(), &future, &KEY), now()).is_err());
        // alg "none" with no signature.
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"at+jwt"}"#);
        let body = URL_SAFE_NO_PAD.encode(good.to_string());
        assert!(verify(&KEY, &format!("{none_header}.{body}."), now()).is_err());
        // Garbage and a refresh token.
        assert!(verify(&KEY, "not.a.jwt", now()).is_err());
        assert!(verify(&KEY, "rt_abcdefghijklmnopqrstuvwxyz", now()).is_err());
    }
}
