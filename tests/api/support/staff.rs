//! Staff: the first admin's login, a support member, staff API keys, and
//! staff signed in to the admin area in a `Browser`.

use till::{clock::Clock, domain::staff::StaffRole};

use super::{Browser, TestApp};

pub const ADMIN_EMAIL: &str = "admin@till.test";
pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// A support member: services:read, nothing of servers:write, services:write
/// or system:read.
pub const SUPPORT_EMAIL: &str = "sam@till.test";
pub const SUPPORT_PASSWORD: &str = "support-password-for-tests";

#[allow(dead_code)]
impl TestApp {
    /// A staff API key of the first admin with these scopes.
    pub fn staff_key(&self, scopes: &[&str]) -> String {
        let scopes = till::service::accounts::api_keys::parse_scopes(
            &scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
        .unwrap();
        till::service::accounts::api_keys::create(
            &self.state.db,
            till::service::audit::Actor::System,
            1,
            till::service::accounts::api_keys::NewKey {
                name: "tests".into(),
                scopes,
                expires_in_days: None,
            },
            &Default::default(),
            self.clock.now(),
        )
        .unwrap()
        .key
    }
}

async fn staff_login(app: &TestApp, email: &str, password: &str) -> Browser {
    let mut browser = Browser::new(app);
    let res = browser
        .submit(
            "/admin/login",
            "/admin/login",
            &[("email", email), ("password", password)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    browser
}

/// The first admin, signed in to the admin area.
pub async fn admin(app: &TestApp) -> Browser {
    staff_login(app, ADMIN_EMAIL, ADMIN_PASSWORD).await
}

/// A new support member, signed in to the admin area.
pub async fn support(app: &TestApp) -> Browser {
    till::service::accounts::staff::create(
        &app.state.db,
        SUPPORT_EMAIL,
        "Sam Support",
        StaffRole::Support,
        SUPPORT_PASSWORD,
        app.clock.now(),
    )
    .unwrap();
    staff_login(app, SUPPORT_EMAIL, SUPPORT_PASSWORD).await
}
