//! Push to open pages: a Server-Sent Events stream that tells each page the status document's
//! new ETag as soon as it is swapped in, so that a page served by `jauge serve` fetches a gift's
//! figures within a moment instead of at its next poll. Pages learn where the stream is from
//! the [`EVENTS_HEADER`] of `status.json`; a static host or CDN has no such header, and its pages
//! poll.
//!
//! Streams are bounded ([`crate::Limits::max_event_streams`]; past it, 503 and the page polls),
//! kept alive by a comment every 20 seconds (proxies close idle connections), and ended when the
//! server stops. A page whose stream breaks reconnects by itself (the `retry` field).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use hyper::header::{self, HeaderValue};
use hyper::StatusCode;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// The response header of `status.json` that names the push stream, relative to it.
pub const EVENTS_HEADER: &str = "x-jauge-events";

/// Time between keep-alive comments on an idle stream.
const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// The channel open pages listen to.
#[derive(Clone)]
pub struct Push {
    tag: Arc<watch::Sender<String>>,
    closed: Arc<watch::Sender<bool>>,
    streams: Arc<Semaphore>,
}

impl Push {
    /// A channel that holds at most `max_streams` streams at once.
    pub fn new(max_streams: usize) -> Push {
        Push {
            tag: Arc::new(watch::channel(String::new()).0),
            closed: Arc::new(watch::channel(false).0),
            streams: Arc::new(Semaphore::new(max_streams.max(1))),
        }
    }

    /// Tells every open page that the status document is now `tag` (its ETag); nothing is sent
    /// when it already was.
    pub fn announce(&self, tag: &str) {
        self.tag.send_if_modified(|current| {
            let changed = current != tag;
            if changed {
                tag.clone_into(current);
            }
            changed
        });
    }

    /// Ends every stream (the server stops).
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// The route of the stream: `GET` opens one, which says the current tag at once, then each
    /// new one.
    pub fn route(&self) -> axum::routing::MethodRouter {
        let push = self.clone();
        axum::routing::get(move || {
            let push = push.clone();
            async move { push.stream() }
        })
    }

    fn stream(&self) -> axum::response::Response {
        let Ok(permit) = self.streams.clone().try_acquire_owned() else {
            let mut busy = crate::text(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many open streams: poll status.json\n",
            );
            busy.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            return crate::reply(busy);
        };
        struct State {
            tags: watch::Receiver<String>,
            closed: watch::Receiver<bool>,
            first: bool,
            _permit: OwnedSemaphorePermit,
        }
        let state = State {
            tags: self.tag.subscribe(),
            closed: self.closed.subscribe(),
            first: true,
            _permit: permit,
        };
        let events = futures_util::stream::unfold(state, |mut state| async move {
            if *state.closed.borrow() {
                return None;
            }
            if !state.first {
                tokio::select! {
                    changed = state.tags.changed() => changed.ok()?,
                    _ = state.closed.changed() => return None,
                }
            }
            state.first = false;
            let tag = state.tags.borrow_and_update().clone();
            let event = Event::default()
                .event("status")
                .data(tag)
                .retry(Duration::from_secs(3));
            Some((Ok::<_, Infallible>(event), state))
        });
        let mut response = Sse::new(events)
            .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
            .into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        // nginx buffers responses by default, which would hold the events back.
        headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
        response
    }
}
