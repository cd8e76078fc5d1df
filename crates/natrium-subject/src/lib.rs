//! API CONTRACT STUB — the subject helper replaces this file.
#![allow(missing_docs)]
use std::sync::Arc;

pub fn is_valid_subject(_s: &[u8]) -> bool { todo!() }
pub fn is_valid_publish_subject(_s: &[u8]) -> bool { todo!() }
pub fn is_valid_queue_name(_s: &[u8]) -> bool { todo!() }
pub fn subject_matches(_pattern: &[u8], _subject: &[u8]) -> bool { todo!() }

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubjectError {
    #[error("invalid subject")]
    InvalidSubject,
}

/// Matches for one literal subject.
#[derive(Debug)]
pub struct MatchResult<T> {
    pub plain: Vec<T>,
    pub queues: Vec<QueueMatch<T>>,
}
#[derive(Debug)]
pub struct QueueMatch<T> {
    pub name: Box<[u8]>,
    pub members: Vec<T>,
}
impl<T> MatchResult<T> {
    pub fn is_empty(&self) -> bool { self.plain.is_empty() && self.queues.is_empty() }
}

pub struct SubList<T> { _p: std::marker::PhantomData<T> }
impl<T: Clone + PartialEq> SubList<T> {
    pub fn new() -> Self { todo!() }
    pub fn insert(&self, _subject: &[u8], _queue: Option<&[u8]>, _item: T) -> Result<(), SubjectError> { todo!() }
    pub fn remove(&self, _subject: &[u8], _queue: Option<&[u8]>, _item: &T) -> bool { todo!() }
    pub fn matches(&self, _subject: &[u8]) -> Arc<MatchResult<T>> { todo!() }
    pub fn genid(&self) -> u64 { todo!() }
    pub fn count(&self) -> usize { todo!() }
}
