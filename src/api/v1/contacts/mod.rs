//! `/api/v1/clients/{client}/contacts` and `/api/v1/contact-privileges`.

mod accept;
mod changes;
mod invitations;
mod listing;
mod privileges;

pub use accept::{
    __path_accept_invitation, AcceptInvitationRequest, AcceptedInvitation, accept_invitation,
};
pub use changes::{__path_delete, __path_update, ContactChangeRequest, delete, update};
pub use invitations::{
    __path_create, __path_list_invitations, __path_withdraw_invitation, InvitationList,
    InvitationResponse, NewContactRequest, create, list_invitations, withdraw_invitation,
};
pub use listing::{__path_get, __path_list, ContactList, ContactResponse, get, list};
pub use privileges::{__path_privilege_catalog, PrivilegeCatalog, privilege_catalog};
