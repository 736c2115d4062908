//! Job runs: when each scheduled job ran, for which instant, how many
//! things it handled and how it ended (what `GET /api/v1/admin/jobs`
//! serves).

use actix_web::{HttpResponse, http::StatusCode, web as aw};
use askama::Template;
use serde::Deserialize;

use super::Staff;
use crate::{
    service::services::admin_views,
    store::job_runs::JobRun,
    web::errors::PageError,
    web::{layout::Layout, page_html, session::Web},
};

/// How many runs the page shows.
const SHOWN: i64 = 200;

#[derive(Template)]
#[template(path = "admin/jobs.html")]
struct JobsPage {
    layout: Layout,
    /// The job filter; empty for every job.
    job: String,
    runs: Vec<JobRun>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct JobQuery {
    job: Option<String>,
}

pub async fn list(mut web: Web, q: aw::Query<JobQuery>) -> Result<HttpResponse, PageError> {
    let staff = Staff::of(&web)?;
    let job = q.into_inner().job.filter(|j| !j.is_empty());
    let (member, filter) = (staff.member.clone(), job.clone());
    let runs = web
        .state
        .db
        .run(move |db| admin_views::job_runs(db, &member, filter.as_deref(), Some(SHOWN)))
        .await?;
    let page = JobsPage {
        layout: staff.layout(&web, "Job runs"),
        job: job.unwrap_or_default(),
        runs,
    };
    Ok(web.html(StatusCode::OK, page_html(&page)?))
}
