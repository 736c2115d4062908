//! `/account/tickets/related?subject=`: while a customer types a new
//! ticket's subject, the knowledgebase articles that may already answer
//! it (an HTML fragment the form's htmx swaps in; without JavaScript the
//! form shows the same list when it comes back).

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    db::Db,
    error::Result,
    service::knowledge::{articles::ArticleSummary, search},
    web::{client::account, errors::PageError, page_html, session::Web},
};

/// Most articles offered.
const OFFERED: i64 = 5;

#[derive(Template)]
#[template(path = "client/ticket_related.html")]
pub(super) struct Related {
    pub articles: Vec<ArticleSummary>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct RelatedQuery {
    subject: String,
}

/// The articles for `subject` (a logged-in customer sees logged-in ones);
/// too short or too long a subject offers none.
pub(super) fn for_subject(db: &Db, subject: &str) -> Result<Vec<ArticleSummary>> {
    let words = subject.trim();
    if words.chars().count() < 3 || words.chars().count() > 200 {
        return Ok(Vec::new());
    }
    search::related(db, words, true, OFFERED)
}

pub async fn related(mut web: Web, q: aw::Query<RelatedQuery>) -> Result<HttpResponse, PageError> {
    account::load(&web).await?;
    let subject = q.into_inner().subject;
    let articles = web
        .state
        .db
        .run(move |db| for_subject(db, &subject))
        .await?;
    Ok(web.html(StatusCode::OK, page_html(&Related { articles })?))
}
