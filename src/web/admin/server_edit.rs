//! The server form: add a server or change one through `service::services::servers`
//! (the API's functions, so the same rules), and test its connection. A
//! stored secret is never shown: the form says one is stored and a blank
//! field keeps it.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;

use super::{
    Staff, id_of,
    server_form::{Fields, ServerFields, field},
};
use crate::{
    domain::scopes::Scope,
    integrations::provisioning::MODULES,
    service::services::servers,
    store::servers::{Server, ServerGroup},
    web::errors::PageError,
    web::{
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

#[derive(Template)]
#[template(path = "admin/server_form.html")]
struct FormPage {
    layout: Layout,
    csrf: String,
    form: FormState,
    notice: Option<String>,
    /// `None` for a new server.
    id: Option<i64>,
    has_secret: bool,
    accounts: i64,
    can_write: bool,
    f: ServerFields,
    groups: Vec<ServerGroup>,
    modules: [&'static str; 3],
}

/// What the form page needs besides the fields.
struct Stored {
    id: Option<i64>,
    has_secret: bool,
    accounts: i64,
}

const NEW: Stored = Stored {
    id: None,
    has_secret: false,
    accounts: 0,
};

impl From<&Server> for Stored {
    fn from(s: &Server) -> Self {
        Stored {
            id: Some(s.id),
            has_secret: s.secret.is_some(),
            accounts: s.accounts,
        }
    }
}

async fn render_form(
    web: &mut Web,
    staff: &Staff,
    http: StatusCode,
    (form, notice): (FormState, Option<String>),
    stored: Stored,
    f: ServerFields,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let groups = web
        .state
        .db
        .run(move |db| servers::groups(db, &member))
        .await?;
    let title = match stored.id {
        Some(_) => format!("Server {}", f.name),
        None => "Add a server".to_string(),
    };
    let page = FormPage {
        layout: staff.layout(web, &title),
        csrf: staff.csrf.clone(),
        form,
        notice,
        id: stored.id,
        has_secret: stored.has_secret,
        accounts: stored.accounts,
        can_write: staff.may(Scope::ServersWrite),
        f,
        groups,
        modules: MODULES,
    };
    Ok(web.html(http, page_html(&page)?))
}

pub async fn new_form(mut web: Web) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    staff.require(Scope::ServersWrite)?;
    let blank = (FormState::default(), None);
    render_form(
        &mut web,
        &staff,
        StatusCode::OK,
        blank,
        NEW,
        ServerFields::default(),
    )
    .await
}

pub async fn create(mut web: Web, form: aw::Form<Fields>) -> Result<HttpResponse, PageError> {
    let fields = form.into_inner();
    web.check_csrf(Area::Admin, &field(&fields, "csrf"))?;
    let staff = Staff::of(&web)?;
    let f = ServerFields::posted(&fields);
    let (member, meta, now, keys) = (
        staff.member.clone(),
        web.meta.clone(),
        web.state.now(),
        web.state.keys.clone(),
    );
    let input = f.input(field(&fields, "secret"));
    let done = match input {
        Ok(input) => {
            web.state
                .db
                .run(move |db| servers::create(db, &keys, &member, input, &meta, now))
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(web.redirect("/admin/servers?done=added")),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            render_form(&mut web, &staff, http, (problems, None), NEW, f).await
        }
    }
}

async fn find(web: &Web, staff: &Staff, id: i64) -> Result<Server, PageError> {
    let member = staff.member.clone();
    Ok(web
        .state
        .db
        .run(move |db| servers::get(db, &member, &id.to_string()))
        .await?)
}

pub async fn edit_form(mut web: Web, path: aw::Path<String>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let server = find(&web, &staff, id_of(&path)?).await?;
    let fields = ServerFields::stored(&server);
    let blank = (FormState::default(), None);
    render_form(
        &mut web,
        &staff,
        StatusCode::OK,
        blank,
        (&server).into(),
        fields,
    )
    .await
}

pub async fn update(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    let fields = form.into_inner();
    web.check_csrf(Area::Admin, &field(&fields, "csrf"))?;
    let staff = Staff::of(&web)?;
    let server = find(&web, &staff, id_of(&path)?).await?;
    let f = ServerFields::posted(&fields);
    let (member, meta, now, keys, id) = (
        staff.member.clone(),
        web.meta.clone(),
        web.state.now(),
        web.state.keys.clone(),
        server.id.to_string(),
    );
    let done = match f.input(field(&fields, "secret")) {
        Ok(input) => {
            web.state
                .db
                .run(move |db| servers::update(db, &keys, &member, &id, input, &meta, now))
                .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Ok(web.redirect("/admin/servers?done=saved")),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            let stored = (&server).into();
            render_form(&mut web, &staff, http, (problems, None), stored, f).await
        }
    }
}

/// Ask the server's module whether it can reach the server with the stored
/// credentials, and show the answer on the server's page.
pub async fn test(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<Fields>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &field(&form, "csrf"))?;
    let staff = Staff::of(&web)?;
    let server = find(&web, &staff, id_of(&path)?).await?;
    let state = &web.state;
    let (ok, message) = servers::test_connection(
        &state.db,
        &state.keys,
        &state.targets,
        &staff.member,
        &server.id.to_string(),
        state.now(),
    )
    .await?;
    let shown = if ok {
        (FormState::default(), Some(format!("Connected: {message}")))
    } else {
        (
            FormState::with_message(format!("The server did not answer as expected: {message}")),
            None,
        )
    };
    let fields = ServerFields::stored(&server);
    render_form(
        &mut web,
        &staff,
        StatusCode::OK,
        shown,
        (&server).into(),
        fields,
    )
    .await
}
