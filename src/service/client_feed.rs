//! The client event feed: the audit rows about an account (those with its
//! `client_id`) as the account's members see them. Audit details are
//! written for staff (a gateway attempt's id, the note on a rejected
//! payment, a refund's reason, a panel's error) and each row carries the
//! address it came from, so the feed shows, per kind of event, only the
//! fields listed here; a kind not listed shows no details at all, and the
//! kinds that are staff business are left out. A staff member's address
//! is never shown; a customer's own is.

use serde_json::{Map, Value};

use crate::store::audit::AuditRow;

/// Kinds never shown to customers: exact names, or groups ending in `.`.
pub const HIDDEN: &[&str] = &[
    "module.",
    "payment.mismatch",
    "service.module_requested",
    // A default zone the DNS server would not make is for staff to fix.
    "dns.zone_failed",
];

/// The detail fields a customer may see, per kind of event.
fn visible_fields(action: &str) -> &'static [&'static str] {
    match action {
        "client.signed_up" => &["kind"],
        "client.profile_updated" => &["changed"],
        "client.contact_added" => &["email", "privileges"],
        "client.contact_updated" => &["privileges", "password_changed"],
        "client.contact_removed" => &["email"],
        "client.vat_id_checked" | "client.vat_id_verified" => &["vat_id", "status"],
        "order.placed" => &["invoice", "total", "currency"],
        "invoice.created" | "invoice.renewal_created" => &["number", "total", "currency"],
        "invoice.paid" => &["number"],
        "invoice.cancelled" => &["number", "returned_to_credit"],
        "invoice.credit_applied" => &["number", "amount", "automatic"],
        "invoice.add_funds" => &["number", "amount"],
        "invoice.late_fee" => &["amount"],
        // Never the attempt's id, the transaction id or the gateway's words.
        "payment.started" => &["gateway", "amount", "fee"],
        "payment.recorded" => &["invoice", "amount", "applied", "credited", "gateway"],
        // Never the reason staff gave, nor why the gateway refused.
        "refund.issued" | "refund.processed" | "refund.failed" => &["amount", "destination"],
        "service.activated" | "service.renewed" => &["next_due_date"],
        "service.plan_change" => &["amount", "status"],
        "service.addon_ordered" => &["due_now", "recurring"],
        "service.cycle_changed" => &["from", "to", "recurring_amount"],
        "service.labelled" => &["label"],
        "service.cancellation_requested" => &["when"],
        "service.created" | "service.updated" => &["status"],
        _ => &[],
    }
}

/// One event as the feed shows it.
#[derive(Debug, Clone)]
pub struct FeedEvent {
    pub id: i64,
    pub occurred_at: String,
    pub action: String,
    /// `you`, `member` (another user of the account), `staff` or `system`.
    pub actor: &'static str,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    /// Only for what a user of the account did themselves.
    pub ip: Option<String>,
    pub details: Value,
}

/// `row` as `viewer` (a user, or `None` for staff) sees it.
pub fn present(row: &AuditRow, viewer: Option<i64>) -> FeedEvent {
    let actor = match row.actor_type.as_str() {
        "user" if viewer.is_some() && row.actor_id == viewer => "you",
        "user" => "member",
        "staff" | "api_key" => "staff",
        _ => "system",
    };
    let all: Value = serde_json::from_str(&row.details).unwrap_or(Value::Null);
    let details: Map<String, Value> = visible_fields(&row.action)
        .iter()
        .filter_map(|k| all.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect();
    FeedEvent {
        id: row.id,
        occurred_at: row.occurred_at.clone(),
        action: row.action.clone(),
        actor,
        subject_type: row.subject_type.clone(),
        subject_id: row.subject_id,
        ip: (row.actor_type == "user").then(|| row.ip.clone()).flatten(),
        details: Value::Object(details),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(actor_type: &str, action: &str, details: Value) -> AuditRow {
        AuditRow {
            id: 1,
            occurred_at: "2026-01-01T00:00:00Z".into(),
            actor_type: actor_type.into(),
            actor_id: Some(7),
            action: action.into(),
            subject_type: None,
            subject_id: None,
            client_id: Some(1),
            ip: Some("203.0.113.9".into()),
            details: details.to_string(),
        }
    }

    #[test]
    fn only_listed_fields_and_only_a_users_own_address_are_shown() {
        let e = present(
            &row(
                "staff",
                "refund.issued",
                serde_json::json!({"amount": 5, "destination": "credit", "reason": "fraud"}),
            ),
            Some(7),
        );
        assert_eq!(e.actor, "staff");
        assert_eq!(e.ip, None);
        assert_eq!(
            e.details,
            serde_json::json!({"amount": 5, "destination": "credit"})
        );
        let e = present(
            &row("user", "some.new_kind", serde_json::json!({"secret": 1})),
            Some(7),
        );
        assert_eq!(e.actor, "you");
        assert_eq!(e.ip.as_deref(), Some("203.0.113.9"));
        assert_eq!(e.details, serde_json::json!({}));
        assert_eq!(
            present(&row("user", "x", Value::Null), Some(8)).actor,
            "member"
        );
    }
}
