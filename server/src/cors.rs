//! Cross-origin reads of the public files: a gauge embedded on a blog at another origin fetches
//! `status.json`, the bundle and the scene from the campaign's host, and listens to its push
//! stream. These files are public and read-only, so any origin may read them by default; a
//! campaign may name the origins it allows instead.

use std::time::Duration;

use hyper::header::{self, HeaderName, HeaderValue};
use hyper::Method;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Which origins may read the public files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Origins {
    /// Any origin (`Access-Control-Allow-Origin: *`): the files are public and sent without
    /// cookies.
    #[default]
    Any,
    /// Only these (`https://blog.example.org`), each answered with its own name and
    /// `Vary: Origin`.
    Only(Vec<HeaderValue>),
}

impl Origins {
    /// Origins from `--cors-origin` values: none means any; `*` among them means any.
    ///
    /// # Errors
    ///
    /// A value that is not an origin (`https://host[:port]`, no path).
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<Origins, String> {
        let mut only = Vec::new();
        for value in values {
            let value = value.as_ref().trim();
            if value == "*" {
                return Ok(Origins::Any);
            }
            let rest = value
                .strip_prefix("https://")
                .or_else(|| value.strip_prefix("http://"))
                .ok_or_else(|| {
                    format!("{value:?} is not an origin: it starts with https:// or http://")
                })?;
            if rest.is_empty() || rest.contains(['/', '?', '#', ' ', '@']) {
                return Err(format!(
                    "{value:?} is not an origin: a scheme and a host (and a port), no path"
                ));
            }
            only.push(
                HeaderValue::from_str(value).map_err(|_| format!("{value:?} is not an origin"))?,
            );
        }
        Ok(if only.is_empty() {
            Origins::Any
        } else {
            Origins::Only(only)
        })
    }
}

/// The CORS layer of the public files: `GET` and `HEAD` (and their preflight, which the
/// widget's `If-None-Match` asks for), the headers the widget reads exposed (`ETag`, the server's
/// `Date` for its clock, where the push stream is), preflights cached for a day.
pub fn cors(origins: &Origins) -> CorsLayer {
    let allow = match origins {
        Origins::Any => AllowOrigin::any(),
        Origins::Only(list) => AllowOrigin::list(list.iter().cloned()),
    };
    CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([header::IF_NONE_MATCH])
        .expose_headers([
            header::ETAG,
            header::DATE,
            HeaderName::from_static(crate::push::EVENTS_HEADER),
        ])
        .max_age(Duration::from_secs(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_read_strictly() {
        assert_eq!(Origins::parse::<&str>(&[]), Ok(Origins::Any));
        assert_eq!(Origins::parse(&["*", "https://a.org"]), Ok(Origins::Any));
        assert_eq!(
            Origins::parse(&["https://blog.example.org", "http://localhost:8000"]),
            Ok(Origins::Only(vec![
                HeaderValue::from_static("https://blog.example.org"),
                HeaderValue::from_static("http://localhost:8000"),
            ]))
        );
        for bad in [
            "blog.example.org",
            "https://a.org/path",
            "https://",
            "ftp://a.org",
        ] {
            assert!(Origins::parse(&[bad]).is_err(), "{bad}");
        }
    }
}
