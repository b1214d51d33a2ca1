//! jauge's HTTP/1.1 server: the one stack behind `jauge serve` (the published site and the
//! platforms' webhooks) and `cargo xtask demo`.
//!
//! It faces the internet behind a reverse proxy that terminates TLS, so every resource a client
//! controls is bounded (see [`Limits`]): the request head (431 past it, hyper's own answer), the
//! body (413), the time to send either (the connection closes or 408), the requests per
//! connection, and the connections at once. hyper parses and frames requests: a body is always
//! consumed as a body (never read as the next request), two conflicting `Content-Length` headers
//! or a malformed head are a 400, and a request line that is not HTTP/1.x is refused.
//!
//! Handlers are plain blocking functions ([`Handler`]) run on tokio's blocking pool: they read a
//! SQLite store, render SVG or wait for a commit, none of which should stall the connections the
//! runtime's two worker threads drive. A handler receives the whole body, already bounded.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{watch, Semaphore};

pub mod compress;
mod files;

pub use files::{content_type, Files, CSP};

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
    pub headers: HeaderMap,
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

/// What answers requests.
pub trait Handler: Send + Sync + 'static {
    /// The answer to `request`.
    fn handle(&self, request: Request) -> Response;

    /// Whether answering `request` may block (read a file, wait for a store, compute a
    /// status): such requests are answered on the blocking pool, the others on the thread
    /// that reads the connection, which saves a hand-over per request (a poll of a file kept
    /// in memory costs less than the hand-over).
    fn may_block(&self, request: &Request) -> bool {
        let _ = request;
        true
    }
}

impl<F> Handler for F
where
    F: Fn(Request) -> Response + Send + Sync + 'static,
{
    fn handle(&self, request: Request) -> Response {
        self(request)
    }
}

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

/// Stops a running server: requests in flight finish (within [`Limits::shutdown_grace`]),
/// no new connection is accepted.
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
    handler: Arc<dyn Handler>,
    stop: Arc<watch::Sender<bool>>,
}

impl Server {
    /// A server answering on `listener` with `handler`.
    pub fn new(
        listener: std::net::TcpListener,
        limits: Limits,
        handler: Arc<dyn Handler>,
    ) -> Server {
        let (stop, _) = watch::channel(false);
        Server {
            listener,
            limits,
            handler,
            stop: Arc::new(stop),
        }
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
            handler,
            stop,
        } = self;
        listener.set_nonblocking(true)?;
        // The standard library listens with a queue of 128 connections: a burst past it (a
        // thousand pollers at once, a load test) has its handshakes dropped and retried a second
        // later. Listening again on the socket only enlarges the queue.
        {
            use std::os::fd::AsRawFd;
            // SAFETY: listen() on a socket this function owns; it only sets the queue's length.
            unsafe {
                libc::listen(listener.as_raw_fd(), LISTEN_BACKLOG);
            }
        }
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
            let handler = handler.clone();
            let limits = limits.clone();
            let service = hyper::service::service_fn(move |request| {
                let handler = handler.clone();
                let limits = limits.clone();
                let count = served.fetch_add(1, Ordering::Relaxed) + 1;
                async move {
                    let mut response = answer(request, peer, &limits, handler).await;
                    if count >= limits.requests_per_connection {
                        response
                            .headers_mut()
                            .insert(header::CONNECTION, HeaderValue::from_static("close"));
                    }
                    Ok::<_, Infallible>(response.map(Full::new))
                }
            });
            let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                let _ = connection.await;
                drop(permit);
            });
        }
        drop(listener);
        tokio::select! {
            _ = graceful.shutdown() => {},
            _ = tokio::time::sleep(limits.shutdown_grace) => {},
        }
        Ok(())
    }
}

/// Connections the kernel may hold for the server before it accepts them (capped by
/// `net.core.somaxconn`).
const LISTEN_BACKLOG: libc::c_int = 4096;

/// Raises the soft limit of open files to the hard one, and returns it.
fn raise_open_files_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// Reads the body within the limits, then asks the handler on the blocking pool.
async fn answer(
    request: hyper::Request<Incoming>,
    peer: SocketAddr,
    limits: &Limits,
    handler: Arc<dyn Handler>,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limits.max_body as u64) {
        return closing(StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n");
    }
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout(
        limits.body_timeout,
        Limited::new(body, limits.max_body).collect(),
    )
    .await
    {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.is::<http_body_util::LengthLimitError>() => {
            return closing(StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n")
        }
        Ok(Err(_)) => return closing(StatusCode::BAD_REQUEST, "unreadable request body\n"),
        Err(_) => return closing(StatusCode::REQUEST_TIMEOUT, "request body too slow\n"),
    };
    let request = Request {
        method: parts.method,
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body,
        peer,
    };
    if !handler.may_block(&request) {
        return handler.handle(request);
    }
    match tokio::task::spawn_blocking(move || handler.handle(request)).await {
        Ok(response) => response,
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
    }
}
