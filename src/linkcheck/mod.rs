//! Link checking (R12): the inventory of every link in the published
//! articles, the internal check against the URLs a build produces, and the
//! HTTP check of external links (bounded threads, per-host rate limit).
//! Each job sits in its own module; `sanshen links` and `sanshen audit`
//! share them, and the build's hold on dead links ([`hold`]) uses the
//! internal check.

pub mod hold;
pub mod http;
pub mod internal;
pub mod pool;
pub mod ratelimit;

pub use crate::link_inventory as inventory;
pub use crate::link_inventory::SiteLinks;
pub use hold::hold_dead_links;
pub use internal::{
    check_links, check_site, published_links, site_links, DeadLink, InternalReport, Published,
    SiteUrls,
};
pub use inventory::{Link, LinkKind};
pub use pool::{check_external, Hop, Options, Outcome, Status};
