//! The publication log (发布日志): an append-only, hash-chained,
//! Merkle-tree log of every release, kept by `deploy` outside the
//! release folders and published at `/.well-known/sanshen/`.

pub mod record;
