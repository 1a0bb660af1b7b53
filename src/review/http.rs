//! The desk's HTTP/1.1 on `std::net`, like the preview's (`crate::serve`):
//! one request per connection; GET, HEAD and form POSTs (bodies of at most
//! 64 KiB); the `Host`, `Cookie` and `Origin` headers; answers with
//! `no-store` and headers that keep the pages out of other sites' frames.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

use percent_encoding::percent_decode_str;

/// The largest form body accepted.
const MAX_BODY: usize = 64 * 1024;

/// One request.
#[derive(Debug, Default)]
pub struct Request {
    pub method: String,
    /// The path, percent-decoded.
    pub path: String,
    /// The query's fields, decoded.
    pub query: HashMap<String, String>,
    pub host: Option<String>,
    pub origin: Option<String>,
    /// The cookies, by name.
    pub cookies: HashMap<String, String>,
    /// The form's fields (`application/x-www-form-urlencoded`), decoded.
    pub form: HashMap<String, String>,
}

/// What the desk answers.
pub enum Response {
    Page {
        status: u16,
        mime: &'static str,
        body: Vec<u8>,
    },
    /// A file of the site's preview: sandboxed (no script, no form, no
    /// pop-up), so that an article cannot act on the desk in its frame.
    Site { mime: &'static str, body: Vec<u8> },
    /// 303 See Other to a path; with a cookie to set.
    Redirect { to: String, cookie: Option<String> },
}

impl Response {
    pub fn html(status: u16, body: String) -> Response {
        Response::Page {
            status,
            mime: "text/html; charset=utf-8",
            body: body.into_bytes(),
        }
    }
}

/// `a=1&b=%E4%B8%AD` → fields (`+` is a space).
pub fn parse_fields(text: &str) -> HashMap<String, String> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

/// What a query value keeps unencoded: letters, digits and `/-._~`.
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encode a query value.
pub fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY).to_string()
}

/// Read one request; `None` when the connection closed or the request
/// line is not one.
pub fn read(stream: &TcpStream) -> io::Result<Option<Request>> {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first)? == 0 {
        return Ok(None);
    }
    let mut req = Request::default();
    let mut length = 0usize;
    let mut total = first.len();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if total > 16 * 1024 {
            return Ok(None);
        }
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        match name.trim().to_ascii_lowercase().as_str() {
            "host" => req.host = Some(value),
            "origin" => req.origin = Some(value),
            "content-length" => length = value.parse().unwrap_or(usize::MAX),
            "cookie" => {
                for c in value.split(';') {
                    if let Some((k, v)) = c.split_once('=') {
                        req.cookies
                            .insert(k.trim().to_string(), v.trim().to_string());
                    }
                }
            }
            _ => {}
        }
    }
    let mut parts = first.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    req.method = method.to_string();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    req.path = percent_decode_str(path).decode_utf8_lossy().into_owned();
    req.query = parse_fields(query.split('#').next().unwrap_or(""));
    if req.method == "POST" {
        if length > MAX_BODY {
            return Ok(None);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        req.form = parse_fields(&String::from_utf8_lossy(&body));
    }
    Ok(Some(req))
}

/// Whether `host` is exactly `127.0.0.1:<port>` or `localhost:<port>`.
pub fn desk_host(host: &str, port: u16) -> bool {
    let host = host.trim().to_ascii_lowercase();
    host == format!("127.0.0.1:{port}") || host == format!("localhost:{port}")
}

/// Whether `origin` is this desk's: `http://127.0.0.1:<port>` or
/// `http://localhost:<port>`.
pub fn desk_origin(origin: &str, port: u16) -> bool {
    origin
        .trim()
        .strip_prefix("http://")
        .is_some_and(|h| desk_host(h, port))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        500 => "Internal Server Error",
        _ => "OK",
    }
}

/// Write the response and close.
pub fn write(stream: &mut TcpStream, r: &Response, head: bool) -> io::Result<()> {
    let common = "Cache-Control: no-store\r\nX-Frame-Options: SAMEORIGIN\r\nReferrer-Policy: same-origin\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n";
    let desk = "Content-Security-Policy: default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; form-action 'self'; frame-ancestors 'self'\r\n";
    let site = "Content-Security-Policy: sandbox allow-same-origin; frame-ancestors 'self'\r\n";
    match r {
        Response::Page { .. } | Response::Site { .. } => {
            let (status, mime, body, csp) = match r {
                Response::Page { status, mime, body } => (*status, *mime, body, desk),
                Response::Site { mime, body } => (200, *mime, body, site),
                Response::Redirect { .. } => return Ok(()),
            };
            let header = format!(
                "HTTP/1.1 {status} {}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\n{csp}{common}\r\n",
                reason(status),
                body.len()
            );
            stream.write_all(header.as_bytes())?;
            if !head {
                stream.write_all(body)?;
            }
        }
        Response::Redirect { to, cookie } => {
            let cookie = cookie
                .as_ref()
                .map(|c| format!("Set-Cookie: {c}\r\n"))
                .unwrap_or_default();
            let header = format!(
                "HTTP/1.1 303 See Other\r\nLocation: {to}\r\n{cookie}Content-Length: 0\r\n{desk}{common}\r\n"
            );
            stream.write_all(header.as_bytes())?;
        }
    }
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_origins_of_this_desk_only() {
        for h in ["127.0.0.1:8123", "localhost:8123", "LOCALHOST:8123"] {
            assert!(desk_host(h, 8123), "{h}");
        }
        for h in [
            "127.0.0.1",
            "localhost",
            "127.0.0.1:9000",
            "[::1]:8123",
            "evil.example:8123",
            "127.0.0.1.nip.io:8123",
        ] {
            assert!(!desk_host(h, 8123), "{h}");
        }
        assert!(desk_origin("http://127.0.0.1:8123", 8123));
        assert!(!desk_origin("https://127.0.0.1:8123", 8123));
        assert!(!desk_origin("null", 8123));
    }

    #[test]
    fn decodes_forms() {
        let f = parse_fields("a=1&comment=%E6%95%B0%E5%AD%97+%E6%9C%89%E8%AF%AF&e");
        assert_eq!(f["comment"], "数字 有误");
        assert_eq!(f["e"], "");
    }
}
