//! WHOIS (RFC 3912) for TLDs without RDAP: connect to the server's port 43,
//! send the name and CRLF, read until the server closes. There is no
//! standard answer, so the operator names, per TLD, the text a "free"
//! answer holds; any other answer with text in it means registered.

use std::time::Duration;

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use super::LookupAnswer;

/// WHOIS answers are a page of text; a server sending more is cut off.
const ANSWER_LIMIT: usize = 64 * 1024;

/// `host` or `host:port` (43 by default); `[v6]:port` works too.
fn address(server: &str) -> String {
    match server.rsplit_once(':') {
        Some((_, port)) if port.parse::<u16>().is_ok() && !server.ends_with(']') => {
            server.to_string()
        }
        _ => format!("{server}:43"),
    }
}

async fn exchange(server: &str, ascii_name: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(address(server)).await?;
    stream
        .write_all(format!("{ascii_name}\r\n").as_bytes())
        .await?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while answer.len() < ANSWER_LIMIT {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n.min(ANSWER_LIMIT - answer.len())]);
    }
    Ok(String::from_utf8_lossy(&answer).into_owned())
}

/// Ask `server` about `ascii_name`, within `timeout` for the whole talk.
pub async fn query(
    server: &str,
    available_pattern: &str,
    ascii_name: &str,
    timeout: Duration,
) -> LookupAnswer {
    match tokio::time::timeout(timeout, exchange(server, ascii_name)).await {
        Err(_) => LookupAnswer::Unknown("timeout".into()),
        Ok(Err(e)) => {
            tracing::info!(server, error = %e, "WHOIS server unreachable");
            LookupAnswer::Unknown("unreachable".into())
        }
        Ok(Ok(text)) if text.trim().is_empty() => LookupAnswer::Unknown("bad_answer".into()),
        Ok(Ok(text)) => {
            if text
                .to_lowercase()
                .contains(&available_pattern.to_lowercase())
            {
                LookupAnswer::Available
            } else {
                LookupAnswer::Taken
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_defaults_to_43() {
        assert_eq!(address("whois.nic.gh"), "whois.nic.gh:43");
        assert_eq!(address("127.0.0.1:4343"), "127.0.0.1:4343");
        assert_eq!(address("[::1]"), "[::1]:43");
    }
}
