//! What a contact may do for a client, in the groups of reference 001's
//! `/contact/privileges`. Owners may do everything. Only privileges that
//! till enforces are listed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::scopes::Scope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Privilege {
    /// Receive billing notifications.
    BillingEmails,
    /// View and pay invoices.
    BillingPayInvoice,
    /// Place new orders.
    BillingOrders,
    /// View the account's credit balance.
    BillingBalance,
    /// Add funds (credit).
    BillingAddFunds,
    /// Open new tickets.
    SupportNewTicket,
    /// View all tickets.
    SupportTickets,
    /// Close tickets.
    SupportCloseTicket,
    /// Receive support notifications.
    SupportEmails,
    /// Change the account's profile.
    MiscEditMain,
    /// View the account's history (events and emails).
    MiscEmails,
    /// Add, change and remove contacts.
    MiscManageProfiles,
    /// Full control over services.
    ServicesFull,
    /// Full control over domains.
    DomainsFull,
}

use Privilege::*;

impl Privilege {
    pub const ALL: [Privilege; 14] = [
        BillingEmails,
        BillingPayInvoice,
        BillingOrders,
        BillingBalance,
        BillingAddFunds,
        SupportNewTicket,
        SupportTickets,
        SupportCloseTicket,
        SupportEmails,
        MiscEditMain,
        MiscEmails,
        MiscManageProfiles,
        ServicesFull,
        DomainsFull,
    ];

    /// (group, name) as in reference 001.
    pub fn parts(self) -> (&'static str, &'static str) {
        match self {
            BillingEmails => ("billing", "emails"),
            BillingPayInvoice => ("billing", "payinvoice"),
            BillingOrders => ("billing", "orders"),
            BillingBalance => ("billing", "balance"),
            BillingAddFunds => ("billing", "addfunds"),
            SupportNewTicket => ("support", "newticket"),
            SupportTickets => ("support", "tickets"),
            SupportCloseTicket => ("support", "closeticket"),
            SupportEmails => ("support", "emails"),
            MiscEditMain => ("misc", "editmain"),
            MiscEmails => ("misc", "emails"),
            MiscManageProfiles => ("misc", "manageprofiles"),
            ServicesFull => ("services", "full"),
            DomainsFull => ("domains", "full"),
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BillingEmails => "Receive billing notifications",
            BillingPayInvoice => "View and pay invoices",
            BillingOrders => "Place new orders",
            BillingBalance => "View account balance",
            BillingAddFunds => "Add account funds",
            SupportNewTicket => "Open new tickets",
            SupportTickets => "View all tickets",
            SupportCloseTicket => "Close tickets",
            SupportEmails => "Receive support notifications",
            MiscEditMain => "Modify main profile details",
            MiscEmails => "View account history and emails",
            MiscManageProfiles => "Add and edit contacts",
            ServicesFull => "Full control over services",
            DomainsFull => "Full control over domains",
        }
    }

    /// The staff scopes (to read, to change) that reach the same data as
    /// this privilege: a staff key acting for a client needs the scope of
    /// what it touches, as a contact needs the privilege.
    pub fn staff_scopes(self) -> (Scope, Scope) {
        match self.parts().0 {
            "billing" => (Scope::BillingRead, Scope::BillingWrite),
            // Services and domains are what the provisioning scopes cover.
            "services" | "domains" => (Scope::ServicesRead, Scope::ServicesWrite),
            "support" => (Scope::SupportRead, Scope::SupportWrite),
            // The account's history is the audit trail.
            _ if self == MiscEmails => (Scope::AuditRead, Scope::ClientsWrite),
            // The profile and contacts: the client record.
            _ => (Scope::ClientsRead, Scope::ClientsWrite),
        }
    }

    /// `group.name`, as stored.
    pub fn key(self) -> String {
        let (g, n) = self.parts();
        format!("{g}.{n}")
    }

    pub fn from_parts(group: &str, name: &str) -> Option<Privilege> {
        Self::ALL.into_iter().find(|p| p.parts() == (group, name))
    }

    pub fn from_key(key: &str) -> Option<Privilege> {
        let (g, n) = key.split_once('.')?;
        Self::from_parts(g, n)
    }
}

pub const GROUPS: [&str; 5] = ["billing", "support", "misc", "services", "domains"];

/// A set of privileges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Privileges(pub BTreeSet<Privilege>);

impl Privileges {
    pub fn all() -> Self {
        Self(Privilege::ALL.into_iter().collect())
    }

    pub fn contains(&self, p: Privilege) -> bool {
        self.0.contains(&p)
    }

    pub fn is_subset(&self, other: &Privileges) -> bool {
        self.0.is_subset(&other.0)
    }

    /// Stored form: a JSON array of `group.name`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0.iter().map(|p| p.key()).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into())
    }

    /// Read the stored form; unknown keys (from a newer till) are skipped.
    pub fn from_json(text: &str) -> Self {
        let keys: Vec<String> = serde_json::from_str(text).unwrap_or_default();
        Self(keys.iter().filter_map(|k| Privilege::from_key(k)).collect())
    }

    /// Reference 001's shape: `{"billing": ["payinvoice", ...], ...}`.
    pub fn grouped(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        for group in GROUPS {
            let names: Vec<serde_json::Value> = self
                .0
                .iter()
                .filter(|p| p.parts().0 == group)
                .map(|p| p.parts().1.into())
                .collect();
            map.insert(group.to_string(), names.into());
        }
        map
    }

    /// Parse reference 001's grouped shape. Answers the unknown entries as
    /// errors so a typo is never silently dropped.
    pub fn from_grouped(value: &serde_json::Value) -> Result<Self, Vec<String>> {
        let mut set = BTreeSet::new();
        let mut errors = Vec::new();
        let Some(map) = value.as_object() else {
            return Err(vec!["must be an object of privilege groups".into()]);
        };
        for (group, names) in map {
            let Some(names) = names.as_array() else {
                errors.push(format!("{group} must be a list"));
                continue;
            };
            for name in names {
                match name.as_str().and_then(|n| Privilege::from_parts(group, n)) {
                    Some(p) => {
                        set.insert(p);
                    }
                    None => errors.push(format!("unknown privilege {group}.{name}")),
                }
            }
        }
        if errors.is_empty() {
            Ok(Self(set))
        } else {
            Err(errors)
        }
    }
}

/// Who among a client's contacts sees a portal notification of `kind`:
/// those holding any of these privileges (owners see every one). Invoice
/// notices go to those who may see invoices or get billing notices,
/// service notices to those with the services privilege; a kind not
/// listed here is for owners only, so a new kind is never shown too
/// widely by mistake.
pub fn notice_audience(kind: &str) -> Privileges {
    let set: &[Privilege] = match kind {
        "invoice_created" | "invoice_paid" | "payment_reminder" | "overdue_notice" => {
            &[BillingPayInvoice, BillingEmails]
        }
        "order_placed" => &[BillingOrders, BillingPayInvoice, BillingEmails],
        "service_activated" | "addon_activated" | "plan_changed" | "cancellation" => {
            &[ServicesFull]
        }
        k if k.starts_with("service_") => &[ServicesFull],
        k if k.starts_with("domain_") => &[DomainsFull],
        k if k.starts_with("ticket_") => &[SupportTickets, SupportEmails],
        _ => &[],
    };
    Privileges(set.iter().copied().collect())
}

/// One entry of the privilege catalog.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PrivilegeInfo {
    pub group: &'static str,
    pub name: &'static str,
    pub description: &'static str,
}

pub fn catalog() -> Vec<PrivilegeInfo> {
    Privilege::ALL
        .into_iter()
        .map(|p| PrivilegeInfo {
            group: p.parts().0,
            name: p.parts().1,
            description: p.description(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_ones_are_rejected() {
        for p in Privilege::ALL {
            assert_eq!(Privilege::from_key(&p.key()), Some(p));
        }
        assert_eq!(Privilege::from_key("billing.everything"), None);
        let set = Privileges::all();
        assert_eq!(Privileges::from_json(&set.to_json()), set);
    }

    #[test]
    fn every_privilege_maps_to_a_read_and_a_write_scope() {
        assert_eq!(
            BillingPayInvoice.staff_scopes(),
            (Scope::BillingRead, Scope::BillingWrite)
        );
        assert_eq!(
            ServicesFull.staff_scopes(),
            (Scope::ServicesRead, Scope::ServicesWrite)
        );
        assert_eq!(MiscEmails.staff_scopes().0, Scope::AuditRead);
        assert_eq!(
            MiscEditMain.staff_scopes(),
            (Scope::ClientsRead, Scope::ClientsWrite)
        );
    }

    #[test]
    fn the_grouped_shape_parses_back_and_names_typos() {
        let set = Privileges([BillingPayInvoice, SupportTickets].into_iter().collect());
        let grouped = serde_json::Value::Object(set.grouped());
        assert_eq!(Privileges::from_grouped(&grouped).unwrap(), set);
        let bad = serde_json::json!({"billing": ["payinvoice", "steal"]});
        let errors = Privileges::from_grouped(&bad).unwrap_err();
        assert!(errors[0].contains("billing.\"steal\""), "{errors:?}");
    }
}
