//! Adding, changing and deleting a knowledgebase article, with a preview
//! of its body.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::{number, page_id};
use crate::{
    domain::{markdown::SafeHtml, scopes::Scope},
    error::AppError,
    service::knowledge::{
        self,
        articles::{self, ArticleInput},
        categories,
    },
    store::knowledge::{articles::Article, categories::Category},
    web::{
        admin::{CsrfForm, Staff},
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// The article form as typed.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct ArticleFields {
    csrf: String,
    intent: String,
    pub category_id: String,
    pub title: String,
    pub body: String,
    pub sort_order: String,
    pub visibility: String,
}

impl ArticleFields {
    fn of(a: &Article) -> Self {
        ArticleFields {
            category_id: a.category_id.to_string(),
            title: a.title.clone(),
            body: a.body.clone(),
            sort_order: a.sort_order.to_string(),
            visibility: a.visibility.to_string(),
            ..Default::default()
        }
    }

    fn input(&self) -> Result<ArticleInput, AppError> {
        let category_id = self
            .category_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("category_id", "choose a category"))?;
        Ok(ArticleInput {
            category_id,
            title: self.title.clone(),
            body: self.body.clone(),
            sort_order: number("sort_order", &self.sort_order)?,
            visibility: self.visibility.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "admin/kb_article_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    id: Option<i64>,
    f: ArticleFields,
    categories: Vec<Category>,
    preview: Option<SafeHtml>,
    can_write: bool,
}

async fn render_form(
    web: &mut Web,
    staff: &Staff,
    status: StatusCode,
    form: FormState,
    id: Option<i64>,
    f: ArticleFields,
    preview: Option<SafeHtml>,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let categories = web
        .state
        .db
        .run(move |db| categories::list_all(db, &member))
        .await?;
    let title = match id {
        Some(_) => format!("Article {}", f.title),
        None => "Write an article".to_string(),
    };
    let page = FormPage {
        layout: staff.layout(web, &title),
        csrf: staff.csrf.clone(),
        form,
        id,
        f,
        categories,
        preview,
        can_write: staff.may(Scope::SupportWrite),
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    category: String,
}

pub async fn new_form(mut web: Web, query: aw::Query<NewQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    staff.require(Scope::SupportWrite)?;
    let blank = ArticleFields {
        category_id: query.into_inner().category,
        visibility: "public".into(),
        ..Default::default()
    };
    render_form(
        &mut web,
        &staff,
        StatusCode::OK,
        FormState::default(),
        None,
        blank,
        None,
    )
    .await
}

pub async fn edit_form(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let id = page_id(&path)?;
    let member = staff.member.clone();
    let a = web
        .state
        .db
        .run(move |db| articles::get(db, &member, id))
        .await?;
    let f = ArticleFields::of(&a.article);
    render_form(
        &mut web,
        &staff,
        StatusCode::OK,
        FormState::default(),
        Some(id),
        f,
        None,
    )
    .await
}

async fn save(web: &mut Web, id: Option<i64>, f: ArticleFields) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &f.csrf)?;
    let staff = Staff::of(web)?;
    staff.require(Scope::SupportWrite)?;
    if f.intent == "preview" {
        let preview = Some(knowledge::preview(&f.body));
        return render_form(
            web,
            &staff,
            StatusCode::OK,
            FormState::default(),
            id,
            f,
            preview,
        )
        .await;
    }
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let done = match f.input() {
        Ok(input) => {
            web.state
                .db
                .run(move |db| match id {
                    Some(id) => articles::update(db, &member, id, input, &meta, now),
                    None => articles::create(db, &member, input, &meta, now),
                })
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(web.redirect("/admin/knowledgebase?done=article-saved")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            render_form(web, &staff, status, problems, id, f, None).await
        }
    }
}

pub async fn create(
    mut web: Web,
    form: aw::Form<ArticleFields>,
) -> Result<HttpResponse, PageError> {
    save(&mut web, None, form.into_inner()).await
}

pub async fn update(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<ArticleFields>,
) -> Result<HttpResponse, PageError> {
    let id = page_id(&path)?;
    save(&mut web, Some(id), form.into_inner()).await
}

pub async fn delete(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = page_id(&path)?;
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    web.state
        .db
        .run(move |db| articles::delete(db, &member, id, &meta, now))
        .await?;
    Ok(web.redirect("/admin/knowledgebase?done=article-deleted"))
}
