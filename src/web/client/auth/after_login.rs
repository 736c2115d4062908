//! What follows a login: the session cookie and redirect, and claiming
//! the visitor's cart.

use crate::{
    service::{accounts::web_sessions, sales::carts},
    web::errors::PageError,
    web::session::Web,
};

/// Where a login goes next: back to the cart or to an invitation's page
/// when the form came from there, else the account. Only these local
/// paths, never one from elsewhere (no open redirect).
pub(super) fn after_login(next: &str) -> String {
    let token_ok = |t: &str| {
        !t.is_empty()
            && t.len() <= 100
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    match next {
        "/cart" => "/cart".into(),
        n if n.strip_prefix("/invitation?token=").is_some_and(token_ok) => n.into(),
        _ => "/account".into(),
    }
}

/// A guest's cart becomes the user's when they log in.
pub(super) async fn claim_cart(web: &Web, secret: &str) -> Result<(), PageError> {
    let Some(cart) = web.cart.clone() else {
        return Ok(());
    };
    let (secret, meta, now) = (secret.to_string(), web.meta.clone(), web.state.now());
    web.state
        .db
        .run(move |db| {
            if let Some(s) = web_sessions::authenticate(db, &secret, &meta, now)? {
                carts::claim(db, &s.principal, &cart, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}
