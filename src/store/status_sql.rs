//! The state enums of `domain::status` in and out of SQL, as the same
//! words the schema's `CHECK`s list. A word no enum knows (a database
//! edited by hand) is a read error naming it, never a silent default.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::status::{
    AttemptStatus, InvoiceStatus, OrderStatus, ServiceStatus, TaskStatus, TicketPriority,
    TicketStatus,
};

macro_rules! stored_as_text {
    ($($name:ident),+) => {$(
        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                value
                    .as_str()?
                    .parse()
                    .map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }
    )+};
}

stored_as_text!(
    InvoiceStatus,
    ServiceStatus,
    OrderStatus,
    TaskStatus,
    AttemptStatus,
    TicketStatus,
    TicketPriority
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use rusqlite::Connection;

    use super::*;

    #[test]
    fn a_status_goes_in_and_comes_out_as_its_word() {
        let conn = Connection::open_in_memory().unwrap();
        let word: String = conn
            .query_row("SELECT ?1", [InvoiceStatus::Refunded], |r| r.get(0))
            .unwrap();
        assert_eq!(word, "refunded");
        let back: ServiceStatus = conn
            .query_row("SELECT 'suspended'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(back, ServiceStatus::Suspended);
    }

    #[test]
    fn an_unknown_word_is_an_error_naming_it() {
        let conn = Connection::open_in_memory().unwrap();
        let err = conn
            .query_row("SELECT 'lost'", [], |r| r.get::<_, TaskStatus>(0))
            .unwrap_err();
        assert!(err.to_string().contains("lost"), "{err}");
    }
}
