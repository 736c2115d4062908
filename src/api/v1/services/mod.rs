//! A client's services: reference 000 hosting accounts and reference 001
//! services (label, billing cycle, upgrade, cancel), and the user's portal
//! notifications (reference 001 `/notifications`).

mod cancel;
mod cycle;
mod label;
mod notifications;
mod panel;
mod reading;
mod renew;
mod upgrade;
mod views;

pub use cancel::{__path_cancel, __path_hosting_cancel, CancelBody, cancel, hosting_cancel};
pub use cycle::{
    __path_change_cycle, __path_cycles, CycleBody, CycleChangeResponse, CycleList, CycleOption,
    change_cycle, cycles,
};
pub use label::{__path_label, __path_set_label, LabelBody, LabelResponse, label, set_label};
pub use notifications::{
    __path_notification_ack, __path_notifications_all, __path_notifications_new, AckResponse,
    NotificationList, NotificationView, notification_ack, notifications_all, notifications_new,
};
pub use panel::{
    __path_change_password, __path_login_url, ChangePasswordBody, LoginUrlResponse,
    change_password, login_url,
};
pub use reading::{
    __path_get, __path_hosting_get, __path_hosting_list, __path_list, get, hosting_get,
    hosting_list, list,
};
pub use renew::{__path_renew, RenewResponse, renew};
pub use upgrade::{
    __path_upgrade, __path_upgrade_options, PlanOptionList, PlanOptionView, UpgradeBody,
    UpgradeResponse, upgrade, upgrade_options,
};
pub use views::{
    HostingAccount, HostingList, HostingResponse, ServiceAddonView, ServiceList, ServiceResponse,
    ServiceView,
};
