use super::*;
use crate::domain::status::InvoiceStatus;

fn round_trips<T>(all: &[T])
where
    T: Copy + std::fmt::Debug + PartialEq + std::fmt::Display + std::str::FromStr,
    T::Err: std::fmt::Debug,
{
    for s in all {
        assert_eq!(s.to_string().parse::<T>().unwrap(), *s);
    }
}

#[test]
fn every_state_reads_back_from_its_word() {
    round_trips(InvoiceStatus::ALL);
    round_trips(ServiceStatus::ALL);
    round_trips(OrderStatus::ALL);
    round_trips(TaskStatus::ALL);
    round_trips(AttemptStatus::ALL);
}

#[test]
fn the_words_are_the_ones_the_schema_checks() {
    // migrations/0005_billing.sql, 0012_module_tasks.sql, 0010_gateway_payments.sql
    let words = |all: &[&str]| all.join(",");
    assert_eq!(
        words(
            &InvoiceStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
        ),
        "unpaid,paid,cancelled,refunded"
    );
    assert_eq!(
        words(
            &ServiceStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
        ),
        "pending,active,suspended,terminated,cancelled"
    );
    assert_eq!(
        words(
            &TaskStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
        ),
        "queued,running,done,failed,cancelled"
    );
    assert_eq!(
        words(
            &AttemptStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
        ),
        "starting,pending,succeeded,failed,cancelled"
    );
}

#[test]
fn an_unknown_word_is_refused_naming_its_kind() {
    let err = "overdue".parse::<InvoiceStatus>().unwrap_err();
    assert_eq!(err.to_string(), "`overdue` is not a InvoiceStatus");
    assert!("Paid".parse::<InvoiceStatus>().is_err(), "words are exact");
}

#[test]
fn serde_uses_the_same_words() {
    assert_eq!(
        serde_json::to_string(&AttemptStatus::Succeeded).unwrap(),
        "\"succeeded\""
    );
    assert_eq!(
        serde_json::from_str::<TaskStatus>("\"queued\"").unwrap(),
        TaskStatus::Queued
    );
    assert_eq!(InvoiceStatus::Unpaid.as_str(), "unpaid");
}
