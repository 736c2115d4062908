//! One charge of a priced item, and its kinds.

/// What a charge is, as the invoice line's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChargeKind {
    Service,
    Setup,
    Option,
    Addon,
    Domain,
}

impl ChargeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeKind::Service => "service",
            ChargeKind::Setup => "setup",
            ChargeKind::Option => "option",
            ChargeKind::Addon => "addon",
            ChargeKind::Domain => "domain",
        }
    }
}

/// One amount a line charges today.
#[derive(Debug, Clone)]
pub struct Charge {
    pub kind: ChargeKind,
    pub description: String,
    pub quantity: i64,
    /// The listed price of one unit.
    pub unit_amount: i64,
    /// `quantity × unit_amount`, as listed.
    pub amount: i64,
    /// What a promotion takes off (product price and setup only).
    pub discount: i64,
    /// This charge's share of the quote's tax.
    pub tax: i64,
    /// The catalog prices include the tax.
    pub tax_included: bool,
    /// It covers the service's first period (its invoice line carries it).
    pub periodic: bool,
}

impl Charge {
    pub(super) fn new(
        kind: ChargeKind,
        description: String,
        quantity: i64,
        unit: i64,
        periodic: bool,
    ) -> Self {
        Charge {
            kind,
            description,
            quantity,
            unit_amount: unit,
            amount: quantity.saturating_mul(unit),
            discount: 0,
            tax: 0,
            tax_included: false,
            periodic,
        }
    }

    /// What the tax is computed on (gross with inclusive prices).
    pub fn taxable(&self) -> i64 {
        self.amount - self.discount
    }

    /// What the customer pays for it today.
    pub fn due(&self) -> i64 {
        if self.tax_included {
            self.taxable()
        } else {
            self.taxable() + self.tax
        }
    }

    /// What it charges net of its discount and before tax.
    pub fn net(&self) -> i64 {
        if self.tax_included {
            self.taxable() - self.tax
        } else {
            self.taxable()
        }
    }

    /// The amount of its invoice line: the listed amount with exclusive
    /// prices (the discount and tax are lines of their own); the net after
    /// discount and tax with inclusive prices (the tax line holds the rest).
    pub fn line_amount(&self) -> i64 {
        if self.tax_included {
            self.amount - self.discount - self.tax
        } else {
            self.amount
        }
    }

    /// `(quantity, unit)` for its invoice line, with `quantity × unit` equal
    /// to `line_amount()`; a net that does not divide by the quantity is one
    /// unit (the description then says how many).
    pub fn line_quantity(&self) -> (i64, i64, String) {
        let amount = self.line_amount();
        if self.quantity > 1 && amount % self.quantity == 0 {
            (
                self.quantity,
                amount / self.quantity,
                self.description.clone(),
            )
        } else if self.quantity > 1 {
            (
                1,
                amount,
                format!("{} × {}", self.description, self.quantity),
            )
        } else {
            (1, amount, self.description.clone())
        }
    }
}
