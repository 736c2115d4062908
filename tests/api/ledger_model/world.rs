//! One customer's world for the ledger model: a fresh database (copied
//! from a template built once), the sample catalog, three promotion codes,
//! a staff member, and the real service functions under a clock the test
//! moves.

use std::{path::PathBuf, sync::OnceLock};
use till::integrations::gateways::Gateways;

use jiff::{SignedDuration, Timestamp};
use tempfile::TempDir;
use till::{
    auth::principal::{Principal, RequestMeta, SessionKind, StaffPrincipal, UserPrincipal},
    config::{Config, DatabaseConfig, Synchronous},
    db::{self, Db, open::BackupPolicy},
    domain::{privileges::Privileges, staff::StaffRole},
    service::{
        bootstrap::{self, FirstAdminInput},
        catalog::sample,
        email::Branding,
        sales::promotions::{self, NewPromotion},
    },
    store::{clients, memberships, users},
};

pub const CLIENT: &str = "1";

fn db_config() -> DatabaseConfig {
    DatabaseConfig {
        synchronous: Synchronous::Normal,
        ..Config::default().database
    }
}

/// Where the databases live: memory-backed when the machine has it.
fn scratch() -> TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

fn staff() -> StaffPrincipal {
    StaffPrincipal {
        staff_id: 1,
        role: StaffRole::Admin,
        api_key_id: None,
        scopes: None,
    }
}

fn promotion(code: &str, kind: &str, value: &str, recurring: bool) -> NewPromotion {
    NewPromotion {
        code: code.into(),
        kind: kind.into(),
        value: value.into(),
        currency: (kind == "fixed").then(|| "USD".into()),
        products: Vec::new(),
        cycles: Vec::new(),
        recurring,
        starts_at: None,
        ends_at: None,
        max_uses: None,
        once_per_client: false,
    }
}

/// The template database, built once per test run.
fn template() -> &'static (TempDir, PathBuf) {
    static TEMPLATE: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = scratch();
        let path = dir.path().join("template.db");
        let now = crate::support::start_time();
        let policy = BackupPolicy {
            dir: dir.path().join("backups"),
            keep: 0,
        };
        let (db, _) = db::open(&path, &db_config(), &policy, now).unwrap();
        bootstrap::ensure_first_admin(
            &db,
            now,
            FirstAdminInput {
                email: Some("admin@ledger.test".into()),
                password: Some("ledger-admin-password".into()),
            },
        )
        .unwrap();
        sample::install(&db, 1, now).unwrap();
        let meta = RequestMeta::default();
        for p in [
            promotion("FREE", "percent", "100", false),
            promotion("HALF", "percent", "50", true),
            promotion("TWO", "fixed", "2.00", false),
        ] {
            promotions::create(&db, &staff(), p, &meta, now).unwrap();
        }
        db.write(|tx| {
            let stamp = till::domain::time::stamp(now);
            let user = users::insert(
                tx,
                &users::NewUser {
                    uuid: "00000000-0000-4000-8000-000000000001",
                    email: "ledger@example.com",
                    first_name: "Ada",
                    last_name: "Ledger",
                    password_hash: None,
                    now: &stamp,
                },
            )?;
            let client = clients::insert(
                tx,
                "00000000-0000-4000-8000-000000000002",
                &clients::Profile {
                    kind: "person".into(),
                    first_name: "Ada".into(),
                    last_name: "Ledger".into(),
                    company_name: None,
                    company_number: None,
                    email: "ledger@example.com".into(),
                    phone: String::new(),
                    address1: "1 Main St".into(),
                    address2: String::new(),
                    city: "Springfield".into(),
                    state: String::new(),
                    postcode: "12345".into(),
                    country: "US".into(),
                    vat_id: None,
                },
                "USD",
                &stamp,
            )?;
            assert_eq!(client.to_string(), CLIENT);
            memberships::insert(
                tx,
                user,
                client,
                "owner",
                &Privileges::all().to_json(),
                &stamp,
            )?;
            Ok(())
        })
        .unwrap();
        db.with_writer(|c| Ok(c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?))
            .unwrap();
        drop(db);
        (dir, path)
    })
}

pub struct World {
    pub db: Db,
    pub now: Timestamp,
    pub brand: Branding,
    pub config: Config,
    pub gateways: Gateways,
    pub customer: Principal,
    pub staff: StaffPrincipal,
    pub meta: RequestMeta,
    /// Keys and transaction ids handed out so far.
    pub serial: u64,
    _dir: TempDir,
}

impl World {
    pub fn new() -> World {
        let (_, template) = template();
        let dir = scratch();
        let path = dir.path().join("till.db");
        std::fs::copy(template, &path).unwrap();
        let db = db::open::open_current(&path, &db_config()).unwrap();
        let config = Config::default();
        World {
            db,
            now: crate::support::start_time(),
            brand: Branding::from_config(&config),
            gateways: Gateways::from_config(&config),
            config,
            customer: Principal::User(UserPrincipal {
                user_id: 1,
                user_uuid: "00000000-0000-4000-8000-000000000001".into(),
                session_id: 0,
                session_kind: SessionKind::Api,
            }),
            staff: staff(),
            meta: RequestMeta::default(),
            serial: 0,
            _dir: dir,
        }
    }

    pub fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    pub fn advance_days(&mut self, days: i64) {
        self.now = self
            .now
            .checked_add(SignedDuration::from_hours(24 * days))
            .unwrap();
    }
}
