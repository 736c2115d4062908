//! The support desk's v1 operations: a client's tickets in reference
//! 000's shapes, the visible departments, and the staff desk (queue,
//! notes, routing, merging, departments, canned replies, and mail in:
//! the departments' IMAP mailboxes and the log of what came in). Its
//! routes and its OpenAPI part are merged into the v1 table and document.

pub mod client_tickets;
pub mod desk;
mod download;
pub mod mail_in;
pub mod staff_tickets;
pub mod views;

use utoipa::OpenApi;

use crate::api::routes::{ApiRoute, op};

pub use download::attachment_response;

/// The desk's operations.
pub fn routes() -> Vec<ApiRoute> {
    vec![
        op::<client_tickets::__path_list, _, _>(client_tickets::list),
        op::<client_tickets::__path_create, _, _>(client_tickets::create),
        op::<client_tickets::__path_get, _, _>(client_tickets::get),
        op::<client_tickets::__path_reply, _, _>(client_tickets::reply),
        op::<client_tickets::__path_close, _, _>(client_tickets::close),
        op::<client_tickets::__path_reopen, _, _>(client_tickets::reopen),
        op::<client_tickets::__path_attachment, _, _>(client_tickets::attachment),
        op::<desk::__path_visible, _, _>(desk::visible),
        op::<desk::__path_all, _, _>(desk::all),
        op::<desk::__path_create, _, _>(desk::create),
        op::<desk::__path_update, _, _>(desk::update),
        op::<mail_in::__path_get, _, _>(mail_in::get),
        op::<mail_in::__path_set, _, _>(mail_in::set),
        op::<mail_in::__path_remove, _, _>(mail_in::remove),
        op::<mail_in::__path_log, _, _>(mail_in::log),
        op::<desk::__path_canned_list, _, _>(desk::canned_list),
        op::<desk::__path_canned_create, _, _>(desk::canned_create),
        op::<desk::__path_canned_update, _, _>(desk::canned_update),
        op::<desk::__path_canned_delete, _, _>(desk::canned_delete),
        op::<staff_tickets::__path_queue, _, _>(staff_tickets::queue),
        op::<staff_tickets::__path_open, _, _>(staff_tickets::open),
        op::<staff_tickets::__path_get, _, _>(staff_tickets::get),
        op::<staff_tickets::__path_reply, _, _>(staff_tickets::reply),
        op::<staff_tickets::__path_note, _, _>(staff_tickets::note),
        op::<staff_tickets::__path_update, _, _>(staff_tickets::update),
        op::<staff_tickets::__path_merge, _, _>(staff_tickets::merge),
        op::<staff_tickets::__path_watch, _, _>(staff_tickets::watch),
        op::<staff_tickets::__path_unwatch, _, _>(staff_tickets::unwatch),
        op::<staff_tickets::__path_attachment, _, _>(staff_tickets::attachment),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        client_tickets::list, client_tickets::create, client_tickets::get, client_tickets::reply,
        client_tickets::close, client_tickets::reopen, client_tickets::attachment,
        desk::visible, desk::all, desk::create, desk::update,
        mail_in::get, mail_in::set, mail_in::remove, mail_in::log,
        desk::canned_list, desk::canned_create, desk::canned_update, desk::canned_delete,
        staff_tickets::queue, staff_tickets::open, staff_tickets::get, staff_tickets::reply, staff_tickets::note,
        staff_tickets::update, staff_tickets::merge, staff_tickets::watch, staff_tickets::unwatch,
        staff_tickets::attachment,
    ),
    components(schemas(
        views::TicketView, views::TicketDetail, views::TicketList, views::TicketResponse,
        views::MessageView, views::MessageAuthor, views::AttachmentView, views::DepartmentRef,
        views::DepartmentView, views::DepartmentList, views::DepartmentResponse,
        desk::DepartmentBody, desk::CannedView, desk::CannedList, desk::CannedResponse, desk::CannedBody,
        staff_tickets::QueueView, staff_tickets::QueueTicket, staff_tickets::QueueCountsView,
        staff_tickets::StatusCount, staff_tickets::DepartmentCount, staff_tickets::TicketChangeBody,
        staff_tickets::MergeBody,
        mail_in::MailboxBody, mail_in::MailboxResponse, mail_in::MailboxRequest,
        mail_in::InboundView, mail_in::InboundList,
    )),
    tags(
        (name = "Support", description = "A client's support tickets, in reference 000's shapes"),
        (name = "Staff support", description = "The ticket queue, notes, routing, departments and canned replies"),
    )
)]
pub struct SupportDoc;
