//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1: the OWASP
//! floor). Hashing costs tens of milliseconds of CPU, so callers on async
//! threads run it inside `Db::run` or `spawn_blocking`.
//!
//! Requests hash through `PasswordGate`: as many at once as there are
//! cores, a short queue behind them, and past that a 503 with
//! `Retry-After`. Without it a burst of logins would queue without bound,
//! holding memory (19 MiB each) and blocking threads until every request
//! times out.

use std::sync::{Condvar, Mutex};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::error::{AppError, Result};

fn hasher() -> Argon2<'static> {
    // `Argon2::default()` is argon2id, version 0x13, m=19456 KiB, t=2, p=1.
    Argon2::default()
}

/// Hash a password into a PHC string (`$argon2id$v=19$...`).
pub fn hash(password: &str) -> Result<String> {
    let hash: PasswordHash = hasher()
        .hash_password(password.as_bytes())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))?;
    Ok(hash.to_string())
}

/// Check a password against a stored PHC string. A malformed stored hash is
/// a mismatch, never a panic.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Bounds how many argon2 computations run and wait at once.
pub struct PasswordGate {
    permits: usize,
    max_waiting: usize,
    state: Mutex<GateState>,
    freed: Condvar,
}

#[derive(Default)]
struct GateState {
    busy: usize,
    waiting: usize,
}

/// A slot to hash in; given back when dropped.
pub struct Permit<'a>(&'a PasswordGate);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.busy -= 1;
        drop(s);
        self.0.freed.notify_one();
    }
}

/// What a full queue tells the caller to wait.
const BUSY_RETRY_SECS: u64 = 1;
/// Waiting slots per permit: a queue a few hashes deep per core.
const QUEUE_PER_PERMIT: usize = 4;

impl PasswordGate {
    pub fn new(permits: usize, max_waiting: usize) -> Self {
        Self {
            permits: permits.max(1),
            max_waiting,
            state: Mutex::new(GateState::default()),
            freed: Condvar::new(),
        }
    }

    /// One permit per core, and a short queue behind them.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Self::new(cores, cores * QUEUE_PER_PERMIT)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn permits(&self) -> usize {
        self.permits
    }

    pub fn max_waiting(&self) -> usize {
        self.max_waiting
    }

    /// How many callers wait for a permit now.
    pub fn waiting(&self) -> usize {
        self.lock().waiting
    }

    /// Take a permit, waiting in the queue if there is room in it; a full
    /// queue is `Busy`. Blocks: call it off the async threads.
    pub fn acquire(&self) -> Result<Permit<'_>> {
        let mut s = self.lock();
        if s.busy >= self.permits {
            if s.waiting >= self.max_waiting {
                return Err(AppError::Busy {
                    retry_after_secs: BUSY_RETRY_SECS,
                });
            }
            s.waiting += 1;
            while s.busy >= self.permits {
                s = self.freed.wait(s).unwrap_or_else(|p| p.into_inner());
            }
            s.waiting -= 1;
        }
        s.busy += 1;
        Ok(Permit(self))
    }

    /// `hash`, behind the gate.
    pub fn hash(&self, password: &str) -> Result<String> {
        let _permit = self.acquire()?;
        hash(password)
    }

    /// `verify`, behind the gate.
    pub fn verify(&self, password: &str, stored: &str) -> Result<bool> {
        let _permit = self.acquire()?;
        Ok(verify(password, stored))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_gate_with_a_full_queue_is_busy() {
        let gate = std::sync::Arc::new(PasswordGate::new(1, 1));
        let held = gate.acquire().unwrap();
        let waiter = {
            let gate = gate.clone();
            std::thread::spawn(move || gate.acquire().map(|_| ()).is_ok())
        };
        while gate.waiting() < 1 {
            std::thread::yield_now();
        }
        assert!(matches!(gate.acquire(), Err(AppError::Busy { .. })));
        drop(held);
        assert!(waiter.join().unwrap(), "the queued caller got its turn");
        assert!(gate.acquire().is_ok());
    }

    #[test]
    fn a_hash_verifies_its_password_and_nothing_else() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert!(!verify("anything", "not a phc string"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash("same").unwrap(), hash("same").unwrap());
    }
}
