//! Pure types and rules: no I/O, no clock, no database.

pub mod staff;
pub mod time;
