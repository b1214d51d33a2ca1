//! The webhook receiver of `jauge serve`: Stripe's events, HelloAsso's notifications and
//! GoCardless's deliveries, verified, read by `jauge-platforms` (GoCardless's payments read
//! through its API, since its events carry no amount), and committed to the store one
//! transaction per delivery by a single writer thread (the store's one connection for the
//! server's lifetime).
//!
//! Answers, so that a platform's retries do the right thing:
//! - 2xx only once the event's effect is committed (or was committed before: a redelivery), and
//!   for events that mean nothing for the ledger (ignored and journaled, so they are not retried
//!   for days);
//! - 400 for a delivery that fails its signature, is stale, or cannot be read, without saying
//!   which (the detail goes to the server's log, never to the sender); GoCardless, which asks
//!   for it, gets 498 for a bad signature;
//! - 409 for a refund whose gift has not arrived yet: the retry, after the gift, applies it;
//! - 503 when the store cannot commit (busy past the wait, disk full, queue full), or a
//!   platform's API cannot be read: nothing is kept and the platform retries.
//!
//! Secrets come from the environment or a secrets file readable by its owner only
//! ([`Secrets::load`]), never from the campaign file; they are never logged or echoed, and their
//! `Debug` is redacted.

mod endpoints;
mod network;
mod paypal;
mod secrets;

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::Duration;

use chrono::Utc;
use jauge_platforms::Event;
use jauge_server::http::{header, HeaderValue, Method, StatusCode};
use jauge_server::{text, Request, Response};
use jauge_store::Store;

use crate::error::CliError;
use crate::receive::{apply_all_to, Applied, Platform};

pub use endpoints::{check, describe, HookOptions};
use endpoints::{endpoints, Check, Endpoint, Refusal, Unread};
pub use network::Network;
pub use paypal::{Certificates, PAYPAL_CERT_BASE, PAYPAL_CERT_ROOT, PAYPAL_WEBHOOK_ID};
pub use secrets::{
    Secret, Secrets, GOCARDLESS_SECRET, HELLOASSO_KEY, HELLOASSO_TOKEN, MOLLIE_SECRET, SETTINGS,
    STRIPE_MODE, STRIPE_SECRET,
};

/// What the writer thread is asked to do: a delivery's events, in one transaction.
struct Job {
    platform: Platform,
    events: Vec<Event>,
    reply: SyncSender<Result<Vec<Applied>, CliError>>,
}

/// The enabled endpoints and the writer behind them.
pub struct Receiver {
    endpoints: Vec<Endpoint>,
    jobs: SyncSender<Job>,
}

/// How a delivery's handler asks a platform's API while the platform waits for the answer:
/// each request bounded to 8 s, tried twice (about 17 s at most, within the platforms' own
/// waits; past it the platform sends the delivery again anyway).
pub(super) const API_ASKING: crate::catch_up::Asking = crate::catch_up::Asking {
    timeout: Duration::from_secs(8),
    max_pages: 1,
    tries: 2,
};
/// Events waiting for the writer past which new ones get a 503 at once.
const QUEUE: usize = 4096;
/// How long a request waits for its commit before answering 503 (the commit may still land:
/// the retry then finds it taken, and gets its 2xx).
const COMMIT_WAIT: Duration = Duration::from_secs(20);

impl Receiver {
    /// The endpoints `secrets` enable (none without secrets), with the writer thread behind
    /// them; `on_commit` is called after each commit that changed a gift. `None` when no
    /// endpoint is enabled.
    ///
    /// # Errors
    ///
    /// A setting is invalid (a short token, an unknown mode, a path), or the store cannot be
    /// opened or created.
    pub fn start(
        store: PathBuf,
        secrets: &Secrets,
        options: &HookOptions,
        on_commit: impl Fn() + Send + 'static,
    ) -> Result<Option<Receiver>, CliError> {
        let endpoints = endpoints(secrets, options)?;
        if endpoints.is_empty() {
            return Ok(None);
        }
        let mut connection = Store::open_with(&store, true, options.wait)?;
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("jauge-webhooks".into())
            .spawn(move || {
                for job in queue {
                    let result =
                        apply_all_to(&mut connection, job.platform, &job.events, Utc::now());
                    let changed = result.as_ref().is_ok_and(|all| {
                        all.iter()
                            .any(|a| matches!(a, Applied::Applied { changed } if *changed > 0))
                    });
                    if changed {
                        on_commit();
                    }
                    let _ = job.reply.send(result);
                }
            })
            .map_err(|e| CliError::io(Path::new("jauge-webhooks thread"), e))?;
        Ok(Some(Receiver { endpoints, jobs }))
    }

    /// The route patterns of the enabled endpoints (a token endpoint's token is one path
    /// segment after its path, checked by [`Receiver::route`]).
    pub fn paths(&self) -> Vec<String> {
        self.endpoints
            .iter()
            .map(|e| match e.check {
                Check::HelloAssoToken { .. } => format!("{}/{{token}}", e.path),
                _ => e.path.clone(),
            })
            .collect()
    }

    /// The answer to `request` if it is for a webhook endpoint, `None` otherwise.
    pub fn route(&self, request: &Request) -> Option<Response> {
        let endpoint = self.endpoints.iter().find(|e| e.matches(&request.path))?;
        Some(self.receive(endpoint, request))
    }

    fn receive(&self, endpoint: &Endpoint, request: &Request) -> Response {
        let platform = endpoint.platform.name();
        if request.method != Method::POST {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "POST only\n");
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
        if let Err(why) = endpoint.verify(request) {
            eprintln!(
                "jauge serve: {platform}: refused a delivery from {}: {why}",
                request.peer.ip()
            );
            return match (why, &endpoint.check) {
                (Refusal::Address, _) => text(StatusCode::FORBIDDEN, "forbidden\n"),
                (Refusal::Unavailable(_), _) => unavailable(),
                // GoCardless asks for 498 on a bad signature.
                (_, Check::GoCardless { .. }) => text(
                    StatusCode::from_u16(498).unwrap_or(StatusCode::BAD_REQUEST),
                    "invalid signature\n",
                ),
                _ => text(StatusCode::BAD_REQUEST, "bad request\n"),
            };
        }
        if let Check::Nudge(nudge) = &endpoint.check {
            // Nothing in it is read or kept: the poller asks the platform now (and at most every
            // few seconds, however many come).
            let _ = nudge.try_send(endpoint.platform.name());
            return text(StatusCode::ACCEPTED, "polling now\n");
        }
        let events = match endpoint.interpret(&request.body) {
            Ok(events) => events,
            Err(Unread::Body(e)) => {
                eprintln!("jauge serve: {platform}: refused a signed delivery: {e}");
                return text(StatusCode::BAD_REQUEST, "bad request\n");
            }
            Err(Unread::Api(e)) => {
                eprintln!("jauge serve: {platform}: not committed: {e}; the platform will retry");
                return unavailable();
            }
            Err(Unread::Nothing(why)) => {
                eprintln!("jauge serve: {platform}: nothing to record: {why}");
                return text(StatusCode::OK, format!("nothing to record: {why}\n"));
            }
        };
        let (reply, answer) = sync_channel(1);
        let ids: Vec<String> = events.iter().map(|e| e.id.clone()).collect();
        let kinds: Vec<String> = events.iter().map(|e| e.kind.clone()).collect();
        let id = ids.join(", ");
        let job = Job {
            platform: endpoint.platform,
            events,
            reply,
        };
        if self.jobs.try_send(job).is_err() {
            eprintln!(
                "jauge serve: {platform} {id}: the store's queue is full; the platform will retry"
            );
            return unavailable();
        }
        let result = match answer.recv_timeout(COMMIT_WAIT) {
            Ok(result) => result,
            Err(_) => {
                eprintln!("jauge serve: {platform} {id}: no commit within {COMMIT_WAIT:?}; the platform will retry");
                return unavailable();
            }
        };
        let all = match result {
            Ok(all) => all,
            Err(e @ CliError::GiftNotYetKnown { .. }) => {
                eprintln!("jauge serve: {platform} {id}: {e}");
                return text(StatusCode::CONFLICT, e.to_string() + "\n");
            }
            Err(e) => {
                eprintln!(
                    "jauge serve: {platform} {id} ({}): not committed: {e}",
                    kinds.join(", ")
                );
                return unavailable();
            }
        };
        let mut answer = String::new();
        for ((id, kind), applied) in ids.iter().zip(&kinds).zip(all) {
            let said = match applied {
                Applied::Applied { changed } => {
                    format!("applied: {changed} gifts added or changed")
                }
                Applied::AlreadyTaken(outcome) => format!("taken before ({outcome:?})"),
                Applied::Ignored(reason) => format!("ignored: {reason}"),
                Applied::Rejected(reason) => format!("rejected: {reason}"),
            };
            eprintln!("jauge serve: {platform} {id} ({kind}): {said}");
            if ids.len() > 1 {
                answer.push_str(id);
                answer.push_str(": ");
            }
            answer.push_str(&said);
            answer.push('\n');
        }
        text(StatusCode::OK, answer)
    }
}

fn unavailable() -> Response {
    let mut response = text(
        StatusCode::SERVICE_UNAVAILABLE,
        "not committed: retry later\n",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}
