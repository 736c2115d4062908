//! Knowledgebase pages: the categories, one category, an article with its
//! "was this helpful" form, and search.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::Visit;
use crate::{
    error::AppError,
    service::knowledge::{
        articles::{self, ArticleSummary, ShownArticle},
        categories::{self, CategoryPage, ShownCategory},
        search, votes,
    },
    web::{
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "client/kb_index.html")]
struct IndexPage {
    layout: Layout,
    categories: Vec<ShownCategory>,
}

pub async fn index(mut web: Web) -> Result<HttpResponse, PageError> {
    let visit = Visit::of(&web).await?;
    let reader = visit.reader;
    let categories = web
        .state
        .db
        .run(move |db| categories::tree(db, reader))
        .await?;
    let page = IndexPage {
        layout: visit.layout(&web, "Knowledgebase"),
        categories,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Template)]
#[template(path = "client/kb_category.html")]
struct CategoryView {
    layout: Layout,
    page: CategoryPage,
}

pub async fn category(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let visit = Visit::of(&web).await?;
    let reader = visit.reader;
    let ident = path.into_inner();
    let page = web
        .state
        .db
        .run(move |db| categories::page(db, &ident, reader))
        .await?;
    let view = CategoryView {
        layout: visit.layout(&web, &page.category.category.name),
        page,
    };
    Ok(web.html(StatusCode::OK, page_html(&view)?))
}

#[derive(Template)]
#[template(path = "client/kb_article.html")]
struct ArticlePage {
    layout: Layout,
    shown: ShownArticle,
    csrf: String,
    form: FormState,
    thanks: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ArticleQuery {
    voted: Option<String>,
}

fn article_id(raw: &str) -> Result<i64, PageError> {
    raw.trim()
        .parse()
        .map_err(|_| PageError::App(AppError::NotFound))
}

async fn article_page(
    web: &mut Web,
    id: i64,
    status: StatusCode,
    form: FormState,
    thanks: bool,
) -> Result<HttpResponse, PageError> {
    let visit = Visit::of(web).await?;
    let reader = visit.reader;
    let shown = web
        .state
        .db
        .run(move |db| articles::show(db, id, reader))
        .await?;
    let page = ArticlePage {
        layout: visit.layout(web, &shown.article.title),
        csrf: web.csrf_token(Area::Client),
        shown,
        form,
        thanks,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn article(
    mut web: Web,
    path: aw::Path<String>,
    query: aw::Query<ArticleQuery>,
) -> Result<HttpResponse, PageError> {
    let id = article_id(&path)?;
    let thanks = query.voted.is_some();
    article_page(&mut web, id, StatusCode::OK, FormState::default(), thanks).await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct VoteForm {
    csrf: String,
    helpful: String,
}

pub async fn vote(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<VoteForm>,
) -> Result<HttpResponse, PageError> {
    let input = form.into_inner();
    web.check_csrf(Area::Client, &input.csrf)?;
    let id = article_id(&path)?;
    let reader = Visit::of(&web).await?.reader;
    let (limiter, meta, now) = (web.state.limiter.clone(), web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |db| {
            let helpful = match input.helpful.as_str() {
                "yes" => true,
                "no" => false,
                _ => return Err(AppError::invalid("helpful", "choose yes or no")),
            };
            votes::vote(db, &limiter, reader, id, helpful, &meta, now)
        })
        .await;
    match done {
        Ok(_) => Ok(web.redirect(&format!("/knowledgebase/article/{id}?voted=1#helpful"))),
        Err(e) => {
            let (status, form, retry) = problem(e)?;
            web.retry_after = retry;
            article_page(&mut web, id, status, form, false).await
        }
    }
}

#[derive(Template)]
#[template(path = "client/kb_search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    searched: bool,
    results: Vec<ArticleSummary>,
    form: FormState,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

pub async fn search(
    mut web: Web,
    query: aw::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let visit = Visit::of(&web).await?;
    let logged_in = visit.reader.logged_in();
    let q = query.into_inner().q;
    let searched = !q.trim().is_empty();
    let typed = q.clone();
    let found = match searched {
        true => {
            web.state
                .db
                .run(move |db| search::search(db, &typed, logged_in))
                .await
        }
        false => Ok(Vec::new()),
    };
    let (status, results, form) = match found {
        Ok(results) => (StatusCode::OK, results, FormState::default()),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            (status, Vec::new(), form)
        }
    };
    let page = SearchPage {
        layout: visit.layout(&web, "Search the knowledgebase"),
        q,
        searched,
        results,
        form,
    };
    Ok(web.html(status, page_html(&page)?))
}
