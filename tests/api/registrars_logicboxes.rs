//! The LogicBoxes registrar against a local fake of its HTTP API: the
//! parameters each operation sends, what the answers become, where the
//! API key goes (and where it never goes), and which failures are worth
//! a retry.

use jiff::{Span, Timestamp, tz::TimeZone};
use till::{
    config::Secret,
    integrations::{
        outbound::TargetPolicy,
        registrars::{
            Contact, DnsRecord, EppCode, Nameserver, Outcome, Pending, Period, Registrar,
            RegistrarConfig, RegistrarError, Registration, Transfer, registrar_for,
        },
    },
};

use crate::support::fakes::{FakeLogicBoxes, closed_port_url};

const USERID: &str = "123456";
const KEY: &str = "lb-api-key-SECRET";

fn config(base_url: &str, key: &str) -> RegistrarConfig {
    serde_json::from_value(serde_json::json!({
        "module": "logicboxes",
        "base_url": base_url,
        "auth_userid": USERID,
        "api_key": key,
        "timeout_secs": 5,
    }))
    .unwrap()
}

fn client_at(base_url: &str, key: &str) -> Box<dyn Registrar> {
    let policy = TargetPolicy::from_config(&["127.0.0.1".to_string()]);
    registrar_for(&config(base_url, key), &policy).unwrap()
}

fn client(fake: &FakeLogicBoxes) -> Box<dyn Registrar> {
    client_at(&fake.url, KEY)
}

fn contact() -> Contact {
    Contact {
        name: "Grace Hopper".into(),
        org: None,
        street: vec!["1 Navy Way".into()],
        city: "Arlington".into(),
        state: Some("VA".into()),
        postcode: Some("22202".into()),
        country: "us".into(),
        phone: "+1.7035550100".into(),
        email: "grace@example.org".into(),
        extra: Default::default(),
    }
}

fn registration(name: &str, years: u8) -> Registration {
    Registration {
        name: name.into(),
        period: Period::years(years).unwrap(),
        nameservers: vec![
            Nameserver::named("ns1.host.example"),
            Nameserver::named("ns2.host.example"),
        ],
        contact: contact(),
        id_protection: true,
    }
}

fn years_from(t: Timestamp, n: i64) -> Timestamp {
    t.to_zoned(TimeZone::UTC)
        .checked_add(Span::new().years(n))
        .unwrap()
        .timestamp()
}

#[tokio::test]
async fn check_tells_free_names_from_taken_ones() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.add_elsewhere("taken.com", "x");
    let checks = client(&fake)
        .check(&["free.com", "taken.com"])
        .await
        .unwrap();
    assert!(checks[0].available);
    assert!(!checks[1].available);
    assert_eq!(checks[1].reason.as_deref(), Some("regthroughothers"));
    let call = &fake.calls_to("domains/available.json")[0];
    assert_eq!(
        (call.param("domain-name"), call.param("tlds")),
        (Some("free"), Some("com"))
    );
}

#[tokio::test]
async fn registration_makes_the_customer_and_contact_then_the_order() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let before = Timestamp::now();
    let outcome = client(&fake)
        .register(&registration("new-site.com", 2))
        .await
        .unwrap();
    let Outcome::Done {
        expiry: Some(expiry),
    } = outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(
        expiry
            >= years_from(before, 2)
                .checked_sub(Span::new().seconds(1))
                .unwrap()
    );
    assert!(expiry <= years_from(Timestamp::now(), 2));

    let customer = &fake.calls_to("customers/add.json")[0];
    assert_eq!(customer.param("username"), Some("grace@example.org"));
    assert_eq!(customer.param("company"), Some("Grace Hopper"));
    let contact = &fake.calls_to("contacts/add.json")[0];
    assert_eq!(
        (contact.param("phone-cc"), contact.param("phone")),
        (Some("1"), Some("7035550100"))
    );
    assert_eq!(contact.param("address-line-1"), Some("1 Navy Way"));
    assert_eq!(contact.param("country"), Some("US"));
    assert_eq!(contact.param("type"), Some("Contact"));

    let register = &fake.calls_to("domains/register.json")[0];
    assert_eq!(register.param("years"), Some("2"));
    assert_eq!(register.all("ns"), ["ns1.host.example", "ns2.host.example"]);
    assert_eq!(register.param("invoice-option"), Some("NoInvoice"));
    assert_eq!(register.param("auto-renew"), Some("false"));
    assert_eq!(register.param("protect-privacy"), Some("true"));
    let order = fake.order("new-site.com").unwrap();
    for role in [
        "reg-contact-id",
        "admin-contact-id",
        "tech-contact-id",
        "billing-contact-id",
    ] {
        assert_eq!(register.param(role), Some(order.contact.as_str()), "{role}");
    }
    assert_eq!(
        register.param("customer-id"),
        Some(order.customer.to_string().as_str())
    );

    let info = client(&fake).info("new-site.com").await.unwrap();
    assert_eq!(info.expiry, Some(expiry));
    assert_eq!(info.nameservers, ["ns1.host.example", "ns2.host.example"]);
    assert_eq!(info.id_protection, Some(true));
    assert!(!info.locked);
}

#[tokio::test]
async fn a_second_registration_for_the_same_person_reuses_their_customer() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let c = client(&fake);
    c.register(&registration("one.com", 1)).await.unwrap();
    c.register(&registration("two.com", 1)).await.unwrap();
    assert_eq!(fake.calls_to("customers/add.json").len(), 1);
    assert_eq!(
        fake.order("one.com").unwrap().customer,
        fake.order("two.com").unwrap().customer
    );
}

#[tokio::test]
async fn child_nameservers_are_added_with_their_addresses() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let mut r = registration("glue.com", 1);
    r.nameservers = vec![
        Nameserver {
            host: "ns1.glue.com".into(),
            addrs: vec!["192.0.2.1".parse().unwrap()],
        },
        Nameserver::named("ns2.host.example"),
    ];
    client(&fake).register(&r).await.unwrap();
    assert_eq!(
        fake.order("glue.com").unwrap().child_hosts,
        [("ns1.glue.com".to_string(), vec!["192.0.2.1".to_string()])]
    );
}

#[tokio::test]
async fn registering_a_taken_name_is_refused() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.add_elsewhere("taken.com", "x");
    let err = client(&fake)
        .register(&registration("taken.com", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Refused { message, .. } if message.contains("already registered")),
        "{err:?}"
    );
    assert!(!err.retryable());
}

#[tokio::test]
async fn a_retried_registration_that_went_through_is_done_not_refused() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let c = client(&fake);
    let first = c.register(&registration("once.com", 1)).await.unwrap();
    let again = c.register(&registration("once.com", 1)).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(fake.calls_to("domains/register.json").len(), 2);
}

#[tokio::test]
async fn a_base_url_that_is_not_the_api_is_a_setting_to_fix() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let wrong = fake.url.replace("/api/", "/not-the-api/");
    let err = client_at(&wrong, KEY).info("any.com").await.unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Misconfigured(m) if m.contains("404")),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_api_key_goes_in_the_body_of_posts_and_never_into_errors() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    client(&fake)
        .register(&registration("quiet.com", 1))
        .await
        .unwrap();
    for call in fake.calls() {
        assert_eq!(call.param("api-key"), Some(KEY), "{}", call.path);
        if call.method == "POST" {
            assert!(
                !call.query.contains(KEY),
                "{} put the key in its URL",
                call.path
            );
        }
    }
    // A transport error names no URL, so no key either.
    let err = client_at(&format!("{}/api/", closed_port_url()), KEY)
        .info("quiet.com")
        .await
        .unwrap_err();
    assert!(err.retryable(), "{err:?}");
    assert!(!err.to_string().contains(KEY), "{err}");
    assert!(!err.to_string().contains("api-key"), "{err}");
}

fn transfer(name: &str, code: &str) -> Transfer {
    Transfer {
        name: name.into(),
        auth_code: Secret::new(code),
        period: Period::years(1).unwrap(),
        contact: contact(),
        nameservers: vec![Nameserver::named("ns1.host.example")],
    }
}

#[tokio::test]
async fn a_transfer_with_the_right_code_waits_for_approval() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.add_elsewhere("moving.com", "Code&=1");
    let outcome = client(&fake)
        .transfer(&transfer("moving.com", "Code&=1"))
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Pending(Pending::TransferApproval));
    let call = &fake.calls_to("domains/transfer.json")[0];
    assert_eq!(call.param("auth-code"), Some("Code&=1"));
    assert_eq!(call.param("invoice-option"), Some("NoInvoice"));
    assert_eq!(fake.order("moving.com").unwrap().status, "Pending Transfer");
}

#[tokio::test]
async fn a_transfer_with_a_wrong_code_is_refused() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.add_elsewhere("moving.com", "right");
    let err = client(&fake)
        .transfer(&transfer("moving.com", "wrong"))
        .await
        .unwrap_err();
    assert!(matches!(err, RegistrarError::Refused { .. }), "{err:?}");
    assert!(fake.order("moving.com").is_none());
}

#[tokio::test]
async fn renewal_sends_the_current_expiry_and_extends_it() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.add_order("mine.com", "2027-05-01T12:00:00Z");
    let outcome = client(&fake)
        .renew("mine.com", Period::years(2).unwrap())
        .await
        .unwrap();
    let want: Timestamp = "2029-05-01T12:00:00Z".parse().unwrap();
    assert_eq!(outcome, Outcome::Done { expiry: Some(want) });
    let call = &fake.calls_to("domains/renew.json")[0];
    let current: Timestamp = "2027-05-01T12:00:00Z".parse().unwrap();
    assert_eq!(
        call.param("exp-date"),
        Some(current.as_second().to_string().as_str())
    );
    assert_eq!(call.param("years"), Some("2"));
    assert_eq!(
        call.param("order-id"),
        Some(fake.order("mine.com").unwrap().id.to_string().as_str())
    );
}

#[tokio::test]
async fn nameservers_lock_privacy_and_the_epp_code_act_on_the_order() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.add_order("manage.com", "2027-05-01T12:00:00Z");
    let c = client(&fake);

    let ns = [
        Nameserver::named("a.dns.example"),
        Nameserver::named("b.dns.example"),
    ];
    c.set_nameservers("manage.com", &ns).await.unwrap();
    assert_eq!(
        fake.calls_to("domains/modify-ns.json")[0].all("ns"),
        ["a.dns.example", "b.dns.example"]
    );

    c.set_lock("manage.com", true).await.unwrap();
    assert!(c.info("manage.com").await.unwrap().locked);
    c.set_lock("manage.com", false).await.unwrap();
    assert!(!c.info("manage.com").await.unwrap().locked);

    c.set_id_protection("manage.com", true).await.unwrap();
    assert!(fake.order("manage.com").unwrap().privacy);
    assert_eq!(
        c.info("manage.com").await.unwrap().id_protection,
        Some(true)
    );

    let code = c.epp_code("manage.com").await.unwrap();
    let EppCode::Code(secret) = code else {
        panic!("no code")
    };
    assert_eq!(secret.expose(), fake.order("manage.com").unwrap().secret);
    assert_eq!(
        fake.calls_to("domains/details.json")[0].param("options"),
        Some("OrderDetails")
    );
}

#[tokio::test]
async fn contact_updates_add_a_contact_and_point_every_role_at_it() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let c = client(&fake);
    c.register(&registration("people.com", 1)).await.unwrap();
    let mut moved = contact();
    moved.city = "New York".into();
    c.update_contacts("people.com", &moved).await.unwrap();
    let modify = &fake.calls_to("domains/modify-contact.json")[0];
    let id = modify.param("reg-contact-id").unwrap();
    assert_eq!(modify.param("tech-contact-id"), Some(id));
    assert_eq!(fake.contact(id).unwrap()["city"], "New York");
    assert_eq!(fake.order("people.com").unwrap().contact, id);
}

#[tokio::test]
async fn dns_records_are_added_listed_and_deleted() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let c = client(&fake);
    let www = DnsRecord {
        host: "www".into(),
        kind: "A".into(),
        value: "192.0.2.10".into(),
        ttl: 3600,
        priority: None,
    };
    let mail = DnsRecord {
        host: "@".into(),
        kind: "MX".into(),
        value: "mail.example.org".into(),
        ttl: 3600,
        priority: Some(10),
    };
    c.add_dns_record("zone.com", &www).await.unwrap();
    c.add_dns_record("zone.com", &mail).await.unwrap();
    assert_eq!(
        fake.calls_to("dns/manage/add-mx-record.json")[0].param("priority"),
        Some("10")
    );
    let records = c.dns_records("zone.com").await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0], www);
    c.delete_dns_record("zone.com", &www).await.unwrap();
    let left = c.dns_records("zone.com").await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, "MX");
    let srv = DnsRecord {
        kind: "SRV".into(),
        ..www
    };
    assert!(matches!(
        c.add_dns_record("zone.com", &srv).await,
        Err(RegistrarError::Unsupported(_))
    ));
}

#[tokio::test]
async fn an_outage_is_transient() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    fake.set_outage(true);
    let err = client(&fake)
        .register(&registration("later.com", 1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RegistrarError::Transient(m) if m.contains("503")),
        "{err:?}"
    );
    fake.set_outage(false);
    assert!(
        client(&fake)
            .register(&registration("later.com", 1))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_wrong_api_key_is_refused_and_not_retried() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let err = client_at(&fake.url, "wrong-key")
        .info("any.com")
        .await
        .unwrap_err();
    assert!(!err.retryable(), "{err:?}");
    assert!(!err.to_string().contains("wrong-key"));
}

#[tokio::test]
async fn a_contact_phone_outside_the_epp_form_is_refused_before_anything_is_ordered() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let mut r = registration("phone.com", 1);
    r.contact.phone = "0703 555 0100".into();
    let err = client(&fake).register(&r).await.unwrap_err();
    assert!(matches!(err, RegistrarError::Misconfigured(_)), "{err:?}");
    assert!(fake.calls_to("domains/register.json").is_empty());
}

#[test]
fn the_config_keeps_the_api_key_out_of_debug_output() {
    let printed = format!("{:?}", config("https://test.httpapi.com/api/", KEY));
    assert!(!printed.contains(KEY));
    assert!(printed.contains("[redacted]"));
}

#[tokio::test]
async fn registrant_fields_are_sent_as_contact_attributes() {
    let fake = FakeLogicBoxes::start(USERID, KEY);
    let mut reg = registration("nexus-site.us", 1);
    reg.contact.extra = [("us_nexus", "C11"), ("us_purpose", "P1")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    client(&fake).register(&reg).await.unwrap();
    let added = &fake.calls_to("contacts/add.json")[0];
    assert_eq!(added.param("attr-name1"), Some("us_nexus"));
    assert_eq!(added.param("attr-value1"), Some("C11"));
    assert_eq!(added.param("attr-name2"), Some("us_purpose"));
    assert_eq!(added.param("attr-value2"), Some("P1"));
    assert_eq!(added.param("attr-name3"), None);
}
