//! `/admin/knowledgebase`: every category (children under their parent)
//! and the articles, last changed first.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use crate::{
    domain::scopes::Scope,
    service::knowledge::{articles, categories},
    store::{
        PageRequest,
        knowledge::{articles::Article, categories::Category},
    },
    web::{admin::Staff, errors::PageError, layout::Layout, page_html, session::Web},
};

#[derive(Template)]
#[template(path = "admin/kb_overview.html")]
struct OverviewPage {
    layout: Layout,
    notice: Option<&'static str>,
    /// Top-level categories, each followed by its children.
    categories: Vec<Category>,
    articles: Vec<Article>,
    total_articles: i64,
    can_write: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

/// Parents first, each followed by its children.
fn in_tree_order(all: Vec<Category>) -> Vec<Category> {
    let mut out = Vec::new();
    for top in all.iter().filter(|c| c.parent_id.is_none()) {
        out.push(top.clone());
        out.extend(all.iter().filter(|c| c.parent_id == Some(top.id)).cloned());
    }
    out
}

pub async fn page(mut web: Web, query: aw::Query<DoneQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    staff.require(Scope::SupportRead)?;
    let member = staff.member.clone();
    let (all, found) = web
        .state
        .db
        .run(move |db| {
            let page = PageRequest {
                page: 1,
                per_page: 100,
            };
            Ok((
                categories::list_all(db, &member)?,
                articles::list_all(db, &member, None, page)?,
            ))
        })
        .await?;
    let notice = match query.done.as_deref() {
        Some("category-saved") => Some("The category was saved."),
        Some("category-deleted") => Some("The category was deleted."),
        Some("article-saved") => Some("The article was saved."),
        Some("article-deleted") => Some("The article was deleted."),
        _ => None,
    };
    let view = OverviewPage {
        layout: staff.layout(&web, "Knowledgebase"),
        notice,
        categories: in_tree_order(all),
        total_articles: found.total,
        articles: found.rows,
        can_write: staff.may(Scope::SupportWrite),
    };
    Ok(web.html(StatusCode::OK, page_html(&view)?))
}
