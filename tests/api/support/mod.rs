//! Everything tests share, one file per job: the app (`app`) and its
//! sample catalog (`catalog`), the people in it (`people`, `staff`),
//! requests (`requests`) and a browser for the pages (`browser`), the
//! outbox (`mail`), the clock (`clock`), orders and paid services
//! (`orders`, `paid`), renewals, card gateways, taxes, provisioning and a
//! cPanel hosting business (`hosting`), the fake servers (`fakes`) and a
//! real PowerDNS (`powerdns`), emails coming in (`mail_in`) and a real
//! dovecot for IMAP (`dovecot`).
//! What tests want to know about the shop they ask the staff API
//! (`reads`); the few raw reads with no API behind them are named helpers
//! in `sql`, each saying why. Area test files take what they need from
//! here and never from each other.

pub mod app;
pub mod browser;
pub mod catalog;
pub mod clock;
pub mod dovecot;
pub mod fakes;
pub mod gateways;
pub mod hosting;
pub mod knowledge;
pub mod mail;
pub mod mail_in;
pub mod orders;
pub mod paid;
pub mod people;
pub mod powerdns;
pub mod provisioning;
pub mod reads;
pub mod renewals;
pub mod requests;
pub mod sql;
pub mod staff;
pub mod taxes;

pub use app::{TestApp, till_bin};
pub use browser::{Browser, PageResponse};
pub use clock::{at, start_time};
pub use mail_in::Mail;
pub use orders::money;
pub use paid::live_starter;
pub use people::{CONTACT_PASSWORD, Customer, enable_two_factor};
pub use requests::{call, json_with_status, ok, staff_post, staff_send};
pub use staff::{ADMIN_EMAIL, ADMIN_PASSWORD};
