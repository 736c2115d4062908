//! Who sees what a panel or module webhook said when a call failed. The
//! remote reply is cut to `outbound::REMOTE_EXCERPT_BYTES` where it is read;
//! here it is hidden from those who do not run the servers: customers and
//! support-only staff see a generic message (a panel's reply can name
//! internal hosts, paths or account details).

use crate::{
    auth::principal::{Principal, StaffPrincipal},
    domain::staff::StaffRole,
    store::module_tasks::ModuleTask,
};

/// What is shown instead of a module's own words.
pub const GENERIC: &str = "The provisioning call failed; an administrator can see why.";

/// Whether `principal` may read a module's own error messages.
pub fn sees_detail(principal: &Principal) -> bool {
    match principal {
        Principal::Staff(s) => staff_sees_detail(s),
        Principal::User(_) => false,
    }
}

pub fn staff_sees_detail(staff: &StaffPrincipal) -> bool {
    staff.role != StaffRole::Support
}

/// `tasks` as `staff` may see them.
pub fn tasks_for(staff: &StaffPrincipal, mut tasks: Vec<ModuleTask>) -> Vec<ModuleTask> {
    if !staff_sees_detail(staff) {
        for t in &mut tasks {
            if t.last_error.is_some() {
                t.last_error = Some(GENERIC.to_string());
            }
        }
    }
    tasks
}
