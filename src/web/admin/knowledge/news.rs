//! The news editor: every announcement (scheduled ones marked), and a
//! form to write or change one, with a preview of its body. A publish
//! time in the future schedules it.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::page_id;
use crate::{
    domain::{markdown::SafeHtml, scopes::Scope},
    service::knowledge::{
        self,
        news::{self, NewsInput, ShownNews},
    },
    store::PageRequest,
    web::{
        admin::{CsrfForm, Staff},
        errors::PageError,
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "admin/kb_news.html")]
struct ListPage {
    layout: Layout,
    notice: Option<&'static str>,
    items: Vec<ShownNews>,
    can_write: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn list(mut web: Web, query: aw::Query<DoneQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let (member, now) = (staff.member.clone(), web.state.now());
    let page = PageRequest {
        page: 1,
        per_page: 100,
    };
    let found = web
        .state
        .db
        .run(move |db| news::list_all(db, &member, page, now))
        .await?;
    let notice = match query.done.as_deref() {
        Some("saved") => Some("The announcement was saved."),
        Some("deleted") => Some("The announcement was deleted."),
        _ => None,
    };
    let view = ListPage {
        layout: staff.layout(&web, "News"),
        notice,
        items: found.rows,
        can_write: staff.may(Scope::SupportWrite),
    };
    Ok(web.html(StatusCode::OK, page_html(&view)?))
}

/// The announcement form as typed.
#[derive(Debug, Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewsFields {
    csrf: String,
    intent: String,
    pub title: String,
    pub body: String,
    /// `datetime-local` (UTC) or RFC 3339; blank: now (a new one) or as it
    /// was (an edit).
    pub published_at: String,
}

#[derive(Template)]
#[template(path = "admin/kb_news_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    id: Option<i64>,
    f: NewsFields,
    scheduled: bool,
    preview: Option<SafeHtml>,
    can_write: bool,
}

#[allow(clippy::too_many_arguments)]
fn render_form(
    web: &mut Web,
    staff: &Staff,
    status: StatusCode,
    form: FormState,
    id: Option<i64>,
    f: NewsFields,
    scheduled: bool,
    preview: Option<SafeHtml>,
) -> Result<HttpResponse, PageError> {
    let title = match id {
        Some(_) => format!("Announcement {}", f.title),
        None => "Write an announcement".to_string(),
    };
    let page = FormPage {
        layout: staff.layout(web, &title),
        csrf: staff.csrf.clone(),
        form,
        id,
        f,
        scheduled,
        preview,
        can_write: staff.may(Scope::SupportWrite),
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn new_form(mut web: Web) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    staff.require(Scope::SupportWrite)?;
    let blank = NewsFields::default();
    render_form(
        &mut web,
        &staff,
        StatusCode::OK,
        FormState::default(),
        None,
        blank,
        false,
        None,
    )
}

pub async fn edit_form(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let id = page_id(&path)?;
    let (member, now) = (staff.member.clone(), web.state.now());
    let n = web
        .state
        .db
        .run(move |db| news::get(db, &member, id, now))
        .await?;
    let f = NewsFields {
        title: n.item.title.clone(),
        body: n.item.body.clone(),
        published_at: n.item.published_at.clone(),
        ..Default::default()
    };
    let ok = StatusCode::OK;
    render_form(
        &mut web,
        &staff,
        ok,
        FormState::default(),
        Some(id),
        f,
        n.scheduled,
        None,
    )
}

async fn save(web: &mut Web, id: Option<i64>, f: NewsFields) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &f.csrf)?;
    let staff = Staff::of(web)?;
    staff.require(Scope::SupportWrite)?;
    if f.intent == "preview" {
        let preview = Some(knowledge::preview(&f.body));
        let ok = StatusCode::OK;
        return render_form(web, &staff, ok, FormState::default(), id, f, false, preview);
    }
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let input = NewsInput {
        title: f.title.clone(),
        body: f.body.clone(),
        published_at: Some(f.published_at.clone()),
    };
    let done = web
        .state
        .db
        .run(move |db| match id {
            Some(id) => news::update(db, &member, id, input, &meta, now),
            None => news::create(db, &member, input, &meta, now),
        })
        .await;
    match done {
        Ok(_) => Ok(web.redirect("/admin/news?done=saved")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            render_form(web, &staff, status, problems, id, f, false, None)
        }
    }
}

pub async fn create(mut web: Web, form: aw::Form<NewsFields>) -> Result<HttpResponse, PageError> {
    save(&mut web, None, form.into_inner()).await
}

pub async fn update(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<NewsFields>,
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
        .run(move |db| news::delete(db, &member, id, &meta, now))
        .await?;
    Ok(web.redirect("/admin/news?done=deleted"))
}
