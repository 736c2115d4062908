//! `/admin/tickets/{id}`: the whole thread, internal notes marked, with
//! the reply and note forms (a canned reply fills the reply), routing,
//! merging and watching.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    api::v1::support::{attachment_response, views::formatted_size},
    domain::{
        scopes::Scope,
        status::{TicketPriority, TicketStatus},
        support::{priority_label, status_label},
    },
    service::support::{canned, departments, staff_tickets},
    store::support::{canned::CannedReply, departments::Department},
    web::{
        admin::{Staff, id_of},
        errors::PageError,
        form::FormState,
        layout::Layout,
        page_html,
        session::Web,
    },
};

pub(super) struct Entry {
    pub id: i64,
    pub internal: bool,
    pub from_staff: bool,
    pub author: String,
    pub body: String,
    pub at: String,
    pub files: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "admin/ticket.html")]
struct TicketPage {
    layout: Layout,
    csrf: String,
    id: i64,
    number: String,
    subject: String,
    client_id: Option<i64>,
    guest: String,
    status: &'static str,
    status_word: &'static str,
    priority_word: &'static str,
    priority: &'static str,
    department_id: i64,
    assigned: i64,
    merged_into: Option<i64>,
    watching: bool,
    can_write: bool,
    entries: Vec<Entry>,
    departments: Vec<Department>,
    staff: Vec<(i64, String)>,
    canned: Vec<CannedReply>,
    statuses: Vec<(&'static str, &'static str)>,
    priorities: Vec<(&'static str, &'static str)>,
    reply_text: String,
    note_text: String,
    form: FormState,
    notice: Option<&'static str>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    done: String,
    /// A canned reply to start the reply with.
    canned: Option<i64>,
}

/// What a rejected form typed, to show again.
#[derive(Default)]
pub(super) struct Typed {
    pub reply: String,
    pub note: String,
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    q: aw::Query<ShowQuery>,
) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let q = q.into_inner();
    let notice = match q.done.as_str() {
        "replied" => Some("The reply was sent to the customer."),
        "noted" => Some("The note was added. Only staff see it."),
        "routed" => Some("The ticket was updated."),
        "merged" => Some("The ticket was merged into this one."),
        "watching" => Some("You will hear of this ticket's replies."),
        "unwatched" => Some("You no longer watch this ticket."),
        _ => None,
    };
    render(
        &mut web,
        &staff,
        id,
        StatusCode::OK,
        Typed::default(),
        FormState::default(),
        notice,
        q.canned,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn render(
    web: &mut Web,
    staff: &Staff,
    id: i64,
    http: StatusCode,
    typed: Typed,
    form: FormState,
    notice: Option<&'static str>,
    canned_id: Option<i64>,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let ((thread, watchers), all, people, replies) = web
        .state
        .db
        .run(move |db| {
            let found = staff_tickets::get(db, &member, id)?;
            let all = departments::all(db, &member)?;
            let people = staff_tickets::assignable(db, &member)?;
            let replies = canned::list(db, &member)?;
            Ok((found, all, people, replies))
        })
        .await?;
    let t = &thread.ticket;
    let reply_text = match canned_id.and_then(|c| replies.iter().find(|r| r.id == c)) {
        Some(r) if typed.reply.is_empty() => r.body.clone(),
        _ => typed.reply,
    };
    let entries = thread
        .messages
        .iter()
        .map(|m| Entry {
            id: m.message.id,
            internal: m.message.internal,
            from_staff: m.message.author_type == "staff",
            author: m.message.author_name.clone(),
            body: m.message.body.clone(),
            at: m
                .message
                .created_at
                .replace('T', " ")
                .trim_end_matches('Z')
                .to_string(),
            files: m
                .attachments
                .iter()
                .map(|a| (a.id, a.name.clone(), formatted_size(a.size)))
                .collect(),
        })
        .collect();
    let page = TicketPage {
        layout: staff.layout(web, &format!("{} {}", t.number, t.subject)),
        csrf: staff.csrf.clone(),
        id: t.id,
        number: t.number.clone(),
        subject: t.subject.clone(),
        client_id: t.client_id,
        guest: t.guest_email.clone().unwrap_or_default(),
        status: t.status.as_str(),
        status_word: status_label(t.status),
        priority_word: priority_label(t.priority),
        priority: t.priority.as_str(),
        department_id: t.department_id,
        assigned: t.assigned_staff_id.unwrap_or(0),
        merged_into: t.merged_into_id,
        watching: watchers.contains(&staff.member.staff_id),
        can_write: staff.may(Scope::SupportWrite),
        entries,
        departments: all.into_iter().map(|(d, _)| d).collect(),
        staff: people,
        canned: replies,
        statuses: TicketStatus::ALL
            .iter()
            .map(|s| (s.as_str(), status_label(*s)))
            .collect(),
        priorities: TicketPriority::ALL
            .iter()
            .map(|p| (p.as_str(), priority_label(*p)))
            .collect(),
        reply_text,
        note_text: typed.note,
        form,
        notice,
    };
    Ok(web.html(http, page_html(&page)?))
}

pub async fn attachment(
    web: Web,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let (raw, file) = path.into_inner();
    let (id, file) = (id_of(&raw)?, id_of(&file)?);
    let member = staff.member.clone();
    let download = web
        .state
        .db
        .run(move |db| staff_tickets::attachment(db, &member, id, file))
        .await?;
    Ok(attachment_response(download))
}
