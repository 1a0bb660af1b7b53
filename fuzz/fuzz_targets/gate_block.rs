//! The gate block parser on any text: never a panic, and what it reads,
//! written back by `render_gate` (as `sanshen sign`/`withdraw` do), reads
//! back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sanshen::document::GateBlock;
use sanshen::gate::{parse_gate, render_gate, Gate};

/// The gate without line numbers.
fn fields(g: &Gate) -> Gate {
    let mut g = g.clone();
    for a in &mut g.approvals {
        a.line = 0;
    }
    if let Some(w) = &mut g.withdrawn {
        w.line = 0;
    }
    g
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = "content/news/a.md";
    let block = GateBlock {
        text: text.to_string(),
        line: 5,
    };
    let Ok(gate) = parse_gate(file, &block) else {
        return;
    };
    // (An empty `withdrawn: {}` is refused by `parse_gate`, as a bare
    // `withdrawn:` is: found by this target, fixed in the gate.)
    let written = render_gate(&gate);
    let again = parse_gate(
        file,
        &GateBlock {
            text: written.clone(),
            line: 5,
        },
    )
    .unwrap_or_else(|e| panic!("render_gate output does not parse: {e}\n{written}"));
    assert_eq!(
        fields(&again),
        fields(&gate),
        "round trip changed:\n{written}"
    );
});
