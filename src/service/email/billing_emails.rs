//! Emails about money: order confirmation, receipt, new invoice, refund,
//! payment reminder and overdue notice.

use askama::Template;

use super::Email;

use super::branding::Branding;

/// An order was placed; its invoice waits for payment.
pub struct OrderConfirmation {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub total: String,
    pub link: String,
}
email!(
    OrderConfirmation,
    "order_confirmation",
    "email/order_confirmation.txt",
    "email/order_confirmation.html",
    |m| format!("Order confirmation: invoice {}", m.invoice_number)
);

/// An invoice was paid in full.
pub struct PaymentReceipt {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub amount: String,
    pub link: String,
}
email!(
    PaymentReceipt,
    "payment_receipt",
    "email/payment_receipt.txt",
    "email/payment_receipt.html",
    |m| format!("Payment received for invoice {}", m.invoice_number)
);

/// Staff issued an invoice.
pub struct InvoiceCreated {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub total: String,
    pub due_date: String,
    pub link: String,
}
email!(
    InvoiceCreated,
    "invoice_created",
    "email/invoice_created.txt",
    "email/invoice_created.html",
    |m| format!("New invoice {}", m.invoice_number)
);

/// Money was given back.
pub struct RefundIssued {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub amount: String,
    /// Where it went, in words: "to your account credit", "to your card".
    pub destination: String,
    pub link: String,
}
email!(
    RefundIssued,
    "refund_issued",
    "email/refund_issued.txt",
    "email/refund_issued.html",
    |m| format!("Refund for invoice {}", m.invoice_number)
);

/// An invoice falls due soon.
pub struct PaymentReminder {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub balance: String,
    pub due_date: String,
    pub link: String,
}
email!(
    PaymentReminder,
    "payment_reminder",
    "email/payment_reminder.txt",
    "email/payment_reminder.html",
    |m| format!("Invoice {} is due on {}", m.invoice_number, m.due_date)
);

/// An invoice is overdue.
pub struct OverdueNotice {
    pub brand: Branding,
    pub name: String,
    pub invoice_number: String,
    pub balance: String,
    pub due_date: String,
    pub days_overdue: i64,
    pub link: String,
}
email!(
    OverdueNotice,
    "overdue_notice",
    "email/overdue_notice.txt",
    "email/overdue_notice.html",
    |m| format!("Invoice {} is overdue", m.invoice_number)
);
