//! A client's DNS: zones of its hosting services and their records (in
//! reference 000's style, after reference 004's zone resources), and
//! reference 000's `GET/PUT /clients/{client}/domains/{domain}/dns`.

mod domain;
mod records;
mod zones;

pub use domain::{
    __path_list_domain_records, __path_replace_domain_records, DomainDnsBody, DomainDnsResponse,
    DomainDnsView, list_domain_records, replace_domain_records,
};
pub use records::{
    __path_add_record, __path_delete_record, __path_update_record, add_record, delete_record,
    update_record,
};
pub use zones::{
    __path_create_zone, __path_delete_zone, __path_get_zone, __path_list_zones, NewZoneBody,
    create_zone, delete_zone, get_zone, list_zones,
};
