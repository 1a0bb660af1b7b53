//! The CLI's commands: each turns a request into work on the site and
//! messages for the user, and returns the exit code.

pub mod audit;
pub mod build;
pub mod common;
pub mod form;
pub mod governance;
mod html;
pub mod keygen;
pub mod links;
pub mod register;
pub mod show;
pub mod sign;
pub mod status;
pub mod withdraw;
