//! What a domain item carries beyond its name and term: a transfer's auth
//! (EPP) code and the TLD's registrant fields, each checked here.

use std::collections::BTreeMap;

use super::*;
use crate::domain::registrant_fields::{FieldSpec, check_values};

/// What an auth code sealed into a cart row is bound to (the domain row's
/// own seal is `registrar_tasks::EPP_CODE`), so neither opens as the other.
pub(crate) const CART_EPP_CODE: &[u8] = b"cart-epp-code";

/// The longest auth code taken (registries use 6 to 32; EPP allows more).
pub const EPP_CODE_MAX: usize = 64;

/// Whether `code` is an auth code we can pass on: 1 to 64 printable
/// characters (no control characters, not only spaces).
pub(crate) fn valid_epp_code(code: &str) -> bool {
    let n = code.chars().count();
    (1..=EPP_CODE_MAX).contains(&n)
        && !code.trim().is_empty()
        && !code.chars().any(char::is_control)
}

/// A transfer's code, required for transfers and refused elsewhere; the
/// problem is named `epp_code`. `Err(())` when a problem was recorded.
pub(super) fn auth_code(
    p: &mut Problems<'_>,
    action: &str,
    item: &ItemRequest,
) -> std::result::Result<Option<AuthCode>, ()> {
    let given = item.epp_code.as_ref().filter(|c| !c.is_empty());
    let code = match (given, &item.epp_code_sealed) {
        (Some(c), _) if !valid_epp_code(c.expose()) => {
            p.add(
                "epp_code",
                format!("must be 1 to {EPP_CODE_MAX} printable characters"),
            );
            return Err(());
        }
        (Some(c), _) => Some(AuthCode::Given(c.clone())),
        (None, Some(sealed)) => Some(AuthCode::Sealed(sealed.clone())),
        (None, None) => None,
    };
    match (action, code) {
        ("transfer", None) => {
            p.add(
                "epp_code",
                "a transfer needs the domain's auth (EPP) code from its current registrar",
            );
            Err(())
        }
        ("transfer", code) => Ok(code),
        (_, Some(_)) => {
            p.add("epp_code", "is only for transfers");
            Err(())
        }
        (_, None) => Ok(None),
    }
}

/// The item's registrant fields checked against the TLD's spec; problems
/// are named `domain_fields.KEY`.
pub(super) fn registrant_fields(
    p: &mut Problems<'_>,
    specs: &[FieldSpec],
    item: &ItemRequest,
) -> std::result::Result<BTreeMap<String, String>, ()> {
    check_values(specs, &item.domain_fields).map_err(|problems| {
        for (key, message) in problems {
            p.add(&format!("domain_fields.{key}"), message);
        }
    })
}

/// The code sealed for the domain row (`registrar_tasks::EPP_CODE`); a
/// cart's sealed code is opened and sealed again for its new purpose.
pub(crate) fn seal_for_domain(key: &[u8; 32], code: &AuthCode) -> crate::error::Result<Vec<u8>> {
    use crate::{auth::sealed, error::AppError, service::domains::registrar_tasks::EPP_CODE};
    let plain = match code {
        AuthCode::Given(c) => c.clone(),
        AuthCode::Sealed(text) => {
            crate::config::Secret::new(sealed::open_text(key, CART_EPP_CODE, text).ok_or_else(
                || AppError::invalid("epp_code", "enter the transfer's auth code again"),
            )?)
        }
    };
    sealed::seal(key, EPP_CODE, plain.expose())
        .ok_or_else(|| AppError::internal("the auth code cannot be sealed"))
}
