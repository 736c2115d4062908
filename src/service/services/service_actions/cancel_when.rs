//! When a cancellation takes effect: now, or at the end of the paid period.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelWhen {
    Immediate,
    EndOfPeriod,
}

impl CancelWhen {
    pub fn parse(text: &str) -> Option<CancelWhen> {
        match text.trim() {
            "immediate" | "immediately" | "Immediate" => Some(CancelWhen::Immediate),
            "end_of_billing_period" | "end_of_period" | "End of Billing Period" => {
                Some(CancelWhen::EndOfPeriod)
            }
            _ => None,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            CancelWhen::Immediate => "immediate",
            CancelWhen::EndOfPeriod => "end_of_billing_period",
        }
    }
}
