//! Recent definite answers (free or taken), so a customer trying names and
//! the store's suggestions do not ask the registry the same thing again
//! and again. In memory and bounded; timed by the Clock. "Could not tell"
//! is never kept: the next check asks again.

use std::{collections::HashMap, sync::Mutex};

use jiff::{SignedDuration, Timestamp};

use crate::integrations::lookup::{LookupAnswer, Source};

/// Past this many names the oldest answer makes room.
const CAPACITY: usize = 10_000;

#[derive(Debug, Clone)]
pub(super) struct Cached {
    pub source: Source,
    pub answer: LookupAnswer,
    pub at: Timestamp,
}

pub(super) struct AnswerCache {
    ttl: SignedDuration,
    entries: Mutex<HashMap<String, Cached>>,
}

impl AnswerCache {
    pub fn new(seconds: u64) -> AnswerCache {
        AnswerCache {
            ttl: SignedDuration::from_secs(i64::try_from(seconds).unwrap_or(i64::MAX)),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The answer for `name` if it is fresh at `now`.
    pub fn get(&self, name: &str, now: Timestamp) -> Option<Cached> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(name)
            .filter(|c| c.at <= now && now.duration_since(c.at) < self.ttl)
            .cloned()
    }

    pub fn put(&self, name: &str, source: Source, answer: &LookupAnswer, now: Timestamp) {
        if self.ttl.is_zero() || matches!(answer, LookupAnswer::Unknown(_)) {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CAPACITY && !entries.contains_key(name) {
            let ttl = self.ttl;
            entries.retain(|_, c| now.duration_since(c.at) < ttl);
            if entries.len() >= CAPACITY
                && let Some(oldest) = entries
                    .iter()
                    .min_by_key(|(_, c)| c.at)
                    .map(|(k, _)| k.clone())
            {
                entries.remove(&oldest);
            }
        }
        let cached = Cached {
            source,
            answer: answer.clone(),
            at: now,
        };
        entries.insert(name.to_string(), cached);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: i64) -> Timestamp {
        Timestamp::from_second(1_800_000_000 + s).unwrap()
    }

    #[test]
    fn definite_answers_are_kept_for_their_time_and_unknown_ones_never() {
        let cache = AnswerCache::new(60);
        cache.put("a.com", Source::Rdap, &LookupAnswer::Taken, t(0));
        cache.put(
            "b.com",
            Source::Rdap,
            &LookupAnswer::Unknown("timeout".into()),
            t(0),
        );
        assert_eq!(
            cache.get("a.com", t(59)).unwrap().answer,
            LookupAnswer::Taken
        );
        assert!(cache.get("a.com", t(60)).is_none());
        assert!(cache.get("b.com", t(1)).is_none());
    }

    #[test]
    fn a_full_cache_makes_room_with_its_oldest_answer() {
        let cache = AnswerCache::new(1_000_000);
        for i in 0..CAPACITY as i64 {
            cache.put(
                &format!("n{i}.com"),
                Source::Rdap,
                &LookupAnswer::Available,
                t(i),
            );
        }
        cache.put(
            "new.com",
            Source::Whois,
            &LookupAnswer::Available,
            t(CAPACITY as i64),
        );
        assert!(cache.get("n0.com", t(CAPACITY as i64)).is_none());
        assert!(cache.get("n1.com", t(CAPACITY as i64)).is_some());
        assert!(cache.get("new.com", t(CAPACITY as i64)).is_some());
    }
}
