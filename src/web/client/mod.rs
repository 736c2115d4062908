//! The client area's pages. Each handler is thin: read the form, check its
//! CSRF token, call the same service function as the API, render.

pub mod account;
pub mod auth;
pub mod card_payments;
pub mod cart;
pub mod contacts;
pub mod dns;
pub mod domain_code;
pub mod domain_renewal;
pub mod domain_search;
pub mod domains;
pub mod history;
pub mod invitation;
pub mod invoices;
pub mod knowledge;
pub mod order_form;
pub mod profile;
pub mod security;
pub mod service_addons;
pub mod services;
pub mod store;
pub mod tickets;

use actix_web::web as aw;

pub fn routes(cfg: &mut aw::ServiceConfig) {
    knowledge::routes(cfg);
    cfg.route("/login", aw::get().to(auth::login_form))
        .route("/login", aw::post().to(auth::login))
        .route("/login/2fa", aw::post().to(auth::second_factor))
        .route("/logout", aw::post().to(auth::logout))
        .route("/signup", aw::get().to(auth::signup_form))
        .route("/signup", aw::post().to(auth::signup))
        .route("/verify-email", aw::get().to(auth::verify_form))
        .route("/verify-email", aw::post().to(auth::verify))
        .route("/forgot-password", aw::get().to(auth::forgot_form))
        .route("/forgot-password", aw::post().to(auth::forgot))
        .route("/reset-password", aw::get().to(auth::reset_form))
        .route("/reset-password", aw::post().to(auth::reset))
        .route("/invitation", aw::get().to(invitation::show))
        .route("/invitation", aw::post().to(invitation::set_password))
        .route("/invitation/accept", aw::post().to(invitation::accept))
        .route("/store", aw::get().to(store::index))
        .route("/domains", aw::get().to(domain_search::show))
        .route("/domains", aw::post().to(domain_search::search))
        .route(
            "/store/{product}/check-domain",
            aw::post().to(domain_search::check_product_domain),
        )
        .route("/store/{product}", aw::get().to(store::product))
        .route("/store/{product}/order", aw::post().to(store::order))
        .route("/store/{product}/cart", aw::post().to(cart::add))
        .route("/cart", aw::get().to(cart::show))
        .route("/cart/remove/{item}", aw::post().to(cart::remove))
        .route("/cart/promotion", aw::post().to(cart::promotion))
        .route("/cart/checkout", aw::post().to(cart::checkout))
        .route("/account", aw::get().to(account::dashboard))
        .route("/account/switch", aw::post().to(account::switch))
        .route(
            "/account/notifications/{id}/ack",
            aw::post().to(account::ack_notice),
        )
        .route("/account/profile", aw::get().to(profile::show))
        .route("/account/profile", aw::post().to(profile::save))
        .route("/account/contacts", aw::get().to(contacts::list))
        .route("/account/contacts/new", aw::get().to(contacts::new_form))
        .route("/account/contacts/new", aw::post().to(contacts::create))
        .route("/account/contacts/{id}", aw::get().to(contacts::edit_form))
        .route("/account/contacts/{id}", aw::post().to(contacts::update))
        .route(
            "/account/contacts/{id}/delete",
            aw::post().to(contacts::remove),
        )
        .route(
            "/account/contacts/invitations/{id}/withdraw",
            aw::post().to(contacts::withdraw),
        )
        .route("/account/services", aw::get().to(services::list))
        .route("/account/services/{service}", aw::get().to(services::show))
        .route(
            "/account/services/{service}/addons",
            aw::get().to(service_addons::show),
        )
        .route(
            "/account/services/{service}/addons/order",
            aw::post().to(service_addons::order),
        )
        .route(
            "/account/services/{service}/{action}",
            aw::post().to(services::act),
        )
        .route("/account/domains", aw::get().to(domains::list))
        .route("/account/domains/{domain}", aw::get().to(domains::show))
        // Before `{action}`: renewing ahead places an order.
        .route(
            "/account/domains/{domain}/renew",
            aw::post().to(domain_renewal::renew),
        )
        .route(
            "/account/domains/{domain}/epp-code",
            aw::post().to(domain_code::reveal),
        )
        .route(
            "/account/domains/{domain}/{action}",
            aw::post().to(domains::act),
        )
        .route("/account/dns/{zone}", aw::get().to(dns::show))
        .route("/account/dns/{zone}/records", aw::post().to(dns::add))
        .route(
            "/account/dns/{zone}/records/{record}",
            aw::get().to(dns::edit_form),
        )
        .route(
            "/account/dns/{zone}/records/{record}",
            aw::post().to(dns::update),
        )
        .route(
            "/account/dns/{zone}/records/{record}/delete",
            aw::post().to(dns::remove),
        )
        .route("/account/tickets", aw::get().to(tickets::list))
        .route("/account/tickets/new", aw::get().to(tickets::new_form))
        .route("/account/tickets/related", aw::get().to(tickets::related))
        .route("/account/tickets/new", aw::post().to(tickets::create))
        .route("/account/tickets/{ticket}", aw::get().to(tickets::show))
        .route(
            "/account/tickets/{ticket}/reply",
            aw::post().to(tickets::reply),
        )
        .route(
            "/account/tickets/{ticket}/attachments/{file}",
            aw::get().to(tickets::attachment),
        )
        .route(
            "/account/tickets/{ticket}/{action}",
            aw::post().to(tickets::set_status),
        )
        .route("/account/orders", aw::get().to(history::orders))
        .route("/account/payments", aw::get().to(history::payments))
        .route("/account/invoices", aw::get().to(invoices::list))
        .route("/account/credit/add", aw::post().to(invoices::add_funds))
        .route("/account/invoices/{invoice}", aw::get().to(invoices::show))
        .route(
            "/account/invoices/{invoice}/apply-credit",
            aw::post().to(invoices::apply_credit),
        )
        .route(
            "/account/invoices/{invoice}/pay",
            aw::post().to(card_payments::start),
        )
        .route(
            "/account/payments/return/{attempt}",
            aw::get().to(card_payments::back),
        )
        .route("/account/security", aw::get().to(security::show))
        .route(
            "/account/security/password",
            aw::post().to(security::change_password),
        )
        .route(
            "/account/security/2fa/setup",
            aw::post().to(security::setup),
        )
        .route(
            "/account/security/2fa/enable",
            aw::post().to(security::enable),
        )
        .route(
            "/account/security/2fa/disable",
            aw::post().to(security::disable),
        )
        .route(
            "/account/security/sessions/{id}/revoke",
            aw::post().to(security::revoke_session),
        );
}
