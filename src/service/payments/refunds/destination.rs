//! Where a refund goes: account credit, the gateway, or outside till.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Credit,
    Gateway,
    External,
}

impl Destination {
    pub fn parse(text: &str) -> Option<Destination> {
        match text.trim() {
            "credit" => Some(Destination::Credit),
            "gateway" => Some(Destination::Gateway),
            "external" => Some(Destination::External),
            _ => None,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Destination::Credit => "credit",
            Destination::Gateway => "gateway",
            Destination::External => "external",
        }
    }

    pub(super) fn words(self) -> &'static str {
        match self {
            Destination::Credit => "to your account credit",
            Destination::Gateway => "to the card or account you paid with",
            Destination::External => "by bank transfer",
        }
    }
}
