//! The problems found while pricing an item, by field.

use crate::error::FieldErrors;

/// Collects field problems while an item is priced.
pub(crate) struct Problems<'a> {
    pub errors: &'a mut FieldErrors,
    pub item: usize,
}

impl Problems<'_> {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        let key = if field.is_empty() {
            format!("items.{}", self.item)
        } else {
            format!("items.{}.{field}", self.item)
        };
        self.errors.entry(key).or_default().push(message.into());
    }
}
