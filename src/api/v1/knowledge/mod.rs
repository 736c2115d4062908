//! The knowledgebase and news under `/api/v1` (reference 001's resource
//! names: `/news`, `/news/{id}`, `/knowledgebase`, `/knowledgebase/{category}`,
//! `/knowledgebase/article/{id}`; plus search, related articles and votes),
//! and staff CRUD at `/kb-categories`, `/kb-articles` and
//! `/announcements`. `routes()` is this part of the route table and
//! `KnowledgeDoc` its part of the OpenAPI document.

mod news;
mod reading;
mod staff_articles;
mod staff_categories;
mod staff_news;
pub mod staff_views;
pub mod views;

use utoipa::OpenApi;

use crate::api::routes::{ApiRoute, op};

pub fn routes() -> Vec<ApiRoute> {
    use staff_articles as sa;
    use staff_categories as sc;
    use staff_news as sn;
    vec![
        op::<reading::__path_list_categories, _, _>(reading::list_categories),
        op::<reading::__path_category, _, _>(reading::category),
        op::<reading::__path_article, _, _>(reading::article),
        op::<reading::__path_search, _, _>(reading::search),
        op::<reading::__path_related, _, _>(reading::related),
        op::<reading::__path_vote, _, _>(reading::vote),
        op::<news::__path_list, _, _>(news::list),
        op::<news::__path_get, _, _>(news::get),
        op::<sc::__path_list, _, _>(sc::list),
        op::<sc::__path_create, _, _>(sc::create),
        op::<sc::__path_get, _, _>(sc::get),
        op::<sc::__path_update, _, _>(sc::update),
        op::<sc::__path_delete, _, _>(sc::delete),
        op::<sa::__path_list, _, _>(sa::list),
        op::<sa::__path_create, _, _>(sa::create),
        op::<sa::__path_get, _, _>(sa::get),
        op::<sa::__path_update, _, _>(sa::update),
        op::<sa::__path_delete, _, _>(sa::delete),
        op::<sn::__path_list, _, _>(sn::list),
        op::<sn::__path_create, _, _>(sn::create),
        op::<sn::__path_get, _, _>(sn::get),
        op::<sn::__path_update, _, _>(sn::update),
        op::<sn::__path_delete, _, _>(sn::delete),
    ]
}

#[derive(OpenApi)]
#[openapi(
    paths(
        reading::list_categories, reading::category, reading::article, reading::search,
        reading::related, reading::vote, news::list, news::get,
        staff_categories::list, staff_categories::create, staff_categories::get,
        staff_categories::update, staff_categories::delete,
        staff_articles::list, staff_articles::create, staff_articles::get,
        staff_articles::update, staff_articles::delete,
        staff_news::list, staff_news::create, staff_news::get, staff_news::update,
        staff_news::delete,
    ),
    components(schemas(
        views::KbCategoryView, views::KbSubcategoryView, views::KbCategoryRef,
        views::KbArticleSummaryView, views::HelpfulView, views::KbArticleView, views::NewsView,
        views::KbCategoryList, views::KbCategoryPageView, views::KbCategoryPageResponse,
        views::KbArticleResponse, views::KbArticleSummaryList, views::KbVoteView,
        views::KbVoteResponse, views::NewsList, views::NewsResponse, reading::VoteBody,
        staff_views::KbCategoryRequest, staff_views::StaffKbCategory,
        staff_views::StaffKbCategoryList, staff_views::StaffKbCategoryResponse,
        staff_views::KbArticleRequest, staff_views::StaffKbArticle,
        staff_views::StaffKbArticleResponse, staff_views::StaffKbArticleList,
        staff_views::AnnouncementRequest, staff_views::StaffAnnouncement,
        staff_views::StaffAnnouncementResponse, staff_views::StaffAnnouncementList,
    )),
    tags(
        (name = "Knowledgebase", description = "Categories, articles, search, related articles and helpful votes; logged-in-only articles need a token"),
        (name = "News", description = "Published announcements (also an Atom feed at /news/feed.atom)"),
        (name = "Staff knowledgebase", description = "Staff writing the knowledgebase and news (support:read, support:write)"),
    )
)]
pub struct KnowledgeDoc;
