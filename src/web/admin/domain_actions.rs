//! Staff's registrar actions on the admin domain page, as
//! `/api/v1/domains/{id}/lock`, `.../id-protection` and `.../epp-code`
//! (`services:write`): lock or unlock, ID protection on or off (queued
//! for the registrar), and the auth code, asked now and shown on the page
//! that answers. Every form carries its CSRF token; a failure re-renders
//! the page with the reason.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use serde::Deserialize;

use super::{CsrfForm, Staff, domains::render, id_of};
use crate::{
    error::AppError,
    service::domains::{
        domain_actions::{self, Who},
        epp_codes,
    },
    web::{
        errors::PageError,
        form::{FormState, problem_or_down},
        session::{Area, Web},
    },
};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SwitchForm {
    csrf: String,
    /// `on` or `off`.
    value: String,
}

/// `lock` or `id-protection`.
pub async fn switch(
    mut web: Web,
    path: aw::Path<(String, String)>,
    form: aw::Form<SwitchForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let (raw, action) = path.into_inner();
    let id = id_of(&raw)?;
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    let value = form.value.clone();
    let done = web
        .state
        .db
        .run(move |db| {
            let field = match action.as_str() {
                "lock" => "locked",
                "id-protection" => "enabled",
                _ => return Err(AppError::NotFound),
            };
            let on = match value.as_str() {
                "on" => true,
                "off" => false,
                _ => return Err(AppError::invalid(field, "choose on or off")),
            };
            let who = Who::Staff(&member);
            match action.as_str() {
                "lock" => domain_actions::set_lock(db, who, id, on, &meta, now),
                "id-protection" => domain_actions::set_id_protection(db, who, id, on, &meta, now),
                _ => Err(AppError::NotFound),
            }
        })
        .await;
    match done {
        Ok(q) => Ok(web.redirect(&format!("/admin/domains/{id}?queued={}", q.task.id))),
        Err(e) => {
            let (http, problems) = problem_or_down(e)?;
            render(&mut web, &staff, id, http, problems, None, None).await
        }
    }
}

/// Ask the registrar for the auth code and show it on the page.
pub async fn epp_code(
    mut web: Web,
    path: aw::Path<String>,
    form: aw::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let id = id_of(&path)?;
    let (reg, meta, now) = (web.state.registry(), web.meta.clone(), web.state.now());
    match epp_codes::staff_reveal(&reg, &staff.member, id, &meta, now).await {
        Ok(code) => {
            render(
                &mut web,
                &staff,
                id,
                StatusCode::OK,
                FormState::default(),
                None,
                Some(code),
            )
            .await
        }
        Err(e) => {
            let (http, problems) = problem_or_down(e)?;
            render(&mut web, &staff, id, http, problems, None, None).await
        }
    }
}
