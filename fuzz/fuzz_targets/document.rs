//! The document split and the front-matter readers on any bytes: never a
//! panic, and the split round-trips (signed bytes + gate block = the
//! normalised file).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sanshen::content::frontmatter::{self, Origin};
use sanshen::document;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = document::parse(data) else {
        return;
    };
    let norm = document::normalise(data).expect("parse succeeded, so normalise does");
    let at = 4 + doc.front_matter.len();
    let mut back = doc.signed.clone();
    if let Some(g) = &doc.gate {
        back.insert_str(at, &g.text);
    }
    assert_eq!(back, norm, "signed + gate block != normalised file");
    assert!(norm.ends_with(&doc.body));
    let _ = doc.digest();

    let file = "content/news/a.md";
    let origin = Origin {
        file,
        source: &norm,
        yaml: &doc.front_matter,
        first_line: doc.front_matter_line,
    };
    let _ = frontmatter::article(&origin);
    let _ = frontmatter::column(&origin);
    let _ = sanshen::gate::read_facts(file, &doc);
    let _ = sanshen::gate::parse_document_gate(file, &doc);
});
