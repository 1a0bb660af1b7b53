//! The CLI's commands: each turns a request into work on the site and
//! messages for the user, and returns the exit code.

pub mod build;
