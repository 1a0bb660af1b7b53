//! The one error type that reaches `main`: what a failed operation tells
//! the user. Each operation has its own typed error (`sign::SignError`,
//! `rollback::RollbackError`, …) that converts into this one; the command
//! layer prints it ([`crate::commands::report`]) and `main` turns it into
//! the exit status.

use crate::diag::{Diagnostic, Diagnostics};

/// A failed command, ready to be shown.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Diagnostics (file, line, message, how to fix), with a line of
    /// context before and/or after them on standard error.
    #[error("{diagnostics}")]
    Diagnostics {
        before: Option<String>,
        diagnostics: Diagnostics,
        after: Option<String>,
    },
    /// A refusal: 「what：message」 and how to fix it.
    #[error("{what}：{message}")]
    Refused {
        what: String,
        message: String,
        help: String,
    },
    /// Text already laid out for standard error, printed as it is.
    #[error("{0}")]
    Text(String),
    /// Exit status 1 with a last word on standard output (may be empty):
    /// the user declined, or a check found what it has already reported.
    #[error("{0}")]
    Unsuccessful(String),
}

impl Error {
    /// 「what：message」 and how to fix it (`help` may be empty).
    pub fn refused(what: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Error::Refused {
            what: what.to_string(),
            message: message.into(),
            help: help.into(),
        }
    }

    /// Diagnostics followed by a line on standard error.
    pub fn then(ds: impl Into<Diagnostics>, after: impl Into<String>) -> Self {
        Error::Diagnostics {
            before: None,
            diagnostics: ds.into(),
            after: Some(after.into()),
        }
    }

    /// A line on standard error followed by diagnostics.
    pub fn after(before: impl Into<String>, ds: impl Into<Diagnostics>) -> Self {
        Error::Diagnostics {
            before: Some(before.into()),
            diagnostics: ds.into(),
            after: None,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Diagnostics::from(d).into()
    }
}

impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Self {
        Error::Diagnostics {
            before: None,
            diagnostics,
            after: None,
        }
    }
}
