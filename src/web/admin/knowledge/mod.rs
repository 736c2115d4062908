//! The admin area's knowledgebase and news editors: the overview of
//! categories and articles, a form for each (with a preview of the
//! rendered Markdown: the form posted with `intent=preview` shows it and
//! saves nothing), and the news. The same service functions as the staff
//! API (`service::knowledge`), so the same scopes and rules.

mod article_form;
mod category_form;
mod news;
mod overview;

use actix_web::web as aw;

use crate::{error::AppError, web::errors::PageError};

pub fn routes(cfg: &mut aw::ServiceConfig) {
    use article_form as af;
    use category_form as cf;
    cfg.route("/admin/knowledgebase", aw::get().to(overview::page))
        .route(
            "/admin/knowledgebase/categories/new",
            aw::get().to(cf::new_form),
        )
        .route(
            "/admin/knowledgebase/categories/new",
            aw::post().to(cf::create),
        )
        .route(
            "/admin/knowledgebase/categories/{id}",
            aw::get().to(cf::edit_form),
        )
        .route(
            "/admin/knowledgebase/categories/{id}",
            aw::post().to(cf::update),
        )
        .route(
            "/admin/knowledgebase/categories/{id}/delete",
            aw::post().to(cf::delete),
        )
        .route(
            "/admin/knowledgebase/articles/new",
            aw::get().to(af::new_form),
        )
        .route(
            "/admin/knowledgebase/articles/new",
            aw::post().to(af::create),
        )
        .route(
            "/admin/knowledgebase/articles/{id}",
            aw::get().to(af::edit_form),
        )
        .route(
            "/admin/knowledgebase/articles/{id}",
            aw::post().to(af::update),
        )
        .route(
            "/admin/knowledgebase/articles/{id}/delete",
            aw::post().to(af::delete),
        )
        .route("/admin/news", aw::get().to(news::list))
        .route("/admin/news/new", aw::get().to(news::new_form))
        .route("/admin/news/new", aw::post().to(news::create))
        .route("/admin/news/{id}", aw::get().to(news::edit_form))
        .route("/admin/news/{id}", aw::post().to(news::update))
        .route("/admin/news/{id}/delete", aw::post().to(news::delete));
}

/// A whole number typed in a form, or the field's problem.
fn number(field: &str, text: &str) -> Result<i64, AppError> {
    match text.trim() {
        "" => Ok(0),
        t => t
            .parse()
            .map_err(|_| AppError::invalid(field, "must be a whole number")),
    }
}

/// An optional id chosen in a form (`""`: none).
fn optional_id(field: &str, text: &str) -> Result<Option<i64>, AppError> {
    match text.trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(field, "choose one of the list")),
    }
}

fn page_id(raw: &str) -> Result<i64, PageError> {
    raw.parse().map_err(|_| PageError::App(AppError::NotFound))
}
