//! The news pages: published announcements, newest first, and one of
//! them (a scheduled one is a 404 until its time).

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::Visit;
use crate::{
    error::AppError,
    service::knowledge::news::{self, ShownNews},
    store::PageRequest,
    web::{errors::PageError, layout::Layout, page_html, session::Web},
};

const PER_PAGE: i64 = 10;

#[derive(Template)]
#[template(path = "client/news.html")]
struct ListPage {
    layout: Layout,
    items: Vec<ShownNews>,
    page: i64,
    more: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    page: Option<i64>,
}

pub async fn list(mut web: Web, query: aw::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let visit = Visit::of(&web).await?;
    let page = query.page.unwrap_or(1).max(1);
    let now = web.state.now();
    let request = PageRequest {
        page,
        per_page: PER_PAGE,
    };
    let found = web
        .state
        .db
        .run(move |db| news::published(db, now, request))
        .await?;
    let view = ListPage {
        layout: visit.layout(&web, "News"),
        more: page * PER_PAGE < found.total,
        items: found.rows,
        page,
    };
    Ok(web.html(StatusCode::OK, page_html(&view)?))
}

#[derive(Template)]
#[template(path = "client/news_item.html")]
struct ItemPage {
    layout: Layout,
    item: ShownNews,
}

pub async fn item(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let visit = Visit::of(&web).await?;
    let id: i64 = path
        .trim()
        .parse()
        .map_err(|_| PageError::App(AppError::NotFound))?;
    let now = web.state.now();
    let item = web.state.db.run(move |db| news::show(db, id, now)).await?;
    let view = ItemPage {
        layout: visit.layout(&web, &item.item.title),
        item,
    };
    Ok(web.html(StatusCode::OK, page_html(&view)?))
}
