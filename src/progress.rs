//! How a build advances, for a progress bar: the pipeline reports phases
//! and rendered articles to a [`Progress`]; the command line decides
//! whether anything is drawn.

/// Told how a build advances. Every method does nothing by default.
pub trait Progress: Sync {
    /// A new phase starts, e.g. 「渲染」.
    fn phase(&self, _name: &str) {}
    /// The current phase has `total` items.
    fn items(&self, _total: usize) {}
    /// One more item of the current phase is done.
    fn advance(&self) {}
}

/// Reports nowhere.
pub struct Silent;

impl Progress for Silent {}
