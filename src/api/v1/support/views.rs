//! The support desk in reference 000's shapes: `Ticket` (with till's
//! additions), its thread, `TicketAttachment`, and departments.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::support::{priority_label, status_label},
    service::support::{Thread, ThreadMessage},
    store::support::{attachments::Attachment, departments::Department, tickets::Ticket},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentRef {
    pub id: i64,
    pub name: String,
}

/// Reference 000 `Ticket`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    pub id: i64,
    pub ticket_number: String,
    pub subject: String,
    /// open, answered, customer_reply, in_progress, on_hold or closed.
    pub status: String,
    pub status_label: String,
    /// low, medium, high or urgent.
    pub priority: String,
    pub priority_label: String,
    pub department: DepartmentRef,
    pub service_id: Option<i64>,
    pub domain_id: Option<i64>,
    pub last_reply_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn ticket_view(t: &Ticket) -> TicketView {
    TicketView {
        id: t.id,
        ticket_number: t.number.clone(),
        subject: t.subject.clone(),
        status: t.status.as_str().into(),
        status_label: status_label(t.status).into(),
        priority: t.priority.as_str().into(),
        priority_label: priority_label(t.priority).into(),
        department: DepartmentRef {
            id: t.department_id,
            name: t.department_name.clone(),
        },
        service_id: t.service_id,
        domain_id: t.domain_id,
        last_reply_at: Some(t.last_reply_at.clone()),
        created_at: t.created_at.clone(),
        updated_at: t.updated_at.clone(),
    }
}

/// Reference 000 `TicketAttachment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i64,
    pub name: String,
    pub mime_type: String,
    pub size: i64,
    pub formatted_size: String,
    pub url: String,
}

pub fn formatted_size(bytes: i64) -> String {
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

fn attachment_view(a: &Attachment, base: &str) -> AttachmentView {
    AttachmentView {
        id: a.id,
        name: a.name.clone(),
        mime_type: a.mime_type.clone(),
        size: a.size,
        formatted_size: formatted_size(a.size),
        url: format!("{base}/attachments/{}", a.id),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageAuthor {
    /// client, staff or system.
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub author: MessageAuthor,
    pub body: String,
    /// Staff only: an internal note (never shown to the customer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub internal: Option<bool>,
    pub attachments: Vec<AttachmentView>,
    pub created_at: String,
}

fn message_view(m: &ThreadMessage, base: &str, staff: bool) -> MessageView {
    MessageView {
        id: m.message.id,
        author: MessageAuthor {
            kind: m.message.author_type.clone(),
            name: m.message.author_name.clone(),
        },
        body: m.message.body.clone(),
        internal: staff.then_some(m.message.internal),
        attachments: m
            .attachments
            .iter()
            .map(|a| attachment_view(a, base))
            .collect(),
        created_at: m.message.created_at.clone(),
    }
}

/// A ticket and its thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketDetail {
    #[serde(flatten)]
    pub ticket: TicketView,
    pub messages: Vec<MessageView>,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigned_staff_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watchers: Option<Vec<i64>>,
}

/// The customer's view: `base` is the ticket's own URL path.
pub fn customer_detail(t: &Thread, base: &str) -> TicketDetail {
    TicketDetail {
        ticket: ticket_view(&t.ticket),
        messages: t
            .messages
            .iter()
            .map(|m| message_view(m, base, false))
            .collect(),
        client_id: None,
        assigned_staff_id: None,
        merged_into_id: None,
        watchers: None,
    }
}

pub fn staff_detail(t: &Thread, watchers: Vec<i64>) -> TicketDetail {
    let base = format!("/api/v1/tickets/{}", t.ticket.id);
    TicketDetail {
        ticket: ticket_view(&t.ticket),
        messages: t
            .messages
            .iter()
            .map(|m| message_view(m, &base, true))
            .collect(),
        client_id: t.ticket.client_id,
        assigned_staff_id: t.ticket.assigned_staff_id,
        merged_into_id: t.ticket.merged_into_id,
        watchers: Some(watchers),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketList {
    pub data: Vec<TicketView>,
    pub links: serde_json::Value,
    pub meta: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketResponse {
    pub data: TicketDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentView {
    pub id: i64,
    pub name: String,
    pub description: String,
    /// Staff only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visible: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_reply: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_order: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub staff_ids: Option<Vec<i64>>,
}

pub fn public_department(d: &Department) -> DepartmentView {
    DepartmentView {
        id: d.id,
        name: d.name.clone(),
        description: d.description.clone(),
        visible: None,
        email: None,
        auto_reply: None,
        sort_order: None,
        staff_ids: None,
    }
}

pub fn staff_department(d: &Department, staff_ids: Vec<i64>) -> DepartmentView {
    DepartmentView {
        visible: Some(d.visible),
        email: d.email.clone(),
        auto_reply: Some(d.auto_reply),
        sort_order: Some(d.sort_order),
        staff_ids: Some(staff_ids),
        ..public_department(d)
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentList {
    pub data: Vec<DepartmentView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentResponse {
    pub data: DepartmentView,
}
