//! The DNS records editor of a zone: the records, a form to add one (or
//! edit one), and a delete button per record. A record the zone refuses
//! re-renders the form with the messages (422) and changes nothing.

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::{
    domain::dns::{RecordInput, RecordType, relative},
    error::AppError,
    service::dns::{self, Edit},
    web::errors::PageError,
    web::{
        client::account::{self, Account},
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

type Fields = HashMap<String, String>;

fn field(f: &Fields, name: &str) -> String {
    f.get(name).cloned().unwrap_or_default()
}

pub struct RecordRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub value: String,
    pub priority: String,
    pub ttl: i64,
}

#[derive(Template)]
#[template(path = "client/dns.html")]
struct ZonePage {
    layout: Layout,
    csrf: String,
    zone_id: i64,
    zone: String,
    records: Vec<RecordRow>,
    types: Vec<&'static str>,
    /// The record the form edits; `None` adds one.
    editing: Option<i64>,
    form: FormState,
    the_type: String,
    the_name: String,
    the_value: String,
    the_priority: String,
    the_ttl: String,
    notice: Option<&'static str>,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The page for `zone`, its form showing `fields`.
#[allow(clippy::too_many_arguments)]
async fn render(
    web: &mut Web,
    account: &Account,
    zone: String,
    status: StatusCode,
    form: FormState,
    editing: Option<i64>,
    fields: &Fields,
    notice: Option<&'static str>,
) -> Result<HttpResponse, PageError> {
    let (principal, ident) = (account.principal.clone(), account.ident());
    let d = web
        .state
        .db
        .run(move |db| dns::get(db, &principal, &ident, &zone))
        .await?;
    let records = d
        .records
        .iter()
        .map(|r| RecordRow {
            id: r.id,
            kind: r.kind.clone(),
            name: relative(&r.name, &d.zone.name),
            value: r.data.clone(),
            priority: r.priority.map(|p| p.to_string()).unwrap_or_default(),
            ttl: r.ttl,
        })
        .collect();
    let page = ZonePage {
        layout: account.layout(web, &format!("DNS for {}", d.zone.name)),
        csrf: account.csrf.clone(),
        zone_id: d.zone.id,
        zone: d.zone.name.clone(),
        records,
        types: RecordType::ALL.iter().map(|t| t.as_str()).collect(),
        editing,
        form,
        the_type: field(fields, "type"),
        the_name: field(fields, "name"),
        the_value: field(fields, "value"),
        the_priority: field(fields, "priority"),
        the_ttl: field(fields, "ttl"),
        notice,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn show(
    mut web: Web,
    path: aw::Path<String>,
    query: aw::Query<NoticeQuery>,
) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let notice = match query.done.as_deref() {
        Some("added") => Some("The record was added."),
        Some("saved") => Some("The record was saved."),
        Some("deleted") => Some("The record was deleted."),
        _ => None,
    };
    let fields = Fields::from([("type".to_string(), "A".to_string())]);
    let zone = path.into_inner();
    render(
        &mut web,
        &account,
        zone,
        StatusCode::OK,
        FormState::default(),
        None,
        &fields,
        notice,
    )
    .await
}

fn record_id(raw: &str) -> Result<i64, PageError> {
    raw.parse().map_err(|_| PageError::App(AppError::NotFound))
}

pub async fn edit_form(
    mut web: Web,
    path: aw::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (zone, record) = path.into_inner();
    let id = record_id(&record)?;
    let account = account::load(&web).await?;
    let (principal, ident, wanted) = (account.principal.clone(), account.ident(), zone.clone());
    let d = web
        .state
        .db
        .run(move |db| dns::get(db, &principal, &ident, &wanted))
        .await?;
    let r = d
        .records
        .iter()
        .find(|r| r.id == id)
        .ok_or(PageError::App(AppError::NotFound))?;
    let fields = Fields::from([
        ("type".to_string(), r.kind.clone()),
        ("name".to_string(), relative(&r.name, &d.zone.name)),
        ("value".to_string(), r.data.clone()),
        (
            "priority".to_string(),
            r.priority.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("ttl".to_string(), r.ttl.to_string()),
    ]);
    let form = FormState::default();
    render(
        &mut web,
        &account,
        zone,
        StatusCode::OK,
        form,
        Some(id),
        &fields,
        None,
    )
    .await
}

/// The form as a record; a TTL or priority that is not a number is a
/// problem of that field.
fn input_of(f: &Fields) -> Result<RecordInput, AppError> {
    let number = |key: &str| -> Result<Option<i64>, AppError> {
        let raw = field(f, key);
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse()
            .map(Some)
            .map_err(|_| AppError::invalid(key, "must be a whole number"))
    };
    Ok(RecordInput {
        kind: field(f, "type"),
        name: field(f, "name"),
        content: field(f, "value"),
        ttl: number("ttl")?,
        priority: number("priority")?,
    })
}

/// Make the change; on success back to the page, else the form again.
async fn submit(
    mut web: Web,
    zone: String,
    editing: Option<i64>,
    fields: Fields,
    done: &str,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &field(&fields, "csrf"))?;
    let account = account::load(&web).await?;
    let outcome = match input_of(&fields) {
        Ok(input) => {
            let edit = match editing {
                Some(id) => Edit::Update(id, input),
                None => Edit::Add(input),
            };
            let (ctx, principal, ident) =
                (web.state.ctx(), account.principal.clone(), account.ident());
            dns::change(
                &ctx,
                &principal,
                &ident,
                &zone,
                edit,
                &web.meta,
                web.state.now(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(web.redirect(&format!("/account/dns/{zone}?done={done}"))),
        Err(e) => {
            let (status, form, _) = problem(e)?;
            render(
                &mut web, &account, zone, status, form, editing, &fields, None,
            )
            .await
        }
    }
}

pub async fn add(
    web: Web,
    path: aw::Path<String>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    submit(web, path.into_inner(), None, form.into_inner(), "added").await
}

pub async fn update(
    web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let (zone, record) = path.into_inner();
    let id = record_id(&record)?;
    submit(web, zone, Some(id), form.into_inner(), "saved").await
}

pub async fn remove(
    mut web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &field(&form, "csrf"))?;
    let (zone, record) = path.into_inner();
    let id = record_id(&record)?;
    let account = account::load(&web).await?;
    let (ctx, principal, ident) = (web.state.ctx(), account.principal.clone(), account.ident());
    let edit = Edit::Remove(id);
    dns::change(
        &ctx,
        &principal,
        &ident,
        &zone,
        edit,
        &web.meta,
        web.state.now(),
    )
    .await?;
    Ok(web.redirect(&format!("/account/dns/{zone}?done=deleted")))
}
