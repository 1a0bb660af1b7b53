//! The operations behind the commands, as a library: each takes plain
//! parameters (decisions such as a confirmation included), does its work
//! on the site or the deployment, and returns a typed report or a typed
//! error; nothing here parses arguments or decides the exit status.
//! Operating the published site (R17 网页防篡改, R18 备份恢复) lives here
//! too: the manifest of every build, checking a deployed tree or the live
//! site against it, restoring, and atomic deploys with rollback.

pub mod build;
pub mod cosign;
pub mod deploy;
mod error;
pub mod fetch;
pub mod files;
pub mod form;
pub mod governance;
pub mod init;
pub mod keygen;
pub mod links;
pub mod logged;
pub mod logstore;
pub mod logverify;
/// The build's file manifest (owned by the build; re-exported here).
pub use crate::manifest;
pub mod keys;
pub mod new;
pub mod register;
pub mod releases;
pub mod restore;
pub mod returns;
pub mod rollback;
pub mod roots;
pub mod sign;
pub mod signing;
pub mod signview;
pub mod site;
pub mod status;
pub mod store;
pub mod treecheck;
pub mod unsign;
pub mod verify;
pub mod withdraw;

#[cfg(test)]
mod testsite;

pub use error::Error;
