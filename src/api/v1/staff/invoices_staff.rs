//! Staff writing invoices by hand (reference 002 `POST /invoices`).

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::views::invoices::{InvoiceView, invoice_view},
};
use crate::{
    domain::money_input::MoneyInput,
    error::{ApiError, AppError},
    service::{
        billing,
        billing::manual_invoices::{self, ManualInvoice, ManualLine},
        email::Branding,
    },
    state::AppState,
};

fn default_quantity() -> i64 {
    1
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualLineBody {
    pub description: String,
    /// Per unit in the client's currency: `49.50`, `"49.50"` or
    /// `{"amount_minor": 4950}`, read exactly.
    #[schema(value_type = String)]
    pub amount: MoneyInput,
    #[serde(default = "default_quantity")]
    pub quantity: i64,
    /// The client's tax applies (default true).
    #[serde(default = "yes")]
    pub taxed: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ManualInvoiceBody {
    /// Client id or uuid.
    #[schema(value_type = String)]
    pub client_id: serde_json::Value,
    pub items: Vec<ManualLineBody>,
    /// `YYYY-MM-DD`; default a week from today.
    pub due_date: Option<String>,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ManualInvoiceResponse {
    pub success: bool,
    pub data: InvoiceView,
}

/// Issue an invoice by hand (needs `billing:write`). Lines are taxed with
/// the client's tax unless `taxed` is false; the client is emailed.
#[utoipa::path(post, path = "/api/v1/invoices", tag = "Staff billing", operation_id = "createInvoice",
    security(("bearerAuth" = [])), request_body = ManualInvoiceBody,
    responses((status = 201, body = ManualInvoiceResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<ManualInvoiceBody>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let input = ManualInvoice {
        client: match b.client_id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        },
        lines: b
            .items
            .into_iter()
            .map(|l| ManualLine {
                description: l.description,
                unit_amount: l.amount,
                quantity: l.quantity,
                taxed: l.taxed,
            })
            .collect(),
        due_date: b.due_date,
        notes: b.notes,
    };
    let brand = Branding::from_config(&state.config);
    let now = state.now();
    let (invoice, currency) = state
        .db
        .run(move |db| {
            let i = manual_invoices::create(db, &brand, &staff.0, input, &meta.0, now)?;
            let c = db.read(|c| billing::currency(c, &i.currency))?;
            Ok((i, c))
        })
        .await?;
    state.wake_mailer();
    Ok(HttpResponse::Created().json(ManualInvoiceResponse {
        success: true,
        data: invoice_view(&invoice, &currency),
    }))
}
