//! `GET /`: the client area's front page.

use actix_web::{HttpResponse, web as aw};
use askama::Template;

use super::{layout::Layout, render};
use crate::{state::AppState, web::errors::PageError};

#[derive(Template)]
#[template(path = "client/home.html")]
struct HomePage {
    layout: Layout,
}

pub async fn page(state: aw::Data<AppState>) -> Result<HttpResponse, PageError> {
    render(&HomePage {
        layout: Layout::new(&state, "Home"),
    })
}
