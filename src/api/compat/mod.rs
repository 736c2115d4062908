//! Other billing systems' client APIs (`../shared/reference/`), so their
//! integrations keep working on till: `hostbill/` (reference 001),
//! `whmcs/` (reference 004) and the rest as they come. A dialect is a
//! mapping: it parses that system's requests, calls the same
//! `service::` functions as `v1` (with its own `idempotency::Surface`), and
//! renders that system's shapes. It holds no rule of its own; when it needs
//! something the service cannot do, the service grows. None is mounted yet.
