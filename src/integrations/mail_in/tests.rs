#![allow(clippy::unwrap_used)]

use super::{ParseError, html, parse, quotes};

const LIMIT: usize = 1 << 20;

fn mail(headers: &str, body: &str) -> Vec<u8> {
    format!("{headers}\r\n\r\n{body}")
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n")
        .into_bytes()
}

#[test]
fn headers_become_typed_fields() {
    let raw = mail(
        "From: \"Ama Mensah\" <Ama@Example.COM>\nTo: Support <support@host.test>, b@x.test\n\
         Cc: c@x.test\nDelivered-To: Support@Host.test\nSubject: =?UTF-8?Q?Re=3A_caf=C3=A9?=\n\
         Message-ID: <abc@mail.example.com>\nIn-Reply-To: <tkt-1.2.x@till.test>\n\
         References: <one@a> <two@b>",
        "Hello",
    );
    let m = parse(&raw, LIMIT).unwrap();
    let from = m.from.clone().unwrap();
    assert_eq!(from.address, "ama@example.com");
    assert_eq!(from.name.as_deref(), Some("Ama Mensah"));
    assert_eq!(m.to, ["support@host.test", "b@x.test"]);
    assert_eq!(m.cc, ["c@x.test"]);
    assert_eq!(m.delivered_to, ["support@host.test"]);
    assert_eq!(m.subject, "Re: café");
    assert_eq!(m.message_id.as_deref(), Some("<abc@mail.example.com>"));
    assert_eq!(m.in_reply_to, ["<tkt-1.2.x@till.test>"]);
    assert_eq!(m.references, ["<one@a>", "<two@b>"]);
    let answers: Vec<&str> = m.answers().collect();
    assert_eq!(answers, ["<tkt-1.2.x@till.test>", "<two@b>", "<one@a>"]);
    assert!(!m.automatic);
    assert_eq!(m.text, "Hello");
}

#[test]
fn machines_are_recognised() {
    for header in [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated; type=vacation",
        "Precedence: bulk",
        "Precedence: junk",
        "Precedence: list",
        "X-Autoreply: yes",
        "X-Autorespond: on",
        "List-Id: <users.lists.example.com>",
        "Return-Path: <>",
    ] {
        let raw = mail(&format!("From: a@x.test\nSubject: s\n{header}"), "away");
        assert!(parse(&raw, LIMIT).unwrap().automatic, "{header}");
    }
    for header in ["Auto-Submitted: no", "Precedence: first-class"] {
        let raw = mail(&format!("From: a@x.test\nSubject: s\n{header}"), "hi");
        assert!(!parse(&raw, LIMIT).unwrap().automatic, "{header}");
    }
    let daemon = mail("From: MAILER-DAEMON@mx.test\nSubject: Undelivered", "x");
    assert!(parse(&daemon, LIMIT).unwrap().automatic);
    let report = mail(
        "From: a@x.test\nContent-Type: multipart/report; report-type=delivery-status; boundary=b",
        "--b\nContent-Type: text/plain\n\nfailed\n--b--",
    );
    assert!(parse(&report, LIMIT).unwrap().automatic);
}

#[test]
fn html_only_mail_is_clean_text() {
    let raw = mail(
        "From: a@x.test\nSubject: s\nContent-Type: text/html; charset=utf-8",
        "<html><head><title>T</title><style>p{color:red}</style></head><body>\
         <p>Hello &amp; welcome,</p><p>line one<br>line&nbsp;two &lt;b&gt;</p>\
         <script>alert('x')</script><div>On Mon, Ama &lt;a@x.test&gt; wrote:</div>\
         <blockquote><p>old text</p></blockquote></body></html>",
    );
    let m = parse(&raw, LIMIT).unwrap();
    assert_eq!(m.text, "Hello & welcome,\n\nline one\nline two <b>");
}

#[test]
fn html_lists_tables_and_breaks() {
    assert_eq!(
        html::to_text(
            "<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
        ),
        "- one\n- two\n\na b"
    );
    assert_eq!(html::to_text("<div>x</div><div>y</div>"), "x\ny");
    assert_eq!(html::to_text("a\n   b<img src=x onerror=alert(1)>"), "a b");
}

#[test]
fn quoted_history_is_cut() {
    let gmail = "Thanks, fixed!\n\nOn Mon, 3 Dec 2026 at 10:00, Support <support@host.test>\nwrote:\n> Try again\n> please\n";
    assert_eq!(quotes::strip(gmail), "Thanks, fixed!");
    let inline = "> question?\nanswer\n> more?\nyes";
    assert_eq!(quotes::strip(inline), "answer\nyes");
    let outlook = "Done.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nold";
    assert_eq!(quotes::strip(outlook), "Done.");
    let block = "Done too.\n________________________________\nFrom: Support <s@h.test>\nSent: Monday, 3 December 2026 10:00\nTo: Ama\nSubject: Re: x\n\nold";
    assert_eq!(quotes::strip(block), "Done too.");
    let signed = "Body\n-- \nAma\nCEO";
    assert_eq!(quotes::strip(signed), "Body");
    let prose = "On Monday the cron job wrote:\nfiles to /tmp";
    assert_eq!(quotes::strip(prose), prose);
}

#[test]
fn attachments_come_with_their_names() {
    let raw = mail(
        "From: a@x.test\nSubject: s\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b",
        "--b\nContent-Type: text/plain\n\nsee attached\n--b\n\
         Content-Type: text/plain; name=\"error.log\"\nContent-Disposition: attachment; filename=\"error.log\"\n\n\
         PHP Fatal error\n--b\nContent-Type: image/png\nContent-Disposition: attachment; filename=\"a.png\"\n\
         Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--",
    );
    let m = parse(&raw, LIMIT).unwrap();
    assert_eq!(m.text, "see attached");
    let names: Vec<&str> = m.attachments.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(names, ["error.log", "a.png"]);
    assert_eq!(m.attachments[1].content, b"\x89PNG\r\n\x1a\n");
}

#[test]
fn size_and_garbage_are_refused() {
    let raw = mail("From: a@x.test\nSubject: s", &"x".repeat(100));
    assert_eq!(
        parse(&raw, 50).unwrap_err(),
        ParseError::TooLarge { limit: 50 }
    );
    assert_eq!(parse(b"", LIMIT).unwrap_err(), ParseError::Unreadable);
    let no_from = parse(&mail("Subject: s", "x"), LIMIT).unwrap();
    assert!(no_from.from.is_none());
    let bad_from = parse(&mail("From: not an address\nSubject: s", "x"), LIMIT).unwrap();
    assert!(bad_from.from.is_none());
}
