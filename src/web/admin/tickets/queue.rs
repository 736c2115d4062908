//! `/admin/tickets`: the queue, open tickets by default, newest activity
//! first, with the counts of each status and department.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::{
        status::TicketStatus,
        support::{priority_label, status_label},
    },
    service::support::{
        departments,
        staff_tickets::{self, QueueQuery},
    },
    store::support::{departments::Department, tickets::Ticket},
    web::{admin::Staff, errors::PageError, layout::Layout, page_html, session::Web},
};

pub(super) struct Row {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub department: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub urgent: bool,
    pub assignee: String,
    pub last_reply_at: String,
}

#[derive(Template)]
#[template(path = "admin/tickets.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<Row>,
    departments: Vec<(Department, i64)>,
    statuses: Vec<(&'static str, &'static str, i64)>,
    staff: Vec<(i64, String)>,
    query: QueueForm,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct QueueForm {
    pub status: String,
    pub department_id: String,
    pub assignee: String,
    pub priority: String,
    pub q: String,
}

fn row(t: &Ticket, staff: &[(i64, String)]) -> Row {
    Row {
        id: t.id,
        number: t.number.clone(),
        subject: t.subject.clone(),
        department: t.department_name.clone(),
        status: status_label(t.status),
        priority: priority_label(t.priority),
        urgent: matches!(t.priority, crate::domain::status::TicketPriority::Urgent),
        assignee: t
            .assigned_staff_id
            .and_then(|id| staff.iter().find(|(s, _)| *s == id))
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        last_reply_at: t
            .last_reply_at
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_string(),
    }
}

pub async fn queue(mut web: Web, form: aw::Query<QueueForm>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let form = form.into_inner();
    let query = QueueQuery {
        status: Some(form.status.clone()),
        department_id: form.department_id.parse().ok(),
        assignee: Some(form.assignee.clone()),
        priority: Some(form.priority.clone()),
        client_id: None,
        q: Some(form.q.clone()),
        include_closed: false,
    };
    let member = staff.member.clone();
    let ((tickets, counts), all, people) = web
        .state
        .db
        .run(move |db| {
            let found = staff_tickets::queue(db, &member, &query)?;
            let all = departments::all(db, &member)?;
            let people = staff_tickets::assignable(db, &member)?;
            Ok((found, all, people))
        })
        .await?;
    let count_of = |d: i64| {
        counts
            .by_department
            .iter()
            .find(|(id, _)| *id == d)
            .map_or(0, |(_, n)| *n)
    };
    let page = QueuePage {
        layout: staff.layout(&web, "Tickets"),
        rows: tickets.iter().map(|t| row(t, &people)).collect(),
        departments: all
            .into_iter()
            .map(|(d, _)| {
                let n = count_of(d.id);
                (d, n)
            })
            .collect(),
        statuses: TicketStatus::ALL
            .iter()
            .map(|s| {
                let n = counts
                    .by_status
                    .iter()
                    .find(|(x, _)| x == s)
                    .map_or(0, |(_, n)| *n);
                (s.as_str(), status_label(*s), n)
            })
            .collect(),
        staff: people,
        query: form,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
