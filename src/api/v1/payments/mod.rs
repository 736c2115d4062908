//! Card payments (reference 000): starting one, its status and timeline,
//! and the gateways' webhooks. Staff refunds are `v1::staff::refunds`.

mod start;
mod timeline;
mod webhooks;

pub use start::*;
pub use timeline::*;
pub use webhooks::*;
