//! The master key's file: 64 hex digits and a newline, mode 0600, in the
//! data directory. It is written durably and never replaced in place: a new
//! file is written and flushed under a temporary name, then linked to its
//! name only if nothing is there yet, so two processes starting at once
//! agree on one key and a crash never leaves half a key behind.

use std::{
    fs::{File, OpenOptions},
    io::{self, Write},
    path::Path,
};

use super::random;

/// Read the key at `path`; `None` if there is no file.
pub fn read(path: &Path) -> io::Result<Option<[u8; 32]>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    parse(text.trim()).map(Some).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} does not hold a till master key", path.display()),
        )
    })
}

/// 64 hex digits as a key.
pub fn parse(hex_text: &str) -> Option<[u8; 32]> {
    hex::decode(hex_text).ok()?.try_into().ok()
}

/// Write `key` to `path` unless a file is already there. Answers whether
/// this call wrote it (`false`: another one was there first).
pub fn write_new(path: &Path, key: &[u8; 32]) -> io::Result<bool> {
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("master.key"),
        hex::encode(random::bytes::<6>())
    ));
    write_private(&tmp, key)?;
    // A hard link refuses an existing name: exactly one writer wins.
    let linked = std::fs::hard_link(&tmp, path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => {
            sync_dir(path)?;
            Ok(true)
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Put `key` at `path`, replacing what is there (restore): written and
/// flushed under a temporary name, then renamed over.
pub fn replace(path: &Path, key: &[u8; 32]) -> io::Result<()> {
    let tmp = path.with_file_name(format!(
        ".master.key.tmp-{}",
        hex::encode(random::bytes::<6>())
    ));
    write_private(&tmp, key)?;
    std::fs::rename(&tmp, path)?;
    sync_dir(path)
}

fn write_private(path: &Path, key: &[u8; 32]) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    let written = file
        .write_all(format!("{}\n", hex::encode(key)).as_bytes())
        .and_then(|()| file.sync_all());
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}

/// What is wrong with the file's permissions, if anything: a key that
/// others on the machine can read opens every sealed secret.
pub fn permission_problem(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then(|| {
            format!(
                "{} has mode {mode:04o}, so others can read it; run chmod 600 on it",
                path.display()
            )
        })
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_key_is_written_once_privately_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        assert_eq!(read(&path).unwrap(), None);
        assert!(write_new(&path, &[7; 32]).unwrap());
        assert!(!write_new(&path, &[8; 32]).unwrap(), "the first key stays");
        assert_eq!(read(&path).unwrap(), Some([7; 32]));
        assert_eq!(permission_problem(&path), None);
        replace(&path, &[9; 32]).unwrap();
        assert_eq!(read(&path).unwrap(), Some([9; 32]));
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary files are left");
        std::fs::write(&path, "not a key").unwrap();
        assert!(read(&path).is_err());
    }
}
