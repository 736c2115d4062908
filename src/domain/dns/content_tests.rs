use super::*;

fn ok(kind: RecordType, raw: &str, priority: Option<i64>) -> (String, Option<u16>) {
    parse(kind, raw, priority).expect("valid")
}

fn field_of(kind: RecordType, raw: &str, priority: Option<i64>) -> &'static str {
    parse(kind, raw, priority).expect_err("invalid").0
}

#[test]
fn addresses_are_parsed_and_canonical() {
    assert_eq!(ok(RecordType::A, " 192.0.2.10 ", None).0, "192.0.2.10");
    assert_eq!(
        ok(RecordType::Aaaa, "2001:0db8:0000::0001", None).0,
        "2001:db8::1"
    );
    assert_eq!(field_of(RecordType::A, "192.0.2.300", None), "value");
    assert_eq!(field_of(RecordType::A, "2001:db8::1", None), "value");
    assert_eq!(field_of(RecordType::Aaaa, "192.0.2.1", None), "value");
}

#[test]
fn targets_are_absolute_names() {
    assert_eq!(
        ok(RecordType::Cname, "Web.Example.net", None).0,
        "web.example.net."
    );
    assert_eq!(
        ok(RecordType::Ns, "ns1.example.net.", None).0,
        "ns1.example.net."
    );
    assert_eq!(field_of(RecordType::Cname, "not a name", None), "value");
}

#[test]
fn mx_needs_a_priority_apart_or_first() {
    assert_eq!(
        ok(RecordType::Mx, "mail.example.com", Some(10)),
        ("mail.example.com.".into(), Some(10))
    );
    assert_eq!(
        ok(RecordType::Mx, "20 mx2.example.com", None),
        ("mx2.example.com.".into(), Some(20))
    );
    assert_eq!(
        field_of(RecordType::Mx, "mail.example.com", None),
        "priority"
    );
    assert_eq!(
        field_of(RecordType::Mx, "mail.example.com", Some(70000)),
        "priority"
    );
    assert_eq!(
        field_of(RecordType::Mx, "mail.example.com", Some(-1)),
        "priority"
    );
}

#[test]
fn srv_is_weight_port_target_with_its_priority() {
    assert_eq!(
        ok(RecordType::Srv, "10 5 5060 sip.example.com", None),
        ("5 5060 sip.example.com.".into(), Some(10))
    );
    assert_eq!(
        ok(RecordType::Srv, "0 443 .", Some(1)),
        ("0 443 .".into(), Some(1))
    );
    assert_eq!(
        field_of(RecordType::Srv, "5 99999 sip.example.com", Some(1)),
        "value"
    );
    assert_eq!(
        field_of(RecordType::Srv, "5 5060 sip.example.com", None),
        "priority"
    );
}

#[test]
fn txt_is_quoted_and_escaped() {
    assert_eq!(
        ok(RecordType::Txt, "v=spf1 -all", None).0,
        "\"v=spf1 -all\""
    );
    assert_eq!(
        ok(RecordType::Txt, "say \"hi\"", None).0,
        "\"say \\\"hi\\\"\""
    );
    assert_eq!(ok(RecordType::Txt, "\"a\" \"b\"", None).0, "\"a\" \"b\"");
    assert_eq!(
        ok(RecordType::Txt, "caf\u{e9}", None).0,
        "\"caf\\195\\169\""
    );
}

#[test]
fn long_txt_is_split_into_255_byte_strings() {
    let long = "x".repeat(600);
    let data = ok(RecordType::Txt, &long, None).0;
    let pieces: Vec<&str> = data.split(' ').collect();
    assert_eq!(pieces.len(), 3);
    assert_eq!(pieces[0].len(), TXT_CHUNK + 2);
    assert_eq!(pieces[2].len(), 90 + 2);
}

#[test]
fn badly_quoted_txt_is_refused() {
    assert_eq!(field_of(RecordType::Txt, "\"unclosed", None), "value");
    assert_eq!(field_of(RecordType::Txt, "\"a\" b", None), "value");
    assert_eq!(field_of(RecordType::Txt, &"y".repeat(5000), None), "value");
}

#[test]
fn caa_is_flags_tag_and_a_quoted_value() {
    assert_eq!(
        ok(RecordType::Caa, "0 issue letsencrypt.org", None).0,
        "0 issue \"letsencrypt.org\""
    );
    assert_eq!(
        ok(
            RecordType::Caa,
            "128 IODEF \"mailto:sec@example.com\"",
            None
        )
        .0,
        "128 iodef \"mailto:sec@example.com\""
    );
    assert_eq!(field_of(RecordType::Caa, "0 bogus x", None), "value");
    assert_eq!(field_of(RecordType::Caa, "300 issue x", None), "value");
    assert_eq!(field_of(RecordType::Caa, "0 issue", None), "value");
}

#[test]
fn record_types_are_read_in_any_case() {
    assert_eq!(RecordType::parse("aaaa"), Some(RecordType::Aaaa));
    assert_eq!(RecordType::parse("PTR"), None);
}

proptest::proptest! {
    /// Any text as a TXT record comes back as quoted strings of at most
    /// 255 bytes each, which read back to the same bytes.
    #[test]
    fn any_txt_round_trips(text in "[a-z!#-~ \u{e9}]{1,700}") {
        let data = txt(text.trim()).expect("valid");
        let strings = quoted_strings(&data).expect("quoted");
        proptest::prop_assert!(strings.iter().all(|s| s.len() <= TXT_CHUNK));
        let joined: Vec<u8> = strings.concat();
        proptest::prop_assert_eq!(joined, text.trim().as_bytes().to_vec());
    }
}
