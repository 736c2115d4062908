//! `FakeEpp`: an EPP server (RFC 5730-5734) on a loopback port, over TLS
//! with a self-signed certificate made at start (the client trusts it
//! through its configured CA PEM), speaking framed EPP XML: a greeting,
//! login against one account, `domain:check/create/info/renew/transfer/
//! update`, `contact:create/update`, `host:check/create`, logout. It keeps
//! a small registry in memory and records every request's XML.
//!
//! The framing and the XML reading are written here again, not borrowed
//! from till, so a test checks till's client against an independent peer.

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{Arc, Mutex, MutexGuard},
    thread::JoinHandle,
};

use jiff::{Span, Timestamp, tz::TimeZone};
use quick_xml::{XmlVersion, escape::escape, events::Event};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    net::TcpListener,
    sync::oneshot,
};
use tokio_rustls::TlsAcceptor;

const DOMAIN_NS: &str = "urn:ietf:params:xml:ns:domain-1.0";
const CONTACT_NS: &str = "urn:ietf:params:xml:ns:contact-1.0";
const HOST_NS: &str = "urn:ietf:params:xml:ns:host-1.0";

/// How the server behaves towards new connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Accept the TCP connection and close it at once.
    DropConnections,
    /// Answer every command (login too) with this result code.
    Answer(u16),
    /// Announce a 64 MiB greeting and send a few bytes of it.
    OversizeGreeting,
    /// Finish the TLS handshake, then say nothing.
    Silent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// The sponsoring client id.
    pub owner: String,
    pub expiry: Timestamp,
    pub auth: String,
    pub statuses: BTreeSet<String>,
    pub ns: Vec<String>,
    pub registrant: String,
    pub contacts: Vec<(String, String)>,
}

/// A contact as the registry stored it, values as parsed back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub postal_type: String,
    pub name: String,
    pub org: String,
    pub street: Vec<String>,
    pub city: String,
    pub cc: String,
    pub voice: String,
    pub email: String,
}

struct State {
    user: String,
    password: String,
    mode: Mode,
    domains: BTreeMap<String, Domain>,
    contacts: BTreeMap<String, Contact>,
    hosts: BTreeMap<String, Vec<String>>,
    requests: Vec<String>,
    logouts: usize,
}

pub struct FakeEpp {
    pub host: String,
    pub port: u16,
    /// The server certificate, for the client's `ca_pem`.
    pub ca_pem: String,
    state: Arc<Mutex<State>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeEpp {
    pub fn start(user: &str, password: &str) -> FakeEpp {
        let cert = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(cert.signing_key.serialize_der().into());
        let tls = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], key)
        .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(tls));
        let state = Arc::new(Mutex::new(State {
            user: user.to_string(),
            password: password.to_string(),
            mode: Mode::Normal,
            domains: BTreeMap::new(),
            contacts: BTreeMap::new(),
            hosts: BTreeMap::new(),
            requests: Vec::new(),
            logouts: 0,
        }));
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        let (stop, stopped) = oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).unwrap();
                let accepting = async {
                    loop {
                        let Ok((tcp, _)) = listener.accept().await else {
                            continue;
                        };
                        let (acceptor, state) = (acceptor.clone(), shared.clone());
                        tokio::spawn(async move { serve(tcp, acceptor, state).await });
                    }
                };
                tokio::select! {
                    _ = accepting => {}
                    _ = stopped => {}
                }
            })
        });
        FakeEpp {
            host: "127.0.0.1".to_string(),
            port,
            ca_pem: cert.cert.pem(),
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn set_mode(&self, mode: Mode) {
        self.lock().mode = mode;
    }

    /// A domain already at the registry, sponsored by `owner`.
    pub fn add_domain(&self, name: &str, owner: &str, expiry: &str, auth: &str) {
        self.lock().domains.insert(
            name.to_string(),
            Domain {
                owner: owner.to_string(),
                expiry: expiry.parse().unwrap(),
                auth: auth.to_string(),
                statuses: BTreeSet::new(),
                ns: Vec::new(),
                registrant: "other-1".to_string(),
                contacts: Vec::new(),
            },
        );
    }

    /// Give a domain a registry status (`pendingDelete`, ...).
    pub fn add_status(&self, name: &str, status: &str) {
        if let Some(d) = self.lock().domains.get_mut(name) {
            d.statuses.insert(status.to_string());
        }
    }

    pub fn add_host(&self, name: &str) {
        self.lock().hosts.insert(name.to_string(), Vec::new());
    }

    pub fn domain(&self, name: &str) -> Option<Domain> {
        self.lock().domains.get(name).cloned()
    }

    pub fn contact(&self, id: &str) -> Option<Contact> {
        self.lock().contacts.get(id).cloned()
    }

    pub fn host(&self, name: &str) -> Option<Vec<String>> {
        self.lock().hosts.get(name).cloned()
    }

    /// Every request's XML, in order, logins and logouts included.
    pub fn requests(&self) -> Vec<String> {
        self.lock().requests.clone()
    }

    /// The requests that contain `needle` (e.g. `<domain:create`).
    pub fn requests_with(&self, needle: &str) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.contains(needle))
            .collect()
    }

    pub fn logouts(&self) -> usize {
        self.lock().logouts
    }
}

impl Drop for FakeEpp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Option<String> {
    let mut head = [0u8; 4];
    r.read_exact(&mut head).await.ok()?;
    let len = (u32::from_be_bytes(head) as usize).checked_sub(4)?;
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).await.ok()?;
    String::from_utf8(body).ok()
}

async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, xml: &str) {
    let mut out = ((xml.len() + 4) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(xml.as_bytes());
    let _ = w.write_all(&out).await;
    let _ = w.flush().await;
}

async fn serve(tcp: tokio::net::TcpStream, acceptor: TlsAcceptor, state: Arc<Mutex<State>>) {
    let mode = state.lock().unwrap().mode;
    if mode == Mode::DropConnections {
        return;
    }
    let Ok(mut tls) = acceptor.accept(tcp).await else {
        return;
    };
    if mode == Mode::OversizeGreeting {
        let mut out = (64u32 * 1024 * 1024).to_be_bytes().to_vec();
        out.extend_from_slice(b"<?xml version=\"1.0\"?><epp>");
        let _ = tls.write_all(&out).await;
        let _ = tls.flush().await;
        return;
    }
    if mode == Mode::Silent {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        return;
    }
    write_frame(&mut tls, &greeting()).await;
    let mut logged_in = false;
    while let Some(xml) = read_frame(&mut tls).await {
        let (answer, close) = {
            let mut s = state.lock().unwrap();
            s.requests.push(xml.clone());
            handle(&mut s, &xml, &mut logged_in)
        };
        write_frame(&mut tls, &answer).await;
        if close {
            let _ = tls.shutdown().await;
            return;
        }
    }
}

fn greeting() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">\
         <greeting><svID>Fake EPP registry</svID><svDate>{}</svDate><svcMenu>\
         <version>1.0</version><lang>en</lang><objURI>{DOMAIN_NS}</objURI>\
         <objURI>{CONTACT_NS}</objURI><objURI>{HOST_NS}</objURI><svcExtension>\
         <extURI>urn:ietf:params:xml:ns:secDNS-1.1</extURI>\
         <extURI>urn:ietf:params:xml:ns:rgp-1.0</extURI></svcExtension></svcMenu>\
         <dcp><access><all/></access><statement><purpose><admin/><prov/></purpose>\
         <recipient><ours/></recipient><retention><stated/></retention></statement></dcp>\
         </greeting></epp>",
        Timestamp::now()
    )
}

/// A parsed element: local name, namespace declared on it, attributes,
/// text and children.
#[derive(Debug, Default, Clone)]
struct El {
    name: String,
    ns: String,
    attrs: BTreeMap<String, String>,
    text: String,
    kids: Vec<El>,
}

impl El {
    fn kid(&self, name: &str) -> Option<&El> {
        self.kids.iter().find(|k| k.name == name)
    }
    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
        self.kids.iter().filter(move |k| k.name == name)
    }
    fn text_of(&self, name: &str) -> String {
        self.kid(name).map(|k| k.text.clone()).unwrap_or_default()
    }
}

fn parse(xml: &str) -> Option<El> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<El> = Vec::new();
    let start = |e: &quick_xml::events::BytesStart<'_>| {
        let mut el = El {
            name: e.local_name().as_ref().to_string(),
            ..El::default()
        };
        for a in e.attributes().flatten() {
            let key = a.key.0.to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .unwrap()
                .into_owned();
            if key == "xmlns" || key.starts_with("xmlns:") {
                el.ns = value;
            } else {
                el.attrs.insert(key, value);
            }
        }
        el
    };
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => stack.push(start(&e)),
            Event::Empty(e) => {
                let el = start(&e);
                stack.last_mut()?.kids.push(el);
            }
            Event::End(_) => {
                let mut el = stack.pop()?;
                el.text = el.text.trim().to_string();
                match stack.last_mut() {
                    Some(parent) => parent.kids.push(el),
                    None => return Some(el),
                }
            }
            Event::Text(t) => stack.last_mut()?.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().ok()? {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r)?.to_string(),
                };
                stack.last_mut()?.text.push_str(&text);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn answer(code: u16, msg: &str, res_data: &str, cl_trid: &str) -> String {
    let data = if res_data.is_empty() {
        String::new()
    } else {
        format!("<resData>{res_data}</resData>")
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><epp xmlns=\"urn:ietf:params:xml:ns:epp-1.0\">\
         <response><result code=\"{code}\"><msg>{}</msg></result>{data}<trID>\
         <clTRID>{}</clTRID><svTRID>FAKE-{}</svTRID></trID></response></epp>",
        escape(msg),
        escape(cl_trid),
        Timestamp::now().as_nanosecond()
    )
}

fn years(n: &El) -> i64 {
    n.kid("period")
        .and_then(|p| p.text.parse().ok())
        .unwrap_or(1)
}

fn plus_years(t: Timestamp, n: i64) -> Timestamp {
    t.to_zoned(TimeZone::UTC)
        .checked_add(Span::new().years(n))
        .unwrap()
        .timestamp()
}

/// One command; answers the response and whether to close afterwards.
fn handle(s: &mut State, xml: &str, logged_in: &mut bool) -> (String, bool) {
    let Some(doc) = parse(xml) else {
        return (answer(2001, "Command syntax error", "", ""), false);
    };
    let Some(command) = doc.kid("command") else {
        return (answer(2001, "Command syntax error", "", ""), false);
    };
    let trid = command.text_of("clTRID");
    if let Mode::Answer(code) = s.mode {
        return (answer(code, "Command failed", "", &trid), code >= 2500);
    }
    let Some(verb) = command.kids.iter().find(|k| k.name != "clTRID") else {
        return (answer(2001, "Command syntax error", "", &trid), false);
    };
    if verb.name == "login" {
        let ok = verb.text_of("clID") == s.user && verb.text_of("pw") == s.password;
        let offers_domains = verb
            .kid("svcs")
            .is_some_and(|svcs| svcs.all("objURI").any(|o| o.text == DOMAIN_NS));
        if !ok {
            return (answer(2200, "Authentication error", "", &trid), false);
        }
        if !offers_domains {
            return (
                answer(2307, "Unimplemented object service", "", &trid),
                false,
            );
        }
        *logged_in = true;
        return (
            answer(1000, "Command completed successfully", "", &trid),
            false,
        );
    }
    if !*logged_in {
        return (answer(2002, "Command use error", "", &trid), false);
    }
    if verb.name == "logout" {
        s.logouts += 1;
        return (
            answer(
                1500,
                "Command completed successfully; ending session",
                "",
                &trid,
            ),
            true,
        );
    }
    let Some(object) = verb.kids.first() else {
        return (answer(2001, "Command syntax error", "", &trid), false);
    };
    let (code, msg, data) = match (verb.name.as_str(), object.ns.as_str()) {
        ("check", DOMAIN_NS) => domain_check(s, object),
        ("create", DOMAIN_NS) => domain_create(s, object),
        ("info", DOMAIN_NS) => domain_info(s, object),
        ("renew", DOMAIN_NS) => domain_renew(s, object),
        ("delete", DOMAIN_NS) => domain_delete(s, object),
        ("transfer", DOMAIN_NS) if verb.attrs.get("op").map(String::as_str) == Some("request") => {
            domain_transfer(s, object)
        }
        ("update", DOMAIN_NS) => domain_update(s, object),
        ("create", CONTACT_NS) => contact_save(s, object, true),
        ("update", CONTACT_NS) => contact_save(s, object, false),
        ("check", HOST_NS) => host_check(s, object),
        ("create", HOST_NS) => host_create(s, object),
        _ => (2101, "Unimplemented command".to_string(), String::new()),
    };
    (answer(code, &msg, &data, &trid), false)
}

type Reply = (u16, String, String);

fn ok(data: String) -> Reply {
    (1000, "Command completed successfully".to_string(), data)
}

fn err(code: u16, msg: &str) -> Reply {
    (code, msg.to_string(), String::new())
}

fn domain_check(s: &State, o: &El) -> Reply {
    let cds: String = o
        .all("name")
        .map(|n| {
            let taken = s.domains.contains_key(&n.text);
            let reason = if taken {
                "<domain:reason>In use</domain:reason>"
            } else {
                ""
            };
            format!(
                "<domain:cd><domain:name avail=\"{}\">{}</domain:name>{reason}</domain:cd>",
                u8::from(!taken),
                escape(&n.text)
            )
        })
        .collect();
    ok(format!(
        "<domain:chkData xmlns:domain=\"{DOMAIN_NS}\">{cds}</domain:chkData>"
    ))
}

fn domain_create(s: &mut State, o: &El) -> Reply {
    let name = o.text_of("name");
    if s.domains.contains_key(&name) {
        return err(2302, "Object exists");
    }
    let registrant = o.text_of("registrant");
    let contacts: Vec<(String, String)> = o
        .all("contact")
        .map(|c| {
            (
                c.attrs.get("type").cloned().unwrap_or_default(),
                c.text.clone(),
            )
        })
        .collect();
    let known = |id: &String| s.contacts.contains_key(id);
    if !known(&registrant) || !contacts.iter().all(|(_, id)| known(id)) {
        return err(2303, "Object does not exist: contact");
    }
    let ns: Vec<String> = o
        .kid("ns")
        .map(|ns| ns.all("hostObj").map(|h| h.text.clone()).collect())
        .unwrap_or_default();
    if !ns.iter().all(|h| s.hosts.contains_key(h)) {
        return err(2303, "Object does not exist: host");
    }
    let now = Timestamp::now();
    let expiry = plus_years(now, years(o));
    let auth = o
        .kid("authInfo")
        .map(|a| a.text_of("pw"))
        .unwrap_or_default();
    s.domains.insert(
        name.clone(),
        Domain {
            owner: s.user.clone(),
            expiry,
            auth,
            statuses: BTreeSet::new(),
            ns,
            registrant,
            contacts,
        },
    );
    ok(format!(
        "<domain:creData xmlns:domain=\"{DOMAIN_NS}\"><domain:name>{}</domain:name>\
         <domain:crDate>{now}</domain:crDate><domain:exDate>{expiry}</domain:exDate>\
         </domain:creData>",
        escape(&name)
    ))
}

fn domain_info(s: &State, o: &El) -> Reply {
    let name = o.text_of("name");
    let Some(d) = s.domains.get(&name) else {
        return err(2303, "Object does not exist");
    };
    let statuses: String = if d.statuses.is_empty() {
        "<domain:status s=\"ok\"/>".to_string()
    } else {
        d.statuses
            .iter()
            .map(|st| format!("<domain:status s=\"{st}\"/>"))
            .collect()
    };
    let contacts: String = d
        .contacts
        .iter()
        .map(|(t, id)| {
            format!(
                "<domain:contact type=\"{t}\">{}</domain:contact>",
                escape(id)
            )
        })
        .collect();
    let ns: String =
        d.ns.iter()
            .map(|h| format!("<domain:hostObj>{}</domain:hostObj>", escape(h)))
            .collect();
    // The auth code is shown to the sponsoring registrar only.
    let auth = if d.owner == s.user {
        format!(
            "<domain:authInfo><domain:pw>{}</domain:pw></domain:authInfo>",
            escape(&d.auth)
        )
    } else {
        String::new()
    };
    ok(format!(
        "<domain:infData xmlns:domain=\"{DOMAIN_NS}\"><domain:name>{}</domain:name>\
         <domain:roid>D1-FAKE</domain:roid>{statuses}<domain:registrant>{}</domain:registrant>\
         {contacts}<domain:ns>{ns}</domain:ns><domain:clID>{}</domain:clID>\
         <domain:exDate>{}</domain:exDate>{auth}</domain:infData>",
        escape(&name),
        escape(&d.registrant),
        escape(&d.owner),
        d.expiry
    ))
}

fn domain_renew(s: &mut State, o: &El) -> Reply {
    let name = o.text_of("name");
    let user = s.user.clone();
    let Some(d) = s.domains.get_mut(&name) else {
        return err(2303, "Object does not exist");
    };
    if d.owner != user {
        return err(2201, "Authorization error");
    }
    let current = d.expiry.to_zoned(TimeZone::UTC).date().to_string();
    if o.text_of("curExpDate") != current {
        return err(2306, "Parameter value policy error: curExpDate");
    }
    d.expiry = plus_years(d.expiry, years(o));
    ok(format!(
        "<domain:renData xmlns:domain=\"{DOMAIN_NS}\"><domain:name>{}</domain:name>\
         <domain:exDate>{}</domain:exDate></domain:renData>",
        escape(&name),
        d.expiry
    ))
}

/// RFC 5731 3.2.1: the sponsor deletes; this registry deletes at once.
fn domain_delete(s: &mut State, o: &El) -> Reply {
    let name = o.text_of("name");
    match s.domains.get(&name) {
        None => return err(2303, "Object does not exist"),
        Some(d) if d.owner != s.user => return err(2201, "Authorization error"),
        Some(_) => {}
    }
    s.domains.remove(&name);
    ok(String::new())
}

fn domain_transfer(s: &mut State, o: &El) -> Reply {
    let name = o.text_of("name");
    let user = s.user.clone();
    let Some(d) = s.domains.get_mut(&name) else {
        return err(2303, "Object does not exist");
    };
    if d.owner == user {
        return err(2106, "Object is not eligible for transfer");
    }
    let given = o
        .kid("authInfo")
        .map(|a| a.text_of("pw"))
        .unwrap_or_default();
    if given != d.auth {
        return err(2202, "Invalid authorization information");
    }
    if d.statuses.contains("clientTransferProhibited") {
        return err(2304, "Object status prohibits operation");
    }
    d.statuses.insert("pendingTransfer".to_string());
    let now = Timestamp::now();
    (
        1001,
        "Command completed successfully; action pending".to_string(),
        format!(
            "<domain:trnData xmlns:domain=\"{DOMAIN_NS}\"><domain:name>{}</domain:name>\
             <domain:trStatus>pending</domain:trStatus><domain:reID>{}</domain:reID>\
             <domain:reDate>{now}</domain:reDate><domain:acID>{}</domain:acID>\
             <domain:acDate>{}</domain:acDate></domain:trnData>",
            escape(&name),
            escape(&user),
            escape(&d.owner),
            plus_years(now, 0)
        ),
    )
}

fn domain_update(s: &mut State, o: &El) -> Reply {
    let name = o.text_of("name");
    let user = s.user.clone();
    let hosts: BTreeSet<String> = s.hosts.keys().cloned().collect();
    let Some(d) = s.domains.get_mut(&name) else {
        return err(2303, "Object does not exist");
    };
    if d.owner != user {
        return err(2201, "Authorization error");
    }
    let objs = |part: &str| -> Vec<String> {
        o.kid(part)
            .and_then(|p| p.kid("ns"))
            .map(|ns| ns.all("hostObj").map(|h| h.text.clone()).collect())
            .unwrap_or_default()
    };
    let statuses = |part: &str| -> Vec<String> {
        o.kid(part)
            .map(|p| {
                p.all("status")
                    .filter_map(|st| st.attrs.get("s").cloned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let (add_ns, rem_ns) = (objs("add"), objs("rem"));
    if !add_ns.iter().all(|h| hosts.contains(h)) {
        return err(2303, "Object does not exist: host");
    }
    if rem_ns.iter().any(|h| !d.ns.contains(h))
        || statuses("rem").iter().any(|st| !d.statuses.contains(st))
    {
        return err(2303, "Object does not exist: not associated");
    }
    if add_ns.iter().any(|h| d.ns.contains(h))
        || statuses("add").iter().any(|st| d.statuses.contains(st))
    {
        return err(2302, "Object exists: already associated");
    }
    d.ns.retain(|h| !rem_ns.contains(h));
    d.ns.extend(add_ns);
    for st in statuses("rem") {
        d.statuses.remove(&st);
    }
    d.statuses.extend(statuses("add"));
    ok(String::new())
}

fn contact_save(s: &mut State, o: &El, create: bool) -> Reply {
    let id = o.text_of("id");
    if create == s.contacts.contains_key(&id) {
        return if create {
            err(2302, "Object exists")
        } else {
            err(2303, "Object does not exist")
        };
    }
    let details = if create { Some(o) } else { o.kid("chg") };
    let Some(details) = details else {
        return err(2003, "Required parameter missing: chg");
    };
    let postal = details.kid("postalInfo").cloned().unwrap_or_default();
    let addr = postal.kid("addr").cloned().unwrap_or_default();
    s.contacts.insert(
        id.clone(),
        Contact {
            postal_type: postal.attrs.get("type").cloned().unwrap_or_default(),
            name: postal.text_of("name"),
            org: postal.text_of("org"),
            street: addr.all("street").map(|st| st.text.clone()).collect(),
            city: addr.text_of("city"),
            cc: addr.text_of("cc"),
            voice: details.text_of("voice"),
            email: details.text_of("email"),
        },
    );
    let data = if create {
        format!(
            "<contact:creData xmlns:contact=\"{CONTACT_NS}\"><contact:id>{}</contact:id>\
             <contact:crDate>{}</contact:crDate></contact:creData>",
            escape(&id),
            Timestamp::now()
        )
    } else {
        String::new()
    };
    ok(data)
}

fn host_check(s: &State, o: &El) -> Reply {
    let cds: String = o
        .all("name")
        .map(|n| {
            format!(
                "<host:cd><host:name avail=\"{}\">{}</host:name></host:cd>",
                u8::from(!s.hosts.contains_key(&n.text)),
                escape(&n.text)
            )
        })
        .collect();
    ok(format!(
        "<host:chkData xmlns:host=\"{HOST_NS}\">{cds}</host:chkData>"
    ))
}

fn host_create(s: &mut State, o: &El) -> Reply {
    let name = o.text_of("name");
    if s.hosts.contains_key(&name) {
        return err(2302, "Object exists");
    }
    let addrs: Vec<String> = o.all("addr").map(|a| a.text.clone()).collect();
    // A host inside a domain of this registry needs that domain, sponsored
    // by the caller, and glue; a host elsewhere takes no addresses.
    let parent = s
        .domains
        .iter()
        .find(|(d, _)| name.ends_with(&format!(".{d}")));
    match parent {
        Some((_, d)) if d.owner != s.user => return err(2201, "Authorization error"),
        Some(_) if addrs.is_empty() => return err(2003, "Required parameter missing: addr"),
        None if !addrs.is_empty() => return err(2306, "Parameter value policy error: addr"),
        _ => {}
    }
    s.hosts.insert(name, addrs);
    ok(String::new())
}
