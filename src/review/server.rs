//! Accepting connections, checking each request (the `Host`, the token,
//! and for forms the CSRF token and the `Origin`), and routing it: the
//! desk's pages under `/_review/`, the site's preview everywhere else.

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::http::{self, Request, Response};
use super::page::{esc, page, Frame};
use super::view::View;
use super::{actions, article, diff, queue, Desk};

/// The cookie that carries the token after the first visit.
pub const COOKIE: &str = "sanshen_review";

const MAX_CONNECTIONS: usize = 32;

/// Accept connections until the process ends.
pub fn run(listener: TcpListener, desk: Arc<Desk>) {
    let open = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            continue;
        }
        let (desk, count) = (desk.clone(), open.clone());
        let spawned = std::thread::Builder::new()
            .name("review-conn".into())
            .spawn(move || {
                handle(stream, &desk);
                count.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn handle(mut stream: TcpStream, desk: &Desk) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Ok(Some(req)) = http::read(&stream) else {
        return;
    };
    let head = req.method == "HEAD";
    let response = respond(desk, &req);
    let _ = http::write(&mut stream, &response, head);
}

/// Equal, in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn refused(text: &str) -> Response {
    Response::Page {
        status: 403,
        mime: "text/plain; charset=utf-8",
        body: format!("403 拒绝访问：{text}\n").into_bytes(),
    }
}

/// Check, then route.
pub fn respond(desk: &Desk, req: &Request) -> Response {
    if !req
        .host
        .as_deref()
        .is_some_and(|h| http::desk_host(h, desk.port))
    {
        return refused(&format!(
            "审核台只接受以 http://127.0.0.1:{0}/ 或 http://localhost:{0}/ 打开的请求。",
            desk.port
        ));
    }
    let by_cookie = req
        .cookies
        .get(COOKIE)
        .is_some_and(|t| same(t, &desk.token));
    let by_query = req.query.get("token").is_some_and(|t| same(t, &desk.token));
    if req.method == "POST" {
        let origin_ok = req
            .origin
            .as_deref()
            .is_some_and(|o| http::desk_origin(o, desk.port));
        let csrf_ok = req.form.get("csrf").is_some_and(|t| same(t, &desk.csrf));
        if !by_cookie || !origin_ok || !csrf_ok {
            return refused(
                "表单缺少有效的令牌或来自其他网页（CSRF 防护）。请回到审核台页面重新提交。",
            );
        }
    } else if by_query {
        // Trade the token in the URL for a cookie, and drop it from the
        // address bar (and from the history).
        let mut rest: Vec<(String, String)> = req
            .query
            .iter()
            .filter(|(k, _)| *k != "token")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        rest.sort();
        let query: Vec<String> = rest
            .iter()
            .map(|(k, v)| format!("{}={}", http::encode(k), http::encode(v)))
            .collect();
        let to = if query.is_empty() {
            req.path.clone()
        } else {
            format!("{}?{}", req.path, query.join("&"))
        };
        return Response::Redirect {
            to,
            cookie: Some(format!(
                "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
                desk.token
            )),
        };
    } else if !by_cookie {
        return refused(
            "缺少审核台令牌。请使用启动 sanshen review 时显示的完整地址（含 ?token=…）。",
        );
    }
    match (req.method.as_str(), req.path.as_str()) {
        ("GET" | "HEAD", "/" | "/_review") => Response::Redirect {
            to: "/_review/".into(),
            cookie: None,
        },
        ("GET" | "HEAD", p) if p.starts_with("/_review/") => desk_page(desk, p, &req.query),
        ("POST", p) if p.starts_with("/_review/") => desk_action(desk, p, &req.form),
        ("GET" | "HEAD", p) => site_file(desk, p),
        _ => Response::Page {
            status: 405,
            mime: "text/plain; charset=utf-8",
            body: b"405\n".to_vec(),
        },
    }
}

fn view(desk: &Desk) -> Result<View, Response> {
    View::of(&desk.site, &desk.signer().public()).map_err(|e| {
        let frame = Frame {
            site_name: "站点".into(),
            reviewer: String::new(),
        };
        let body = format!(
            "<h1>站点无法读取</h1><pre>{}</pre><p>改正后刷新本页。</p>",
            esc(&e.to_string())
        );
        Response::html(500, page(&frame, "站点无法读取", &body))
    })
}

fn not_found(v: &View) -> Response {
    Response::html(
        404,
        super::page::message(&v.frame(), "找不到这篇文章", &[], None),
    )
}

fn desk_page(desk: &Desk, path: &str, query: &HashMap<String, String>) -> Response {
    let v = match view(desk) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if path == "/_review/" {
        return Response::html(200, queue::render(&v, query));
    }
    let Some(i) = query.get("a").and_then(|a| v.find(a)) else {
        return not_found(&v);
    };
    match path {
        "/_review/article" => {
            let built = desk.preview(true);
            let a = v.article(i).0;
            let url = v.judged.site.url(&a.rel_url);
            let rel = url.strip_prefix(&v.judged.site.base_path).unwrap_or("");
            let has = built.is_ok_and(|b| b.files.contains_key(&format!("{rel}index.html")));
            Response::html(
                200,
                article::render(&v, i, has.then_some(url.as_str()), &desk.csrf),
            )
        }
        "/_review/diff" => Response::html(200, diff::render(&v, i)),
        "/_review/sign" => Response::html(200, actions::confirm_sign(desk, &v, i)),
        _ => not_found(&v),
    }
}

fn desk_action(desk: &Desk, path: &str, form: &HashMap<String, String>) -> Response {
    let v = match view(desk) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some(i) = form.get("a").and_then(|a| v.find(a)) else {
        return not_found(&v);
    };
    let html = match path {
        "/_review/sign" => actions::sign(desk, &v, i, form),
        "/_review/return" => actions::return_article(desk, &v, i, form),
        "/_review/withdraw" => actions::withdraw(desk, &v, i, form),
        "/_review/unsign" => actions::unsign(desk, &v, i),
        _ => return not_found(&v),
    };
    desk.invalidate();
    Response::html(200, html)
}

/// A file of the site's preview (the article pages in the frame, their
/// styles and images).
fn site_file(desk: &Desk, path: &str) -> Response {
    let missing = || Response::Page {
        status: 404,
        mime: "text/plain; charset=utf-8",
        body: "404：预览中没有这个页面\n".as_bytes().to_vec(),
    };
    if path.split('/').any(|s| s == "..") {
        return missing();
    }
    let Ok(built) = desk.preview(false) else {
        return missing();
    };
    let Some(rel) = path.strip_prefix(built.base_path.as_str()) else {
        return missing();
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    match built.files.get(&key) {
        Some(bytes) => Response::Site {
            mime: crate::serve::server::mime(&key),
            body: bytes.clone(),
        },
        None if built.files.contains_key(&format!("{rel}/index.html")) => Response::Redirect {
            to: format!("{path}/"),
            cookie: None,
        },
        None => missing(),
    }
}
