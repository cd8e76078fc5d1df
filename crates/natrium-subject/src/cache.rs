//! The shared match-result cache of a [`SubList`](crate::SubList).
//!
//! Keyed by the published (literal) subject, it holds the `Arc<MatchResult>` the
//! index computed for it. It is kept exact rather than flushed: inserting or
//! removing a subscription edits only the entries whose subject that subscription
//! matches (copy-on-write, so readers holding an older `Arc` keep a consistent
//! snapshot). Its size is bounded: when it grows past [`CACHE_MAX`] entries, a sweep
//! drops the entries not hit since the previous sweep (new one-off subjects such as
//! reply inboxes go first), then arbitrary ones if that was not enough. A sweep
//! removes at least a quarter of the entries, so its cost is amortised over the
//! misses that filled them and never falls on a hit.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::subject::{is_literal_subject, subject_matches};
use crate::sublist::MatchResult;
use crate::ByteMap;

/// Entries past which the cache is swept.
pub const CACHE_MAX: usize = 1024;
/// A sweep leaves at most this many entries when it has to drop recently hit ones.
const CACHE_SWEEP_TARGET: usize = CACHE_MAX / 2;
/// A sweep that kept more than this many recently hit entries drops more.
const CACHE_SWEEP_KEEP_MAX: usize = CACHE_MAX * 3 / 4;

struct Entry<T> {
    result: Arc<MatchResult<T>>,
    /// Hit since the last sweep (a second-chance bit, set under the read lock).
    used: AtomicBool,
}

/// Literal subject → match result.
pub(crate) struct Cache<T> {
    map: ByteMap<Entry<T>>,
}

/// Which change a subscription makes to cached results.
#[derive(Clone, Copy)]
pub(crate) enum Change {
    Added,
    Removed,
}

impl<T: Clone + PartialEq> Cache<T> {
    pub(crate) fn new() -> Self {
        Self {
            map: ByteMap::default(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }

    /// Every cached result.
    pub(crate) fn results(&self) -> impl Iterator<Item = &MatchResult<T>> {
        self.map.values().map(|e| e.result.as_ref())
    }

    /// The cached result for `subject`; never allocates.
    pub(crate) fn get(&self, subject: &[u8]) -> Option<Arc<MatchResult<T>>> {
        let entry = self.map.get(subject)?;
        // Load first so a hot entry's cache line is not written on every hit.
        if !entry.used.load(Ordering::Relaxed) {
            entry.used.store(true, Ordering::Relaxed);
        }
        Some(Arc::clone(&entry.result))
    }

    /// Stores a freshly computed result, sweeping if the cache is over its bound.
    pub(crate) fn insert(&mut self, subject: &[u8], result: Arc<MatchResult<T>>) {
        let entry = Entry {
            result,
            used: AtomicBool::new(false),
        };
        self.map.insert(subject.into(), entry);
        if self.map.len() > CACHE_MAX {
            self.sweep();
        }
    }

    /// Applies a subscription change on `pattern` to every entry it matches.
    pub(crate) fn apply(&mut self, change: Change, pattern: &[u8], queue: Option<&[u8]>, item: &T) {
        if is_literal_subject(pattern) {
            // A literal subscription only matches the subject spelled the same way.
            let stale = match self.map.get_mut(pattern) {
                Some(entry) => !edit(&mut entry.result, change, queue, item),
                None => false,
            };
            if stale {
                self.map.remove(pattern);
            }
        } else {
            self.map.retain(|subject, entry| {
                !subject_matches(pattern, subject) || edit(&mut entry.result, change, queue, item)
            });
        }
    }

    fn sweep(&mut self) {
        self.map
            .retain(|_, entry| entry.used.swap(false, Ordering::Relaxed));
        if self.map.len() > CACHE_SWEEP_KEEP_MAX {
            let mut excess = self.map.len() - CACHE_SWEEP_TARGET;
            self.map.retain(|_, _| {
                if excess == 0 {
                    return true;
                }
                excess -= 1;
                false
            });
        }
    }
}

/// Edits one cached result in place (copying it first if anyone else holds it).
/// Returns false if the result did not hold what the change expected, in which case
/// the caller drops the entry rather than keep a wrong one.
fn edit<T: Clone + PartialEq>(
    result: &mut Arc<MatchResult<T>>,
    change: Change,
    queue: Option<&[u8]>,
    item: &T,
) -> bool {
    match change {
        Change::Added => {
            Arc::make_mut(result).add(queue, item.clone());
            true
        }
        Change::Removed => {
            if !result.contains(queue, item) {
                return false;
            }
            Arc::make_mut(result).remove(queue, item)
        }
    }
}
