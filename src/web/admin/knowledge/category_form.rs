//! Adding, changing and deleting a knowledgebase category, with a preview
//! of its description.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::{number, optional_id, page_id};
use crate::{
    domain::{markdown::SafeHtml, scopes::Scope},
    error::AppError,
    service::knowledge::{
        self,
        categories::{self, CategoryInput},
    },
    store::knowledge::categories::Category,
    web::{
        admin::{CsrfForm, Staff},
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

/// The category form as typed.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct CategoryFields {
    csrf: String,
    intent: String,
    pub parent_id: String,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub sort_order: String,
    pub visibility: String,
}

impl CategoryFields {
    fn of(c: &Category) -> Self {
        CategoryFields {
            parent_id: c.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            name: c.name.clone(),
            slug: c.slug.clone(),
            description: c.description.clone(),
            sort_order: c.sort_order.to_string(),
            visibility: c.visibility.to_string(),
            ..Default::default()
        }
    }

    fn input(&self) -> Result<CategoryInput, AppError> {
        Ok(CategoryInput {
            parent_id: optional_id("parent_id", &self.parent_id)?,
            name: self.name.clone(),
            slug: self.slug.clone(),
            description: self.description.clone(),
            sort_order: number("sort_order", &self.sort_order)?,
            visibility: self.visibility.clone(),
        })
    }
}

#[derive(Template)]
#[template(path = "admin/kb_category_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    id: Option<i64>,
    f: CategoryFields,
    /// The top-level categories a parent may be chosen from.
    parents: Vec<Category>,
    preview: Option<SafeHtml>,
    can_write: bool,
}

async fn render_form(
    web: &mut Web,
    staff: &Staff,
    status: StatusCode,
    form: FormState,
    id: Option<i64>,
    f: CategoryFields,
    preview: Option<SafeHtml>,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let all = web
        .state
        .db
        .run(move |db| categories::list_all(db, &member))
        .await?;
    let parents = all
        .into_iter()
        .filter(|c| c.parent_id.is_none() && Some(c.id) != id)
        .collect();
    let title = match id {
        Some(_) => format!("Category {}", f.name),
        None => "Add a category".to_string(),
    };
    let page = FormPage {
        layout: staff.layout(web, &title),
        csrf: staff.csrf.clone(),
        form,
        id,
        f,
        parents,
        preview,
        can_write: staff.may(Scope::SupportWrite),
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn new_form(mut web: Web) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    staff.require(Scope::SupportWrite)?;
    let blank = CategoryFields {
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
    let c = web
        .state
        .db
        .run(move |db| categories::get(db, &member, id))
        .await?;
    let f = CategoryFields::of(&c);
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

/// Save (or preview) the form for a new category (`id: None`) or one.
async fn save(
    web: &mut Web,
    id: Option<i64>,
    f: CategoryFields,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &f.csrf)?;
    let staff = Staff::of(web)?;
    staff.require(Scope::SupportWrite)?;
    if f.intent == "preview" {
        let preview = Some(knowledge::preview(&f.description));
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
                    Some(id) => categories::update(db, &member, id, input, &meta, now),
                    None => categories::create(db, &member, input, &meta, now),
                })
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(web.redirect("/admin/knowledgebase?done=category-saved")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            render_form(web, &staff, status, problems, id, f, None).await
        }
    }
}

pub async fn create(
    mut web: Web,
    form: aw::Form<CategoryFields>,
) -> Result<HttpResponse, PageError> {
    save(&mut web, None, form.into_inner()).await
}

pub async fn update(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CategoryFields>,
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
    let done = web
        .state
        .db
        .run(move |db| categories::delete(db, &member, id, &meta, now))
        .await;
    match done {
        Ok(()) => Ok(web.redirect("/admin/knowledgebase?done=category-deleted")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            let member = staff.member.clone();
            let c = web
                .state
                .db
                .run(move |db| categories::get(db, &member, id))
                .await?;
            let f = CategoryFields::of(&c);
            render_form(&mut web, &staff, status, problems, Some(id), f, None).await
        }
    }
}
