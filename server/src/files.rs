//! A set of files served from memory: an ETag per file, `304 Not Modified` for a matching
//! `If-None-Match` (a page polling `status.json` costs a few hundred bytes while nothing
//! changes), `HEAD`, a cache rule per file, and the README's Content-Security-Policy on HTML.

use std::collections::BTreeMap;

use bytes::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};

use crate::{text, Request, Response};

/// The policy HTML is served under: the one the README says a page embedding the widget needs.
/// No inline script, no inline style element, nothing from another host.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/// The `Content-Type` of a file, by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("txt") | Some("md") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// One file ready to send.
#[derive(Clone, Debug)]
struct File {
    body: Bytes,
    etag: HeaderValue,
    content_type: &'static str,
    cache_control: &'static str,
    policy: Option<&'static str>,
}

/// Files by name (`index.html`, `status.json`), each ready to send.
#[derive(Clone, Debug, Default)]
pub struct Files {
    files: BTreeMap<String, File>,
}

impl Files {
    /// No files.
    pub fn new() -> Files {
        Files::default()
    }

    /// Adds (or replaces) `name`, cached as `cache_control` says; HTML gets [`CSP`].
    pub fn insert(&mut self, name: &str, body: impl Into<Bytes>, cache_control: &'static str) {
        let content_type = content_type(name);
        let policy = content_type.starts_with("text/html").then_some(CSP);
        self.insert_with_policy(name, body, cache_control, policy);
    }

    /// Adds (or replaces) `name` with its own Content-Security-Policy (or none).
    pub fn insert_with_policy(
        &mut self,
        name: &str,
        body: impl Into<Bytes>,
        cache_control: &'static str,
        policy: Option<&'static str>,
    ) {
        let body = body.into();
        let hash = xxhash_rust::xxh3::xxh3_128(&body);
        let etag = HeaderValue::from_str(&format!("\"{hash:032x}\""))
            .unwrap_or_else(|_| HeaderValue::from_static("\"\""));
        self.files.insert(
            name.to_owned(),
            File {
                body,
                etag,
                content_type: content_type(name),
                cache_control,
                policy,
            },
        );
    }

    /// The ETag `name` is served with, if there is such a file.
    pub fn etag(&self, name: &str) -> Option<&str> {
        self.files.get(name).and_then(|f| f.etag.to_str().ok())
    }

    /// The body of `name`, if there is such a file.
    pub fn body(&self, name: &str) -> Option<&Bytes> {
        self.files.get(name).map(|f| &f.body)
    }

    /// The file names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The answer to a request for one of these files (`/` is `index.html`): 405 for another
    /// method than `GET` and `HEAD`, 404 for an unknown name, 304 when `If-None-Match` names the
    /// current ETag.
    pub fn respond(&self, request: &Request) -> Response {
        if request.method != Method::GET && request.method != Method::HEAD {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
            return response;
        }
        let name = match request.path.trim_start_matches('/') {
            "" => "index.html",
            other => other,
        };
        let Some(file) = self.files.get(name) else {
            return text(StatusCode::NOT_FOUND, "not found\n");
        };
        let matches = request.header("if-none-match").is_some_and(|tags| {
            let etag = file.etag.as_bytes();
            tags.split(',').any(|t| {
                let t = t.trim();
                t == "*"
                    || t.as_bytes() == etag
                    || t.strip_prefix("W/").map(str::as_bytes) == Some(etag)
            })
        });
        let mut response = if matches {
            let mut response = hyper::Response::new(Bytes::new());
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            response
        } else {
            let mut response = hyper::Response::new(file.body.clone());
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            );
            response
        };
        let headers = response.headers_mut();
        headers.insert(header::ETAG, file.etag.clone());
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(file.cache_control),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if let Some(policy) = file.policy {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(policy),
            );
        }
        response
    }
}
