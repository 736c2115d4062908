//! The data-directory lock: a running server holds it, so a second server,
//! `migrate` or `restore` on the same data refuses instead of corrupting it.

use std::{
    fs::{File, OpenOptions},
    path::{Path, PathBuf},
};

#[derive(Debug)]
pub struct DataDirLock {
    // Held open for the lock's lifetime; the OS releases it on drop or exit.
    _file: File,
    path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another till process is using {0} (its lock is held); stop it first")]
    Held(PathBuf),
    #[error("cannot lock {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DataDirLock {
    /// Take the lock at `path` without waiting.
    pub fn acquire(path: &Path) -> Result<DataDirLock, LockError> {
        let io = |source| LockError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(DataDirLock {
                _file: file,
                path: path.to_path_buf(),
            }),
            Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Held(path.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_refuses_a_second_holder_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("till.lock");
        let first = DataDirLock::acquire(&path).unwrap();
        assert!(matches!(
            DataDirLock::acquire(&path),
            Err(LockError::Held(_))
        ));
        drop(first);
        assert!(DataDirLock::acquire(&path).is_ok());
    }
}
