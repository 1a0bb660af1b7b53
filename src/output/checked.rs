//! The sink of a real build: each rendered file is scanned (private keys,
//! personal numbers no published article may show, the publication log's
//! reserved folder), hashed for the manifest, and only then written into
//! the fresh tree ([`Staging`]). A file that fails a check is never
//! written; the build goes on rendering, so every problem is reported at
//! once, and [`Checked::finish`] refuses the whole tree.

use std::collections::BTreeSet;
use std::sync::Mutex;

use super::Staging;
use crate::diag::{Diagnostic, Diagnostics};
use crate::manifest::Entry;
use crate::outscan::Scanner;
use crate::render::sink::Sink;
use crate::render::OutFile;

pub struct Checked<'a> {
    staging: &'a Staging,
    scanner: Scanner<'a>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    entries: Vec<Entry>,
    errors: Diagnostics,
}

impl<'a> Checked<'a> {
    /// `allowed`: the numbers exempted articles may publish
    /// (`outscan::allowed_numbers`).
    pub fn new(staging: &'a Staging, allowed: &'a BTreeSet<String>) -> Checked<'a> {
        Checked {
            staging,
            scanner: Scanner::new(allowed),
            state: Mutex::new(State::default()),
        }
    }

    fn record(&self, entry: Option<Entry>, errors: Vec<Diagnostic>) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.entries.extend(entry);
        errors.into_iter().for_each(|d| state.errors.push(d));
    }

    /// The manifest entries of every file written, or every problem found.
    pub fn finish(self) -> Result<Vec<Entry>, Diagnostics> {
        let state = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        if state.errors.is_empty() {
            Ok(state.entries)
        } else {
            Err(state.errors.sorted())
        }
    }
}

impl Sink for Checked<'_> {
    fn put(&self, f: OutFile) {
        let mut errors = self.scanner.file(&f);
        errors.extend(crate::publog::reserved_file(&f.path));
        if !errors.is_empty() {
            return self.record(None, errors);
        }
        let entry = Entry::of(&f);
        match self.staging.write(&f) {
            Ok(()) => self.record(Some(entry), Vec::new()),
            Err(d) => self.record(None, vec![d]),
        }
    }
}
