//! The JSON shapes of accounts resources (reference 000's `User`, `Client`,
//! `ApiToken`, extended in its style).

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::money::Money,
    service::{
        access::ClientAccess,
        accounts::api_keys::scopes_of,
        accounts::contacts::{Contact, PendingInvitation},
        client_feed::FeedEvent,
    },
    store::{api_keys::ApiKey, audit::AuditRow, sessions::Session, users::User},
};

/// Reference 000 `User`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub status: String,
    pub email_verified: bool,
    pub two_factor_enabled: bool,
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            uuid: u.uuid.clone(),
            name: u.name(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            email: u.email.clone(),
            status: u.status.clone(),
            email_verified: u.email_verified_at.is_some(),
            two_factor_enabled: u.two_factor_enabled(),
            created_at: u.created_at.clone(),
        }
    }
}

/// Reference 000 `Client`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    pub id: i64,
    pub uuid: String,
    pub display_name: String,
    /// `person` or `company`.
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub email: String,
    pub phone: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub vat_id: Option<String>,
    /// What is known about `vat_id`; absent without one. EU reverse charge
    /// needs `valid` (VIES) or `verified` (staff).
    pub vat_validation: Option<VatValidationView>,
    pub status: String,
    pub currency_code: String,
    /// Present only with the `billing.balance` privilege.
    pub credit_balance: Option<Money>,
    /// `owner`, `contact` or `staff`.
    pub role: String,
    pub created_at: String,
}

impl From<&ClientAccess> for ClientView {
    fn from(a: &ClientAccess) -> Self {
        let c = &a.client;
        Self {
            id: c.id,
            uuid: c.uuid.clone(),
            display_name: c.display_name(),
            kind: c.kind.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            company_name: c.company_name.clone(),
            company_number: c.company_number.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address1: c.address1.clone(),
            address2: c.address2.clone(),
            city: c.city.clone(),
            state: c.state.clone(),
            postcode: c.postcode.clone(),
            country: c.country.clone(),
            vat_id: c.vat_id.clone(),
            vat_validation: c.vat_id.as_ref().filter(|v| !v.trim().is_empty()).map(|_| {
                VatValidationView {
                    status: c.vat_status.clone(),
                    source: c.vat_source.clone(),
                    checked_at: c.vat_checked_at.clone(),
                    detail: c.vat_detail.clone(),
                }
            }),
            status: c.status.clone(),
            currency_code: c.currency_code.clone(),
            credit_balance: a
                .can(crate::domain::privileges::Privilege::BillingBalance)
                .then(|| Money::new(c.credit_balance, &c.currency_code)),
            role: a.role().to_string(),
            created_at: c.created_at.clone(),
        }
    }
}

/// The validation of a client's VAT id.
#[derive(Debug, Serialize, ToSchema)]
pub struct VatValidationView {
    /// `unchecked`, `valid`, `invalid`, `unavailable` (VIES could not
    /// answer; asked again later) or `verified` (by staff).
    pub status: String,
    /// `vies`, `format` (not even well formed) or `staff`.
    pub source: Option<String>,
    pub checked_at: Option<String>,
    /// VIES's name and address for the id, why it could not answer, or
    /// staff's note.
    pub detail: String,
}

/// Reference 000 `ApiToken`: one of the user's sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// `web` or `api`.
    pub kind: String,
    pub abilities: Vec<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub last_used_ip: Option<String>,
    pub last_used_user_agent: Option<String>,
    pub expires_at: Option<String>,
    /// The session this request is made with.
    pub current: bool,
}

impl TokenView {
    pub fn of(s: &Session, current_session: i64) -> Self {
        Self {
            id: s.id,
            name: s.name.clone(),
            kind: s.kind.clone(),
            abilities: vec!["*".into()],
            created_at: s.created_at.clone(),
            last_used_at: Some(s.last_used_at.clone()),
            last_used_ip: s.last_used_ip.clone(),
            last_used_user_agent: s.last_used_user_agent.clone(),
            expires_at: Some(s.expires_at.clone().min(s.idle_expires_at.clone())),
            current: s.id == current_session,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactView {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Whether the contact can log in (has a password).
    pub can_log_in: bool,
    /// Reference 001's grouped shape: `{"billing": ["payinvoice"], ...}`.
    #[schema(value_type = Object)]
    pub privileges: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
}

impl From<&Contact> for ContactView {
    fn from(c: &Contact) -> Self {
        Self {
            id: c.id,
            email: c.user.email.clone(),
            first_name: c.user.first_name.clone(),
            last_name: c.user.last_name.clone(),
            can_log_in: c.user.password_hash.is_some(),
            privileges: c.privileges.grouped(),
            created_at: c.created_at.clone(),
        }
    }
}

/// An invitation waiting for its invitee. Only what the inviter typed:
/// nothing here says whether the address already has a login.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// Always `invited`: the person becomes a contact when they accept.
    pub status: &'static str,
    #[schema(value_type = Object)]
    pub privileges: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
    pub expires_at: String,
}

impl From<&PendingInvitation> for InvitationView {
    fn from(i: &PendingInvitation) -> Self {
        Self {
            id: i.id,
            email: i.email.clone(),
            first_name: i.first_name.clone(),
            last_name: i.last_name.clone(),
            status: "invited",
            privileges: i.privileges.grouped(),
            created_at: i.created_at.clone(),
            expires_at: i.expires_at.clone(),
        }
    }
}

/// An audit row: a client's event (customers) or the audit log (staff).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub occurred_at: String,
    pub action: String,
    pub actor_type: String,
    pub actor_id: Option<i64>,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    pub client_id: Option<i64>,
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<&AuditRow> for AuditView {
    fn from(r: &AuditRow) -> Self {
        Self {
            id: r.id,
            occurred_at: r.occurred_at.clone(),
            action: r.action.clone(),
            actor_type: r.actor_type.clone(),
            actor_id: r.actor_id,
            subject_type: r.subject_type.clone(),
            subject_id: r.subject_id,
            client_id: r.client_id,
            ip: r.ip.clone(),
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// One event of a client's feed: a whitelisted view of an audit row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientEventView {
    pub id: i64,
    pub occurred_at: String,
    pub action: String,
    /// `you`, `member` (another user of the account), `staff` or `system`.
    pub actor: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<i64>,
    /// The address, only for what a user of the account did themselves.
    pub ip: Option<String>,
    /// The event's fields a customer may see (which depend on its kind).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<&FeedEvent> for ClientEventView {
    fn from(e: &FeedEvent) -> Self {
        Self {
            id: e.id,
            occurred_at: e.occurred_at.clone(),
            action: e.action.clone(),
            actor: e.actor.to_string(),
            subject_type: e.subject_type.clone(),
            subject_id: e.subject_id,
            ip: e.ip.clone(),
            details: e.details.clone(),
        }
    }
}

/// A staff API key (never its secret).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub id: i64,
    pub uuid: String,
    pub name: String,
    /// The visible part of the key: `till_<prefix>_…`.
    pub prefix: String,
    pub staff_id: i64,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub last_used_ip: Option<String>,
    pub expires_at: Option<String>,
}

impl From<&ApiKey> for ApiKeyView {
    fn from(k: &ApiKey) -> Self {
        Self {
            id: k.id,
            uuid: k.uuid.clone(),
            name: k.name.clone(),
            prefix: k.prefix.clone(),
            staff_id: k.staff_id,
            scopes: scopes_of(k)
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            created_at: k.created_at.clone(),
            last_used_at: k.last_used_at.clone(),
            last_used_ip: k.last_used_ip.clone(),
            expires_at: k.expires_at.clone(),
        }
    }
}

/// `{"message": "..."}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub message: String,
}

pub fn message(text: &str) -> MessageView {
    MessageView {
        message: text.to_string(),
    }
}
