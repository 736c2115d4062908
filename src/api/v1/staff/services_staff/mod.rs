//! Staff services (reference 002 `/services`): the list, one service with
//! its module tasks, manual records, lifecycle actions queued as module
//! tasks (202), and the module task queue. The login URL and password
//! routes also take a customer's token (with the services privilege).

mod actions;
mod panel;
mod records;
mod tasks;
mod views;

pub use actions::{
    __path_change_package, __path_provision, __path_suspend, __path_terminate, __path_unsuspend,
    ActionRequest, change_package, provision, suspend, terminate, unsuspend,
};
pub use panel::{
    __path_login_url, __path_password, Done, LoginUrl, PasswordRequest, login_url, password,
};
pub use records::{
    __path_create, __path_get, __path_list, __path_update, ServiceFilter, ServiceRequest, create,
    get, list, update,
};
pub use tasks::{__path_retry, __path_tasks, TaskFilter, retry, tasks};
pub use views::{ServiceList, ServiceResponse, ServiceView, TaskList, TaskResponse, TaskView};
