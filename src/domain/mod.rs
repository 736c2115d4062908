//! Pure types and rules: no I/O, no clock, no database.

pub mod csv;
pub mod cycle;
pub mod dns;
pub mod domain_name;
pub mod knowledge;
pub mod markdown;
pub mod module_action;
pub mod money;
pub mod money_input;
pub mod net;
pub mod numbering;
pub mod password_policy;
pub mod phone;
pub mod privileges;
pub mod promotion;
pub mod proration;
pub mod registrant_fields;
pub mod scopes;
pub mod staff;
pub mod status;
pub mod support;
pub mod tax;
pub mod time;
pub mod vat_id;
