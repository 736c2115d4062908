//! `/account/tickets`: the account's tickets, newest activity first.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::{
        status::TicketStatus,
        support::{priority_label, status_label},
    },
    service::support::tickets,
    store::support::tickets::Ticket,
    web::{client::account, errors::PageError, layout::Layout, page_html, session::Web},
};

/// A ticket as a row of the list.
pub(super) struct Row {
    pub id: i64,
    pub number: String,
    pub subject: String,
    pub department: String,
    pub status: &'static str,
    pub priority: &'static str,
    pub last_reply_at: String,
}

pub(super) fn row(t: &Ticket) -> Row {
    Row {
        id: t.id,
        number: t.number.clone(),
        subject: t.subject.clone(),
        department: t.department_name.clone(),
        status: status_label(t.status),
        priority: priority_label(t.priority),
        last_reply_at: t
            .last_reply_at
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_string(),
    }
}

#[derive(Template)]
#[template(path = "client/tickets.html")]
struct ListPage {
    layout: Layout,
    tickets: Vec<Row>,
    status: String,
    q: String,
    statuses: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    status: String,
    q: String,
}

pub async fn list(mut web: Web, query: aw::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let (principal, ident) = (account.principal.clone(), account.ident());
    let ListQuery { status, q } = query.into_inner();
    let (s, words) = (status.clone(), q.clone());
    let tickets = web
        .state
        .db
        .run(move |db| tickets::list(db, &principal, &ident, Some(&s), Some(&words)))
        .await?;
    let page = ListPage {
        layout: account.layout(&web, "Support tickets"),
        tickets: tickets.iter().map(row).collect(),
        status,
        q,
        statuses: TicketStatus::ALL
            .iter()
            .map(|s| (s.as_str(), status_label(*s)))
            .collect(),
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
