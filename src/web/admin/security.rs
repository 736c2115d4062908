//! The staff member's own security page: two-factor authentication on
//! (QR code, then recovery codes) or off, through the same service as the
//! client area's; and, for admins, whether every staff member must use it.
//! A staff member who must set it up is sent here from every other page.

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::Staff;
use crate::{
    domain::scopes::Scope,
    service::{
        accounts::security_settings::{self, SecuritySettings},
        accounts::two_factor,
    },
    store::two_factor::Holder,
    web::errors::PageError,
    web::{
        client::security::{RecoveryCodesPage, SetupPage},
        form::{FormState, problem},
        layout::Layout,
        page_html,
        session::{Area, Web},
    },
};

const BASE: &str = "/admin/security";

#[derive(Template)]
#[template(path = "admin/security.html")]
struct SecurityPage {
    layout: Layout,
    csrf: String,
    notice: Option<&'static str>,
    form: FormState,
    two_factor_on: bool,
    must_enroll: bool,
    /// `Some` for a member who may change the instance's settings.
    settings: Option<SecuritySettings>,
}

async fn page(
    web: &mut Web,
    staff: &Staff,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<HttpResponse, PageError> {
    let member = staff.member.clone();
    let may_change = staff.may(Scope::SecurityWrite);
    let (on, settings) = web
        .state
        .db
        .run(move |db| {
            let on = two_factor::is_enabled(db, Holder::Staff(member.staff_id))?;
            let settings = if may_change {
                Some(security_settings::get(db, &member)?)
            } else {
                None
            };
            Ok((on, settings))
        })
        .await?;
    let page = SecurityPage {
        layout: staff.layout(web, "Security"),
        csrf: staff.csrf.clone(),
        notice,
        form,
        two_factor_on: on,
        must_enroll: staff.must_enroll,
        settings,
    };
    Ok(web.html(status, page_html(&page)?))
}

#[derive(Debug, Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    done: Option<String>,
}

pub async fn show(mut web: Web, query: aw::Query<DoneQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::enrolling(&web)?;
    let notice = match query.done.as_deref() {
        Some("2fa_off") => Some("Two-factor authentication is off."),
        Some("settings") => Some("The security settings were saved."),
        _ => None,
    };
    page(
        &mut web,
        &staff,
        StatusCode::OK,
        notice,
        FormState::default(),
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf: String,
    code: String,
}

fn setup_page(
    web: &mut Web,
    staff: &Staff,
    status: StatusCode,
    form: FormState,
    s: two_factor::Setup,
) -> Result<HttpResponse, PageError> {
    let page = SetupPage {
        layout: staff.layout(web, "Set up two-factor authentication"),
        csrf: staff.csrf.clone(),
        form,
        secret: s.secret,
        otpauth_url: s.otpauth_url,
        qr_svg: s.qr_svg,
        base: BASE,
    };
    Ok(web.html(status, page_html(&page)?))
}

pub async fn setup(mut web: Web, form: aw::Form<CodeForm>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::enrolling(&web)?;
    let (state, now, who) = (web.state.clone(), web.state.now(), staff.holder());
    let started = web
        .state
        .db
        .run(move |_| two_factor::setup(&state.ctx(), who, now))
        .await;
    match started {
        Ok(s) => setup_page(&mut web, &staff, StatusCode::OK, FormState::default(), s),
        Err(e) => {
            let (status, problems, _) = problem(e)?;
            page(&mut web, &staff, status, None, problems).await
        }
    }
}

pub async fn enable(mut web: Web, form: aw::Form<CodeForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::enrolling(&web)?;
    let (state, meta, now, who) = (
        web.state.clone(),
        web.meta.clone(),
        web.state.now(),
        staff.holder(),
    );
    let code = form.code;
    let enabled = web
        .state
        .db
        .run(move |_| two_factor::enable(&state.ctx(), who, &code, &meta, now))
        .await;
    match enabled {
        Ok(codes) => {
            let page = RecoveryCodesPage {
                layout: staff.layout(&web, "Your recovery codes"),
                codes,
                base: BASE,
            };
            Ok(web.html(StatusCode::OK, page_html(&page)?))
        }
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            let state = web.state.clone();
            match web
                .state
                .db
                .run(move |_| two_factor::pending(&state.ctx(), who))
                .await
            {
                Ok(s) => setup_page(&mut web, &staff, status, problems, s),
                Err(_) => page(&mut web, &staff, status, None, problems).await,
            }
        }
    }
}

pub async fn disable(mut web: Web, form: aw::Form<CodeForm>) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::enrolling(&web)?;
    let (state, meta, now, who) = (
        web.state.clone(),
        web.meta.clone(),
        web.state.now(),
        staff.holder(),
    );
    let code = form.code;
    let done = web
        .state
        .db
        .run(move |_| two_factor::disable(&state.ctx(), who, &code, &meta, now))
        .await;
    match done {
        Ok(()) => Ok(web.redirect("/admin/security?done=2fa_off")),
        Err(e) => {
            let (status, problems, retry) = problem(e)?;
            web.retry_after = retry;
            page(&mut web, &staff, status, None, problems).await
        }
    }
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    csrf: String,
    /// A checkbox: present when ticked.
    require_staff_two_factor: Option<String>,
}

pub async fn save_settings(
    mut web: Web,
    form: aw::Form<SettingsForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    web.check_csrf(Area::Admin, &form.csrf)?;
    let staff = Staff::of(&web)?;
    let wanted = SecuritySettings {
        require_staff_two_factor: form.require_staff_two_factor.is_some(),
    };
    let (member, meta, now) = (staff.member.clone(), web.meta.clone(), web.state.now());
    web.state
        .db
        .run(move |db| security_settings::save(db, &member, wanted, &meta, now))
        .await?;
    Ok(web.redirect("/admin/security?done=settings"))
}
