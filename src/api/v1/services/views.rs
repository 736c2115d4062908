//! The JSON shapes of hosting accounts and services, and how a service
//! record becomes each of them.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::money::Money,
    service::{billing, services::service_actions::ServiceRecord},
};

/// Reference 000 `HostingAccount`.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostingAccount {
    pub id: i64,
    pub display_name: String,
    pub domain: Option<String>,
    pub hostname: Option<String>,
    pub status: String,
    pub billing_cycle: String,
    pub recurring_amount: Money,
    pub next_due_date: Option<String>,
}

pub(super) fn hosting(r: &ServiceRecord) -> HostingAccount {
    let s = &r.service;
    HostingAccount {
        id: s.id,
        display_name: s.label.clone().unwrap_or_else(|| r.product.name.clone()),
        domain: s.domain.clone(),
        hostname: s.domain.clone(),
        status: s.status.to_string(),
        billing_cycle: s.billing_cycle.clone(),
        recurring_amount: billing::money(s.recurring_amount, &r.currency),
        next_due_date: s.next_due_date.clone(),
    }
}

/// A service in full (reference 001 service details).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: i64,
    pub uuid: String,
    pub product_id: i64,
    pub product: String,
    pub label: Option<String>,
    pub domain: Option<String>,
    pub status: String,
    pub billing_cycle: String,
    pub recurring_amount: Money,
    pub registration_date: Option<String>,
    pub next_due_date: Option<String>,
    pub addons: Vec<ServiceAddonView>,
    /// `immediate` or `end_of_billing_period`, when a cancellation was asked.
    pub cancellation: Option<String>,
    /// A plan change waiting for its invoice: the invoice id.
    pub pending_change_invoice: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceAddonView {
    pub id: i64,
    pub addon_id: i64,
    pub status: String,
    pub billing_cycle: String,
    pub recurring_amount: Money,
}

pub(super) fn service_view(r: &ServiceRecord) -> ServiceView {
    let s = &r.service;
    ServiceView {
        id: s.id,
        uuid: s.uuid.clone(),
        product_id: r.product.id,
        product: r.product.name.clone(),
        label: s.label.clone(),
        domain: s.domain.clone(),
        status: s.status.to_string(),
        billing_cycle: s.billing_cycle.clone(),
        recurring_amount: billing::money(s.recurring_amount, &r.currency),
        registration_date: s.registration_date.clone(),
        next_due_date: s.next_due_date.clone(),
        addons: r
            .addons
            .iter()
            .map(|a| ServiceAddonView {
                id: a.id,
                addon_id: a.addon_id,
                status: a.status.to_string(),
                billing_cycle: a.billing_cycle.clone(),
                recurring_amount: billing::money(a.recurring_amount, &r.currency),
            })
            .collect(),
        cancellation: r.cancellation.as_ref().map(|c| c.kind.clone()),
        pending_change_invoice: r.pending_change.as_ref().and_then(|c| c.invoice_id),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostingList {
    pub data: Vec<HostingAccount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HostingResponse {
    pub data: HostingAccount,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceList {
    pub data: Vec<ServiceView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceResponse {
    pub data: ServiceView,
}
