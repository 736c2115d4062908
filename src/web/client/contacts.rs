//! Contacts: the people who may use this account, and what each may do.
//! Privileges come as one checkbox each (`priv.<group>.<name>`).

use std::collections::HashMap;

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use crate::{
    domain::privileges::{Privilege, Privileges},
    error::AppError,
    service::accounts::contacts::{self, Contact, ContactChange, NewContact, PendingInvitation},
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

fn privileges_of(f: &Fields) -> Privileges {
    Privileges(
        Privilege::ALL
            .into_iter()
            .filter(|p| f.contains_key(&format!("priv.{}", p.key())))
            .collect(),
    )
}

/// One checkbox of the privilege list.
pub struct PrivilegeBox {
    pub key: String,
    pub group: &'static str,
    pub description: &'static str,
    pub checked: bool,
}

fn boxes(held: &Privileges) -> Vec<PrivilegeBox> {
    Privilege::ALL
        .into_iter()
        .map(|p| PrivilegeBox {
            key: p.key(),
            group: p.parts().0,
            description: p.description(),
            checked: held.contains(p),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "client/contacts.html")]
struct ListPage {
    layout: Layout,
    csrf: String,
    contacts: Vec<Contact>,
    invitations: Vec<PendingInvitation>,
    notice: Option<&'static str>,
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn list(mut web: Web, query: aw::Query<NoticeQuery>) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let now = web.state.now();
    let (contacts, invitations) = web
        .state
        .db
        .run(move |_| {
            let (_, list) = contacts::list(&state.ctx(), &principal, &ident)?;
            Ok((
                list,
                contacts::invitations(&state.ctx(), &principal, &ident, now)?,
            ))
        })
        .await?;
    let notice = match query.done.as_deref() {
        Some("added") => Some("The invitation was sent."),
        Some("withdrawn") => Some("The invitation was withdrawn."),
        Some("saved") => Some("The contact was saved."),
        Some("removed") => Some("The contact was removed."),
        _ => None,
    };
    let page = ListPage {
        layout: account.layout(&web, "Contacts"),
        csrf: account.csrf.clone(),
        contacts,
        invitations,
        notice,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}

#[derive(Template)]
#[template(path = "client/contact_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    /// `None` for a new contact.
    id: Option<i64>,
    email: String,
    first_name: String,
    last_name: String,
    /// Name and password can be set here only for people who belong to no
    /// other account.
    managed_here: bool,
    privileges: Vec<PrivilegeBox>,
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    web: &mut Web,
    account: &Account,
    status: StatusCode,
    form: FormState,
    id: Option<i64>,
    fields: &Fields,
    managed_here: bool,
    held: &Privileges,
) -> Result<HttpResponse, PageError> {
    let title = if id.is_some() {
        "Edit contact"
    } else {
        "Add a contact"
    };
    let page = FormPage {
        layout: account.layout(web, title),
        csrf: account.csrf.clone(),
        form,
        id,
        email: field(fields, "email"),
        first_name: field(fields, "first_name"),
        last_name: field(fields, "last_name"),
        managed_here,
        privileges: boxes(held),
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn new_form(mut web: Web) -> Result<HttpResponse, PageError> {
    let account = account::load(&web).await?;
    // Only someone who may manage contacts gets the form.
    account
        .access
        .require_change(Privilege::MiscManageProfiles)
        .map_err(PageError::App)?;
    form_page(
        &mut web,
        &account,
        StatusCode::OK,
        FormState::default(),
        None,
        &Fields::new(),
        true,
        &Privileges::default(),
    )
}

pub async fn create(mut web: Web, form: aw::Form<Fields>) -> Result<HttpResponse, PageError> {
    let fields = form.into_inner();
    web.check_csrf(Area::Client, &field(&fields, "csrf"))?;
    let account = account::load(&web).await?;
    let input = NewContact {
        email: field(&fields, "email"),
        first_name: field(&fields, "first_name"),
        last_name: field(&fields, "last_name"),
        privileges: privileges_of(&fields),
    };
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |_| contacts::invite(&state.ctx(), &principal, &ident, input, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect("/account/contacts?done=added")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            let held = privileges_of(&fields);
            form_page(
                &mut web, &account, status, problems, None, &fields, true, &held,
            )
        }
    }
}

fn contact_id(raw: &str) -> Result<i64, PageError> {
    raw.parse().map_err(|_| PageError::App(AppError::NotFound))
}

async fn find(web: &Web, account: &Account, id: i64) -> Result<Contact, PageError> {
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    Ok(web
        .state
        .db
        .run(move |_| contacts::get(&state.ctx(), &principal, &ident, id))
        .await?)
}

fn fields_of(c: &Contact) -> Fields {
    Fields::from([
        ("email".to_string(), c.user.email.clone()),
        ("first_name".to_string(), c.user.first_name.clone()),
        ("last_name".to_string(), c.user.last_name.clone()),
    ])
}

pub async fn edit_form(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let id = contact_id(&path)?;
    let account = account::load(&web).await?;
    let contact = find(&web, &account, id).await?;
    form_page(
        &mut web,
        &account,
        StatusCode::OK,
        FormState::default(),
        Some(id),
        &fields_of(&contact),
        contact.managed_here,
        &contact.privileges,
    )
}

pub async fn update(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let fields = form.into_inner();
    web.check_csrf(Area::Client, &field(&fields, "csrf"))?;
    let id = contact_id(&path)?;
    let account = account::load(&web).await?;
    let contact = find(&web, &account, id).await?;
    let change = ContactChange {
        first_name: contact.managed_here.then(|| field(&fields, "first_name")),
        last_name: contact.managed_here.then(|| field(&fields, "last_name")),
        privileges: Some(privileges_of(&fields)),
    };
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), web.state.now());
    let done = web
        .state
        .db
        .run(move |_| contacts::update(&state.ctx(), &principal, &ident, id, change, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect("/account/contacts?done=saved")),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            let mut shown = fields.clone();
            shown.insert("email".into(), contact.user.email.clone());
            let held = privileges_of(&fields);
            form_page(
                &mut web,
                &account,
                status,
                problems,
                Some(id),
                &shown,
                contact.managed_here,
                &held,
            )
        }
    }
}

pub async fn remove(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &field(&form, "csrf"))?;
    let id = contact_id(&path)?;
    let account = account::load(&web).await?;
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), web.state.now());
    web.state
        .db
        .run(move |_| contacts::delete(&state.ctx(), &principal, &ident, id, &meta, now))
        .await?;
    Ok(web.redirect("/account/contacts?done=removed"))
}

/// Withdraw a waiting invitation.
pub async fn withdraw(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &field(&form, "csrf"))?;
    let id = contact_id(&path)?;
    let account = account::load(&web).await?;
    let (state, principal, ident) = (
        web.state.clone(),
        account.principal.clone(),
        account.ident(),
    );
    let (meta, now) = (web.meta.clone(), web.state.now());
    web.state
        .db
        .run(move |_| contacts::withdraw(&state.ctx(), &principal, &ident, id, &meta, now))
        .await?;
    Ok(web.redirect("/account/contacts?done=withdrawn"))
}
