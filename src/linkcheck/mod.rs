//! Link checking (R12): the inventory of every link in the published
//! articles, the internal check against the URLs a build produces, and the
//! HTTP check of external links (bounded threads, per-host rate limit).
//! Each job sits in its own module; `sanshen links` and `sanshen audit`
//! share them.

pub mod hold;
pub mod http;
pub mod internal;
pub mod inventory;
pub mod pool;
pub mod ratelimit;

pub use hold::hold_dead_links;
pub use internal::{
    check_internal, check_links, check_site, DeadLink, InternalReport, Published, SiteUrls,
};
pub use inventory::{published_links, site_links, Link, LinkKind};
pub use pool::{check_external, Hop, Options, Outcome, Status};
