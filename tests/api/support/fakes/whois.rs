//! `FakeWhois`: a registry's WHOIS server on port 43's protocol (RFC
//! 3912): read one line (the query and CRLF), write a text answer, close.
//! A registered name gets a record; any other gets `No match for "NAME".`
//! Runs on a tokio `TcpListener` in its own thread; stops when dropped.

use std::{
    collections::BTreeSet,
    sync::{Arc, Mutex},
    thread::JoinHandle,
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpListener,
    sync::oneshot,
};

/// The text a free name's answer holds (configure it as the pattern).
pub const NO_MATCH: &str = "No match for";

#[derive(Default)]
struct State {
    registered: BTreeSet<String>,
    queries: Vec<String>,
    /// Read the query, then say nothing for this long.
    silent_for: Option<std::time::Duration>,
}

pub struct FakeWhois {
    /// `127.0.0.1:PORT`, for `[domains.whois_servers]`.
    pub server: String,
    state: Arc<Mutex<State>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeWhois {
    pub fn start() -> FakeWhois {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std_listener.set_nonblocking(true).unwrap();
        let server = std_listener.local_addr().unwrap().to_string();
        let state = Arc::new(Mutex::new(State::default()));
        let (stop, stopped) = oneshot::channel::<()>();
        let shared = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::from_std(std_listener).unwrap();
                tokio::select! {
                    _ = stopped => {}
                    _ = serve(listener, shared) => {}
                }
            });
        });
        FakeWhois {
            server,
            state,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn register(&self, name: &str) {
        self.state.lock().unwrap().registered.insert(name.into());
    }

    /// Take each query, then keep the connection open saying nothing.
    pub fn go_silent(&self, for_how_long: std::time::Duration) {
        self.state.lock().unwrap().silent_for = Some(for_how_long);
    }

    /// Every query line received, without its CRLF.
    pub fn queries(&self) -> Vec<String> {
        self.state.lock().unwrap().queries.clone()
    }
}

async fn serve(listener: TcpListener, state: Arc<Mutex<State>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let (read, mut write) = stream.into_split();
            let mut line = String::new();
            if BufReader::new(read).read_line(&mut line).await.is_err() {
                return;
            }
            let query = line.trim_end_matches(['\r', '\n']).to_string();
            let (registered, silent_for) = {
                let mut s = state.lock().unwrap();
                s.queries.push(query.clone());
                (s.registered.contains(&query.to_lowercase()), s.silent_for)
            };
            if let Some(wait) = silent_for {
                tokio::time::sleep(wait).await;
            }
            let answer = if registered {
                format!(
                    "Domain Name: {}\r\nRegistrar: Fake Registrar Ltd\r\nStatus: ok\r\n",
                    query.to_uppercase()
                )
            } else {
                format!("{NO_MATCH} \"{query}\".\r\n>>> Last update of WHOIS database <<<\r\n")
            };
            let _ = write.write_all(answer.as_bytes()).await;
            let _ = write.shutdown().await;
        });
    }
}

impl Drop for FakeWhois {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
