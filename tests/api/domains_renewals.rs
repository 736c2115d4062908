//! Domain renewals over two years, travelling a day at a time: a domain
//! registered at the EPP fake renews every year (its invoice issued 30
//! days before expiry, due on the expiry, for the renewal price it was
//! sold with; paid, it is renewed at the registry once and expires a year
//! later), and a domain with auto-renew off is reminded at 30, 7 and 1
//! days and then expires, never invoiced. Running a day twice does
//! nothing twice. A term paid twice over (an answer lost after the
//! registry renewed) is not renewed twice.

use jiff::{Span, civil::Date};
use serde_json::{Value, json};

use crate::support::{Customer, TestApp, at, fakes::FakeEpp, json_with_status, money, sql};

const USER: &str = "till-renew";
const PASSWORD: &str = "s3cret-RENEW";
/// The sample catalog renews .com at 14.99 a year.
const COM_RENEWAL: i64 = 1499;

fn staff(app: &TestApp) -> String {
    app.staff_key(&[
        "servers:write",
        "services:read",
        "services:write",
        "billing:write",
        "billing:read",
        "clients:read",
    ])
}

async fn send(app: &TestApp, method: &str, path: &str, key: &str, body: Value) -> Value {
    let res = app
        .http
        .request(method.parse().unwrap(), app.url(path))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status < 300, "{method} {path}: {status} {body}");
    body
}

/// `.com` at an EPP registry (the fake).
async fn epp_for_com(app: &TestApp, key: &str, fake: &FakeEpp) {
    let created = send(
        app,
        "POST",
        "/api/v1/registrars",
        key,
        json!({
            "name": "Renewals registry", "module": "epp",
            "settings": {"host": fake.host, "port": fake.port, "username": USER,
                "password": PASSWORD, "ca_pem": fake.ca_pem, "timeout_secs": 5}
        }),
    )
    .await;
    let id = created["data"]["id"].as_i64().unwrap();
    send(
        app,
        "PUT",
        "/api/v1/tld-registrars/com",
        key,
        json!({"registrar_id": id}),
    )
    .await;
}

/// Pay every unpaid invoice in full; answers the invoices paid.
async fn pay_all(app: &TestApp, key: &str) -> Vec<Value> {
    let unpaid = app.invoices(Some("unpaid")).await;
    for i in &unpaid {
        let (id, due) = (
            i["id"].as_i64().unwrap(),
            i["balance_due"]["amount_minor"].as_i64().unwrap(),
        );
        let res = app
            .staff_pay(key, id, &money(due), &format!("T-{id}"))
            .await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    unpaid
}

/// The day's jobs: renewals, the registrar's tasks.
async fn run_day(app: &TestApp) {
    let now = app.state.now();
    till::jobs::domain_renewals::run(app.state.clone(), now)
        .await
        .unwrap();
    till::jobs::registrar_tasks::run(app.state.clone(), now)
        .await
        .unwrap();
}

async fn register(app: &TestApp, c: &Customer, key: &str, name: &str) -> i64 {
    let placed = app
        .place_order(
            c,
            &format!("order-{name}"),
            json!({"items": [
                {"type": "domain", "domain": name, "domain_option": "register", "years": 1}]}),
        )
        .await;
    pay_all(app, key).await;
    run_day(app).await;
    assert!(placed["invoice"]["id"].is_i64());
    let list = domain_list(app, c).await;
    let d = list
        .iter()
        .find(|d| d["domain_name"] == name)
        .unwrap_or_else(|| panic!("{name} in {list:?}"));
    assert_eq!(d["status"], "active", "{d}");
    d["id"].as_i64().unwrap()
}

async fn domain_list(app: &TestApp, c: &Customer) -> Vec<Value> {
    let c = app.login(&c.email, &c.password).await;
    json_with_status(
        app.get_auth(
            &format!("/api/v1/clients/{}/domains", c.client_id),
            &c.access,
        )
        .await,
        200,
    )
    .await["data"]
        .as_array()
        .unwrap()
        .clone()
}

async fn domain(app: &TestApp, c: &Customer, id: i64) -> Value {
    domain_list(app, c)
        .await
        .into_iter()
        .find(|d| d["id"] == id)
        .unwrap()
}

fn day_of(v: &Value) -> Date {
    v.as_str().unwrap().parse().unwrap()
}

fn plus(d: Date, span: Span) -> Date {
    d.checked_add(span).unwrap()
}

/// Every `domain` line with a period: (domain id, start, end, amount,
/// invoice issue date, due date).
async fn renewal_lines(app: &TestApp) -> Vec<(i64, String, String, i64, String, String)> {
    let mut out = Vec::new();
    for i in app.invoices(None).await {
        let invoice = app.invoice(i["id"].as_i64().unwrap()).await;
        for l in invoice["items"].as_array().unwrap() {
            if l["kind"] == "domain" && l["period_start"].is_string() {
                out.push((
                    l["domain_id"].as_i64().unwrap(),
                    l["period_start"].as_str().unwrap().to_string(),
                    l["period_end"].as_str().unwrap().to_string(),
                    l["amount"]["amount_minor"].as_i64().unwrap(),
                    invoice["issue_date"].as_str().unwrap().to_string(),
                    invoice["due_date"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

#[tokio::test]
async fn two_years_of_domain_renewals_with_reminders_and_one_left_to_lapse() {
    let app = TestApp::with_catalog();
    // The fake registry stamps registrations with the real time; the app's
    // clock starts there and travels on.
    let start = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    app.clock.set(at(&start.to_string()));
    let fake = FakeEpp::start(USER, PASSWORD);
    let key = staff(&app);
    epp_for_com(&app, &key, &fake).await;
    let renewing = app.customer("renewing@example.com").await;
    let lapsing = app.customer("lapsing@example.com").await;
    let kept = register(&app, &renewing, &key, "kept-every-year.com").await;
    let let_go = register(&app, &lapsing, &key, "let-go.com").await;
    let e0 = day_of(&domain(&app, &renewing, kept).await["expiry_date"]);
    let lapse_on = day_of(&domain(&app, &lapsing, let_go).await["expiry_date"]);
    // The customer stops the second one at the end of its term.
    let l = app.login(&lapsing.email, &lapsing.password).await;
    let res = app
        .http
        .post(app.url(&format!(
            "/api/v1/clients/{}/domains/{let_go}/cancel",
            l.client_id
        )))
        .bearer_auth(&l.access)
        .json(&json!({"cancel_type": "end_of_term", "reason": "moving on"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let invoices_at_start = app.invoice_count(None).await;

    let end = plus(e0, Span::new().years(1).days(2));
    let mut day = start;
    while day <= end {
        app.clock.set(at(&day.to_string()));
        run_day(&app).await;
        let count = app.invoice_count(None).await;
        // The same day twice creates nothing.
        run_day(&app).await;
        assert_eq!(app.invoice_count(None).await, count, "{day}");
        pay_all(&app, &key).await;
        run_day(&app).await;
        day = day.tomorrow().unwrap();
    }

    // Two renewals of the kept domain, each invoiced 30 days ahead, due on
    // the expiry, a year each, at the price it was sold with; nothing for
    // the one let go.
    let lines = renewal_lines(&app).await;
    let e1 = plus(e0, Span::new().years(1));
    let e2 = plus(e0, Span::new().years(2));
    let expected: Vec<_> = [(e0, e1), (e1, e2)]
        .iter()
        .map(|(from, to)| {
            (
                kept,
                from.to_string(),
                to.to_string(),
                COM_RENEWAL,
                plus(*from, Span::new().days(-30)).to_string(),
                from.to_string(),
            )
        })
        .collect();
    assert_eq!(lines, expected);
    assert_eq!(app.invoice_count(None).await, invoices_at_start + 2);

    // Renewed at the registry once a year, from the expiry it had.
    let renews = fake.requests_with("<domain:renew");
    assert_eq!(renews.len(), 2, "{renews:?}");
    assert!(renews[0].contains(&format!("<domain:curExpDate>{e0}</domain:curExpDate>")));
    assert!(renews[1].contains(&format!("<domain:curExpDate>{e1}</domain:curExpDate>")));
    let now_kept = domain(&app, &renewing, kept).await;
    assert_eq!(now_kept["status"], "active");
    assert_eq!(now_kept["expiry_date"], e2.to_string().as_str());
    assert_eq!(now_kept["next_due_date"], e2.to_string().as_str());
    let renewed = sql::outbox(&app, "domain_renewed", &renewing.email);
    assert_eq!(renewed.len(), 2);
    assert!(renewed[1].mentions(&e2.to_string()));
    // One reminder a year (30 days out, with its invoice); paid that day,
    // the 7- and 1-day reminders had nothing left to say.
    let reminded = sql::outbox(&app, "domain_expiry_reminder", &renewing.email);
    assert_eq!(
        reminded.len(),
        2,
        "{:?}",
        reminded.iter().map(|m| &m.text).collect::<Vec<_>>()
    );
    assert!(
        reminded[0].mentions("renews when invoice"),
        "{}",
        reminded[0].text
    );

    // The one let go: reminded at 30, 7 and 1 days that it will lapse,
    // then expired the day after its expiry; never invoiced.
    let warned = sql::outbox(&app, "domain_expiry_reminder", &lapsing.email);
    assert_eq!(warned.len(), 3);
    assert!(warned[0].mentions("in 30 days"), "{}", warned[0].text);
    assert!(warned[1].mentions("in 7 days"), "{}", warned[1].text);
    assert!(warned[2].mentions("tomorrow"), "{}", warned[2].text);
    assert!(
        warned
            .iter()
            .all(|m| m.mentions("will not renew automatically"))
    );
    let gone = domain(&app, &lapsing, let_go).await;
    assert_eq!(gone["status"], "expired");
    assert_eq!(gone["expiry_date"], lapse_on.to_string().as_str());
    assert_eq!(sql::outbox(&app, "domain_expired", &lapsing.email).len(), 1);
    assert!(lines.iter().all(|l| l.0 != let_go));
}
