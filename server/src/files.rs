//! A set of files served from memory: an ETag per file, `304 Not Modified` for a matching
//! `If-None-Match` (a page polling `status.json` costs a few hundred bytes while nothing
//! changes), `HEAD`, a cache rule per file, and the guide's Content-Security-Policy on HTML (Embedding the live gauge).

use std::collections::BTreeMap;

use bytes::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};

use crate::{text, Request, Response};

/// The policy HTML is served under: the one the guide says a page embedding the widget needs.
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

/// One file ready to send, with its compressed copies.
#[derive(Clone, Debug)]
struct File {
    body: Bytes,
    etag: HeaderValue,
    /// gzip, with its own ETag (each representation has its own).
    gzip: Option<(Bytes, HeaderValue)>,
    /// brotli, with its own ETag.
    brotli: Option<(Bytes, HeaderValue)>,
    content_type: &'static str,
    cache_control: &'static str,
    policy: Option<&'static str>,
}

/// The encodings a client accepts (`Accept-Encoding`), as far as these files go: a coding with
/// `q=0` is refused, `*` stands for any not named.
fn accepts(header: Option<&str>, coding: &str) -> bool {
    let Some(header) = header else {
        return false;
    };
    let mut wildcard = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim();
        let refused = parts.any(|p| {
            p.trim()
                .strip_prefix("q=")
                .and_then(|q| q.trim().parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        if name.eq_ignore_ascii_case(coding) {
            return !refused;
        }
        if name == "*" {
            wildcard = Some(!refused);
        }
    }
    wildcard.unwrap_or(false)
}

/// Files by name (`index.html`, `status.json`), each ready to send.
#[derive(Clone, Debug)]
pub struct Files {
    files: BTreeMap<String, File>,
    /// Whether files worth it get gzip and brotli copies.
    compressing: bool,
}

impl Default for Files {
    fn default() -> Files {
        Files::new()
    }
}

impl Files {
    /// No files; those added later get compressed copies.
    pub fn new() -> Files {
        Files {
            files: BTreeMap::new(),
            compressing: true,
        }
    }

    /// No files; those added later are sent as they are (a file made afresh for each request,
    /// on loopback, is not worth compressing).
    pub fn uncompressed() -> Files {
        Files {
            compressing: false,
            ..Files::new()
        }
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
        // A file cached for good never changes: worth the best compression, once.
        let effort = if cache_control.contains("immutable") {
            crate::compress::Effort::Best
        } else {
            crate::compress::Effort::Fast
        };
        let body = body.into();
        let hash = xxhash_rust::xxh3::xxh3_128(&body);
        let tag = |suffix: &str| {
            HeaderValue::from_str(&format!("\"{hash:032x}{suffix}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("\"\""))
        };
        let compressed = if self.compressing && crate::compress::compressible(name) {
            crate::compress::compress(&body, effort)
        } else {
            crate::compress::Compressed::default()
        };
        self.files.insert(
            name.to_owned(),
            File {
                etag: tag(""),
                gzip: compressed.gzip.map(|b| (b, tag("-gz"))),
                brotli: compressed.brotli.map(|b| (b, tag("-br"))),
                body,
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

    /// The gzip and brotli copies of `name` kept beside it (each only when smaller).
    pub fn compressed(&self, name: &str) -> (Option<&Bytes>, Option<&Bytes>) {
        self.files.get(name).map_or((None, None), |f| {
            (
                f.gzip.as_ref().map(|(b, _)| b),
                f.brotli.as_ref().map(|(b, _)| b),
            )
        })
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
        let accepted = request.header("accept-encoding");
        let (body, etag, encoding) = match (&file.brotli, &file.gzip) {
            (Some((body, etag)), _) if accepts(accepted, "br") => (body, etag, Some("br")),
            (_, Some((body, etag))) if accepts(accepted, "gzip") => (body, etag, Some("gzip")),
            _ => (&file.body, &file.etag, None),
        };
        let matches = request.header("if-none-match").is_some_and(|tags| {
            let etag = etag.as_bytes();
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
            let mut response = hyper::Response::new(body.clone());
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            );
            if let Some(encoding) = encoding {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let headers = response.headers_mut();
        if file.gzip.is_some() || file.brotli.is_some() {
            // Caches must keep one copy per encoding.
            headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        }
        headers.insert(header::ETAG, etag.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts(Some("gzip, deflate, br"), "br"));
        assert!(accepts(Some("gzip;q=1.0, br;q=0.5"), "br"));
        assert!(!accepts(Some("gzip, br;q=0"), "br"));
        assert!(accepts(Some("*"), "br"));
        assert!(!accepts(Some("*, br;q=0"), "br"));
        assert!(!accepts(Some("identity"), "gzip"));
        assert!(!accepts(None, "gzip"));
        assert!(accepts(Some("GZIP"), "gzip"));
    }
}
