//! Live reload: every rebuild bumps a generation number; each browser tab
//! listens on `/__sanshen/events` (Server-Sent Events) and reloads when
//! the number moves. The one inline script that does this is added to
//! preview pages only, never to a real build.

use std::io::{self, Write};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::render::templates::escape;

/// Where browsers listen for reloads.
pub const EVENTS_PATH: &str = "/__sanshen/events";

/// The script added before `</body>` of every preview page.
pub const SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__sanshen/events\");s.addEventListener(\"reload\",function(){location.reload();});})();</script>";

/// The rebuild counter browsers wait on.
#[derive(Default)]
pub struct Hub {
    generation: Mutex<u64>,
    changed: Condvar,
}

impl Hub {
    /// The current generation.
    pub fn current(&self) -> u64 {
        self.generation.lock().map(|g| *g).unwrap_or(0)
    }

    /// A rebuild finished (well or not): wake every listener.
    pub fn bump(&self) {
        if let Ok(mut g) = self.generation.lock() {
            *g += 1;
        }
        self.changed.notify_all();
    }

    /// Wait until the generation is past `seen`, at most `timeout`; the
    /// generation then.
    pub fn wait_past(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(g) = self.generation.lock() else {
            return seen;
        };
        match self.changed.wait_timeout_while(g, timeout, |g| *g <= seen) {
            Ok((g, _)) => *g,
            Err(_) => seen,
        }
    }
}

/// Serve the event stream until the browser goes away: a `reload` event
/// after each rebuild, a comment every 15 seconds to notice closed tabs.
pub fn stream(out: &mut dyn Write, hub: &Hub) -> io::Result<()> {
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n",
    )?;
    out.flush()?;
    let mut seen = hub.current();
    loop {
        let now = hub.wait_past(seen, Duration::from_secs(15));
        if now > seen {
            seen = now;
            write!(out, "event: reload\ndata: {now}\n\n")?;
        } else {
            out.write_all(b": ping\n\n")?;
        }
        out.flush()?;
    }
}

/// `html` with the reload script before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len() + 1);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The page shown instead of the site while it does not build: the same
/// diagnostics the terminal shows.
pub fn error_page(diagnostics: &str, have_previous: bool) -> Vec<u8> {
    let previous = if have_previous {
        "上一次成功构建的预览仍保留在内存中（图片、样式照常可用）；改正后保存文件，本页自动刷新。"
    } else {
        "改正后保存文件，本页自动刷新。"
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>预览构建失败 - sanshen serve</title>\n<style>body{{font-family:system-ui,\"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:0;background:#fff;color:#1a1a1a}}.bar{{background:#b3261e;color:#fff;padding:14px 24px;font-size:20px;font-weight:700}}main{{padding:16px 24px}}pre{{background:#1e1e1e;color:#f3f3f3;padding:16px;overflow:auto;font-size:15px;line-height:1.5;white-space:pre-wrap}}</style>\n</head>\n<body>\n<div class=\"bar\" role=\"alert\">预览构建失败：网站现在无法构建</div>\n<main>\n<p>{previous}</p>\n<pre>{}</pre>\n<p>正式构建（sanshen build）遇到同样的问题也会失败，且不会写出任何文件。</p>\n</main>\n</body>\n</html>\n",
        escape(diagnostics)
    );
    inject(html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end() {
        let out = inject(b"<html><body><p>x</p></body></html>");
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains(&format!("<p>x</p>{SCRIPT}\n</body>")), "{s}");
        assert!(String::from_utf8(inject(b"plain")).unwrap().ends_with('\n'));
    }

    #[test]
    fn error_page_escapes() {
        let s = String::from_utf8(error_page("错误：<b>", true)).unwrap();
        assert!(s.contains("错误：&lt;b&gt;"), "{s}");
        assert!(s.contains("上一次成功构建的预览仍保留"));
    }

    #[test]
    fn hub_wakes_waiters() {
        let hub = std::sync::Arc::new(Hub::default());
        let h = hub.clone();
        let t = std::thread::spawn(move || h.wait_past(0, Duration::from_secs(10)));
        hub.bump();
        assert_eq!(t.join().unwrap(), 1);
        assert_eq!(hub.wait_past(1, Duration::from_millis(1)), 1);
    }
}
