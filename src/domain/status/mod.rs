//! The states things are in, as enums stored as the same text as always
//! (each table's `CHECK` lists exactly these words). Code compares enums,
//! never strings, so a typo is a compile error and a new state shows every
//! `match` that must decide about it.

mod text_enum;

pub use text_enum::UnknownStatus;

text_enum::text_enum! {
    /// An invoice (`invoices.status`).
    InvoiceStatus {
        Unpaid => "unpaid",
        Paid => "paid",
        Cancelled => "cancelled",
        Refunded => "refunded",
    }
}

text_enum::text_enum! {
    /// A service (`services.status`) or a service's addon
    /// (`service_addons.status`).
    ServiceStatus {
        Pending => "pending",
        Active => "active",
        Suspended => "suspended",
        Terminated => "terminated",
        Cancelled => "cancelled",
    }
}

text_enum::text_enum! {
    /// An order (`orders.status`).
    OrderStatus {
        Pending => "pending",
        Active => "active",
        Cancelled => "cancelled",
    }
}

text_enum::text_enum! {
    /// A provisioning task (`module_tasks.status`).
    TaskStatus {
        Queued => "queued",
        Running => "running",
        Done => "done",
        Failed => "failed",
        Cancelled => "cancelled",
    }
}

text_enum::text_enum! {
    /// A card payment attempt (`payment_attempts.status`).
    AttemptStatus {
        Starting => "starting",
        Pending => "pending",
        Succeeded => "succeeded",
        Failed => "failed",
        Cancelled => "cancelled",
    }
}

#[cfg(test)]
mod tests;

text_enum::text_enum! {
    /// A support ticket (`tickets.status`).
    TicketStatus {
        Open => "open",
        Answered => "answered",
        CustomerReply => "customer_reply",
        InProgress => "in_progress",
        OnHold => "on_hold",
        Closed => "closed",
    }
}

text_enum::text_enum! {
    /// How urgent a ticket is (`tickets.priority`).
    TicketPriority {
        Low => "low",
        Medium => "medium",
        High => "high",
        Urgent => "urgent",
    }
}
