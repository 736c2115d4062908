//! The sample knowledgebase and news a new installation starts with
//! (with the sample catalog, unless `sample_data = false`): two
//! categories, three articles customers ask about most, and one
//! announcement, made through the staff functions.

use jiff::Timestamp;

use super::{
    articles::{self, ArticleInput},
    categories::{self, CategoryInput},
    news::{self, NewsInput},
};
use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::staff::StaffRole,
    error::Result,
};

const NAMESERVERS: &str = "\
Your domain shows your website once it points at our nameservers.

1. Open **Services** and choose your hosting service: its page lists the
   nameservers to use (for example `ns1.` and `ns2.` of our domain).
2. If you registered the domain with us, open **Domains**, choose the
   domain, type one nameserver per line under *Nameservers* and save.
3. If the domain is registered elsewhere, log in at that registrar and
   replace its nameservers with ours.

Changes reach most visitors within a few hours; some resolvers keep the
old answer for up to 48 hours.";

const DNS_RECORDS: &str = "\
When your domain uses our nameservers you can edit its DNS records under
**Domains** → your domain → *DNS records*.

- An **A** record points a name at an IPv4 address; **AAAA** at IPv6.
- A **CNAME** makes one name an alias of another (not at the domain's
  apex).
- **MX** records say which servers receive the domain's email; keep the
  ones for your mailbox provider.
- **TXT** records hold text such as SPF and domain verification codes.

Leave the records we created for your hosting in place unless you know you
need to change them.";

const PAY_INVOICE: &str = "\
Open **Invoices** to see what is due; each invoice shows its lines, its
total and its due date.

- **Card**: choose *Pay* on the invoice; you are taken to our payment
  provider and back. We never see or store your card number.
- **Bank transfer**: use the bank details shown on the invoice and put the
  invoice number in the reference, so we can match your payment.
- **Account credit**: if you have credit, choose *Apply credit*.

A paid invoice shows as *Paid* and you get a receipt by email. Services
waiting for the invoice start on their own once it is paid.";

/// Add the sample knowledgebase and news as the first admin (`staff_id`).
pub fn install(db: &Db, staff_id: i64, now: Timestamp) -> Result<()> {
    let staff = StaffPrincipal {
        staff_id,
        role: StaffRole::Admin,
        api_key_id: None,
        scopes: None,
    };
    let meta = RequestMeta::default();
    let category = |name: &str, description: &str, sort_order| CategoryInput {
        name: name.into(),
        description: description.into(),
        sort_order,
        visibility: "public".into(),
        ..Default::default()
    };
    let domains = categories::create(
        db,
        &staff,
        category(
            "Domains and DNS",
            "Nameservers, DNS records and transfers.",
            0,
        ),
        &meta,
        now,
    )?;
    let billing = categories::create(
        db,
        &staff,
        category("Billing", "Invoices, payments and account credit.", 1),
        &meta,
        now,
    )?;
    let texts = [
        (
            domains.id,
            "Point your domain at our nameservers",
            NAMESERVERS,
        ),
        (domains.id, "Edit your domain's DNS records", DNS_RECORDS),
        (billing.id, "Pay an invoice", PAY_INVOICE),
    ];
    for (i, (category_id, title, body)) in texts.into_iter().enumerate() {
        let input = ArticleInput {
            category_id,
            title: title.into(),
            body: body.into(),
            sort_order: i as i64,
            visibility: "public".into(),
        };
        articles::create(db, &staff, input, &meta, now)?;
    }
    news::create(
        db,
        &staff,
        NewsInput {
            title: "Welcome to our client area".into(),
            body: "You can now order, pay invoices, manage your domains and DNS, and find \
                   answers in the **knowledgebase**, all in one place."
                .into(),
            published_at: None,
        },
        &meta,
        now,
    )?;
    Ok(())
}
