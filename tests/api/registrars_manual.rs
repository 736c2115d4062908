//! The manual registrar, the default: every action becomes a staff to-do
//! (`Pending::Manual` with its words) and nothing reaches the network.

use till::integrations::{
    outbound::TargetPolicy,
    registrars::{
        Contact, EppCode, Nameserver, Outcome, Pending, Period, REGISTRARS, Registrar,
        RegistrarConfig, RegistrarError, Registration, registrar_for,
    },
};

fn manual() -> Box<dyn Registrar> {
    let config: RegistrarConfig = serde_json::from_str(r#"{"module": "manual"}"#).unwrap();
    registrar_for(&config, &TargetPolicy::default()).unwrap()
}

fn contact() -> Contact {
    Contact {
        name: "Ada Lovelace".into(),
        org: None,
        street: vec!["12 St James's Square".into()],
        city: "London".into(),
        state: None,
        postcode: None,
        country: "GB".into(),
        phone: "+44.2079460000".into(),
        email: "ada@example.org".into(),
        extra: Default::default(),
    }
}

fn todo(outcome: Outcome) -> String {
    match outcome {
        Outcome::Pending(Pending::Manual(text)) => text,
        other => panic!("not a to-do: {other:?}"),
    }
}

#[tokio::test]
async fn every_action_of_the_manual_registrar_is_a_staff_todo() {
    let m = manual();
    assert_eq!(m.name(), "manual");
    let r = Registration {
        name: "by-hand.test".into(),
        period: Period::years(2).unwrap(),
        nameservers: vec![Nameserver::named("ns1.host.example")],
        contact: contact(),
        id_protection: true,
    };
    let text = todo(m.register(&r).await.unwrap());
    assert!(text.contains("by-hand.test") && text.contains("2 years"));
    assert!(text.contains("ns1.host.example") && text.contains("ada@example.org"));
    assert!(text.contains("ID protection"));

    let renew = todo(
        m.renew("by-hand.test", Period::years(1).unwrap())
            .await
            .unwrap(),
    );
    assert_eq!(renew, "Renew by-hand.test for 1 year");
    assert!(todo(m.set_lock("by-hand.test", true).await.unwrap()).starts_with("Lock"));
    let ns = todo(m.set_nameservers("by-hand.test", &[]).await.unwrap());
    assert!(ns.contains("default nameservers"));
    assert!(
        todo(m.update_contacts("by-hand.test", &contact()).await.unwrap()).contains("contacts")
    );
    assert!(todo(m.set_id_protection("by-hand.test", false).await.unwrap()).contains("off"));
    assert!(matches!(
        m.epp_code("by-hand.test").await.unwrap(),
        EppCode::Pending(Pending::Manual(_))
    ));
}

#[tokio::test]
async fn a_manual_transfer_todo_never_shows_the_auth_code() {
    let t = till::integrations::registrars::Transfer {
        name: "moving.test".into(),
        auth_code: till::config::Secret::new("Sup3r-Secret"),
        period: Period::years(1).unwrap(),
        contact: contact(),
        nameservers: Vec::new(),
    };
    let text = todo(manual().transfer(&t).await.unwrap());
    assert!(text.contains("moving.test"));
    assert!(!text.contains("Sup3r-Secret"));
}

#[tokio::test]
async fn what_only_a_registry_knows_is_unsupported_by_hand() {
    let m = manual();
    assert!(matches!(
        m.check(&["a.test"]).await,
        Err(RegistrarError::Unsupported(_))
    ));
    assert!(matches!(
        m.info("a.test").await,
        Err(RegistrarError::Unsupported(_))
    ));
    assert!(matches!(
        m.dns_records("a.test").await,
        Err(RegistrarError::Unsupported(_))
    ));
}

#[test]
fn the_registrar_modules_are_manual_epp_and_logicboxes() {
    assert_eq!(REGISTRARS, ["manual", "epp", "logicboxes"]);
    let bad: Result<RegistrarConfig, _> = serde_json::from_str(r#"{"module": "acme"}"#);
    assert!(bad.is_err());
}
