//! A small HTTP/1.1 server on `std::net` for the preview: GET and HEAD of
//! the pages in memory, one request per connection, a thread each; the
//! event stream for live reload. Bound to 127.0.0.1 only, and answers only
//! requests addressed to this machine by name (`Host: 127.0.0.1`,
//! `localhost` or `[::1]`, with or without the port): a web page elsewhere
//! that points its own domain name at 127.0.0.1 (DNS rebinding) gets 403
//! and cannot read the unpublished drafts.

use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::percent_decode_str;

use super::reload::{self, EVENTS_PATH};
use super::State;

/// More open connections than this get 503: a preview has one editor.
const MAX_CONNECTIONS: usize = 64;

/// Accept connections until the process ends.
pub fn run(listener: TcpListener, state: Arc<State>) {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let (state, count) = (state.clone(), open.clone());
        if count.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            count.fetch_sub(1, Ordering::SeqCst);
            let mut s = stream;
            let _ = respond(&mut s, 503, "text/plain; charset=utf-8", b"busy\n", false);
            continue;
        }
        let spawned = std::thread::Builder::new()
            .name("serve-conn".into())
            .spawn(move || {
                let _ = handle(stream, &state, port);
                count.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The closure (and its decrement) never ran.
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A request's method, target and `Host` header.
struct Request {
    method: String,
    target: String,
    host: Option<String>,
}

/// Whether `host` (a `Host` header) names this machine: 127.0.0.1,
/// localhost or [::1], without a port or with the server's.
fn local_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = match host.rsplit_once(':') {
        Some((name, p)) if !host.ends_with(']') => {
            if p.parse::<u16>().ok() != Some(port) {
                return false;
            }
            name
        }
        _ => host.as_str(),
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]")
}

/// The request line and `Host`, after reading the whole head.
fn read_request(stream: &TcpStream) -> io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first)? == 0 {
        return Ok(None);
    }
    let mut total = first.len();
    let mut host = None;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" || total > 16 * 1024 {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("host") {
                host = Some(value.trim().to_string());
            }
        }
    }
    let mut parts = first.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some(m), Some(p)) => Ok(Some(Request {
            method: m.to_string(),
            target: p.to_string(),
            host,
        })),
        _ => Ok(None),
    }
}

fn handle(mut stream: TcpStream, state: &State, port: u16) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let Some(Request {
        method,
        target,
        host,
    }) = read_request(&stream)?
    else {
        return Ok(());
    };
    let head = method == "HEAD";
    if !host.as_deref().is_some_and(|h| local_host(h, port)) {
        let text = format!(
            "403 拒绝访问：预览只接受以 http://127.0.0.1:{port}/ 或 http://localhost:{port}/ 打开的请求。\n"
        );
        return respond(
            &mut stream,
            403,
            "text/plain; charset=utf-8",
            text.as_bytes(),
            head,
        );
    }
    if method != "GET" && !head {
        return respond(
            &mut stream,
            405,
            "text/plain; charset=utf-8",
            b"GET only\n",
            head,
        );
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        stream.set_read_timeout(None)?;
        return reload::stream(&mut stream, &state.hub);
    }
    let decoded = percent_decode_str(path).decode_utf8_lossy().into_owned();
    if decoded.split('/').any(|s| s == "..") {
        return respond(
            &mut stream,
            400,
            "text/plain; charset=utf-8",
            b"bad path\n",
            head,
        );
    }
    let answer = state.answer(&decoded);
    match answer {
        Answer::File {
            status,
            mime,
            bytes,
        } => respond(&mut stream, status, mime, &bytes, head),
        Answer::Redirect(to) => {
            let text = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(text.as_bytes())
        }
    }
}

/// What a path gets.
pub enum Answer {
    File {
        status: u16,
        mime: &'static str,
        bytes: Vec<u8>,
    },
    Redirect(String),
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "OK",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    mime: &str,
    body: &[u8],
    head: bool,
) -> io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        reason(status),
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The content type of an output file, by extension.
pub fn mime(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_this_machine_by_name() {
        let ok = |h| super::local_host(h, 8000);
        for h in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST",
            "[::1]:8000",
            "[::1]",
        ] {
            assert!(ok(h), "{h}");
        }
        for h in [
            "evil.example.com",
            "evil.example.com:8000",
            "127.0.0.1:9000",
            "localhost.evil.com",
            "127.0.0.1.nip.io:8000",
            "",
            "[::2]:8000",
        ] {
            assert!(!ok(h), "{h}");
        }
    }
}
