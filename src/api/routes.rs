//! The `/api/v1` route table. Each entry takes its method and path from the
//! handler's `#[utoipa::path]` annotation, so the router and the OpenAPI
//! document cannot disagree about where an operation lives; a test checks
//! that the document lists exactly the operations this table registers.

use std::{collections::BTreeMap, sync::Arc};

use actix_web::{
    FromRequest, Handler, Responder,
    http::{Method, header},
    web as aw,
};
use utoipa::openapi::HttpMethod;

use crate::api::v1::domains::check as domain_check;
use crate::api::{
    method_not_allowed, openapi, v1::auth, v1::carts, v1::catalog, v1::catalog_extras,
    v1::client_domains, v1::clients, v1::contacts, v1::dns, v1::domain_actions, v1::domain_renew,
    v1::invoices, v1::orders, v1::payment_methods, v1::payments, v1::service_addons, v1::services,
    v1::staff::admin, v1::staff::automation_settings, v1::staff::billing,
    v1::staff::billing_settings, v1::staff::catalog_extras_staff, v1::staff::catalog_staff,
    v1::staff::dns_staff, v1::staff::domain_actions_staff, v1::staff::domains_staff,
    v1::staff::invoices_staff, v1::staff::keys, v1::staff::promotions, v1::staff::refunds,
    v1::staff::registrars, v1::staff::security_settings, v1::staff::servers,
    v1::staff::services_staff, v1::staff::taxes, v1::status, v1::vat_ids,
};

type MakeRoute = Arc<dyn Fn() -> actix_web::Route + Send + Sync>;

/// One API operation: its method, its path, and how to build its route.
#[derive(Clone)]
pub struct ApiRoute {
    pub method: Method,
    pub path: String,
    make: MakeRoute,
}

impl std::fmt::Debug for ApiRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// An operation for the handler documented by `P` (the struct
/// `#[utoipa::path]` generates, named `__path_<handler>`).
pub fn op<P, H, Args>(handler: H) -> ApiRoute
where
    P: utoipa::Path,
    H: Handler<Args> + Clone + Send + Sync + 'static,
    Args: FromRequest + 'static,
    H::Output: Responder + 'static,
{
    let method = match P::methods().first() {
        Some(m) => actix_method(m),
        None => Method::GET,
    };
    let route_method = method.clone();
    ApiRoute {
        method,
        path: P::path(),
        make: Arc::new(move || aw::method(route_method.clone()).to(handler.clone())),
    }
}

fn actix_method(m: &HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

/// Every `/api/v1` operation.
pub fn table() -> Vec<ApiRoute> {
    let mut table = core();
    table.extend(crate::api::v1::support::routes());
    table.extend(crate::api::v1::knowledge::routes());
    table
}

fn core() -> Vec<ApiRoute> {
    vec![
        op::<status::__path_status, _, _>(status::status),
        op::<openapi::__path_openapi_json, _, _>(openapi::openapi_json),
        // Auth
        op::<auth::__path_login, _, _>(auth::login),
        op::<auth::__path_refresh, _, _>(auth::refresh),
        op::<auth::__path_logout, _, _>(auth::logout),
        op::<auth::__path_tokens, _, _>(auth::tokens),
        op::<auth::__path_revoke_token, _, _>(auth::revoke_token),
        op::<auth::__path_signup, _, _>(auth::signup),
        op::<auth::__path_verify_email, _, _>(auth::verify_email),
        op::<auth::__path_forgot_password, _, _>(auth::forgot_password),
        op::<auth::__path_reset_password, _, _>(auth::reset_password),
        op::<auth::__path_change_password, _, _>(auth::change_password),
        op::<auth::__path_two_factor_setup, _, _>(auth::two_factor_setup),
        op::<auth::__path_two_factor_enable, _, _>(auth::two_factor_enable),
        op::<auth::__path_two_factor_disable, _, _>(auth::two_factor_disable),
        // Account
        op::<clients::__path_me, _, _>(clients::me),
        op::<clients::__path_list, _, _>(clients::list),
        op::<clients::__path_get, _, _>(clients::get),
        op::<clients::__path_update_profile, _, _>(clients::update_profile),
        op::<clients::__path_overview, _, _>(clients::overview),
        op::<clients::__path_dashboard, _, _>(clients::dashboard),
        op::<clients::__path_events, _, _>(clients::events),
        op::<vat_ids::__path_check, _, _>(vat_ids::check),
        op::<vat_ids::__path_verify, _, _>(vat_ids::verify),
        // Contacts
        op::<contacts::__path_privilege_catalog, _, _>(contacts::privilege_catalog),
        op::<contacts::__path_list, _, _>(contacts::list),
        op::<contacts::__path_create, _, _>(contacts::create),
        op::<contacts::__path_get, _, _>(contacts::get),
        op::<contacts::__path_update, _, _>(contacts::update),
        op::<contacts::__path_delete, _, _>(contacts::delete),
        op::<contacts::__path_list_invitations, _, _>(contacts::list_invitations),
        op::<contacts::__path_withdraw_invitation, _, _>(contacts::withdraw_invitation),
        op::<contacts::__path_accept_invitation, _, _>(contacts::accept_invitation),
        // Catalog
        op::<catalog::__path_currencies, _, _>(catalog::currencies),
        op::<catalog::__path_cycles, _, _>(catalog::cycles),
        op::<catalog::__path_groups, _, _>(catalog::groups),
        op::<catalog::__path_group, _, _>(catalog::group),
        op::<catalog::__path_product, _, _>(catalog::product),
        op::<catalog::__path_hosting_packages, _, _>(catalog::hosting_packages),
        op::<catalog_staff::__path_list_products, _, _>(catalog_staff::list_products),
        op::<catalog_staff::__path_create_product, _, _>(catalog_staff::create_product),
        op::<catalog_staff::__path_get_product, _, _>(catalog_staff::get_product),
        op::<catalog_staff::__path_update_product, _, _>(catalog_staff::update_product),
        op::<catalog_staff::__path_retire_product, _, _>(catalog_staff::retire_product),
        op::<catalog_staff::__path_pricing, _, _>(catalog_staff::pricing),
        op::<catalog_staff::__path_create_group, _, _>(catalog_staff::create_group),
        op::<catalog_staff::__path_update_group, _, _>(catalog_staff::update_group),
        op::<catalog_staff::__path_save_currency, _, _>(catalog_staff::save_currency),
        // Domains: availability
        op::<domain_check::__path_check, _, _>(domain_check::check),
        op::<domain_check::__path_bulk_check, _, _>(domain_check::bulk_check),
        // Addons, configurable options, TLDs
        op::<catalog_extras::__path_domain_tlds, _, _>(catalog_extras::domain_tlds),
        op::<catalog_extras::__path_product_addons, _, _>(catalog_extras::product_addons),
        op::<catalog_extras_staff::__path_list_addons, _, _>(catalog_extras_staff::list_addons),
        op::<catalog_extras_staff::__path_create_addon, _, _>(catalog_extras_staff::create_addon),
        op::<catalog_extras_staff::__path_get_addon, _, _>(catalog_extras_staff::get_addon),
        op::<catalog_extras_staff::__path_update_addon, _, _>(catalog_extras_staff::update_addon),
        op::<catalog_extras_staff::__path_retire_addon, _, _>(catalog_extras_staff::retire_addon),
        op::<catalog_extras_staff::__path_list_options, _, _>(catalog_extras_staff::list_options),
        op::<catalog_extras_staff::__path_create_option, _, _>(catalog_extras_staff::create_option),
        op::<catalog_extras_staff::__path_update_option, _, _>(catalog_extras_staff::update_option),
        op::<catalog_extras_staff::__path_retire_option, _, _>(catalog_extras_staff::retire_option),
        op::<catalog_extras_staff::__path_list_tlds, _, _>(catalog_extras_staff::list_tlds),
        op::<catalog_extras_staff::__path_create_tld, _, _>(catalog_extras_staff::create_tld),
        op::<catalog_extras_staff::__path_update_tld, _, _>(catalog_extras_staff::update_tld),
        op::<catalog_extras_staff::__path_retire_tld, _, _>(catalog_extras_staff::retire_tld),
        op::<taxes::__path_list_rules, _, _>(taxes::list_rules),
        op::<taxes::__path_save_rule, _, _>(taxes::save_rule),
        op::<taxes::__path_delete_rule, _, _>(taxes::delete_rule),
        op::<taxes::__path_get_settings, _, _>(taxes::get_settings),
        op::<taxes::__path_save_settings, _, _>(taxes::save_settings),
        // Orders, invoices, payments
        op::<orders::__path_quote, _, _>(orders::quote),
        op::<orders::__path_create, _, _>(orders::create),
        op::<orders::__path_list, _, _>(orders::list),
        op::<invoices::__path_invoices, _, _>(invoices::invoices),
        op::<invoices::__path_invoice, _, _>(invoices::invoice),
        op::<invoices::__path_payments, _, _>(invoices::payments),
        op::<billing::__path_pay, _, _>(billing::pay),
        op::<invoices::__path_apply_credit, _, _>(invoices::apply_credit),
        op::<billing::__path_cancel, _, _>(billing::cancel),
        op::<billing::__path_all_payments, _, _>(billing::all_payments),
        op::<invoices::__path_add_funds, _, _>(invoices::add_funds),
        op::<payment_methods::__path_list, _, _>(payment_methods::list),
        op::<payment_methods::__path_update, _, _>(payment_methods::update),
        op::<promotions::__path_create, _, _>(promotions::create),
        op::<promotions::__path_list, _, _>(promotions::list),
        op::<promotions::__path_update, _, _>(promotions::update),
        op::<promotions::__path_retire, _, _>(promotions::retire),
        // Billing settings, manual invoices, refunds, gateways
        op::<billing_settings::__path_get_settings, _, _>(billing_settings::get_settings),
        op::<billing_settings::__path_save_settings, _, _>(billing_settings::save_settings),
        op::<automation_settings::__path_get_settings, _, _>(automation_settings::get_settings),
        op::<automation_settings::__path_save_settings, _, _>(automation_settings::save_settings),
        op::<invoices_staff::__path_create, _, _>(invoices_staff::create),
        op::<payments::__path_start, _, _>(payments::start),
        op::<payments::__path_payment_status, _, _>(payments::payment_status),
        op::<payments::__path_payment_timeline, _, _>(payments::payment_timeline),
        op::<payments::__path_webhook, _, _>(payments::webhook),
        op::<refunds::__path_refund, _, _>(refunds::refund),
        op::<refunds::__path_record, _, _>(refunds::record),
        // Services and notifications
        op::<services::__path_hosting_list, _, _>(services::hosting_list),
        op::<services::__path_hosting_get, _, _>(services::hosting_get),
        op::<services::__path_hosting_cancel, _, _>(services::hosting_cancel),
        op::<services::__path_login_url, _, _>(services::login_url),
        op::<services::__path_change_password, _, _>(services::change_password),
        op::<services::__path_list, _, _>(services::list),
        op::<services::__path_get, _, _>(services::get),
        op::<services::__path_label, _, _>(services::label),
        op::<services::__path_set_label, _, _>(services::set_label),
        op::<services::__path_cycles, _, _>(services::cycles),
        op::<services::__path_change_cycle, _, _>(services::change_cycle),
        op::<services::__path_upgrade_options, _, _>(services::upgrade_options),
        op::<services::__path_upgrade, _, _>(services::upgrade),
        op::<services::__path_cancel, _, _>(services::cancel),
        op::<services::__path_renew, _, _>(services::renew),
        op::<service_addons::__path_list, _, _>(service_addons::list),
        op::<service_addons::__path_available, _, _>(service_addons::available),
        op::<service_addons::__path_order, _, _>(service_addons::order),
        op::<services::__path_notifications_all, _, _>(services::notifications_all),
        op::<services::__path_notifications_new, _, _>(services::notifications_new),
        op::<services::__path_notification_ack, _, _>(services::notification_ack),
        // DNS zones and records
        op::<dns::__path_list_zones, _, _>(dns::list_zones),
        op::<dns::__path_create_zone, _, _>(dns::create_zone),
        op::<dns::__path_get_zone, _, _>(dns::get_zone),
        op::<dns::__path_delete_zone, _, _>(dns::delete_zone),
        op::<dns::__path_add_record, _, _>(dns::add_record),
        op::<dns::__path_update_record, _, _>(dns::update_record),
        op::<dns::__path_delete_record, _, _>(dns::delete_record),
        op::<dns::__path_list_domain_records, _, _>(dns::list_domain_records),
        op::<dns::__path_replace_domain_records, _, _>(dns::replace_domain_records),
        op::<dns_staff::__path_list, _, _>(dns_staff::list),
        op::<dns_staff::__path_get, _, _>(dns_staff::get),
        op::<dns_staff::__path_replace, _, _>(dns_staff::replace),
        // Carts (reference 003)
        op::<carts::__path_create, _, _>(carts::create),
        op::<carts::__path_list, _, _>(carts::list),
        op::<carts::__path_totals, _, _>(carts::totals),
        op::<carts::__path_list_items, _, _>(carts::list_items),
        op::<carts::__path_add_items, _, _>(carts::add_items),
        op::<carts::__path_clear, _, _>(carts::clear),
        op::<carts::__path_remove_item, _, _>(carts::remove_item),
        op::<carts::__path_promotion, _, _>(carts::promotion),
        op::<carts::__path_apply_promotion, _, _>(carts::apply_promotion),
        op::<carts::__path_remove_promotion, _, _>(carts::remove_promotion),
        op::<carts::__path_checkout, _, _>(carts::checkout),
        // Staff
        op::<keys::__path_list_keys, _, _>(keys::list_keys),
        op::<keys::__path_create_key, _, _>(keys::create_key),
        op::<keys::__path_revoke_key, _, _>(keys::revoke_key),
        op::<keys::__path_audit_log, _, _>(keys::audit_log),
        op::<admin::__path_jobs, _, _>(admin::jobs),
        op::<admin::__path_emails, _, _>(admin::emails),
        op::<security_settings::__path_get_settings, _, _>(security_settings::get_settings),
        op::<security_settings::__path_save_settings, _, _>(security_settings::save_settings),
        op::<servers::__path_list, _, _>(servers::list),
        op::<servers::__path_create, _, _>(servers::create),
        op::<servers::__path_get, _, _>(servers::get),
        op::<servers::__path_update, _, _>(servers::update),
        op::<servers::__path_retire, _, _>(servers::retire),
        op::<servers::__path_test, _, _>(servers::test),
        op::<servers::__path_list_groups, _, _>(servers::list_groups),
        op::<servers::__path_create_group, _, _>(servers::create_group),
        op::<services_staff::__path_list, _, _>(services_staff::list),
        op::<services_staff::__path_create, _, _>(services_staff::create),
        op::<services_staff::__path_get, _, _>(services_staff::get),
        op::<services_staff::__path_update, _, _>(services_staff::update),
        op::<services_staff::__path_provision, _, _>(services_staff::provision),
        op::<services_staff::__path_suspend, _, _>(services_staff::suspend),
        op::<services_staff::__path_unsuspend, _, _>(services_staff::unsuspend),
        op::<services_staff::__path_terminate, _, _>(services_staff::terminate),
        op::<services_staff::__path_change_package, _, _>(services_staff::change_package),
        op::<services_staff::__path_login_url, _, _>(services_staff::login_url),
        op::<services_staff::__path_password, _, _>(services_staff::password),
        op::<services_staff::__path_tasks, _, _>(services_staff::tasks),
        op::<services_staff::__path_retry, _, _>(services_staff::retry),
        // Domains (reference 000) and their registrars (staff)
        op::<client_domains::__path_list, _, _>(client_domains::list),
        op::<client_domains::__path_get, _, _>(client_domains::get),
        op::<client_domains::__path_nameservers, _, _>(client_domains::nameservers),
        op::<client_domains::__path_cancel, _, _>(client_domains::cancel),
        op::<domain_actions::__path_lock, _, _>(domain_actions::lock),
        op::<domain_actions::__path_id_protection, _, _>(domain_actions::id_protection),
        op::<domain_actions::__path_epp_code, _, _>(domain_actions::epp_code),
        op::<domain_renew::__path_renew, _, _>(domain_renew::renew),
        op::<registrars::__path_list, _, _>(registrars::list),
        op::<registrars::__path_create, _, _>(registrars::create),
        op::<registrars::__path_update, _, _>(registrars::update),
        op::<registrars::__path_mapping, _, _>(registrars::mapping),
        op::<registrars::__path_map_tld, _, _>(registrars::map_tld),
        op::<domains_staff::__path_list, _, _>(domains_staff::list),
        op::<domains_staff::__path_get, _, _>(domains_staff::get),
        op::<domains_staff::__path_mark_registered, _, _>(domains_staff::mark_registered),
        op::<domains_staff::__path_retry, _, _>(domains_staff::retry),
        op::<domains_staff::__path_sync, _, _>(domains_staff::sync),
        op::<domain_actions_staff::__path_lock, _, _>(domain_actions_staff::lock),
        op::<domain_actions_staff::__path_id_protection, _, _>(domain_actions_staff::id_protection),
        op::<domain_actions_staff::__path_epp_code, _, _>(domain_actions_staff::epp_code),
    ]
}

/// Register the table: one resource per path, so a known path asked with
/// another method is a 405 that lists the allowed ones.
pub fn register(cfg: &mut aw::ServiceConfig, table: &[ApiRoute]) {
    let mut by_path: BTreeMap<&str, Vec<&ApiRoute>> = BTreeMap::new();
    for route in table {
        by_path.entry(route.path.as_str()).or_default().push(route);
    }
    for (path, routes) in by_path {
        let allow = routes
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut resource = aw::resource(path);
        for route in routes {
            resource = resource.route((route.make)());
        }
        resource = resource.default_service(aw::to(move || {
            let allow = allow.clone();
            async move {
                let mut res = match method_not_allowed().await {
                    Ok(res) => res,
                    Err(err) => actix_web::ResponseError::error_response(&err),
                };
                if let Ok(v) = header::HeaderValue::from_str(&allow) {
                    res.headers_mut().insert(header::ALLOW, v);
                }
                res
            }
        }));
        cfg.service(resource);
    }
}
