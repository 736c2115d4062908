//! The sample catalog a new installation starts with (unless
//! `sample_data = false`), made through the same service functions staff
//! use, so it is exactly what staff could have typed.

use jiff::Timestamp;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::staff::StaffRole,
    error::Result,
    service::catalog::{self, GroupInput, PriceInput, ProductInput},
    store::currencies::Currency,
};

fn price(currency: &str, cycle: &str, amount: &str, setup: &str) -> PriceInput {
    PriceInput {
        currency: currency.into(),
        cycle: cycle.into(),
        price: Some(amount.into()),
        setup_fee: Some(setup.into()),
        ..Default::default()
    }
}

/// Add the sample catalog as the first admin (`staff_id`).
pub fn install(db: &Db, staff_id: i64, now: Timestamp) -> Result<()> {
    let staff = StaffPrincipal {
        staff_id,
        role: StaffRole::Admin,
        api_key_id: None,
        scopes: None,
    };
    let meta = RequestMeta::default();
    for (code, prefix, suffix, default) in [("USD", "$", "USD", true), ("EUR", "€", "EUR", false)]
    {
        catalog::save_currency(
            db,
            &staff,
            Currency {
                code: code.into(),
                prefix: prefix.into(),
                suffix: suffix.into(),
                decimals: 2,
                is_default: default,
            },
            &meta,
            now,
        )?;
    }
    let hosting = catalog::create_group(
        db,
        &staff,
        GroupInput {
            name: "Shared Hosting".into(),
            description: "Websites and email on fast, managed servers.".into(),
            visible: true,
            ..Default::default()
        },
        &meta,
        now,
    )?;
    let vps = catalog::create_group(
        db,
        &staff,
        GroupInput {
            name: "Virtual Servers".into(),
            slug: Some("vps".into()),
            description: "Your own server with root access.".into(),
            sort_order: 1,
            visible: true,
        },
        &meta,
        now,
    )?;
    let plans = [
        (
            &hosting.slug,
            "hosting",
            "Starter",
            "One website, 10 GB SSD, free SSL.",
            vec![
                price("USD", "monthly", "4.99", "0"),
                price("USD", "annually", "49.90", "0"),
                price("EUR", "monthly", "4.49", "0"),
                price("EUR", "annually", "44.90", "0"),
            ],
        ),
        (
            &hosting.slug,
            "hosting",
            "Business",
            "Unlimited websites, 50 GB SSD, daily backups.",
            vec![
                price("USD", "monthly", "9.99", "0"),
                price("USD", "annually", "99.90", "0"),
                price("EUR", "monthly", "8.99", "0"),
                price("EUR", "annually", "89.90", "0"),
            ],
        ),
        (
            &vps.slug,
            "vps",
            "VPS 2 GB",
            "2 vCPU, 2 GB RAM, 40 GB NVMe.",
            vec![
                price("USD", "monthly", "12.00", "5.00"),
                price("USD", "quarterly", "34.00", "0"),
                price("EUR", "monthly", "11.00", "5.00"),
                price("EUR", "quarterly", "31.00", "0"),
            ],
        ),
    ];
    for (i, (group, kind, name, description, prices)) in plans.into_iter().enumerate() {
        catalog::create_product(
            db,
            &staff,
            ProductInput {
                group: group.clone(),
                kind: kind.into(),
                name: name.into(),
                description: description.into(),
                status: "visible".into(),
                requires_domain: kind == "hosting",
                module: "manual".into(),
                module_settings: serde_json::json!({}),
                sort_order: i as i64,
                prices,
                ..Default::default()
            },
            &meta,
            now,
        )?;
    }
    Ok(())
}
