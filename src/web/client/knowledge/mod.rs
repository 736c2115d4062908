//! The knowledgebase and news in the client area, for everyone: browse,
//! a category, an article with "was this helpful", search; the news, one
//! announcement and the Atom feed. Logged-in readers also see the
//! `logged_in` articles; what a reader may not see is a 404. The same
//! service functions as the API (`service::knowledge`).

mod articles;
mod feed;
mod news;

use actix_web::web as aw;

use crate::{
    service::knowledge::Reader,
    web::{
        client::{account::Account, store},
        errors::PageError,
        layout::Layout,
        session::Web,
    },
};

pub fn routes(cfg: &mut aw::ServiceConfig) {
    cfg.route("/knowledgebase", aw::get().to(articles::index))
        .route("/knowledgebase/search", aw::get().to(articles::search))
        .route(
            "/knowledgebase/article/{id}",
            aw::get().to(articles::article),
        )
        .route(
            "/knowledgebase/article/{id}/vote",
            aw::post().to(articles::vote),
        )
        .route(
            "/knowledgebase/{category}",
            aw::get().to(articles::category),
        )
        .route("/news", aw::get().to(news::list))
        .route("/news/feed.atom", aw::get().to(feed::atom))
        .route("/news/{id}", aw::get().to(news::item));
}

/// Who reads, and the page's layout (the account's navigation when
/// logged in).
pub(super) struct Visit {
    pub reader: Reader,
    account: Option<Account>,
}

impl Visit {
    pub async fn of(web: &Web) -> Result<Visit, PageError> {
        let account = store::maybe_account(web).await?;
        let reader = match web.user() {
            Ok((_, user)) => Reader::User(user.user_id),
            Err(_) => Reader::Anonymous,
        };
        Ok(Visit { reader, account })
    }

    pub fn layout(&self, web: &Web, title: &str) -> Layout {
        store::layout(web, self.account.as_ref(), title)
    }
}
