//! Where rendered files go, one at a time, as soon as each is made: a
//! real build checks and writes them straight into its fresh output tree
//! (`output::Checked`), so the finished site is never held in memory; the
//! preview and the link checker collect them ([`Collect`]).

use std::sync::Mutex;

use super::OutFile;

/// Takes the files of a render, from any thread. A sink that cannot take
/// a file records why and reports it when the caller finishes it.
pub trait Sink: Sync {
    fn put(&self, f: OutFile);
}

/// Keeps every file in memory.
#[derive(Default)]
pub struct Collect(Mutex<Vec<OutFile>>);

impl Sink for Collect {
    fn put(&self, f: OutFile) {
        match self.0.lock() {
            Ok(mut files) => files.push(f),
            Err(poisoned) => poisoned.into_inner().push(f),
        }
    }
}

impl Collect {
    /// The files taken, sorted by path.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut files = self
            .0
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}
