//! jauge's HTTP/1.1 server: the one stack behind `jauge serve` (the published site, its push
//! channel and the platforms' webhooks) and `cargo xtask demo`.
//!
//! Routing is an axum [`Router`](axum::Router) that the caller builds, handlers being plain
//! functions; this crate runs it with every bound a public server needs. It faces the internet
//! behind a reverse proxy that terminates TLS, so every resource a client controls is bounded
//! (see [`Limits`]): the request head (431 past it, hyper's own answer), the body (413, through
//! tower-http's limit and [`whole`]), the time to send either (the connection closes, or 408),
//! the requests per connection, the connections at once, and the push streams at once
//! ([`Push`]). hyper parses and frames requests: a body is always consumed as a body (never read
//! as the next request), two conflicting `Content-Length` headers or a malformed head are a 400,
//! and a request line that is not HTTP/1.x is refused.
//!
//! Handlers that block (a webhook waiting for its commit) move their work to the blocking pool
//! themselves ([`blocking`]); the site's files are in memory and answered where the connection
//! is read ([`plain`]).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::header::{self, HeaderValue};
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{watch, Semaphore};

pub mod compress;
mod cors;
mod files;
mod push;

pub use axum;
pub use cors::{cors, Origins};
pub use files::{content_type, Files, CSP};
pub use push::{Push, EVENTS_HEADER};

/// The HTTP types handlers use, re-exported so that they need no dependency on hyper.
pub mod http {
    pub use hyper::header::{self, HeaderMap, HeaderValue};
    pub use hyper::{Method, StatusCode};
}

/// What a client may use of the server. The defaults suit a campaign's site and webhooks behind
/// a reverse proxy.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections open at once; past it, new ones wait in the kernel's queue until one closes.
    pub max_connections: usize,
    /// The largest request head (request line and headers), in bytes: past it, 431. hyper's
    /// buffer cannot be smaller than 8,192.
    pub max_head: usize,
    /// The largest request body, in bytes: past it, 413 and the connection closes.
    pub max_body: usize,
    /// Time to send a whole request head, and to wait for the next one on a kept-alive
    /// connection: past it, the connection closes.
    pub header_timeout: Duration,
    /// Time to send a whole request body: past it, 408 and the connection closes.
    pub body_timeout: Duration,
    /// Requests served on one connection before it is closed (the answer says
    /// `Connection: close`), so no client holds a connection for ever.
    pub requests_per_connection: u32,
    /// Push streams open at once (each holds a connection for as long as its page is open):
    /// past it, 503 and the page polls instead.
    pub max_event_streams: usize,
    /// How long a shutdown waits for the requests in flight to finish.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 16_384,
            max_head: 16 * 1024,
            max_body: 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            requests_per_connection: 1_000,
            max_event_streams: 8_192,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// A request, its body read whole within [`Limits::max_body`] and [`Limits::body_timeout`].
#[derive(Debug)]
pub struct Request {
    /// `GET`, `HEAD`, `POST`…
    pub method: Method,
    /// The path, as sent (not percent-decoded): `/status.json`.
    pub path: String,
    /// What follows `?`, if anything.
    pub query: Option<String>,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The body; empty for most `GET`s.
    pub body: Bytes,
    /// The address the connection comes from (the reverse proxy, behind one).
    pub peer: SocketAddr,
}

impl Request {
    /// A header's value, if present once and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// An answer: status, headers and a body sent whole.
pub type Response = hyper::Response<Bytes>;

/// A plain-text answer.
pub fn text(status: StatusCode, body: impl Into<Bytes>) -> Response {
    let mut response = hyper::Response::new(body.into());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// An answer after which the connection is closed: what is left of the request on the wire
/// (an unread body) must not be read as the next request.
fn closing(status: StatusCode, body: &'static str) -> Response {
    let mut response = text(status, body);
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// An answer of this crate's kind as one of axum's.
pub fn reply(response: Response) -> axum::response::Response {
    response.map(axum::body::Body::from)
}

/// What the server attaches to each request: where it comes from, and the bounds its body is
/// read within.
#[derive(Clone)]
struct Connection {
    peer: SocketAddr,
    limits: Arc<Limits>,
}

/// Reads a request whole: its body within [`Limits::max_body`] (413 past it) and
/// [`Limits::body_timeout`] (408), each of which closes the connection.
///
/// # Errors
///
/// The answer to send instead, when the body is too large, too slow or unreadable.
pub async fn whole(request: axum::extract::Request) -> Result<Request, Response> {
    let (parts, body) = request.into_parts();
    let connection = parts.extensions.get::<Connection>().cloned();
    let (peer, max_body, body_timeout) = match &connection {
        Some(c) => (c.peer, c.limits.max_body, c.limits.body_timeout),
        None => {
            let limits = Limits::default();
            (
                SocketAddr::from(([0, 0, 0, 0], 0)),
                limits.max_body,
                limits.body_timeout,
            )
        }
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max_body as u64) {
        return Err(closing(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large\n",
        ));
    }
    let body =
        match tokio::time::timeout(body_timeout, Limited::new(body, max_body).collect()).await {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(error)) if is_too_large(&*error) => {
                return Err(closing(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "request body too large\n",
                ))
            }
            Ok(Err(_)) => {
                return Err(closing(
                    StatusCode::BAD_REQUEST,
                    "unreadable request body\n",
                ))
            }
            Err(_) => {
                return Err(closing(
                    StatusCode::REQUEST_TIMEOUT,
                    "request body too slow\n",
                ))
            }
        };
    Ok(Request {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        peer,
    })
}

/// Whether a body error is a length limit's, from our own limit or tower-http's.
fn is_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        current = error.source();
    }
    false
}

/// A route answered by a plain function of the whole request, where the connection is read:
/// for answers that never block (files in memory).
pub fn plain<F>(answer: F) -> axum::routing::MethodRouter
where
    F: Fn(Request) -> Response + Clone + Send + Sync + 'static,
{
    route(answer, false)
}

/// A route answered by a plain function of the whole request on tokio's blocking pool: for
/// answers that wait (a webhook's commit), so that they never stall the connections the
/// runtime's worker threads drive.
pub fn blocking<F>(answer: F) -> axum::routing::MethodRouter
where
    F: Fn(Request) -> Response + Clone + Send + Sync + 'static,
{
    route(answer, true)
}

fn route<F>(answer: F, blocking: bool) -> axum::routing::MethodRouter
where
    F: Fn(Request) -> Response + Clone + Send + Sync + 'static,
{
    axum::routing::any(move |request: axum::extract::Request| {
        let answer = answer.clone();
        async move {
            let request = match whole(request).await {
                Ok(request) => request,
                Err(refused) => return reply(refused),
            };
            if !blocking {
                return reply(answer(request));
            }
            match tokio::task::spawn_blocking(move || answer(request)).await {
                Ok(response) => reply(response),
                Err(_) => reply(text(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n")),
            }
        }
    })
}

/// Stops a running server: requests in flight finish (within [`Limits::shutdown_grace`]),
/// no new connection is accepted, push streams end.
#[derive(Clone)]
pub struct Stopper(Arc<watch::Sender<bool>>);

impl Stopper {
    /// Asks the server to stop.
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// A server ready to run: [`Server::stopper`] hands out what stops it from another thread.
pub struct Server {
    listener: std::net::TcpListener,
    limits: Limits,
    router: axum::Router,
    stop: Arc<watch::Sender<bool>>,
    pushes: Vec<Push>,
}

impl Server {
    /// A server answering on `listener` with `router`.
    pub fn new(listener: std::net::TcpListener, limits: Limits, router: axum::Router) -> Server {
        let (stop, _) = watch::channel(false);
        Server {
            listener,
            limits,
            router,
            stop: Arc::new(stop),
            pushes: Vec::new(),
        }
    }

    /// Ends `push`'s streams when the server stops, so that open pages do not hold the
    /// shutdown for its whole grace.
    pub fn closing(mut self, push: Push) -> Server {
        self.pushes.push(push);
        self
    }

    /// What stops this server.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.stop.clone())
    }

    /// Serves until SIGINT or SIGTERM (or [`Stopper::stop`]), then lets the requests in flight
    /// finish.
    ///
    /// # Errors
    ///
    /// The runtime or the signal handlers could not be set up.
    pub fn run(self) -> std::io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("jauge-http")
            .build()?;
        runtime.block_on(self.serve())
    }

    async fn serve(self) -> std::io::Result<()> {
        use tokio::signal::unix::{signal, SignalKind};
        let Server {
            listener,
            limits,
            router,
            stop,
            pushes,
        } = self;
        listener.set_nonblocking(true)?;
        // The standard library listens with a queue of 128 connections: a burst past it (a
        // thousand pollers at once, a load test) has its handshakes dropped and retried a second
        // later. Listening again on the socket only enlarges the queue.
        socket2::SockRef::from(&listener).listen(LISTEN_BACKLOG)?;
        // Each connection is a file descriptor: the cap must fit under the process's limit,
        // with room for the store, the site's inputs and the runtime.
        let limits = Limits {
            max_connections: limits
                .max_connections
                .min(raise_open_files_limit().saturating_sub(256) as usize),
            ..limits
        };
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let mut terminate = signal(SignalKind::terminate())?;
        let mut interrupt = signal(SignalKind::interrupt())?;
        let signals = stop.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => {},
                _ = interrupt.recv() => {},
            }
            signals.send_replace(true);
        });
        let mut stopping = stop.subscribe();
        let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .max_buf_size(limits.max_head.max(8192))
            .keep_alive(true);
        let limits = Arc::new(limits);
        // tower-http refuses a declared body past the limit before any handler runs.
        let router = router.layer(tower_http::limit::RequestBodyLimitLayer::new(
            limits.max_body,
        ));
        loop {
            if *stopping.borrow() {
                break;
            }
            let permit = tokio::select! {
                permit = permits.clone().acquire_owned() => match permit {
                    Ok(permit) => permit,
                    Err(_) => break,
                },
                _ = stopping.changed() => break,
            };
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(_) => {
                        // Out of file descriptors, or a connection reset before it was
                        // accepted: wait a little instead of spinning.
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = stopping.changed() => break,
            };
            let _ = stream.set_nodelay(true);
            let served = Arc::new(AtomicU32::new(0));
            let connection = Connection {
                peer,
                limits: limits.clone(),
            };
            let per_connection = limits.requests_per_connection;
            let app = router.clone();
            let service = tower::service_fn(move |mut request: hyper::Request<_>| {
                request.extensions_mut().insert(connection.clone());
                let count = served.fetch_add(1, Ordering::Relaxed) + 1;
                let call = tower::ServiceExt::oneshot(app.clone(), request);
                async move {
                    let mut response = call.await?;
                    if count >= per_connection {
                        response
                            .headers_mut()
                            .insert(header::CONNECTION, HeaderValue::from_static("close"));
                    }
                    Ok::<_, std::convert::Infallible>(response)
                }
            });
            let service = hyper_util::service::TowerToHyperService::new(service);
            let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                let _ = connection.await;
                drop(permit);
            });
        }
        drop(listener);
        for push in &pushes {
            push.close();
        }
        tokio::select! {
            _ = graceful.shutdown() => {},
            _ = tokio::time::sleep(limits.shutdown_grace) => {},
        }
        Ok(())
    }
}

/// Connections the kernel may hold for the server before it accepts them (capped by
/// `net.core.somaxconn`).
const LISTEN_BACKLOG: i32 = 4096;

/// Raises the soft limit of open files to the hard one, and returns it.
fn raise_open_files_limit() -> u64 {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(_) => rlimit::Resource::NOFILE
            .get()
            .map_or(1024, |(soft, _)| soft),
    }
}
