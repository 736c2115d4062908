//! Writing a priced quote line into an order: its pending service (with
//! the options it was ordered with), its addons, its domain, and its
//! invoice lines. Called inside the order's transaction.
//!
//! A product's lines come in this order: the service, its setup fee, the
//! promotion's discount (exclusive prices only), each priced option and
//! its setup fee, each addon and its setup fee, then the domain. A new
//! domain's row keeps its auth code sealed and its registrant fields; a
//! renewal writes only its line, on the domain it renews.

use jiff::civil::Date;
use rusqlite::Connection;

use crate::{
    domain::cycle,
    error::Result,
    service::sales::order_items::{Charge, ChargeKind, QuoteLine, seal_for_domain},
    store::{
        addons::{self, NewServiceAddon},
        clients::Client,
        config_options::{self, ServiceOption},
        domains::{self, NewDomain},
        invoices::{self, Item},
        orders,
        promotions::Promotion,
    },
};

/// What every line of one order shares.
pub struct OrderContext<'a> {
    pub client: &'a Client,
    pub order_id: i64,
    pub invoice_id: i64,
    pub currency: &'a str,
    pub promotion: Option<&'a Promotion>,
    pub today: Date,
    pub now: &'a str,
    /// The instance's credential key: a transfer's auth code is sealed
    /// with it before it is written.
    pub credentials: &'a [u8; 32],
}

struct Writer<'a, 'c> {
    conn: &'a Connection,
    order: &'a OrderContext<'c>,
    position: &'a mut i64,
}

impl Writer<'_, '_> {
    fn item(&mut self, item: Item) -> Result<()> {
        *self.position += 1;
        invoices::insert_item(
            self.conn,
            self.order.invoice_id,
            &Item {
                position: *self.position,
                ..item
            },
        )?;
        Ok(())
    }

    fn charge(
        &mut self,
        c: &Charge,
        service_id: Option<i64>,
        domain_id: Option<i64>,
        period: Option<(Date, Date)>,
    ) -> Result<()> {
        let (quantity, unit, description) = c.line_quantity();
        let period = period.filter(|_| c.periodic);
        self.item(Item {
            position: 0,
            kind: c.kind.as_str().into(),
            description,
            service_id,
            domain_id,
            period_start: period.map(|p| p.0.to_string()),
            period_end: period.map(|p| p.1.to_string()),
            quantity,
            unit_amount: unit,
            amount: quantity * unit,
        })
    }
}

fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Record the line and write its invoice lines after `position`.
pub fn write(
    conn: &Connection,
    order: &OrderContext<'_>,
    line: &QuoteLine,
    position: &mut i64,
) -> Result<()> {
    let mut w = Writer {
        conn,
        order,
        position,
    };
    let mut service_id = None;
    let mut rest = line.charges.iter();
    if let (Some(product), Some(cycle)) = (&line.product, line.cycle) {
        let id = orders::insert_service(
            conn,
            &orders::NewService {
                uuid: &uuid(),
                client_id: order.client.id,
                order_id: order.order_id,
                product_id: product.id,
                billing_cycle: cycle.as_str(),
                currency: order.currency,
                recurring_amount: line.service_recurring(),
                first_period_amount: line.first_period_amount(),
                domain: line.domain.as_deref(),
                now: order.now,
            },
        )?;
        service_id = Some(id);
        for o in &line.options {
            config_options::insert_service_option(
                conn,
                &ServiceOption {
                    service_id: id,
                    option_id: o.option_id,
                    choice_id: o.choice_id,
                    quantity: o.quantity,
                    recurring_amount: o.recurring,
                },
            )?;
        }
        for a in &line.addons {
            addons::insert_service_addon(
                conn,
                &NewServiceAddon {
                    uuid: &uuid(),
                    service_id: id,
                    addon_id: a.addon_id,
                    billing_cycle: a.cycle.as_str(),
                    currency: order.currency,
                    recurring_amount: a.recurring,
                    now: order.now,
                },
            )?;
        }
        let period = cycle::period(order.today, cycle, 0);
        let (Some(service), Some(setup)) = (rest.next(), rest.next()) else {
            return Ok(());
        };
        let name = format!("{} - {}", product.name, cycle.label());
        let description = match (&line.domain, period) {
            (Some(d), Some((s, e))) => {
                format!("{name} ({d}) {s} to {}", e.yesterday().unwrap_or(e))
            }
            (None, Some((s, e))) => format!("{name} {s} to {}", e.yesterday().unwrap_or(e)),
            (Some(d), None) => format!("{name} ({d})"),
            (None, None) => name,
        };
        w.charge(
            &Charge {
                description,
                ..service.clone()
            },
            Some(id),
            None,
            period,
        )?;
        if setup.amount > 0 {
            w.charge(setup, Some(id), None, None)?;
        }
        let discount = if setup.tax_included {
            0
        } else {
            service.discount + setup.discount
        };
        if let Some(p) = order.promotion.filter(|_| discount > 0) {
            w.item(Item {
                position: 0,
                kind: "discount".into(),
                description: format!("Promotion {}: {}", p.code, product.name),
                service_id: Some(id),
                domain_id: None,
                period_start: None,
                period_end: None,
                quantity: 1,
                unit_amount: -discount,
                amount: -discount,
            })?;
        }
        for c in rest.by_ref().filter(|c| c.kind != ChargeKind::Domain) {
            w.charge(c, Some(id), None, period)?;
        }
    }
    if let Some(d) = &line.domain_order {
        if let Some(r) = &d.renewal {
            // Renewing one the client holds: no new row; the line bills
            // the term it adds, for the paid side to ask the registrar.
            for c in line.charges.iter().filter(|c| c.kind == ChargeKind::Domain) {
                w.charge(
                    c,
                    service_id,
                    Some(r.domain_id),
                    Some((r.period_start, r.period_end)),
                )?;
            }
            return Ok(());
        }
        let sealed_code = d
            .auth_code
            .as_ref()
            .map(|c| seal_for_domain(order.credentials, c))
            .transpose()?;
        let fields = serde_json::to_string(&d.fields).map_err(crate::error::AppError::internal)?;
        let domain_id = domains::insert(
            conn,
            &NewDomain {
                uuid: &uuid(),
                client_id: order.client.id,
                order_id: order.order_id,
                service_id,
                name: &d.name,
                tld: &d.tld,
                action: d.action,
                years: d.years,
                currency: order.currency,
                first_amount: d.price,
                recurring_amount: d.renew,
                epp_code_sealed: sealed_code.as_deref(),
                registrant_fields: &fields,
                now: order.now,
            },
        )
        .map_err(|e| {
            if crate::store::is_unique_violation(&e) {
                crate::error::AppError::Conflict(format!("{} is already on order", d.name))
            } else {
                e.into()
            }
        })?;
        for c in line.charges.iter().filter(|c| c.kind == ChargeKind::Domain) {
            w.charge(c, service_id, Some(domain_id), None)?;
        }
    }
    Ok(())
}
