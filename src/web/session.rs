//! Who a browser is, and proof that a form came from our own page.
//!
//! Sessions are server-side rows (`service::accounts::web_sessions`); the cookie holds
//! only a random secret. Cookies are HttpOnly and SameSite=Lax, and over
//! https (directly or through a trusted TLS-terminating proxy) they are
//! `Secure` with the `__Host-` prefix, so no subdomain can plant them.
//!
//! Every form carries a CSRF token: the session's own token once logged in,
//! or, before login, a random token that must match a cookie of ours
//! (double submit). A cross-site POST is refused before either check.

use actix_web::{
    FromRequest, HttpMessage, HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite},
    dev::Payload,
    http::StatusCode,
    web as aw,
};
use futures_util::future::LocalBoxFuture;

use crate::{
    auth::{
        principal::{Principal, RequestMeta, StaffPrincipal, UserPrincipal},
        secrets,
    },
    error::AppError,
    service::accounts::web_sessions::{self, WebSession},
    state::AppState,
    web::errors::PageError,
};

/// The two areas have separate sessions: a customer's login never opens
/// the admin area, nor the other way round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Client,
    Admin,
}

impl Area {
    fn cookie_base(self) -> &'static str {
        match self {
            Area::Client => "till_session",
            Area::Admin => "till_admin",
        }
    }

    pub fn login_path(self) -> &'static str {
        match self {
            Area::Client => "/login",
            Area::Admin => "/admin/login",
        }
    }
}

const CSRF_COOKIE: &str = "till_csrf";
/// The cart this browser is filling (its random id).
const CART_COOKIE: &str = "till_cart";

fn cookie_name(base: &str, https: bool) -> String {
    if https {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// A browser request: the app, where it came from, and its sessions.
pub struct Web {
    pub state: AppState,
    pub meta: RequestMeta,
    pub https: bool,
    /// A customer's live session, if any.
    pub client_session: Option<WebSession>,
    /// A staff member's live session, if any.
    pub admin_session: Option<WebSession>,
    cross_site: bool,
    anon_csrf: Option<String>,
    /// Cookies to send with the response.
    pending: Vec<Cookie<'static>>,
    /// Sent as `Retry-After` when a form was rate limited.
    pub retry_after: Option<u64>,
    /// The id of the cart this browser is filling, if any.
    pub cart: Option<String>,
}

impl FromRequest for Web {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<aw::Data<AppState>>()
                .map(|d| d.get_ref().clone())
                .ok_or_else(|| AppError::internal("application state missing"))?;
            let meta = req
                .extensions()
                .get::<RequestMeta>()
                .cloned()
                .unwrap_or_default();
            let https = meta.https;
            let cookie = |base: &str| {
                req.cookie(&cookie_name(base, https))
                    .map(|c| c.value().to_string())
                    .filter(|v| !v.is_empty())
            };
            let client_secret = cookie(Area::Client.cookie_base());
            let admin_secret = cookie(Area::Admin.cookie_base());
            let anon_csrf = cookie(CSRF_COOKIE);
            let cart = cookie(CART_COOKIE);
            let now = state.now();
            let lookup_meta = meta.clone();
            let (client_session, admin_session) = state
                .db
                .run(move |db| {
                    let find = |secret: Option<String>| match secret {
                        Some(s) => web_sessions::authenticate(db, &s, &lookup_meta, now),
                        None => Ok(None),
                    };
                    let client =
                        find(client_secret)?.filter(|s| matches!(s.principal, Principal::User(_)));
                    let admin =
                        find(admin_secret)?.filter(|s| matches!(s.principal, Principal::Staff(_)));
                    Ok((client, admin))
                })
                .await?;
            let cross_site = req
                .headers()
                .get("sec-fetch-site")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"));
            Ok(Web {
                state,
                meta,
                https,
                client_session,
                admin_session,
                cross_site,
                anon_csrf,
                pending: Vec::new(),
                retry_after: None,
                cart,
            })
        })
    }
}

impl Web {
    fn session(&self, area: Area) -> Option<&WebSession> {
        match area {
            Area::Client => self.client_session.as_ref(),
            Area::Admin => self.admin_session.as_ref(),
        }
    }

    /// The logged-in customer, or off to the login form.
    pub fn user(&self) -> Result<(&WebSession, &UserPrincipal), PageError> {
        match &self.client_session {
            Some(s) => match &s.principal {
                Principal::User(u) => Ok((s, u)),
                Principal::Staff(_) => Err(login_required(Area::Client)),
            },
            None => Err(login_required(Area::Client)),
        }
    }

    /// The logged-in staff member, or off to the admin login form.
    pub fn staff(&self) -> Result<(&WebSession, &StaffPrincipal), PageError> {
        match &self.admin_session {
            Some(s) => match &s.principal {
                Principal::Staff(p) => Ok((s, p)),
                Principal::User(_) => Err(login_required(Area::Admin)),
            },
            None => Err(login_required(Area::Admin)),
        }
    }

    /// The token a form in `area` must carry. Before login a new random
    /// token is set as a cookie the first time a form needs one.
    pub fn csrf_token(&mut self, area: Area) -> String {
        if let Some(s) = self.session(area) {
            return s.csrf.clone();
        }
        if let Some(t) = &self.anon_csrf {
            return t.clone();
        }
        let token = secrets::new_secret("");
        self.anon_csrf = Some(token.clone());
        let cookie = self.cookie(CSRF_COOKIE, token.clone());
        self.pending.push(cookie);
        token
    }

    /// Refuse a form post that did not come from our own page: a 403 that
    /// changes nothing.
    pub fn check_csrf(&self, area: Area, given: &str) -> Result<(), PageError> {
        let expected = match self.session(area) {
            Some(s) => Some(s.csrf.as_str()),
            None => self.anon_csrf.as_deref(),
        };
        let ok = !self.cross_site
            && !given.is_empty()
            && expected.is_some_and(|e| secrets::equal(e, given));
        if ok {
            Ok(())
        } else {
            Err(PageError::App(AppError::CsrfRejected))
        }
    }

    fn cookie(&self, base: &str, value: String) -> Cookie<'static> {
        let mut c = Cookie::build(cookie_name(base, self.https), value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.https)
            .finish();
        if c.value().is_empty() {
            c.make_removal();
        }
        c
    }

    /// Remember (or, with `None`, forget) the browser's cart. The id is the
    /// only handle on a guest's cart, so it is kept like a session cookie.
    pub fn set_cart(&mut self, id: Option<&str>) {
        self.cart = id.map(str::to_string);
        let cookie = self.cookie(CART_COOKIE, id.unwrap_or_default().to_string());
        self.pending.push(cookie);
    }

    /// Start the browser session for `area` with this cookie secret.
    pub fn set_session(&mut self, area: Area, secret: String) {
        let cookie = self.cookie(area.cookie_base(), secret);
        self.pending.push(cookie);
    }

    /// Log out of `area`: revoke the session row, if any, and drop the
    /// cookie.
    pub async fn end_session(&mut self, area: Area) -> Result<(), PageError> {
        if let Some(s) = self.session(area).cloned() {
            let (meta, now) = (self.meta.clone(), self.state.now());
            self.state
                .db
                .run(move |db| web_sessions::logout(db, &s.session, &meta, now))
                .await?;
        }
        self.clear_session(area);
        Ok(())
    }

    /// Forget the browser session for `area`.
    pub fn clear_session(&mut self, area: Area) {
        let cookie = self.cookie(area.cookie_base(), String::new());
        self.pending.push(cookie);
    }

    /// A page with the given status and any cookies this request set.
    pub fn html(&mut self, status: StatusCode, html: String) -> HttpResponse {
        let mut response = HttpResponse::build(status);
        response.content_type("text/html; charset=utf-8");
        // Pages show personal data and carry CSRF tokens: never cache them.
        response.insert_header(("Cache-Control", "no-store"));
        if let Some(secs) = self.retry_after {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        for c in self.pending.drain(..) {
            response.cookie(c);
        }
        response.body(html)
    }

    /// A 303 to `to`, with any cookies this request set (post/redirect/get).
    pub fn redirect(&mut self, to: &str) -> HttpResponse {
        let mut response = HttpResponse::SeeOther();
        response.insert_header(("Location", to.to_string()));
        for c in self.pending.drain(..) {
            response.cookie(c);
        }
        response.finish()
    }
}

fn login_required(area: Area) -> PageError {
    PageError::LoginRequired {
        login_path: area.login_path(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_take_the_host_prefix_only_over_https() {
        assert_eq!(cookie_name("till_session", true), "__Host-till_session");
        assert_eq!(cookie_name("till_session", false), "till_session");
    }
}
