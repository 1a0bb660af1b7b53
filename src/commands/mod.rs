//! The CLI's commands: each turns a request into work on the site and
//! messages for the user, and returns the exit code.

pub mod audit;
pub mod build;
pub mod check_release;
pub mod common;
pub mod deploy;
pub mod form;
pub mod governance;
pub mod init;
pub mod keygen;
pub mod links;
pub mod log;
pub mod new;
mod pager;
pub mod progress;
pub mod reference;
pub mod register;
pub mod releases;
pub mod review;
pub mod rollback;
pub mod root;
pub mod serve;
pub mod usage;
pub use crate::describe as show;
pub mod sign;
pub mod status;
mod status_table;
pub mod unsign;
pub mod verify;
pub mod withdraw;
