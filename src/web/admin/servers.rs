//! Servers and server groups: the list, and the form to add a group
//! (through `service::services::servers`, the API's functions). Adding and changing
//! a server is `server_edit`.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::{
    Staff,
    server_form::{Fields, field},
};
use crate::{
    domain::scopes::Scope,
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
#[template(path = "admin/servers.html")]
struct ListPage {
    layout: Layout,
    csrf: String,
    notice: Option<&'static str>,
    /// Each server with its group's name.
    servers: Vec<(Server, String)>,
    groups: Vec<ServerGroup>,
    can_write: bool,
    /// The group form's problems and typed name.
    form: FormState,
    group_name: String,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    done: Option<String>,
}

async fn render_list(
    web: &mut Web,
    staff: &Staff,
    http: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
    group_name: String,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let (servers, groups) = web
        .state
        .db
        .run(move |db| Ok((servers::list(db, &member)?, servers::groups(db, &member)?)))
        .await?;
    let servers = servers
        .into_iter()
        .map(|s| {
            let group = groups.iter().find(|g| Some(g.id) == s.group_id);
            let name = group.map(|g| g.name.clone()).unwrap_or_default();
            (s, name)
        })
        .collect();
    let page = ListPage {
        layout: staff.layout(web, "Servers"),
        csrf: staff.csrf.clone(),
        notice,
        servers,
        groups,
        can_write: staff.may(Scope::ServersWrite),
        form,
        group_name,
    };
    Ok(web.html(http, page_html(&page)?))
}

pub async fn list(mut web: Web, q: aw::Query<ListQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let notice = match q.done.as_deref() {
        Some("added") => Some("The server was added."),
        Some("saved") => Some("The server was saved."),
        Some("group") => Some("The server group was added."),
        _ => None,
    };
    let form = FormState::default();
    render_list(
        &mut web,
        &staff,
        StatusCode::OK,
        notice,
        form,
        String::new(),
    )
    .await
}

pub async fn create_group(mut web: Web, form: aw::Form<Fields>) -> Result<HttpResponse, PageError> {
    let fields = form.into_inner();
    web.check_csrf(Area::Admin, &field(&fields, "csrf"))?;
    let staff = Staff::of(&web)?;
    let name = field(&fields, "name");
    let (member, meta, now, given) = (
        staff.member.clone(),
        web.meta.clone(),
        web.state.now(),
        name.clone(),
    );
    let done = web
        .state
        .db
        .run(move |db| servers::create_group(db, &member, &given, &meta, now))
        .await;
    match done {
        Ok(_) => Ok(web.redirect("/admin/servers?done=group")),
        Err(e) => {
            let (http, problems, _) = problem(e)?;
            render_list(&mut web, &staff, http, None, problems, name).await
        }
    }
}
