//! EPP over TCP framing (RFC 5734 section 4): every message is a 4-byte
//! big-endian length, counting those four bytes, then the XML. A peer
//! can announce any length, so reading stops at `MAX_FRAME` before
//! anything is allocated.

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The largest message till reads: registries' answers are a few KiB; a
/// domain:info with many hosts stays far below this.
pub const MAX_FRAME: usize = 1024 * 1024;

const HEADER: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the connection failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("the peer announced a frame of {0} bytes (at most {MAX_FRAME})")]
    TooLarge(usize),
    #[error("the peer announced a frame of {0} bytes, shorter than its header")]
    TooShort(usize),
}

/// The 4-byte header for a message of `len` bytes.
pub fn header(len: usize) -> Result<[u8; HEADER], FrameError> {
    let total = len + HEADER;
    if total > MAX_FRAME {
        return Err(FrameError::TooLarge(total));
    }
    // MAX_FRAME fits in a u32, so this cannot truncate.
    Ok((total as u32).to_be_bytes())
}

/// The payload length a header announces, checked against the bounds.
pub fn payload_len(header: [u8; HEADER]) -> Result<usize, FrameError> {
    let total = u32::from_be_bytes(header) as usize;
    if total > MAX_FRAME {
        return Err(FrameError::TooLarge(total));
    }
    total.checked_sub(HEADER).ok_or(FrameError::TooShort(total))
}

pub async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, xml: &[u8]) -> Result<(), FrameError> {
    let mut message = Vec::with_capacity(xml.len() + HEADER);
    message.extend_from_slice(&header(xml.len())?);
    message.extend_from_slice(xml);
    w.write_all(&message).await?;
    w.flush().await?;
    Ok(())
}

pub async fn read_frame<R: AsyncRead + Unpin>(r: &mut R) -> Result<Vec<u8>, FrameError> {
    let mut head = [0u8; HEADER];
    r.read_exact(&mut head).await?;
    let mut payload = vec![0u8; payload_len(head)?];
    r.read_exact(&mut payload).await?;
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_frame_counts_its_own_header() {
        let mut wire = Vec::new();
        write_frame(&mut wire, b"<epp/>").await.unwrap();
        assert_eq!(&wire[..4], &[0, 0, 0, 10]);
        assert_eq!(&wire[4..], b"<epp/>");
        let read = read_frame(&mut wire.as_slice()).await.unwrap();
        assert_eq!(read, b"<epp/>");
    }

    #[tokio::test]
    async fn an_announced_length_past_the_bound_is_refused_before_reading() {
        let mut wire = (64u32 * 1024 * 1024).to_be_bytes().to_vec();
        wire.extend_from_slice(b"<epp>");
        let err = read_frame(&mut wire.as_slice()).await.unwrap_err();
        assert!(matches!(err, FrameError::TooLarge(n) if n == 64 * 1024 * 1024));
    }

    #[tokio::test]
    async fn a_length_shorter_than_the_header_is_refused() {
        let wire = 3u32.to_be_bytes();
        let err = read_frame(&mut wire.as_slice()).await.unwrap_err();
        assert!(matches!(err, FrameError::TooShort(3)));
    }

    #[tokio::test]
    async fn a_frame_cut_short_is_an_io_error() {
        let mut wire = 20u32.to_be_bytes().to_vec();
        wire.extend_from_slice(b"<epp");
        assert!(matches!(
            read_frame(&mut wire.as_slice()).await,
            Err(FrameError::Io(_))
        ));
    }

    #[test]
    fn a_message_too_large_to_send_is_refused() {
        assert!(header(MAX_FRAME).is_err());
        assert!(header(MAX_FRAME - 4).is_ok());
    }
}
