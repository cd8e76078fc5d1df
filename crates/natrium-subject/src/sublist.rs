//! The subscription index: a trie of subject tokens with a shared result cache.
//!
//! Each trie level maps literal tokens to nodes and has at most one `*` node and
//! one `>` node; a node holds the subscriptions whose subject ends there and the
//! next level. Matching a literal subject walks the literal, `*` and `>` branches
//! at once, without recursion (an explicit stack), so the deepest subject cannot
//! exhaust the thread's stack; dropping the trie is iterative for the same reason.

use std::fmt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::cache::{Cache, Change};
use crate::subject::{
    is_valid_index_subject, tokens, SubjectError, FULL_WILDCARD, PARTIAL_WILDCARD,
};
use crate::ByteMap;

/// The subscriptions matching one literal subject.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchResult<T> {
    /// Plain (non-queue) subscriptions: each gets the message.
    pub plain: Vec<T>,
    /// Queue subscriptions grouped by queue name: one member of each group gets it.
    pub queues: Vec<QueueMatch<T>>,
}

/// The members of one queue group that match a subject.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueMatch<T> {
    /// The queue group name.
    pub name: Box<[u8]>,
    /// The group's matching subscriptions (never empty in a result).
    pub members: Vec<T>,
}

impl<T> Default for MatchResult<T> {
    fn default() -> Self {
        Self {
            plain: Vec::new(),
            queues: Vec::new(),
        }
    }
}

impl<T> MatchResult<T> {
    /// Whether nothing matched.
    pub fn is_empty(&self) -> bool {
        self.plain.is_empty() && self.queues.is_empty()
    }

    /// All matching subscriptions, plain and queue members.
    pub fn len(&self) -> usize {
        self.plain.len() + self.queues.iter().map(|q| q.members.len()).sum::<usize>()
    }

    fn queue_mut(&mut self, name: &[u8]) -> Option<&mut QueueMatch<T>> {
        self.queues.iter_mut().find(|q| &*q.name == name)
    }
}

impl<T: PartialEq> MatchResult<T> {
    pub(crate) fn add(&mut self, queue: Option<&[u8]>, item: T) {
        match queue {
            None => self.plain.push(item),
            Some(name) => match self.queue_mut(name) {
                Some(group) => group.members.push(item),
                None => self.queues.push(QueueMatch {
                    name: name.into(),
                    members: vec![item],
                }),
            },
        }
    }

    pub(crate) fn contains(&self, queue: Option<&[u8]>, item: &T) -> bool {
        match queue {
            None => self.plain.contains(item),
            Some(name) => self
                .queues
                .iter()
                .any(|q| &*q.name == name && q.members.contains(item)),
        }
    }

    /// Removes one entry equal to `item`; false if there was none.
    pub(crate) fn remove(&mut self, queue: Option<&[u8]>, item: &T) -> bool {
        match queue {
            None => remove_one(&mut self.plain, item),
            Some(name) => {
                let Some(at) = self.queues.iter().position(|q| &*q.name == name) else {
                    return false;
                };
                let Some(group) = self.queues.get_mut(at) else {
                    return false;
                };
                let removed = remove_one(&mut group.members, item);
                if group.members.is_empty() {
                    self.queues.swap_remove(at);
                }
                removed
            }
        }
    }
}

/// Removes one element equal to `item` (order is not kept).
fn remove_one<T: PartialEq>(items: &mut Vec<T>, item: &T) -> bool {
    match items.iter().rposition(|x| x == item) {
        Some(at) => {
            items.swap_remove(at);
            true
        }
        None => false,
    }
}

/// Subscriptions whose subject ends at this node, and the level below it.
struct Node<T> {
    next: Option<Box<Level<T>>>,
    plain: Vec<T>,
    queues: ByteMap<Vec<T>>,
}

impl<T> Default for Node<T> {
    fn default() -> Self {
        Self {
            next: None,
            plain: Vec::new(),
            queues: ByteMap::default(),
        }
    }
}

impl<T> Node<T> {
    fn has_subscriptions(&self) -> bool {
        !self.plain.is_empty() || !self.queues.is_empty()
    }

    /// How many nodes the level below has (0 without one).
    fn children(&self) -> usize {
        self.next.as_deref().map_or(0, Level::children)
    }
}

impl<T: PartialEq> Node<T> {
    fn add(&mut self, queue: Option<&[u8]>, item: T) {
        match queue {
            None => self.plain.push(item),
            Some(name) => match self.queues.get_mut(name) {
                Some(members) => members.push(item),
                None => {
                    self.queues.insert(name.into(), vec![item]);
                }
            },
        }
    }

    fn remove(&mut self, queue: Option<&[u8]>, item: &T) -> bool {
        match queue {
            None => remove_one(&mut self.plain, item),
            Some(name) => {
                let Some(members) = self.queues.get_mut(name) else {
                    return false;
                };
                let removed = remove_one(members, item);
                if members.is_empty() {
                    self.queues.remove(name);
                }
                removed
            }
        }
    }
}

/// One token position in the trie.
struct Level<T> {
    literal: ByteMap<Node<T>>,
    partial: Option<Box<Node<T>>>,
    full: Option<Box<Node<T>>>,
}

impl<T> Default for Level<T> {
    fn default() -> Self {
        Self {
            literal: ByteMap::default(),
            partial: None,
            full: None,
        }
    }
}

impl<T> Level<T> {
    fn children(&self) -> usize {
        self.literal.len() + usize::from(self.partial.is_some()) + usize::from(self.full.is_some())
    }

    fn child(&self, token: &[u8]) -> Option<&Node<T>> {
        if token == PARTIAL_WILDCARD {
            self.partial.as_deref()
        } else if token == FULL_WILDCARD {
            self.full.as_deref()
        } else {
            self.literal.get(token)
        }
    }

    fn child_mut(&mut self, token: &[u8]) -> Option<&mut Node<T>> {
        if token == PARTIAL_WILDCARD {
            self.partial.as_deref_mut()
        } else if token == FULL_WILDCARD {
            self.full.as_deref_mut()
        } else {
            self.literal.get_mut(token)
        }
    }

    fn child_or_insert(&mut self, token: &[u8]) -> Option<&mut Node<T>> {
        if token == PARTIAL_WILDCARD {
            Some(self.partial.get_or_insert_with(Box::default))
        } else if token == FULL_WILDCARD {
            Some(self.full.get_or_insert_with(Box::default))
        } else {
            if !self.literal.contains_key(token) {
                self.literal.insert(token.into(), Node::default());
            }
            self.literal.get_mut(token)
        }
    }

    fn remove_child(&mut self, token: &[u8]) {
        if token == PARTIAL_WILDCARD {
            self.partial = None;
        } else if token == FULL_WILDCARD {
            self.full = None;
        } else {
            self.literal.remove(token);
        }
    }

    /// Moves the levels below this one's nodes into `out`.
    fn take_children(&mut self, out: &mut Vec<Level<T>>) {
        let nodes = self
            .literal
            .values_mut()
            .chain(self.partial.as_deref_mut())
            .chain(self.full.as_deref_mut());
        out.extend(
            nodes
                .filter_map(|node| node.next.take())
                .map(|level| *level),
        );
    }
}

impl<T> Drop for Level<T> {
    fn drop(&mut self) {
        // Tear the trie down level by level instead of recursively.
        let mut pending = Vec::new();
        self.take_children(&mut pending);
        while let Some(mut level) = pending.pop() {
            level.take_children(&mut pending);
        }
    }
}

impl<T: Clone + PartialEq> Level<T> {
    fn insert(&mut self, subject: &[u8], queue: Option<&[u8]>, item: T) -> bool {
        let mut level = self;
        let mut rest = tokens(subject).peekable();
        while let Some(token) = rest.next() {
            let Some(node) = level.child_or_insert(token) else {
                return false;
            };
            if rest.peek().is_none() {
                node.add(queue, item);
                return true;
            }
            level = node.next.get_or_insert_with(Box::default);
        }
        false
    }

    fn remove(&mut self, subject: &[u8], queue: Option<&[u8]>, item: &T) -> bool {
        let path: Vec<&[u8]> = tokens(subject).collect();
        let Some((last, parents)) = path.split_last() else {
            return false;
        };
        let mut level = &mut *self;
        for token in parents {
            match level.child_mut(token).and_then(|n| n.next.as_deref_mut()) {
                Some(next) => level = next,
                None => return false,
            }
        }
        let removed = level.child_mut(last).is_some_and(|n| n.remove(queue, item));
        if removed {
            self.prune(&path);
        }
        removed
    }

    /// Drops the nodes along `path` that no longer lead to any subscription.
    fn prune(&mut self, path: &[&[u8]]) {
        // Walk down noting, for each depth, whether the node there is dead given
        // that everything below it on the path is dead.
        let mut nodes = Vec::with_capacity(path.len());
        let mut level = Some(&*self);
        for token in path {
            let Some(node) = level.and_then(|l| l.child(token)) else {
                return;
            };
            nodes.push(node);
            level = node.next.as_deref();
        }
        let mut first_dead = path.len();
        for (depth, node) in nodes.iter().enumerate().rev() {
            let below_dead = depth + 1 == first_dead;
            let allowed_children = usize::from(depth + 1 < path.len());
            let dead =
                below_dead && !node.has_subscriptions() && node.children() <= allowed_children;
            if !dead {
                break;
            }
            first_dead = depth;
        }
        let Some(doomed) = path.get(first_dead) else {
            return;
        };
        // Detach the dead chain from its parent level; drop the parent's level
        // entirely if that leaves it empty.
        let Some((parents, grandparents)) = path.get(..first_dead).and_then(|p| p.split_last())
        else {
            self.remove_child(doomed);
            return;
        };
        let mut level = &mut *self;
        for token in grandparents {
            match level.child_mut(token).and_then(|n| n.next.as_deref_mut()) {
                Some(next) => level = next,
                None => return,
            }
        }
        if let Some(parent) = level.child_mut(parents) {
            if let Some(next) = parent.next.as_deref_mut() {
                next.remove_child(doomed);
                if next.children() == 0 {
                    parent.next = None;
                }
            }
        }
    }

    /// Adds every subscription matching the literal `subject` to `out`.
    fn collect(&self, subject: &[&[u8]], out: &mut ResultBuilder<T>) {
        let mut pending: Vec<(&Level<T>, &[&[u8]])> = vec![(self, subject)];
        while let Some((mut level, mut rest)) = pending.pop() {
            while let Some((token, after)) = rest.split_first() {
                if let Some(full) = level.full.as_deref() {
                    out.add_node(full);
                }
                if let Some(partial) = level.partial.as_deref() {
                    if after.is_empty() {
                        out.add_node(partial);
                    } else if let Some(next) = partial.next.as_deref() {
                        pending.push((next, after));
                    }
                }
                let Some(node) = level.literal.get(*token) else {
                    break;
                };
                if after.is_empty() {
                    out.add_node(node);
                    break;
                }
                let Some(next) = node.next.as_deref() else {
                    break;
                };
                level = next;
                rest = after;
            }
        }
    }
}

/// Queue groups in a result past which a name index is kept while building it.
const QUEUE_INDEX_MIN: usize = 16;

/// Accumulates a [`MatchResult`], merging queue groups of the same name.
struct ResultBuilder<T> {
    result: MatchResult<T>,
    queue_index: ByteMap<usize>,
}

impl<T: Clone> ResultBuilder<T> {
    fn new() -> Self {
        Self {
            result: MatchResult::default(),
            queue_index: ByteMap::default(),
        }
    }

    fn add_node(&mut self, node: &Node<T>) {
        self.result.plain.extend_from_slice(&node.plain);
        for (name, members) in &node.queues {
            match self.queue_slot(name) {
                Some(group) => group.members.extend_from_slice(members),
                None => {
                    if !self.queue_index.is_empty() {
                        self.queue_index
                            .insert(name.clone(), self.result.queues.len());
                    }
                    self.result.queues.push(QueueMatch {
                        name: name.clone(),
                        members: members.clone(),
                    });
                }
            }
        }
    }

    fn queue_slot(&mut self, name: &[u8]) -> Option<&mut QueueMatch<T>> {
        if self.queue_index.is_empty() && self.result.queues.len() >= QUEUE_INDEX_MIN {
            for (at, group) in self.result.queues.iter().enumerate() {
                self.queue_index.insert(group.name.clone(), at);
            }
        }
        if self.queue_index.is_empty() {
            self.result.queue_mut(name)
        } else {
            let at = *self.queue_index.get(name)?;
            self.result.queues.get_mut(at)
        }
    }
}

/// A thread-safe subscription index with a shared, exactly maintained match cache.
///
/// `T` is the stored item (the server stores a pointer-identity wrapper around its
/// subscription); `remove` takes out one item equal to the one given, so the index
/// behaves as a multiset. All methods take `&self`; locks are held only briefly:
/// a cache hit takes the cache's read lock and clones an `Arc`, nothing more.
pub struct SubList<T> {
    trie: RwLock<Level<T>>,
    cache: RwLock<Cache<T>>,
    genid: AtomicU64,
    count: AtomicUsize,
    inserts: AtomicU64,
    removes: AtomicU64,
    matches: AtomicU64,
    cache_hits: AtomicU64,
    empty: Arc<MatchResult<T>>,
}

/// Counters of a [`SubList`], as nats-server reports them on `/subsz`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SubListStats {
    /// Live subscriptions.
    pub subscriptions: usize,
    /// Subjects with a cached result.
    pub cached: usize,
    /// Successful inserts since creation.
    pub inserts: u64,
    /// Successful removes since creation.
    pub removes: u64,
    /// Lookups since creation.
    pub matches: u64,
    /// Lookups answered from the shared cache.
    pub cache_hits: u64,
    /// Most subscriptions any cached subject matches.
    pub max_fanout: usize,
    /// Mean number of subscriptions the cached subjects match (0 with an empty cache).
    pub avg_fanout: f64,
}

impl<T> fmt::Debug for SubList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SubList")
            .field("count", &self.count.load(Ordering::Relaxed))
            .field("genid", &self.genid.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl<T: Clone + PartialEq> Default for SubList<T> {
    fn default() -> Self {
        Self::new()
    }
}

fn read<L>(lock: &RwLock<L>) -> RwLockReadGuard<'_, L> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<L>(lock: &RwLock<L>) -> RwLockWriteGuard<'_, L> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

impl<T: Clone + PartialEq> SubList<T> {
    /// An empty index.
    pub fn new() -> Self {
        Self {
            trie: RwLock::new(Level::default()),
            cache: RwLock::new(Cache::new()),
            genid: AtomicU64::new(0),
            count: AtomicUsize::new(0),
            inserts: AtomicU64::new(0),
            removes: AtomicU64::new(0),
            matches: AtomicU64::new(0),
            cache_hits: AtomicU64::new(0),
            empty: Arc::new(MatchResult::default()),
        }
    }

    /// Adds `item` as a subscription to `subject` (in queue group `queue`, if any).
    ///
    /// Refuses exactly what nats-server's `Sublist.Insert` refuses — an empty
    /// subject, an empty token, a token after `>` — and nothing else: call
    /// [`is_valid_subject`](crate::is_valid_subject) first to also refuse
    /// whitespace. Inserting an item twice stores it twice.
    pub fn insert(
        &self,
        subject: &[u8],
        queue: Option<&[u8]>,
        item: T,
    ) -> Result<(), SubjectError> {
        if !is_valid_index_subject(subject) {
            return Err(SubjectError::invalid(subject));
        }
        let mut trie = write(&self.trie);
        if !trie.insert(subject, queue, item.clone()) {
            return Err(SubjectError::invalid(subject));
        }
        let mut cache = write(&self.cache);
        cache.apply(Change::Added, subject, queue, &item);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.inserts.fetch_add(1, Ordering::Relaxed);
        self.genid.fetch_add(1, Ordering::Release);
        Ok(())
    }

    /// Removes one subscription equal to `item` from `subject`/`queue`; false if
    /// there was none (then nothing changes, not even [`genid`](Self::genid)).
    pub fn remove(&self, subject: &[u8], queue: Option<&[u8]>, item: &T) -> bool {
        let mut trie = write(&self.trie);
        if !trie.remove(subject, queue, item) {
            return false;
        }
        let mut cache = write(&self.cache);
        cache.apply(Change::Removed, subject, queue, item);
        self.count.fetch_sub(1, Ordering::Relaxed);
        self.removes.fetch_add(1, Ordering::Relaxed);
        self.genid.fetch_add(1, Ordering::Release);
        true
    }

    /// The subscriptions matching the literal (published) `subject`.
    ///
    /// Tokens of `subject` are taken literally (a published `foo.*` is matched by
    /// `foo.*`, `foo.>` and `>` subscriptions). A subject with an empty token matches
    /// nothing. A cache hit does not allocate.
    pub fn matches(&self, subject: &[u8]) -> Arc<MatchResult<T>> {
        self.matches_with_genid(subject).1
    }

    /// [`matches`](Self::matches), together with the generation the result belongs
    /// to: the result stays exact for as long as [`genid`](Self::genid) returns
    /// that value.
    pub fn matches_with_genid(&self, subject: &[u8]) -> (u64, Arc<MatchResult<T>>) {
        self.matches.fetch_add(1, Ordering::Relaxed);
        {
            let cache = read(&self.cache);
            if let Some(hit) = cache.get(subject) {
                self.cache_hits.fetch_add(1, Ordering::Relaxed);
                // Mutations bump the generation under the cache's write lock.
                return (self.genid.load(Ordering::Acquire), hit);
            }
        }
        let path: Vec<&[u8]> = tokens(subject).collect();
        if path.iter().any(|t| t.is_empty()) {
            return (self.genid.load(Ordering::Acquire), Arc::clone(&self.empty));
        }
        // Hold the trie's read lock until the result is cached, so no mutation can
        // slip in between computing it and storing it.
        let trie = read(&self.trie);
        let genid = self.genid.load(Ordering::Acquire);
        let mut builder = ResultBuilder::new();
        trie.collect(&path, &mut builder);
        let result = if builder.result.is_empty() {
            Arc::clone(&self.empty)
        } else {
            Arc::new(builder.result)
        };
        write(&self.cache).insert(subject, Arc::clone(&result));
        drop(trie);
        (genid, result)
    }

    /// A number that changes whenever a subscription is inserted or removed. Read
    /// it before [`matches`](Self::matches) (or use
    /// [`matches_with_genid`](Self::matches_with_genid)) to keep a private cache of
    /// results that is valid while the number is unchanged. Lock-free.
    pub fn genid(&self) -> u64 {
        self.genid.load(Ordering::Acquire)
    }

    /// How many subscriptions the index holds.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::Relaxed)
    }

    /// How many subjects the shared cache currently holds results for.
    pub fn cache_count(&self) -> usize {
        read(&self.cache).len()
    }

    /// Counters and cache fan-out, for monitoring.
    pub fn stats(&self) -> SubListStats {
        let (cached, max_fanout, total_fanout) = {
            let cache = read(&self.cache);
            let (max, total) = cache
                .results()
                // nats-server counts a queue group once: it receives one copy.
                .map(|r| r.plain.len() + r.queues.len())
                .fold((0, 0), |(max, total), n| (max.max(n), total + n));
            (cache.len(), max, total)
        };
        SubListStats {
            subscriptions: self.count(),
            cached,
            inserts: self.inserts.load(Ordering::Relaxed),
            removes: self.removes.load(Ordering::Relaxed),
            matches: self.matches.load(Ordering::Relaxed),
            cache_hits: self.cache_hits.load(Ordering::Relaxed),
            max_fanout,
            avg_fanout: if cached == 0 {
                0.0
            } else {
                total_fanout as f64 / cached as f64
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_count_operations_hits_and_fanout() {
        let sl = SubList::new();
        sl.insert(b"a.b", None, 1).unwrap();
        sl.insert(b"a.*", None, 2).unwrap();
        sl.insert(b"a.*", Some(b"q"), 3).unwrap();
        sl.insert(b"c", None, 4).unwrap();
        assert!(sl.remove(b"c", None, &4));
        sl.insert(b"a.b", Some(b"q"), 5).unwrap();
        sl.matches(b"a.b"); // miss: fan-out 3 (two plain, one queue group of two)
        sl.matches(b"a.b"); // hit
        sl.matches(b"a.x"); // miss: fan-out 2
        let st = sl.stats();
        assert_eq!(st.subscriptions, 4);
        assert_eq!((st.inserts, st.removes), (5, 1));
        assert_eq!((st.matches, st.cache_hits), (3, 1));
        assert_eq!(st.cached, 2);
        assert_eq!(st.max_fanout, 3);
        assert!((st.avg_fanout - 2.5).abs() < 1e-9, "{}", st.avg_fanout);
    }

    fn sorted(mut v: Vec<u32>) -> Vec<u32> {
        v.sort_unstable();
        v
    }

    fn plain(sl: &SubList<u32>, subject: &str) -> Vec<u32> {
        sorted(sl.matches(subject.as_bytes()).plain.clone())
    }

    fn queue(sl: &SubList<u32>, subject: &str, name: &str) -> Vec<u32> {
        let r = sl.matches(subject.as_bytes());
        let groups: Vec<_> = r
            .queues
            .iter()
            .filter(|q| &*q.name == name.as_bytes())
            .collect();
        assert!(groups.len() <= 1, "queue group {name} appears twice");
        sorted(
            groups
                .first()
                .map(|q| q.members.clone())
                .unwrap_or_default(),
        )
    }

    fn list(subs: &[(&str, u32)]) -> SubList<u32> {
        let sl = SubList::new();
        for (subject, item) in subs {
            sl.insert(subject.as_bytes(), None, *item).unwrap();
        }
        sl
    }

    #[test]
    fn literal_match() {
        let sl = list(&[("foo", 1), ("foo.bar", 2), ("bar", 3)]);
        assert_eq!(plain(&sl, "foo"), [1]);
        assert_eq!(plain(&sl, "foo.bar"), [2]);
        assert_eq!(plain(&sl, "foo.baz"), Vec::<u32>::new());
        assert!(sl.matches(b"nothing").is_empty());
        assert_eq!(sl.count(), 3);
    }

    #[test]
    fn partial_wildcard() {
        let sl = list(&[
            ("foo.*", 1),
            ("*.bar", 2),
            ("*", 3),
            ("foo.*.baz", 4),
            ("*.*", 5),
        ]);
        assert_eq!(plain(&sl, "foo.bar"), [1, 2, 5]);
        assert_eq!(plain(&sl, "foo"), [3]);
        assert_eq!(plain(&sl, "foo.x.baz"), [4]);
        assert_eq!(plain(&sl, "foo.x.y"), Vec::<u32>::new());
        assert_eq!(plain(&sl, "x.bar"), [2, 5]);
    }

    #[test]
    fn full_wildcard() {
        let sl = list(&[("foo.>", 1), (">", 2), ("foo.*.>", 3), ("foo", 4)]);
        assert_eq!(plain(&sl, "foo"), [2, 4], "foo.> must not match foo");
        assert_eq!(plain(&sl, "foo.bar"), [1, 2]);
        assert_eq!(plain(&sl, "foo.bar.baz"), [1, 2, 3]);
        assert_eq!(plain(&sl, "a.b.c.d.e"), [2]);
    }

    #[test]
    fn published_wildcards_are_literal_tokens() {
        let sl = list(&[("foo.*", 1), ("foo.>", 2), ("foo.bar", 3), ("foo.*bar", 4)]);
        assert_eq!(plain(&sl, "foo.*"), [1, 2]);
        assert_eq!(plain(&sl, "foo.>"), [1, 2]);
        assert_eq!(plain(&sl, "foo.*bar"), [1, 2, 4]);
        assert_eq!(plain(&sl, "foo.xbar"), [1, 2]);
    }

    #[test]
    fn empty_tokens_in_published_subjects_match_nothing() {
        let sl = list(&[(">", 1), ("*", 2)]);
        for s in ["", ".", "foo.", ".foo", "foo..bar"] {
            assert!(sl.matches(s.as_bytes()).is_empty(), "{s:?}");
        }
        assert_eq!(sl.cache_count(), 0);
    }

    #[test]
    fn queue_grouping() {
        let sl = SubList::new();
        sl.insert(b"foo.bar", Some(b"workers"), 1).unwrap();
        sl.insert(b"foo.*", Some(b"workers"), 2).unwrap();
        sl.insert(b"foo.>", Some(b"others"), 3).unwrap();
        sl.insert(b"foo.bar", None, 4).unwrap();
        sl.insert(b">", Some(b"workers"), 5).unwrap();
        let r = sl.matches(b"foo.bar");
        assert_eq!(r.plain, [4]);
        assert_eq!(r.queues.len(), 2);
        assert_eq!(queue(&sl, "foo.bar", "workers"), [1, 2, 5]);
        assert_eq!(queue(&sl, "foo.bar", "others"), [3]);
        assert_eq!(r.len(), 5);
        assert_eq!(queue(&sl, "foo", "workers"), [5]);
        assert!(sl.remove(b"foo.*", Some(b"workers"), &2));
        assert!(!sl.remove(b"foo.*", Some(b"others"), &2), "wrong group");
        assert!(!sl.remove(b"foo.>", None, &3), "plain is not a queue");
        assert_eq!(queue(&sl, "foo.bar", "workers"), [1, 5]);
        assert!(sl.remove(b"foo.>", Some(b"others"), &3));
        assert_eq!(sl.matches(b"foo.bar").queues.len(), 1);
    }

    #[test]
    fn many_queue_groups_merge_by_name() {
        let sl = SubList::new();
        for g in 0..40u32 {
            let name = format!("g{g}");
            sl.insert(b"a.b", Some(name.as_bytes()), g).unwrap();
            sl.insert(b"a.*", Some(name.as_bytes()), 100 + g).unwrap();
            sl.insert(b">", Some(name.as_bytes()), 200 + g).unwrap();
        }
        let r = sl.matches(b"a.b");
        assert_eq!(r.queues.len(), 40);
        for g in 0..40u32 {
            assert_eq!(queue(&sl, "a.b", &format!("g{g}")), [g, 100 + g, 200 + g]);
        }
    }

    #[test]
    fn remove() {
        let sl = list(&[("foo", 1), ("foo", 2), ("foo.*", 3)]);
        let g = sl.genid();
        assert!(sl.remove(b"foo", None, &1));
        assert_ne!(sl.genid(), g);
        assert_eq!(plain(&sl, "foo"), [2]);
        let g = sl.genid();
        assert!(!sl.remove(b"foo", None, &1), "already removed");
        assert!(!sl.remove(b"foo.bar", None, &3), "not at that subject");
        assert!(!sl.remove(b"foo..bar", None, &3));
        assert!(!sl.remove(b"", None, &3));
        assert_eq!(sl.genid(), g, "failed removes change nothing");
        assert!(sl.remove(b"foo.*", None, &3));
        assert!(sl.remove(b"foo", None, &2));
        assert_eq!(sl.count(), 0);
        assert!(sl.matches(b"foo").is_empty());
        assert!(sl.matches(b"foo.x").is_empty());
    }

    #[test]
    fn duplicate_inserts_are_a_multiset() {
        let sl = list(&[("foo", 7), ("foo", 7), ("foo.*", 7)]);
        assert_eq!(sl.count(), 3);
        assert_eq!(plain(&sl, "foo"), [7, 7]);
        assert!(sl.remove(b"foo", None, &7));
        assert_eq!(plain(&sl, "foo"), [7]);
        assert!(sl.remove(b"foo", None, &7));
        assert_eq!(plain(&sl, "foo"), Vec::<u32>::new());
        assert!(!sl.remove(b"foo", None, &7));
        assert_eq!(plain(&sl, "foo.x"), [7]);
    }

    #[test]
    fn invalid_subjects_are_refused() {
        let sl = SubList::new();
        for s in [
            "",
            ".",
            "foo..bar",
            ".foo",
            "foo.",
            "foo.>.bar",
            ">.>",
            "a.>.*",
        ] {
            let err = sl.insert(s.as_bytes(), None, 1).unwrap_err();
            assert_eq!(err, SubjectError::invalid(s.as_bytes()));
            assert!(err.to_string().contains(&format!("{s:?}")), "{err}");
        }
        assert_eq!(sl.count(), 0);
        assert_eq!(sl.genid(), 0);
        // `*bar` is a literal token, not a wildcard, exactly as in nats-server.
        sl.insert(b"foo.*bar", None, 1).unwrap();
        assert_eq!(plain(&sl, "foo.*bar"), [1]);
        assert_eq!(plain(&sl, "foo.xbar"), Vec::<u32>::new());
    }

    #[test]
    fn cache_is_updated_not_flushed() {
        let sl = list(&[("foo.bar", 1)]);
        assert_eq!(plain(&sl, "foo.bar"), [1]);
        assert_eq!(plain(&sl, "foo.baz"), Vec::<u32>::new());
        assert_eq!(plain(&sl, "other"), Vec::<u32>::new());
        assert_eq!(sl.cache_count(), 3);
        let other = sl.matches(b"other");
        sl.insert(b"foo.*", None, 2).unwrap();
        sl.insert(b"foo.bar", None, 3).unwrap();
        assert_eq!(sl.cache_count(), 3, "entries are edited in place");
        assert!(Arc::ptr_eq(&other, &sl.matches(b"other")), "untouched");
        assert_eq!(plain(&sl, "foo.bar"), [1, 2, 3]);
        assert_eq!(plain(&sl, "foo.baz"), [2]);
        assert!(sl.remove(b"foo.*", None, &2));
        assert_eq!(plain(&sl, "foo.bar"), [1, 3]);
        assert_eq!(plain(&sl, "foo.baz"), Vec::<u32>::new());
    }

    #[test]
    fn cache_hits_share_one_result_and_old_snapshots_stay_intact() {
        let sl = list(&[("foo", 1)]);
        let a = sl.matches(b"foo");
        let b = sl.matches(b"foo");
        assert!(Arc::ptr_eq(&a, &b));
        sl.insert(b">", None, 2).unwrap();
        assert_eq!(a.plain, [1], "readers keep their snapshot");
        assert_eq!(plain(&sl, "foo"), [1, 2]);
    }

    #[test]
    fn matches_with_genid_tracks_generations() {
        let sl = list(&[("foo", 1)]);
        let (g1, _) = sl.matches_with_genid(b"foo");
        assert_eq!(g1, sl.genid());
        sl.insert(b"bar", None, 2).unwrap();
        let (g2, r) = sl.matches_with_genid(b"foo");
        assert_ne!(g1, g2);
        assert_eq!(g2, sl.genid());
        assert_eq!(r.plain, [1]);
    }

    #[test]
    fn cache_stays_bounded() {
        let sl = list(&[(">", 1)]);
        for i in 0..10 * crate::CACHE_MAX {
            let subject = format!("inbox.{i}");
            assert_eq!(sl.matches(subject.as_bytes()).plain, [1]);
            assert!(sl.cache_count() <= crate::CACHE_MAX);
        }
    }

    #[test]
    fn sweep_prefers_recently_hit_entries() {
        let sl = list(&[(">", 1)]);
        let hot: Vec<String> = (0..100).map(|i| format!("hot.{i}")).collect();
        for s in &hot {
            sl.matches(s.as_bytes());
            sl.matches(s.as_bytes());
        }
        for i in 0..crate::CACHE_MAX {
            sl.matches(format!("cold.{i}").as_bytes());
        }
        let cache = read(&sl.cache);
        for s in &hot {
            assert!(cache.get(s.as_bytes()).is_some(), "{s} was evicted");
        }
    }

    #[test]
    fn empty_nodes_are_pruned() {
        let sl: SubList<u32> = SubList::new();
        for round in 0..3 {
            sl.insert(b"keep", None, 0).unwrap();
            sl.insert(b"a.b.c.d", None, 1).unwrap();
            sl.insert(b"a.b", Some(b"q"), 2).unwrap();
            sl.insert(b"a.*.>", None, 3).unwrap();
            sl.insert(b"a.b.c.d.e", None, 4).unwrap();
            assert!(sl.remove(b"a.b.c.d", None, &1));
            assert!(sl.remove(b"a.b.c.d.e", None, &4));
            {
                let trie = read(&sl.trie);
                let b = trie.literal[&b"a"[..]].next.as_ref().unwrap().literal[&b"b"[..]]
                    .next
                    .as_ref();
                assert!(b.is_none(), "round {round}: level under a.b should be gone");
            }
            assert!(sl.remove(b"a.b", Some(b"q"), &2));
            assert!(sl.remove(b"a.*.>", None, &3));
            assert!(sl.remove(b"keep", None, &0));
            let trie = read(&sl.trie);
            assert_eq!(trie.children(), 0, "round {round}: trie should be empty");
        }
    }

    #[test]
    fn deep_subjects_do_not_overflow_the_stack() {
        let sl = SubList::new();
        let deep = vec!["*"; 200_000].join(".");
        sl.insert(deep.as_bytes(), None, 1).unwrap();
        let literal = vec!["x"; 200_000].join(".");
        assert_eq!(sl.matches(literal.as_bytes()).plain, [1]);
        let deep_literal = vec!["y"; 100_000].join(".");
        sl.insert(deep_literal.as_bytes(), None, 2).unwrap();
        assert!(sl.remove(deep.as_bytes(), None, &1));
        drop(sl);
    }

    #[test]
    fn sublist_is_send_and_sync() {
        fn check<S: Send + Sync>() {}
        check::<SubList<Arc<String>>>();
        check::<Arc<MatchResult<Arc<String>>>>();
    }

    #[test]
    fn concurrent_readers_and_writers() {
        let sl = Arc::new(SubList::new());
        std::thread::scope(|s| {
            for w in 0..2u32 {
                let sl = Arc::clone(&sl);
                s.spawn(move || {
                    for i in 0..2000u32 {
                        let subject = format!("w{w}.{}", i % 7);
                        sl.insert(subject.as_bytes(), None, i).unwrap();
                        assert!(sl.remove(subject.as_bytes(), None, &i));
                    }
                    sl.insert(b"w.done", None, w).unwrap();
                });
            }
            for _ in 0..2 {
                let sl = Arc::clone(&sl);
                s.spawn(move || {
                    for i in 0..4000u32 {
                        let subject = format!("w{}.{}", i % 2, i % 7);
                        assert!(sl.matches(subject.as_bytes()).len() <= 1);
                    }
                });
            }
        });
        assert_eq!(sl.count(), 2);
        assert_eq!(plain(&sl, "w.done"), [0, 1]);
        for w in 0..2 {
            for i in 0..7 {
                assert!(sl.matches(format!("w{w}.{i}").as_bytes()).is_empty());
            }
        }
    }
}
