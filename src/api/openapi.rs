//! The OpenAPI 3 document, generated from the handlers' annotations and
//! served at `/api/v1/openapi.json`.

use actix_web::{HttpResponse, web as aw};
use utoipa::OpenApi;

use utoipa::{
    Modify,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::api::v1::domains::check as domain_check;
use crate::api::{
    extract::pagination, v1::auth, v1::carts, v1::catalog, v1::catalog_extras, v1::client_domains,
    v1::clients, v1::contacts, v1::dns, v1::domain_actions, v1::domain_renew, v1::invoices,
    v1::orders, v1::payment_methods, v1::payments, v1::service_addons, v1::services,
    v1::staff::admin, v1::staff::automation_settings, v1::staff::billing,
    v1::staff::billing_settings, v1::staff::catalog_extras_staff, v1::staff::catalog_staff,
    v1::staff::dns_staff, v1::staff::domain_actions_staff, v1::staff::domains_staff,
    v1::staff::invoices_staff, v1::staff::keys, v1::staff::promotions, v1::staff::refunds,
    v1::staff::registrars, v1::staff::security_settings, v1::staff::servers,
    v1::staff::services_staff, v1::staff::taxes, v1::status, v1::vat_ids, v1::views,
};
use crate::{
    domain::{money::Money, privileges::PrivilegeInfo},
    error::{ApiError, SecondFactorChallenge, TwoFaField},
};

/// Declares `bearerAuth`: a customer's access token (JWT) or a staff API key.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearerAuth",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT access token, or a staff API key (till_...)")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "till API",
        description = "Hosting billing and client area. Client routes follow the shapes of the \
                       reference client API; staff routes use API keys.",
    ),
    paths(
        status::status, openapi_json,
        auth::login, auth::refresh, auth::logout, auth::tokens, auth::revoke_token, auth::signup,
        auth::verify_email, auth::forgot_password, auth::reset_password, auth::change_password,
        auth::two_factor_setup, auth::two_factor_enable, auth::two_factor_disable,
        clients::me, clients::list, clients::get, clients::update_profile, clients::overview,
        clients::dashboard, clients::events, vat_ids::check, vat_ids::verify,
        contacts::privilege_catalog, contacts::list, contacts::create, contacts::get,
        contacts::update, contacts::delete, contacts::list_invitations,
        contacts::withdraw_invitation, contacts::accept_invitation,
        catalog::currencies, catalog::cycles, catalog::groups, catalog::group, catalog::product,
        catalog::hosting_packages,
        catalog_staff::list_products, catalog_staff::create_product, catalog_staff::get_product,
        catalog_staff::update_product, catalog_staff::retire_product, catalog_staff::pricing,
        catalog_staff::create_group, catalog_staff::update_group, catalog_staff::save_currency,
        catalog_extras::domain_tlds, catalog_extras::product_addons,
        domain_check::check, domain_check::bulk_check,
        catalog_extras_staff::list_addons, catalog_extras_staff::create_addon,
        catalog_extras_staff::get_addon, catalog_extras_staff::update_addon,
        catalog_extras_staff::retire_addon, catalog_extras_staff::list_options,
        catalog_extras_staff::create_option, catalog_extras_staff::update_option,
        catalog_extras_staff::retire_option, catalog_extras_staff::list_tlds,
        catalog_extras_staff::create_tld, catalog_extras_staff::update_tld,
        catalog_extras_staff::retire_tld,
        taxes::list_rules, taxes::save_rule, taxes::delete_rule, taxes::get_settings, taxes::save_settings,
        keys::list_keys, keys::create_key, keys::revoke_key, keys::audit_log,
        admin::jobs, admin::emails, security_settings::get_settings, security_settings::save_settings,
        orders::quote, orders::create, orders::list, invoices::invoices, invoices::invoice,
        invoices::payments, billing::pay, invoices::apply_credit, billing::cancel, billing::all_payments, invoices::add_funds,
        payment_methods::list, payment_methods::update, promotions::create, promotions::list, promotions::update, promotions::retire,
        billing_settings::get_settings, billing_settings::save_settings, invoices_staff::create,
        automation_settings::get_settings, automation_settings::save_settings,
        payments::start, payments::payment_status, payments::payment_timeline, payments::webhook,
        refunds::refund, refunds::record,
        services::hosting_list, services::hosting_get, services::hosting_cancel, services::login_url,
        services::change_password, services::list,
        services::get, services::label, services::set_label, services::cycles, services::change_cycle,
        services::upgrade_options, services::upgrade, services::cancel, services::renew, services::notifications_all,
        services::notifications_new, services::notification_ack,
        service_addons::list, service_addons::available, service_addons::order,
        carts::create, carts::list, carts::totals, carts::list_items, carts::add_items, carts::clear,
        carts::remove_item, carts::promotion, carts::apply_promotion, carts::remove_promotion,
        carts::checkout,
        dns::list_zones, dns::create_zone, dns::get_zone, dns::delete_zone, dns::add_record,
        dns::update_record, dns::delete_record, dns::list_domain_records, dns::replace_domain_records,
        dns_staff::list, dns_staff::get, dns_staff::replace,
        servers::list, servers::create, servers::get, servers::update, servers::retire, servers::test, servers::list_groups, servers::create_group, services_staff::list, services_staff::create, services_staff::get, services_staff::update, services_staff::provision, services_staff::suspend, services_staff::unsuspend, services_staff::terminate, services_staff::change_package, services_staff::login_url, services_staff::password, services_staff::tasks, services_staff::retry,
        client_domains::list, client_domains::get, client_domains::nameservers, client_domains::cancel, domain_renew::renew,
        domain_actions::lock, domain_actions::id_protection, domain_actions::epp_code,
        registrars::list, registrars::create, registrars::update, registrars::mapping, registrars::map_tld,
        domains_staff::list, domains_staff::get, domains_staff::mark_registered, domains_staff::retry,
        domains_staff::sync,
        domain_actions_staff::lock, domain_actions_staff::id_protection, domain_actions_staff::epp_code,
    ),
    components(schemas(
        ApiError, SecondFactorChallenge, TwoFaField, Money, PrivilegeInfo, status::ApiStatus,
        views::UserView, views::ClientView, views::TokenView, views::ContactView, views::InvitationView, views::AuditView, views::ClientEventView, views::VatValidationView,
        views::ApiKeyView, views::MessageView, pagination::Links, pagination::Meta,
        views::dns::DnsZoneView, views::dns::DnsRecordView, views::dns::DnsRecordBody,
        dns::DomainDnsView,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "Developers", description = "API status and documentation"),
        (name = "Auth", description = "Logging in, tokens, sign-up, passwords, two-factor authentication"),
        (name = "Account", description = "The user and their client accounts"),
        (name = "Contacts", description = "People with access to a client account"),
        (name = "Catalog", description = "What is for sale, in which currencies and cycles"),
        (name = "Staff catalog", description = "Staff management of the catalog"),
        (name = "Orders", description = "Quotes and invoice-first orders"),
        (name = "Domains", description = "Domain availability, priced in the caller's currency"),
        (name = "Invoices", description = "A client's invoices and payments"),
        (name = "Staff billing", description = "Staff recording payments"),
        (name = "Services", description = "A client's services: hosting accounts, label, cycle, plan changes, cancellation"),
        (name = "DNS", description = "DNS zones of a client's services and their records"),
        (name = "Domains", description = "A client's domains and their DNS"),
        (name = "Cart", description = "Carts: items, promotion, totals and checkout (reference 003)"),
        (name = "Webhooks", description = "Payment gateways telling till what happened"),
        (name = "Staff taxes", description = "Tax rules by country and state, and the tax settings"),
        (name = "Staff", description = "Staff resources (API keys, audit log)"),
        (name = "Staff provisioning", description = "Servers, services and their module tasks"),
        (name = "Domains", description = "A client's domains: availability, nameservers, DNS, renewal"),
        (name = "Staff domains", description = "Registrars, the TLD mapping, domains and their registrar tasks"),
    )
)]
struct ApiDoc;

/// The document, built once at start-up and shared by every worker.
pub struct ApiDocument {
    json: String,
}

impl ApiDocument {
    pub fn build() -> Self {
        Self {
            json: document().to_json().unwrap_or_else(|_| "{}".into()),
        }
    }
}

/// The OpenAPI document as a value (tests walk it).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::api::v1::knowledge::KnowledgeDoc::openapi());
    doc.merge(crate::api::v1::support::SupportDoc::openapi());
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// This API's OpenAPI 3 document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "Developers",
    operation_id = "openApiDocument",
    security(()),
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json"))
)]
pub async fn openapi_json(doc: aw::Data<ApiDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.json.clone())
}
