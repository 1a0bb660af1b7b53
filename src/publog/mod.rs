//! The publication log (发布日志): an append-only, hash-chained,
//! Merkle-tree log of every release, kept by `deploy` outside the
//! release folders and published at `/.well-known/sanshen/`.
//!
//! Formats (see `docs/spec/publication-log.md`): C2SP tlog-tiles
//! ([`tiles`], RFC 6962 hashing in [`merkle`]) over small leaves
//! ([`leaf`]) that name each record's digest, and a C2SP tlog-checkpoint
//! signed as a C2SP signed note ([`note`]). This module does no I/O of
//! its own: it reads and writes through a [`store::Store`]
//! (`ops::logstore` has the folder and web-site stores).

pub mod append;
pub mod backdate;
pub mod leaf;
pub mod merkle;
pub mod note;
pub mod record;
pub mod store;
pub mod tiles;
pub mod verify;

pub use append::{append, Appended, NewEntry};
pub use store::{origin_for, Store, WritableStore};
pub use verify::{verify, VerifiedLog};
