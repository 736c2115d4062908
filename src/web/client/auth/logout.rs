//! Logging out.

use actix_web::{HttpResponse, web as aw};
use serde::Deserialize;

use crate::{
    web::errors::PageError,
    web::session::{Area, Web},
};

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn logout(mut web: Web, form: aw::Form<CsrfOnly>) -> Result<HttpResponse, PageError> {
    web.check_csrf(Area::Client, &form.csrf)?;
    web.end_session(Area::Client).await?;
    Ok(web.redirect("/login?notice=logged_out"))
}
