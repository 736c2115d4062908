//! DNS zones and records as `/api/v1` shows them: a record's `name`
//! relative to its zone (`@`, `www`) with its `fqdn`, `value` without the
//! priority (reference 000's `{type, name, value, ttl}`, with `priority`
//! apart as reference 004 has it).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    domain::dns::{RecordInput, relative},
    service::dns::ZoneDetail,
    store::{dns_records::StoredRecord, dns_zones::Zone},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct DnsRecordView {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    /// Relative to the zone: `@` for the apex.
    pub name: String,
    pub fqdn: String,
    pub value: String,
    /// MX and SRV.
    pub priority: Option<i64>,
    pub ttl: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DnsZoneView {
    pub id: i64,
    pub name: String,
    pub service_id: Option<i64>,
    pub domain_id: Option<i64>,
    /// `pending`, `active` or `failed`.
    pub status: String,
    pub backend: String,
    pub created_at: String,
    /// With the zone itself; absent in lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<DnsRecordView>>,
    /// Why the DNS server did not make it (staff only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DnsZoneList {
    pub data: Vec<DnsZoneView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DnsZoneResponse {
    pub data: DnsZoneView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DnsRecordResponse {
    pub data: DnsRecordView,
}

/// A record as sent: reference 000's `{type, name, value, ttl}`; `content`
/// (reference 004) is taken for `value`, and MX/SRV take `priority`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DnsRecordBody {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, alias = "content")]
    pub value: String,
    pub ttl: Option<i64>,
    pub priority: Option<i64>,
}

impl From<DnsRecordBody> for RecordInput {
    fn from(b: DnsRecordBody) -> Self {
        RecordInput {
            kind: b.kind,
            name: b.name,
            content: b.value,
            ttl: b.ttl,
            priority: b.priority,
        }
    }
}

pub fn record_view(r: &StoredRecord, zone: &str) -> DnsRecordView {
    DnsRecordView {
        id: r.id,
        kind: r.kind.clone(),
        name: relative(&r.name, zone),
        fqdn: r.name.clone(),
        value: r.data.clone(),
        priority: r.priority,
        ttl: r.ttl,
    }
}

pub fn zone_view(z: &Zone, staff: bool) -> DnsZoneView {
    DnsZoneView {
        id: z.id,
        name: z.name.clone(),
        service_id: z.service_id,
        domain_id: z.domain_id,
        status: z.status.clone(),
        backend: z.backend.clone(),
        created_at: z.created_at.clone(),
        records: None,
        last_error: if staff { z.last_error.clone() } else { None },
    }
}

pub fn detail_view(d: &ZoneDetail, staff: bool) -> DnsZoneView {
    DnsZoneView {
        records: Some(
            d.records
                .iter()
                .map(|r| record_view(r, &d.zone.name))
                .collect(),
        ),
        ..zone_view(&d.zone, staff)
    }
}
