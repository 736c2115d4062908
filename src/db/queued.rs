//! Work a write queued for a background worker (an email in the outbox, a
//! provisioning task) wakes that worker as soon as the write commits,
//! whoever wrote it: a request, a job or a command. The store marks what
//! it inserted ([`mark`]); `Db::write` takes the marks after its commit and
//! notifies ([`Wakeups`]). A rolled-back write wakes nobody.
//!
//! The marks live in a thread-local because a write runs start to finish
//! on the thread that holds the writer lock, and the store functions only
//! see a `&Connection`.

use std::cell::Cell;

use tokio::sync::Notify;

/// A worker that can be woken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Mail,
    Modules,
}

impl Queue {
    fn bit(self) -> u8 {
        match self {
            Queue::Mail => 1,
            Queue::Modules => 2,
        }
    }
}

thread_local! {
    static MARKED: Cell<u8> = const { Cell::new(0) };
}

/// Note that the current write queued work for `queue`.
pub fn mark(queue: Queue) {
    MARKED.with(|m| m.set(m.get() | queue.bit()));
}

/// Take (and clear) what the current thread marked.
pub(super) fn take() -> u8 {
    MARKED.with(|m| m.replace(0))
}

/// The workers' doorbells. `Notify` keeps one permit when nobody waits, so
/// a wake-up between two runs of a worker is not lost.
#[derive(Debug, Default)]
pub struct Wakeups {
    pub mail: Notify,
    pub modules: Notify,
}

impl Wakeups {
    /// Ring what `marked` names.
    pub(super) fn ring(&self, marked: u8) {
        if marked & Queue::Mail.bit() != 0 {
            self.mail.notify_one();
        }
        if marked & Queue::Modules.bit() != 0 {
            self.modules.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_taken_once_and_name_their_queue() {
        take();
        mark(Queue::Modules);
        mark(Queue::Modules);
        let marked = take();
        assert_eq!(marked, Queue::Modules.bit());
        assert_eq!(take(), 0);
        let w = Wakeups::default();
        w.ring(marked);
        // The modules bell kept its permit; the mail bell has none.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            tokio::time::timeout(std::time::Duration::from_millis(50), w.modules.notified())
                .await
                .expect("modules were rung");
            assert!(
                tokio::time::timeout(std::time::Duration::from_millis(20), w.mail.notified())
                    .await
                    .is_err(),
                "mail was not rung"
            );
        });
    }
}
