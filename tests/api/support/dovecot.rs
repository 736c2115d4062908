//! A real dovecot IMAP server (Debian's `dovecot-imapd`) for the mail-in
//! tests: started once per test binary on a free loopback port with its
//! own config in a temp dir (a static passdb: any user name, one
//! password; a maildir per user; no TLS on loopback), as the current
//! user (as root, mail is kept by the `dovecot` user, since dovecot
//! refuses uid 0). Each test uses its own user, so its own mailbox. A
//! watcher shell stops it when this process ends. Without dovecot a test
//! is skipped (it says so), except under CI, where it fails.

use std::{
    net::TcpListener,
    path::Path,
    process::{Command, Stdio},
    sync::OnceLock,
    time::{Duration, Instant},
};

use futures_util::TryStreamExt;

const DOVECOT: &str = "/usr/sbin/dovecot";
pub const PASSWORD: &str = "imap-test-password";

pub struct Dovecot {
    pub port: u16,
    _watcher: std::process::Child,
    _dir: tempfile::TempDir,
}

static SERVER: OnceLock<Option<Dovecot>> = OnceLock::new();

/// The shared server, or `None` (after saying so) when dovecot is not
/// installed outside CI.
pub fn dovecot() -> Option<&'static Dovecot> {
    SERVER
        .get_or_init(|| {
            if !Path::new(DOVECOT).exists() {
                let what = "dovecot is not installed: apt-get install dovecot-imapd \
                            (or run .ci/install-dovecot.sh)";
                assert!(std::env::var_os("CI").is_none(), "{what}");
                eprintln!("skipped: {what}");
                return None;
            }
            Some(start())
        })
        .as_ref()
}

fn free_port() -> u16 {
    let first = 32_000 + (std::process::id() % 4_000) as u16;
    (first..40_000)
        .find(|&port| TcpListener::bind(("127.0.0.1", port)).is_ok())
        .expect("a free port")
}

fn id_of(flag: &str, user: Option<&str>) -> String {
    let out = Command::new("id")
        .arg(flag)
        .args(user)
        .output()
        .expect("id runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn start() -> Dovecot {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    // Dovecot's own processes (another user, when we are root) walk here.
    std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
    for sub in ["run", "state", "mail", "home"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    let as_root = id_of("-u", None) == "0";
    let (internal, login, uid, gid) = if as_root {
        let (uid, gid) = (id_of("-u", Some("dovecot")), id_of("-g", Some("dovecot")));
        for sub in ["mail", "home"] {
            let (u, g) = (uid.parse().unwrap(), gid.parse().unwrap());
            std::os::unix::fs::chown(root.join(sub), Some(u), Some(g)).unwrap();
        }
        ("dovecot".to_string(), "dovenull".to_string(), uid, gid)
    } else {
        let me = id_of("-un", None);
        (me.clone(), me, id_of("-u", None), id_of("-g", None))
    };
    let group = if as_root {
        "dovecot".to_string()
    } else {
        id_of("-gn", None)
    };
    let port = free_port();
    let conf = format!(
        "base_dir = {r}/run\nstate_dir = {r}/state\nlog_path = {r}/dovecot.log\n\
         protocols = imap\nlisten = 127.0.0.1\nssl = no\ndisable_plaintext_auth = no\n\
         auth_mechanisms = plain login\nmail_location = maildir:{r}/mail/%u\n\
         default_internal_user = {internal}\ndefault_internal_group = {group}\n\
         default_login_user = {login}\nfirst_valid_uid = 1\n\
         passdb {{\n  driver = static\n  args = password={PASSWORD}\n}}\n\
         userdb {{\n  driver = static\n  args = uid={uid} gid={gid} home={r}/home/%u\n}}\n\
         service imap-login {{\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n\
         \x20 inet_listener imaps {{\n    port = 0\n  }}\n}}\n",
        r = root.display(),
    );
    let conf_path = root.join("dovecot.conf");
    std::fs::write(&conf_path, conf).unwrap();
    let script = format!(
        "{DOVECOT} -F -c {conf} 2>>{r}/stderr.log & p=$!; while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; kill $p",
        conf = conf_path.display(),
        r = root.display(),
        pid = std::process::id(),
    );
    let watcher = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dovecot starts");
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "dovecot did not listen on {port}: {}",
            std::fs::read_to_string(root.join("dovecot.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Dovecot {
        port,
        _watcher: watcher,
        _dir: dir,
    }
}

impl Dovecot {
    async fn session(&self, user: &str) -> async_imap::Session<tokio::net::TcpStream> {
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        client
            .login(user, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .unwrap()
    }

    /// Put `raw` in `user`'s INBOX, unseen: IMAP APPEND, spoken by hand
    /// with a LITERAL+ literal (dovecot offers it).
    pub async fn append(&self, user: &str, raw: &[u8]) {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let tcp = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .unwrap();
        let mut io = BufReader::new(tcp);
        async fn until(io: &mut BufReader<tokio::net::TcpStream>, tag: &str) {
            let mut line = String::new();
            loop {
                line.clear();
                assert!(
                    io.read_line(&mut line).await.unwrap() > 0,
                    "dovecot hung up"
                );
                if line.starts_with(tag) {
                    assert!(line.starts_with(&format!("{tag} OK")), "{line}");
                    return;
                }
            }
        }
        until(&mut io, "*").await;
        let login = format!("a LOGIN \"{user}\" \"{PASSWORD}\"\r\n");
        io.get_mut().write_all(login.as_bytes()).await.unwrap();
        until(&mut io, "a").await;
        let append = format!("b APPEND INBOX {{{}+}}\r\n", raw.len());
        io.get_mut().write_all(append.as_bytes()).await.unwrap();
        io.get_mut().write_all(raw).await.unwrap();
        io.get_mut().write_all(b"\r\nc LOGOUT\r\n").await.unwrap();
        until(&mut io, "b").await;
    }

    /// Each message in `user`'s INBOX: whether it is `\Seen`.
    pub async fn seen(&self, user: &str) -> Vec<bool> {
        let mut s = self.session(user).await;
        let mailbox = s.select("INBOX").await.unwrap();
        let mut out = Vec::new();
        if mailbox.exists > 0 {
            let fetches: Vec<_> = s
                .fetch("1:*", "FLAGS")
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            for f in &fetches {
                out.push(f.flags().any(|fl| fl == async_imap::types::Flag::Seen));
            }
        }
        s.logout().await.unwrap();
        out
    }
}
