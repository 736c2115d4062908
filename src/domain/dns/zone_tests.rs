use super::*;

const ZONE: &str = "example.com";

fn rec(kind: &str, name: &str, content: &str) -> RecordInput {
    RecordInput {
        kind: kind.into(),
        name: name.into(),
        content: content.into(),
        ttl: None,
        priority: None,
    }
}

fn problems(inputs: &[RecordInput]) -> Vec<(Option<usize>, &'static str)> {
    validate_zone(inputs, ZONE, 3600)
        .expect_err("invalid")
        .into_iter()
        .map(|(i, f, _)| (i, f))
        .collect()
}

#[test]
fn a_valid_zone_comes_back_canonical() {
    let mut mx = rec("mx", "@", "mail.example.com");
    mx.priority = Some(10);
    let records = validate_zone(
        &[
            rec("A", "@", "192.0.2.1"),
            rec("cname", "www", "example.com"),
            mx,
        ],
        ZONE,
        3600,
    )
    .expect("valid");
    assert_eq!(records[1].name, "www.example.com.");
    assert_eq!(records[1].data, "example.com.");
    assert_eq!(records[2].content(), "10 mail.example.com.");
    assert!(records.iter().all(|r| r.ttl == 3600));
}

#[test]
fn every_bad_record_is_named_by_its_index_and_field() {
    assert_eq!(
        problems(&[
            rec("A", "@", "192.0.2.1"),
            rec("PTR", "x", "y"),
            rec("A", "www.other.org.", "192.0.2.2"),
        ]),
        vec![(Some(1), "type"), (Some(2), "name")]
    );
}

#[test]
fn ttl_outside_its_bounds_is_refused() {
    let mut low = rec("A", "a", "192.0.2.1");
    low.ttl = Some(59);
    let mut high = rec("A", "b", "192.0.2.1");
    high.ttl = Some(MAX_TTL + 1);
    assert_eq!(
        problems(&[low, high]),
        vec![(Some(0), "ttl"), (Some(1), "ttl")]
    );
}

#[test]
fn a_cname_cannot_be_at_the_apex() {
    assert_eq!(
        problems(&[rec("CNAME", "@", "other.example.net")]),
        vec![(Some(0), "name")]
    );
}

#[test]
fn a_cname_is_alone_at_its_name() {
    assert_eq!(
        problems(&[
            rec("CNAME", "www", "example.com"),
            rec("TXT", "www", "hello"),
        ]),
        vec![(Some(1), "name")]
    );
    assert_eq!(
        problems(&[
            rec("CNAME", "www", "a.example.net"),
            rec("CNAME", "www", "b.example.net"),
        ]),
        vec![(Some(1), "name")]
    );
}

#[test]
fn records_of_one_name_and_type_share_a_ttl() {
    let mut second = rec("A", "www", "192.0.2.2");
    second.ttl = Some(300);
    assert_eq!(
        problems(&[rec("A", "www", "192.0.2.1"), second]),
        vec![(Some(1), "ttl")]
    );
}

#[test]
fn duplicates_are_refused() {
    assert_eq!(
        problems(&[
            rec("A", "www", "192.0.2.1"),
            rec("A", "www.example.com.", "192.0.2.1")
        ]),
        vec![(Some(1), "value")]
    );
}

#[test]
fn too_many_records_are_refused() {
    let many: Vec<RecordInput> = (0..=MAX_RECORDS)
        .map(|i| rec("TXT", "@", &format!("n{i}")))
        .collect();
    assert_eq!(problems(&many), vec![(None, "records")]);
}
