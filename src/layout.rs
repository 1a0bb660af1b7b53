//! The layout of a site repository: the folders a build reads, named once.

use crate::content::CONTENT_DIR;
use crate::reviews;

/// The folders of the site root that a build reads (besides `site.yaml`):
/// the secret scan covers them, the preview watches them, and a secret key
/// must never be inside them.
pub const SITE_DIRS: [&str; 4] = [CONTENT_DIR, reviews::DIR, "themes", "static"];
