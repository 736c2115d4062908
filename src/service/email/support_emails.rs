//! Emails of the support desk: to the customer (their ticket received, a
//! staff reply, a status change) and to staff (a new ticket, a customer's
//! reply). Subjects carry the ticket number so a reply finds its thread.

use askama::Template;

use super::Email;

use super::branding::Branding;

/// The ticket was received (the department's auto-reply).
pub struct TicketOpened {
    pub brand: Branding,
    pub name: String,
    pub number: String,
    pub subject: String,
    pub department: String,
    pub link: String,
}
email!(
    TicketOpened,
    "ticket_opened",
    "email/ticket_opened.txt",
    "email/ticket_opened.html",
    |m| format!("[{}] {}", m.number, m.subject)
);

/// Staff answered; the reply's text, never an internal note.
pub struct TicketReply {
    pub brand: Branding,
    pub name: String,
    pub number: String,
    pub subject: String,
    pub author: String,
    pub body: String,
    pub link: String,
}
email!(
    TicketReply,
    "ticket_reply",
    "email/ticket_reply.txt",
    "email/ticket_reply.html",
    |m| format!("Re: [{}] {}", m.number, m.subject)
);

/// The ticket closed, reopened or will close for want of a reply.
pub struct TicketStatusChanged {
    pub brand: Branding,
    pub name: String,
    pub number: String,
    pub subject: String,
    /// The sentence saying what happened.
    pub what: String,
    pub link: String,
}
email!(
    TicketStatusChanged,
    "ticket_status",
    "email/ticket_status.txt",
    "email/ticket_status.html",
    |m| format!("[{}] {}", m.number, m.subject)
);

/// For staff: a new ticket or a customer's reply, with its text.
pub struct TicketStaffAlert {
    pub brand: Branding,
    pub number: String,
    pub subject: String,
    pub department: String,
    pub client: String,
    /// "New ticket" or "Customer reply".
    pub event: String,
    pub priority: String,
    pub body: String,
    pub link: String,
}
email!(
    TicketStaffAlert,
    "ticket_staff_alert",
    "email/ticket_staff_alert.txt",
    "email/ticket_staff_alert.html",
    |m| format!("[{}] {}: {}", m.number, m.event, m.subject)
);
