//! People: customers who sign up, verify and log in through the API,
//! their contacts and invitations, and two-factor sign-in for a login.

use serde_json::json;
use till::{
    auth::{
        principal::{Principal, SessionKind, UserPrincipal},
        totp,
    },
    clock::Clock,
};

use super::{TestApp, json_with_status};

/// A customer with a client account, logged in through the API.
#[allow(dead_code)]
pub struct Customer {
    pub email: String,
    pub password: String,
    pub user_id: i64,
    pub client_id: i64,
    pub access: String,
    pub refresh: String,
}

/// The password contacts choose when they accept an invitation in tests.
#[allow(dead_code)]
pub const CONTACT_PASSWORD: &str = "contact passphrase 1";

#[allow(dead_code)]
impl TestApp {
    /// Sign up through the API, verify the email, and log in.
    pub async fn customer(&self, email: &str) -> Customer {
        let password = "correct horse battery staple".to_string();
        let res = self
            .post_json(
                "/api/v1/auth/signup",
                serde_json::json!({
                    "email": email, "password": password, "first_name": "Ama", "last_name": "Mensah",
                    "country": "GH", "city": "Accra", "address1": "1 Ring Road", "postcode": "00233",
                    "phone": "+233550507788"
                }),
            )
            .await;
        assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
        let token = self.token_in_mail(email, "/verify-email").await;
        let res = self
            .post_json(
                "/api/v1/auth/email/verify",
                serde_json::json!({ "token": token }),
            )
            .await;
        assert_eq!(res.status(), 200);
        self.login(email, &password).await
    }

    /// Log in through the API (no 2FA).
    pub async fn login(&self, email: &str, password: &str) -> Customer {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                serde_json::json!({ "email": email, "password": password, "device_name": "tests" }),
            )
            .await;
        let body = json_with_status(res, 200).await;
        Customer {
            email: email.to_string(),
            password: password.to_string(),
            user_id: body["user"]["id"].as_i64().unwrap(),
            client_id: body["clients"][0]["id"].as_i64().unwrap_or(0),
            access: body["access_token"].as_str().unwrap().to_string(),
            refresh: body["refresh_token"].as_str().unwrap().to_string(),
        }
    }

    /// The token of the latest invitation emailed to `email`.
    pub async fn invitation_token(&self, email: &str) -> String {
        self.token_in_mail(email, "/invitation").await
    }

    /// Accept the latest invitation emailed to `email` by choosing
    /// `password` (an address without a login).
    pub async fn accept_invitation(&self, email: &str, password: &str) {
        let token = self.invitation_token(email).await;
        let res = self
            .post_json(
                "/api/v1/invitations/accept",
                serde_json::json!({ "token": token, "password": password }),
            )
            .await;
        json_with_status(res, 200).await;
    }

    /// Accept the latest invitation emailed to a user who has a login, as
    /// that user.
    pub async fn accept_invitation_as(&self, who: &Customer) {
        let token = self.invitation_token(&who.email).await;
        let res = self
            .http
            .post(self.url("/api/v1/invitations/accept"))
            .bearer_auth(&who.access)
            .json(&serde_json::json!({ "token": token }))
            .send()
            .await
            .unwrap();
        json_with_status(res, 200).await;
    }

    /// Invite `email` to `owner`'s client with `privileges` (reference
    /// 001's grouped shape), accept with `CONTACT_PASSWORD` and log in:
    /// answers the contact's id and login (working on the owner's client).
    pub async fn add_contact(
        &self,
        owner: &Customer,
        email: &str,
        privileges: serde_json::Value,
    ) -> (i64, Customer) {
        let res = self
            .http
            .post(self.url(&format!("/api/v1/clients/{}/contacts", owner.client_id)))
            .bearer_auth(&owner.access)
            .json(&serde_json::json!({
                "email": email, "first_name": "Kofi", "last_name": "Boateng", "privileges": privileges
            }))
            .send()
            .await
            .unwrap();
        json_with_status(res, 201).await;
        self.accept_invitation(email, CONTACT_PASSWORD).await;
        let list = json_with_status(
            self.get_auth(
                &format!("/api/v1/clients/{}/contacts", owner.client_id),
                &owner.access,
            )
            .await,
            200,
        )
        .await;
        let id = list["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["email"] == email)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let mut contact = self.login(email, CONTACT_PASSWORD).await;
        contact.client_id = owner.client_id;
        (id, contact)
    }
}

/// Turn on two-factor sign-in for the login behind `access` (setup, then
/// enable with a code at the app's clock); answers the TOTP secret.
pub async fn enable_two_factor(app: &TestApp, access: &str) -> String {
    let setup = app
        .http
        .post(app.url("/api/v1/auth/2fa/setup"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    let setup = json_with_status(setup, 200).await;
    let secret = setup["data"]["secret"].as_str().unwrap().to_string();
    assert!(
        setup["data"]["otpauth_url"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/")
    );
    assert!(setup["data"]["qr_svg"].as_str().unwrap().contains("<svg"));
    let code = totp::code_at(&secret, app.clock.now()).unwrap();
    let enabled = app
        .http
        .post(app.url("/api/v1/auth/2fa/enable"))
        .bearer_auth(access)
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap();
    let enabled = json_with_status(enabled, 200).await;
    assert_eq!(
        enabled["data"]["recovery_codes"].as_array().unwrap().len(),
        10
    );
    secret
}

/// The kinds of the portal notifications the customer sees for their
/// client (the owner sees them all), oldest first. Asked of the service
/// behind `GET /notifications` as the customer's user, since tests jump
/// the clock past their access token.
pub fn notification_kinds(app: &TestApp, c: &Customer) -> Vec<String> {
    let me = Principal::User(UserPrincipal {
        user_id: c.user_id,
        user_uuid: String::new(),
        session_id: 0,
        session_kind: SessionKind::Api,
    });
    let mut kinds: Vec<String> = till::service::notifications::list(&app.state.db, &me, false)
        .unwrap()
        .into_iter()
        .filter(|n| n.client_id == c.client_id)
        .map(|n| n.kind)
        .collect();
    kinds.reverse();
    kinds
}
