//! Operating the published site (R17 网页防篡改, R18 备份恢复): the
//! manifest of every build, checking a deployed tree or the live site
//! against it, restoring, and atomic deploys with rollback.

pub mod deploy;
pub mod fetch;
pub mod files;
pub mod manifest;
pub mod releases;
pub mod restore;
pub mod store;
pub mod verify;
