//! The ledger invariant, proven by a model-based property test: random
//! sequences of what customers and staff do with money (orders, payments
//! in full, in part and over, credit, add-funds, cycle and plan changes,
//! addons, cancellations, renewing ahead, refunds, cancelled invoices,
//! promotion codes, and time passing over renewals) run through the real
//! service functions, and after every step the ledger must add up (see
//! `invariants`). A failing case is shrunk to its shortest sequence and
//! printed.

mod invariants;
mod world;

use proptest::{prelude::*, test_runner::Config as RunnerConfig};
use till::{
    domain::money_input::MoneyInput,
    error::AppError,
    service::{
        automation::dunning,
        automation::renewals,
        billing,
        idempotency::{KeyedRequest, Surface},
        payments::refunds,
        payments::{Periods, RecordPayment},
        sales::order_items::ItemRequest,
        sales::orders::{self, PlaceOrder},
        services::cycle_changes,
        services::plan_changes,
        services::service_actions::{self, CancelWhen},
        services::service_addons,
    },
};
use world::{CLIENT, World};

#[derive(Debug, Clone, Copy)]
enum Promo {
    None,
    /// 100% off the first invoice.
    Free,
    /// 50% off, renewals too.
    Half,
    /// 2.00 off the first invoice.
    Two,
}

#[derive(Debug, Clone, Copy)]
enum Paying {
    Full,
    /// This percentage of what is due.
    Part(u8),
    /// What is due and this much more.
    Over(u16),
}

#[derive(Debug, Clone)]
enum Op {
    Order {
        business: bool,
        annual: bool,
        promo: Promo,
        addon: bool,
    },
    Pay {
        pick: usize,
        how: Paying,
    },
    ApplyCredit {
        pick: usize,
    },
    AddFunds {
        minor: u16,
    },
    Cycle {
        pick: usize,
        annual: bool,
        now: bool,
    },
    Plan {
        pick: usize,
        business: bool,
    },
    Addon {
        pick: usize,
        ip: bool,
    },
    Cancel {
        pick: usize,
        now: bool,
    },
    RenewAhead {
        pick: usize,
    },
    /// Refund this percentage of what is left (100: all of it).
    Refund {
        pick: usize,
        percent: u8,
        to_credit: bool,
    },
    CancelInvoice {
        pick: usize,
        waive: bool,
    },
    Wait {
        days: u8,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let promo = prop_oneof![
        Just(Promo::None),
        Just(Promo::Free),
        Just(Promo::Half),
        Just(Promo::Two)
    ];
    let paying = prop_oneof![
        3 => Just(Paying::Full),
        1 => (1u8..100).prop_map(Paying::Part),
        1 => (1u16..3000).prop_map(Paying::Over),
    ];
    prop_oneof![
        3 => (any::<bool>(), any::<bool>(), promo, any::<bool>())
            .prop_map(|(business, annual, promo, addon)| Op::Order { business, annual, promo, addon }),
        4 => (any::<usize>(), paying).prop_map(|(pick, how)| Op::Pay { pick, how }),
        2 => any::<usize>().prop_map(|pick| Op::ApplyCredit { pick }),
        1 => (1u16..6000).prop_map(|minor| Op::AddFunds { minor }),
        3 => (any::<usize>(), any::<bool>(), any::<bool>())
            .prop_map(|(pick, annual, now)| Op::Cycle { pick, annual, now }),
        3 => (any::<usize>(), any::<bool>()).prop_map(|(pick, business)| Op::Plan { pick, business }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(pick, ip)| Op::Addon { pick, ip }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(pick, now)| Op::Cancel { pick, now }),
        1 => any::<usize>().prop_map(|pick| Op::RenewAhead { pick }),
        2 => (any::<usize>(), 1u8..=100, any::<bool>())
            .prop_map(|(pick, percent, to_credit)| Op::Refund { pick, percent, to_credit }),
        1 => (any::<usize>(), any::<bool>()).prop_map(|(pick, waive)| Op::CancelInvoice { pick, waive }),
        3 => (1u8..=45).prop_map(|days| Op::Wait { days }),
    ]
}

fn ids(w: &World, sql: &'static str) -> Vec<i64> {
    w.db.read(|c| {
        let mut stmt = c.prepare(sql)?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(rows)
    })
    .unwrap()
}

fn pick(list: &[i64], n: usize) -> Option<String> {
    (!list.is_empty()).then(|| list[n % list.len()].to_string())
}

fn services(w: &World) -> Vec<i64> {
    ids(w, "SELECT id FROM services ORDER BY id")
}

fn unpaid(w: &World) -> Vec<i64> {
    ids(
        w,
        "SELECT id FROM invoices WHERE status = 'unpaid' ORDER BY id",
    )
}

fn due_of(w: &World, invoice: &str) -> i64 {
    let id: i64 = invoice.parse().unwrap();
    w.db.read(|c| {
        Ok(c.query_row(
            "SELECT total - amount_paid - credit_applied FROM invoices WHERE id = ?1",
            [id],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

/// Run one step. Refusals (4xx) are part of the game; anything else is a
/// failure.
fn step(w: &mut World, op: &Op, rt: &tokio::runtime::Runtime) -> Result<(), String> {
    let (db, brand, meta, now) = (&w.db.clone(), &w.brand.clone(), &w.meta.clone(), w.now);
    let customer = w.customer.clone();
    let outcome: Result<(), AppError> = match op.clone() {
        Op::Order {
            business,
            annual,
            promo,
            addon,
        } => {
            let n = w.next_serial();
            let item = ItemRequest {
                kind: "hosting".into(),
                product: if business { "business" } else { "starter" }.into(),
                billing_cycle: if annual { "annually" } else { "monthly" }.into(),
                domain: Some(format!("site{n}.example")),
                addons: if addon {
                    vec!["daily-backups".into()]
                } else {
                    Vec::new()
                },
                ..ItemRequest::default()
            };
            let code = match promo {
                Promo::None => None,
                Promo::Free => Some("FREE"),
                Promo::Half => Some("HALF"),
                Promo::Two => Some("TWO"),
            };
            orders::place(
                db,
                &w.config,
                &till::auth::keys::AuthKeys::from_master(&[7; 32]).unwrap(),
                &customer,
                CLIENT,
                PlaceOrder {
                    items: vec![item],
                    promo_code: code.map(str::to_string),
                    key: KeyedRequest::new(
                        Surface::V1,
                        &format!("order-{n}"),
                        format!("order-{n}"),
                    )
                    .expect("a valid key"),
                    cart_id: None,
                },
                meta,
                now,
            )
            .map(drop)
        }
        Op::Pay { pick: p, how } => match pick(&unpaid(w), p) {
            None => Ok(()),
            Some(invoice) => {
                let due = due_of(w, &invoice);
                let amount = match how {
                    Paying::Full => due,
                    Paying::Part(pct) => (due * i64::from(pct) / 100).max(1),
                    Paying::Over(extra) => due + i64::from(extra),
                };
                let tx = format!("T-{}", w.next_serial());
                if amount <= 0 {
                    Ok(())
                } else {
                    till::service::payments::record_payment(
                        db,
                        brand,
                        &w.staff,
                        &invoice,
                        RecordPayment {
                            amount: Some(MoneyInput::Minor(amount)),
                            gateway: "bank_transfer".into(),
                            transaction_id: tx,
                        },
                        meta,
                        now,
                    )
                    .map(drop)
                }
            }
        },
        Op::ApplyCredit { pick: p } => match pick(&unpaid(w), p) {
            None => Ok(()),
            Some(invoice) => till::service::payments::apply_credit(
                db, brand, &customer, CLIENT, &invoice, None, meta, now,
            )
            .map(drop),
        },
        Op::AddFunds { minor } => {
            let amount = MoneyInput::Decimal(format!("{}.{:02}", minor / 100, minor % 100));
            billing::add_funds_invoice(db, brand, &customer, CLIENT, Some(&amount), meta, now)
                .map(drop)
        }
        Op::Cycle {
            pick: p,
            annual,
            now: at_once,
        } => match pick(&services(w), p) {
            None => Ok(()),
            Some(s) => {
                let cycle = if annual { "annually" } else { "monthly" };
                if at_once {
                    cycle_changes::change_now(db, brand, &customer, CLIENT, &s, cycle, meta, now)
                        .map(drop)
                } else {
                    cycle_changes::change_cycle(db, &customer, CLIENT, &s, cycle, meta, now)
                        .map(drop)
                }
            }
        },
        Op::Plan { pick: p, business } => match pick(&services(w), p) {
            None => Ok(()),
            Some(s) => {
                let product = if business { "business" } else { "starter" };
                plan_changes::change(db, brand, &customer, CLIENT, &s, product, meta, now).map(drop)
            }
        },
        Op::Addon { pick: p, ip } => match pick(&services(w), p) {
            None => Ok(()),
            Some(s) => {
                let addon = if ip { "dedicated-ip" } else { "daily-backups" };
                service_addons::order(db, brand, &customer, CLIENT, &s, addon, meta, now).map(drop)
            }
        },
        Op::Cancel {
            pick: p,
            now: at_once,
        } => match pick(&services(w), p) {
            None => Ok(()),
            Some(s) => {
                let when = if at_once {
                    CancelWhen::Immediate
                } else {
                    CancelWhen::EndOfPeriod
                };
                service_actions::cancel(db, brand, &customer, CLIENT, &s, when, "", meta, now)
                    .map(drop)
            }
        },
        Op::RenewAhead { pick: p } => match pick(&services(w), p) {
            None => Ok(()),
            Some(s) => till::service::automation::renewals::renew(
                db, brand, &customer, CLIENT, &s, meta, now,
            )
            .map(drop),
        },
        Op::Refund {
            pick: p,
            percent,
            to_credit,
        } => {
            match pick(
                &ids(
                    w,
                    "SELECT id FROM payments WHERE refunded < amount ORDER BY id",
                ),
                p,
            ) {
                None => Ok(()),
                Some(payment) => {
                    let left: i64 =
                        w.db.read(|c| {
                            Ok(c.query_row(
                                "SELECT amount - refunded FROM payments WHERE id = ?1",
                                [payment.parse::<i64>().unwrap()],
                                |r| r.get(0),
                            )?)
                        })
                        .unwrap();
                    let amount = (percent < 100).then(|| {
                        let m = (left * i64::from(percent) / 100).max(1);
                        MoneyInput::Decimal(format!("{}.{:02}", m / 100, m % 100))
                    });
                    rt.block_on(refunds::refund(
                        db,
                        &w.gateways,
                        brand,
                        w.staff.clone(),
                        payment,
                        refunds::RefundRequest {
                            amount,
                            destination: if to_credit { "credit" } else { "external" }.into(),
                            reason: String::new(),
                        },
                        meta.clone(),
                        now,
                    ))
                    .map(drop)
                }
            }
        }
        Op::CancelInvoice { pick: p, waive } => match pick(&unpaid(w), p) {
            None => Ok(()),
            Some(invoice) => {
                let periods = if waive {
                    Periods::Waive
                } else {
                    Periods::Release
                };
                till::service::payments::cancel_invoice(
                    db, brand, &w.staff, &invoice, periods, meta, now,
                )
                .map(drop)
            }
        },
        Op::Wait { days } => {
            w.advance_days(i64::from(days));
            renewals::invoice_due(db, brand, w.now)
                .and_then(|_| dunning::run(db, brand, w.now))
                .map(drop)
        }
    };
    match outcome {
        Ok(()) => Ok(()),
        Err(e @ (AppError::Internal(_) | AppError::Database(_) | AppError::Pool(_))) => {
            Err(format!("{op:?} failed: {e}"))
        }
        // Refused: nothing may have changed, which the invariants check.
        Err(_) => Ok(()),
    }
}

fn cases() -> u32 {
    std::env::var("LEDGER_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000)
}

proptest! {
    #![proptest_config(RunnerConfig {
        cases: cases(),
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..RunnerConfig::default()
    })]

    #[test]
    fn no_sequence_of_actions_creates_or_loses_money(ops in proptest::collection::vec(op(), 1..30)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let mut w = World::new();
        for (i, op) in ops.iter().enumerate() {
            if let Err(e) = step(&mut w, op, &rt).and_then(|()| invariants::check(&w.db)) {
                prop_assert!(false, "after step {} ({:?}): {}", i + 1, op, e);
            }
        }
    }
}

/// Sequences the property test once shrank to, replayed every run.
#[test]
fn a_free_month_renewed_ahead_cancelled_then_switched_to_annual_now_is_not_billed_twice() {
    use Op::*;
    let ops = [
        Order {
            business: false,
            annual: false,
            promo: Promo::Free,
            addon: false,
        },
        Wait { days: 17 },
        RenewAhead { pick: 0 },
        CancelInvoice {
            pick: 1447995089360997752,
            waive: false,
        },
        Cycle {
            pick: 0,
            annual: true,
            now: true,
        },
        Wait { days: 19 },
        Wait { days: 40 },
        Order {
            business: false,
            annual: false,
            promo: Promo::None,
            addon: false,
        },
        Order {
            business: false,
            annual: false,
            promo: Promo::None,
            addon: false,
        },
        RenewAhead {
            pick: 1869089395475699242,
        },
        Pay {
            pick: 15083088273918260230,
            how: Paying::Full,
        },
        Pay {
            pick: 8813069226711956156,
            how: Paying::Full,
        },
    ];
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut w = World::new();
    for (i, op) in ops.iter().enumerate() {
        let r = step(&mut w, op, &rt);
        if let Err(e) = r.and_then(|()| invariants::check(&w.db)) {
            panic!("after step {} ({op:?}): {e}", i + 1);
        }
    }
}
