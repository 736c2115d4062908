//! The sample catalog a new installation starts with (unless
//! `sample_data = false`), made through the same service functions staff
//! use, so it is exactly what staff could have typed: two hosting plans
//! with two addons (daily backups, a dedicated IP), a VPS with options
//! (memory, operating system, extra IPv4 addresses, managed backups),
//! .com/.net/.org for 1 to 3 years, in USD and EUR; bank transfer is
//! enabled by the schema.

use jiff::Timestamp;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{money_input::MoneyInput, staff::StaffRole},
    error::Result,
    service::{
        catalog::addons::{self, AddonInput},
        catalog::config_options::{self, ChoiceInput, OptionInput},
        catalog::tlds::{self, TldInput, TldPriceInput},
        catalog::{self, GroupInput, PriceInput, ProductInput},
    },
    store::currencies::Currency,
};

fn price(currency: &str, cycle: &str, amount: &str, setup: &str) -> PriceInput {
    PriceInput {
        currency: currency.into(),
        cycle: cycle.into(),
        price: Some(MoneyInput::Decimal(amount.into())),
        setup_fee: Some(MoneyInput::Decimal(setup.into())),
        ..Default::default()
    }
}

/// Monthly and quarterly prices in USD and EUR (no setup fee).
fn vps_prices(usd: [&str; 2], eur: [&str; 2]) -> Vec<PriceInput> {
    vec![
        price("USD", "monthly", usd[0], "0"),
        price("USD", "quarterly", usd[1], "0"),
        price("EUR", "monthly", eur[0], "0"),
        price("EUR", "quarterly", eur[1], "0"),
    ]
}

fn choice(name: &str, prices: Vec<PriceInput>) -> ChoiceInput {
    ChoiceInput {
        name: name.into(),
        prices,
        ..Default::default()
    }
}

fn option(name: &str, kind: &str, sort_order: i64, choices: Vec<ChoiceInput>) -> OptionInput {
    OptionInput {
        name: name.into(),
        kind: kind.into(),
        sort_order,
        status: "active".into(),
        choices,
        ..Default::default()
    }
}

fn tld_price(currency: &str, years: i64, yearly: [i64; 3], transfer: bool) -> TldPriceInput {
    let [register, renew, transfer_price] = yearly.map(|y| Some(y * years));
    TldPriceInput {
        currency: currency.into(),
        years,
        register_minor: register,
        renew_minor: renew,
        // Transfers add one year, as registries do.
        transfer_minor: if transfer { transfer_price } else { None },
        ..Default::default()
    }
}

/// The VPS's options, the hosting plans' addons and the TLDs.
fn install_extras(
    db: &Db,
    staff: &StaffPrincipal,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    let vps = "vps-2-gb";
    for o in [
        option(
            "Memory",
            "dropdown",
            0,
            vec![
                choice("2 GB", vec![]),
                choice("4 GB", vps_prices(["6.00", "17.00"], ["5.50", "15.50"])),
                choice("8 GB", vps_prices(["15.00", "42.00"], ["13.50", "38.00"])),
            ],
        ),
        option(
            "Operating system",
            "radio",
            1,
            vec![
                choice("Debian 13", vec![]),
                choice("Ubuntu 24.04", vec![]),
                choice("AlmaLinux 10", vec![]),
            ],
        ),
        OptionInput {
            min_quantity: Some(0),
            max_quantity: Some(8),
            ..option(
                "Extra IPv4 addresses",
                "quantity",
                2,
                vec![choice(
                    "IPv4 address",
                    vps_prices(["2.00", "6.00"], ["1.80", "5.40"]),
                )],
            )
        },
        option(
            "Managed backups",
            "yesno",
            3,
            vec![choice(
                "Yes",
                vps_prices(["3.00", "9.00"], ["2.70", "8.10"]),
            )],
        ),
    ] {
        config_options::create(db, staff, vps, o, meta, now)?;
    }
    let hosting = vec!["starter".to_string(), "business".to_string()];
    addons::create(
        db,
        staff,
        AddonInput {
            name: "Daily backups".into(),
            description: "Thirty days of daily backups, restored on request.".into(),
            status: "visible".into(),
            prices: vec![
                price("USD", "monthly", "1.50", "0"),
                price("USD", "annually", "15.00", "0"),
                price("EUR", "monthly", "1.35", "0"),
                price("EUR", "annually", "13.50", "0"),
            ],
            products: hosting.clone(),
            ..Default::default()
        },
        meta,
        now,
    )?;
    addons::create(
        db,
        staff,
        AddonInput {
            name: "Dedicated IP".into(),
            description: "An IPv4 address of your own.".into(),
            status: "visible".into(),
            sort_order: 1,
            prices: vec![
                price("USD", "monthly", "3.00", "2.00"),
                price("USD", "annually", "30.00", "2.00"),
                price("EUR", "monthly", "2.70", "1.80"),
                price("EUR", "annually", "27.00", "1.80"),
            ],
            products: hosting,
            ..Default::default()
        },
        meta,
        now,
    )?;
    // Yearly register, renew and transfer prices in minor units.
    for (i, (tld, usd, eur, transfers)) in [
        (".com", [1299, 1499, 1299], [1199, 1399, 1199], true),
        (".net", [1399, 1599, 1399], [1299, 1499, 1299], true),
        (".org", [1199, 1399, 1199], [1099, 1299, 1099], false),
    ]
    .into_iter()
    .enumerate()
    {
        let mut prices = Vec::new();
        for years in 1..=3 {
            // Transfers are offered for one year (.org: not at all here).
            prices.push(tld_price("USD", years, usd, transfers && years == 1));
            prices.push(tld_price("EUR", years, eur, transfers && years == 1));
        }
        tlds::create(
            db,
            staff,
            TldInput {
                tld: tld.into(),
                supports_id_protection: true,
                status: "active".into(),
                sort_order: i as i64,
                prices,
                ..Default::default()
            },
            meta,
            now,
        )?;
    }
    Ok(())
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
    install_extras(db, &staff, &meta, now)
}
