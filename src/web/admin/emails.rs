//! The email log: what was sent, what waits in the outbox, what failed
//! and why (what `GET /api/v1/admin/emails` serves).

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::Staff;
use crate::{
    service::services::admin_views,
    store::outbox::OutboxEmail,
    web::errors::PageError,
    web::{layout::Layout, page_html, session::Web},
};

/// How many messages the page shows.
const SHOWN: i64 = 200;

/// The status filters: (value, label); an outbox `pending` is queued.
const FILTERS: [(&str, &str); 3] = [
    ("pending", "queued"),
    ("sent", "sent"),
    ("failed", "failed"),
];

#[derive(Template)]
#[template(path = "admin/emails.html")]
struct EmailsPage {
    layout: Layout,
    status: String,
    filters: [(&'static str, &'static str); 3],
    emails: Vec<OutboxEmail>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct EmailQuery {
    status: Option<String>,
}

pub async fn list(mut web: Web, q: aw::Query<EmailQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let status = q.into_inner().status.filter(|s| !s.is_empty());
    let (member, filter) = (staff.member.clone(), status.clone());
    let emails = web
        .state
        .db
        .run(move |db| admin_views::emails(db, &member, filter.as_deref(), Some(SHOWN)))
        .await?;
    let page = EmailsPage {
        layout: staff.layout(&web, "Email log"),
        status: status.unwrap_or_default(),
        filters: FILTERS,
        emails,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
