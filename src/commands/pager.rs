//! Long text for the terminal: through `$PAGER` (else `less -R`) when
//! standard output is a terminal, printed plainly otherwise.

use std::io::{self, IsTerminal, Write};
use std::process::{Command, Stdio};

/// Show `text` (already escaped), paged on a terminal.
pub(super) fn page(text: &str) {
    if !io::stdout().is_terminal() || !pager(text) {
        print!("{text}");
    }
}

/// Run the pager over `text`; false when it could not be started.
fn pager(text: &str) -> bool {
    let cmd = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less -R".to_string());
    let mut words = cmd.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    let Ok(mut child) = Command::new(program)
        .args(words)
        .stdin(Stdio::piped())
        .spawn()
    else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // A reader who quits early closes the pipe: not an error.
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait().is_ok()
}
