//! The rules of a support ticket that need no database: how its status
//! moves when someone writes, what each status is called, and what a
//! ticket number looks like.

use crate::domain::status::{TicketPriority, TicketStatus};

/// Who wrote on a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    Customer,
    Staff,
}

/// The status after a reply: a customer's reply reopens the ticket for
/// staff (`customer_reply`, also from `closed`); a staff reply answers it.
/// An internal note changes nothing, so it never goes through here.
pub fn after_reply(writer: Writer) -> TicketStatus {
    match writer {
        Writer::Customer => TicketStatus::CustomerReply,
        Writer::Staff => TicketStatus::Answered,
    }
}

/// What a customer may set by hand: close an open ticket, reopen a closed
/// one. Anything else is staff's to decide.
pub fn customer_may_set(from: TicketStatus, to: TicketStatus) -> bool {
    match to {
        TicketStatus::Closed => from != TicketStatus::Closed,
        TicketStatus::Open => from == TicketStatus::Closed,
        _ => false,
    }
}

/// The words a status is shown with (reference 000's `status_label`).
pub fn status_label(s: TicketStatus) -> &'static str {
    match s {
        TicketStatus::Open => "Open",
        TicketStatus::Answered => "Answered",
        TicketStatus::CustomerReply => "Customer reply",
        TicketStatus::InProgress => "In progress",
        TicketStatus::OnHold => "On hold",
        TicketStatus::Closed => "Closed",
    }
}

pub fn priority_label(p: TicketPriority) -> &'static str {
    match p {
        TicketPriority::Low => "Low",
        TicketPriority::Medium => "Medium",
        TicketPriority::High => "High",
        TicketPriority::Urgent => "Urgent",
    }
}

/// A ticket number: the prefix (letters only, upper-cased, at most 8) and
/// six digits from the caller's random source, e.g. `TKT-483920`.
pub fn ticket_number(prefix: &str, random: u32) -> String {
    let prefix: String = prefix
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(8)
        .collect::<String>()
        .to_ascii_uppercase();
    let prefix = if prefix.is_empty() {
        "TKT".into()
    } else {
        prefix
    };
    format!("{prefix}-{:06}", random % 1_000_000)
}

/// The ticket number in an email subject (`[TKT-483920]`, or the number
/// alone), for threading mail that lost its headers.
pub fn number_in_subject(prefix: &str, subject: &str) -> Option<String> {
    let want = ticket_number(prefix, 0);
    let want = want.split('-').next().unwrap_or("TKT");
    let upper = subject.to_ascii_uppercase();
    let mut from = 0;
    while let Some(at) = upper[from..].find(want) {
        let start = from + at;
        let rest = &upper[start + want.len()..];
        let before_ok = start == 0 || !upper.as_bytes()[start - 1].is_ascii_alphanumeric();
        if before_ok && let Some(digits) = rest.strip_prefix('-') {
            let n: String = digits.chars().take_while(char::is_ascii_digit).collect();
            let after_ok = !digits[n.len()..].starts_with(|c: char| c.is_ascii_alphanumeric());
            if n.len() == 6 && after_ok {
                return Some(format!("{want}-{n}"));
            }
        }
        from = start + want.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_reply_reopens_and_a_staff_reply_answers() {
        assert_eq!(after_reply(Writer::Customer), TicketStatus::CustomerReply);
        assert_eq!(after_reply(Writer::Staff), TicketStatus::Answered);
    }

    #[test]
    fn customers_only_close_and_reopen() {
        assert!(customer_may_set(
            TicketStatus::Answered,
            TicketStatus::Closed
        ));
        assert!(customer_may_set(TicketStatus::Closed, TicketStatus::Open));
        assert!(!customer_may_set(
            TicketStatus::Closed,
            TicketStatus::Closed
        ));
        assert!(!customer_may_set(TicketStatus::Open, TicketStatus::Open));
        assert!(!customer_may_set(TicketStatus::Open, TicketStatus::OnHold));
        assert!(!customer_may_set(
            TicketStatus::Open,
            TicketStatus::Answered
        ));
    }

    #[test]
    fn numbers_have_a_clean_prefix_and_six_digits() {
        assert_eq!(ticket_number("xyz", 483_920), "XYZ-483920");
        assert_eq!(ticket_number("x-y<z>", 7), "XYZ-000007");
        assert_eq!(ticket_number("", 1_234_567), "TKT-234567");
        assert_eq!(ticket_number("abcdefghijk", 1), "ABCDEFGH-000001");
    }

    #[test]
    fn the_number_is_found_in_a_subject_and_nowhere_else() {
        assert_eq!(
            number_in_subject("TKT", "Re: [TKT-483920] Site down").as_deref(),
            Some("TKT-483920")
        );
        assert_eq!(
            number_in_subject("tkt", "re: tkt-000001").as_deref(),
            Some("TKT-000001")
        );
        assert_eq!(number_in_subject("TKT", "Re: TKT-4839201 x"), None);
        assert_eq!(number_in_subject("TKT", "Re: XTKT-483920"), None);
        assert_eq!(number_in_subject("TKT", "Re: TKT-48392"), None);
        assert_eq!(number_in_subject("TKT", "no number"), None);
    }
}
