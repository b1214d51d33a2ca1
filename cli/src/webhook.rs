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

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, SyncSender};
use std::time::Duration;

use chrono::Utc;
use jauge_platforms::{Event, Mode};
use jauge_server::http::{header, HeaderValue, Method, StatusCode};
use jauge_server::{text, Request, Response};
use jauge_store::Store;

use crate::error::CliError;
use crate::receive::{apply_all_to, Applied, Platform};

/// The names a secrets file (or the environment) may set: the webhooks', the platforms' API
/// credentials for catching up, and the keys of the bucket the site is published to.
pub const SETTINGS: [&str; 15] = [
    STRIPE_SECRET,
    STRIPE_MODE,
    crate::catch_up::STRIPE_API_KEY,
    crate::catch_up::HELLOASSO_CLIENT_ID,
    crate::catch_up::HELLOASSO_CLIENT_SECRET,
    crate::catch_up::HELLOASSO_ORGANIZATION,
    HELLOASSO_KEY,
    HELLOASSO_TOKEN,
    GOCARDLESS_SECRET,
    crate::catch_up::GOCARDLESS_ACCESS_TOKEN,
    crate::catch_up::MOLLIE_API_KEY,
    MOLLIE_SECRET,
    crate::publish::bucket::ACCESS_KEY_ID,
    crate::publish::bucket::SECRET_ACCESS_KEY,
    crate::publish::bucket::SESSION_TOKEN,
];
/// Stripe's endpoint signing secret(s) (`whsec_…`; several, comma-separated, while rotating).
pub const STRIPE_SECRET: &str = "JAUGE_STRIPE_WEBHOOK_SECRET";
/// `live` (the default) or `test`: the Stripe events that count.
pub const STRIPE_MODE: &str = "JAUGE_STRIPE_MODE";
/// HelloAsso's notification signature key (`x-ha-signature`).
pub const HELLOASSO_KEY: &str = "JAUGE_HELLOASSO_SIGNATURE_KEY";
/// Without a signature key: a long random token, the last segment of HelloAsso's endpoint path.
pub const HELLOASSO_TOKEN: &str = "JAUGE_HELLOASSO_PATH_TOKEN";

/// GoCardless's endpoint secret(s) (several, comma-separated, while rotating); the endpoint
/// also needs [`crate::catch_up::GOCARDLESS_ACCESS_TOKEN`] to read the payments events name.
pub const GOCARDLESS_SECRET: &str = "JAUGE_GOCARDLESS_WEBHOOK_SECRET";

/// Mollie's next-gen webhook signing secret(s) (several, comma-separated, while rotating). The
/// endpoint itself is enabled by [`crate::catch_up::MOLLIE_API_KEY`]: Mollie's webhooks are only
/// nudges, each payment read through its API; with a secret, a next-gen delivery must be signed.
pub const MOLLIE_SECRET: &str = "JAUGE_MOLLIE_WEBHOOK_SECRET";

/// The shortest path token taken: 32 characters of `[A-Za-z0-9_-]` carry at least 190 bits.
const MIN_TOKEN_LENGTH: usize = 32;
/// The largest secrets file read.
const MAX_SECRETS_FILE: u64 = 64 * 1024;

/// A secret: its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The webhook settings, from the environment and a secrets file.
#[derive(Clone, Debug, Default)]
pub struct Secrets {
    values: BTreeMap<&'static str, Secret>,
}

impl Secrets {
    /// Reads `file` if given (refused if its group or others may read it), then the
    /// environment through `env`, which overrides the file.
    ///
    /// # Errors
    ///
    /// [`CliError::Secret`]: the file cannot be read, is readable by others, or has a line
    /// that is not `NAME=value` with a known name. The message names the file, the line and the
    /// name, never a value.
    pub fn load(
        file: Option<&Path>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Secrets, CliError> {
        let mut values = BTreeMap::new();
        if let Some(path) = file {
            for (name, value) in read_secrets_file(path)? {
                values.insert(name, Secret(value));
            }
        }
        for name in SETTINGS {
            if let Some(value) = env(name).filter(|v| !v.is_empty()) {
                values.insert(name, Secret(value));
            }
        }
        Ok(Secrets { values })
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(Secret::expose)
    }
}

fn secret_error(place: impl Into<String>, problem: impl Into<String>) -> CliError {
    CliError::Secret {
        place: place.into(),
        problem: problem.into(),
    }
}

fn read_secrets_file(path: &Path) -> Result<Vec<(&'static str, String)>, CliError> {
    let place = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|e| secret_error(&place, e.to_string()))?;
    if !metadata.is_file() {
        return Err(secret_error(&place, "not a file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = metadata.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(secret_error(
                &place,
                format!(
                    "its group or others may read it (mode {mode:04o}): make it the owner's alone with `chmod 600 {place}`"
                ),
            ));
        }
    }
    if metadata.len() > MAX_SECRETS_FILE {
        return Err(secret_error(&place, "larger than a secrets file (64 KiB)"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| secret_error(&place, e.to_string()))?;
    let mut values = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{place}:{}", number + 1);
        let Some((name, value)) = line.split_once('=') else {
            return Err(secret_error(at, "expected NAME=value"));
        };
        let name = name.trim().trim_start_matches("export ").trim();
        let Some(known) = SETTINGS.iter().find(|known| **known == name) else {
            return Err(secret_error(
                at,
                format!(
                    "{name:?} is not a setting jauge reads (expected one of {})",
                    SETTINGS.join(", ")
                ),
            ));
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        values.push((*known, value.to_owned()));
    }
    Ok(values)
}

/// An IP network (`192.0.2.0/24`, `2001:db8::/32`, or one address), by ipnet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network(ipnet::IpNet);

impl std::str::FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Network, String> {
        if let Ok(address) = text.parse::<IpAddr>() {
            return Ok(Network(ipnet::IpNet::from(address)));
        }
        text.parse::<ipnet::IpNet>().map(Network).map_err(|_| {
            format!("{text:?} is not an address or a network (192.0.2.0/24, 2001:db8::/32)")
        })
    }
}

impl Network {
    /// Whether `address` is in this network; an IPv4 address mapped into IPv6 (as a dual-stack
    /// socket reports it) is the IPv4 address.
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        self.0.contains(&address)
    }
}

/// Where the endpoints are and who may use them, besides the secrets.
#[derive(Clone, Debug)]
pub struct HookOptions {
    /// Stripe's endpoint.
    pub stripe_path: String,
    /// HelloAsso's endpoint (followed by `/TOKEN` without a signature key).
    pub helloasso_path: String,
    /// GoCardless's endpoint.
    pub gocardless_path: String,
    /// Where GoCardless's API is.
    pub gocardless_api: String,
    /// Mollie's endpoint.
    pub mollie_path: String,
    /// Where Mollie's API is.
    pub mollie_api: String,
    /// How far a Stripe signature's timestamp may be from now, in seconds.
    pub stripe_tolerance: i64,
    /// Without a HelloAsso signature key: the addresses HelloAsso's notifications may come
    /// from (empty: any).
    pub helloasso_allow: Vec<Network>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the allowlist).
    pub trusted_proxies: Vec<Network>,
    /// How long a commit waits for the store's other writers (an import).
    pub wait: Duration,
}

impl Default for HookOptions {
    fn default() -> HookOptions {
        HookOptions {
            stripe_path: "/hooks/stripe".into(),
            helloasso_path: "/hooks/helloasso".into(),
            gocardless_path: "/hooks/gocardless".into(),
            gocardless_api: crate::catch_up::gocardless_base(|_| None),
            mollie_path: "/hooks/mollie".into(),
            mollie_api: crate::catch_up::mollie_base(|_| None),
            stripe_tolerance: jauge_platforms::stripe::DEFAULT_TOLERANCE,
            helloasso_allow: Vec::new(),
            trusted_proxies: Vec::new(),
            wait: Duration::from_secs(5),
        }
    }
}

/// How a delivery proves where it comes from.
#[derive(Debug)]
enum Check {
    Stripe {
        secrets: Vec<Secret>,
        mode: Mode,
        tolerance: i64,
    },
    HelloAssoSignature(Secret),
    HelloAssoToken {
        token: Secret,
        allow: Vec<Network>,
        trusted_proxies: Vec<Network>,
    },
    GoCardless {
        secrets: Vec<Secret>,
        api: crate::catch_up::GoCardlessApi,
    },
    Mollie {
        secrets: Vec<Secret>,
        api: crate::catch_up::MollieApi,
    },
}

/// One enabled endpoint.
#[derive(Debug)]
struct Endpoint {
    platform: Platform,
    path: String,
    check: Check,
}

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

/// How a delivery's handler asks a platform's API: each request bounded to 8 s, while the
/// platform waits for the answer.
const API_ASKING: crate::catch_up::Asking = crate::catch_up::Asking {
    timeout: Duration::from_secs(8),
    max_pages: 1,
};
/// Events waiting for the writer past which new ones get a 503 at once.
const QUEUE: usize = 4096;
/// How long a request waits for its commit before answering 503 (the commit may still land:
/// the retry then finds it taken, and gets its 2xx).
const COMMIT_WAIT: Duration = Duration::from_secs(20);

/// The endpoints `secrets` enable, described for the log (no secret in it).
pub fn describe(secrets: &Secrets, options: &HookOptions) -> Vec<String> {
    let mut said = Vec::new();
    if secrets.get(STRIPE_SECRET).is_some() {
        said.push(format!("POST {} (Stripe, signed)", options.stripe_path));
    }
    if secrets.get(GOCARDLESS_SECRET).is_some() {
        said.push(format!(
            "POST {} (GoCardless, signed; payments read through its API)",
            options.gocardless_path
        ));
    }
    if secrets.get(crate::catch_up::MOLLIE_API_KEY).is_some() {
        said.push(format!(
            "POST {} (Mollie, classic and next-gen{}; payments read through its API)",
            options.mollie_path,
            if secrets.get(MOLLIE_SECRET).is_some() {
                ", next-gen signed"
            } else {
                ""
            }
        ));
    }
    if secrets.get(HELLOASSO_KEY).is_some() {
        said.push(format!(
            "POST {} (HelloAsso, signed)",
            options.helloasso_path
        ));
    } else if secrets.get(HELLOASSO_TOKEN).is_some() {
        said.push(format!(
            "POST {}/<{HELLOASSO_TOKEN}> (HelloAsso, secret path{})",
            options.helloasso_path,
            if options.helloasso_allow.is_empty() {
                ""
            } else {
                " and address allowlist"
            }
        ));
    }
    said
}

/// Checks the webhook settings without starting anything: what `jauge serve` does before it
/// builds the site or listens.
///
/// # Errors
///
/// A setting is invalid (a short token, an unknown mode, a path).
pub fn check(secrets: &Secrets, options: &HookOptions) -> Result<(), CliError> {
    endpoints(secrets, options).map(drop)
}

fn check_path(option: &'static str, path: &str) -> Result<(), CliError> {
    let fine = path.starts_with('/')
        && path.len() > 1
        && !path.ends_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    if fine {
        Ok(())
    } else {
        Err(CliError::Option {
            option,
            value: path.to_owned(),
            expected: "expected a path such as /hooks/stripe (letters, digits, - _ . and /)",
        })
    }
}

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
                // GoCardless asks for 498 on a bad signature.
                (_, Check::GoCardless { .. }) => text(
                    StatusCode::from_u16(498).unwrap_or(StatusCode::BAD_REQUEST),
                    "invalid signature\n",
                ),
                _ => text(StatusCode::BAD_REQUEST, "bad request\n"),
            };
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

/// Why a verified delivery was not turned into events.
enum Unread {
    /// Its body cannot be read: a 400, the platform's retries would not change it.
    Body(jauge_platforms::EventError),
    /// The platform's API, asked what an event is about, did not answer: a 503, retried.
    Api(String),
    /// Nothing to record, and why (a nudge about what is not this account's): a 200, nothing
    /// written.
    Nothing(String),
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

/// Why a delivery was refused, for the log only.
#[derive(Debug)]
enum Refusal {
    Signature(jauge_platforms::signature::SignatureError),
    MissingHeader,
    Address,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Signature(e) => write!(f, "{e}"),
            Refusal::MissingHeader => f.write_str("no signature header"),
            Refusal::Address => f.write_str("not an allowed address"),
        }
    }
}

fn endpoints(secrets: &Secrets, options: &HookOptions) -> Result<Vec<Endpoint>, CliError> {
    check_path("--stripe-path", &options.stripe_path)?;
    check_path("--helloasso-path", &options.helloasso_path)?;
    check_path("--gocardless-path", &options.gocardless_path)?;
    check_path("--mollie-path", &options.mollie_path)?;
    let mut endpoints = Vec::new();
    if let Some(value) = secrets.get(STRIPE_SECRET) {
        let signing = secret_list(STRIPE_SECRET, value)?;
        let mode = match secrets.get(STRIPE_MODE).unwrap_or("live") {
            "live" => Mode::Live,
            "test" => Mode::Test,
            other => {
                return Err(secret_error(
                    STRIPE_MODE,
                    format!("{other:?}: expected live or test"),
                ))
            }
        };
        endpoints.push(Endpoint {
            platform: Platform::Stripe,
            path: options.stripe_path.clone(),
            check: Check::Stripe {
                secrets: signing,
                mode,
                tolerance: options.stripe_tolerance,
            },
        });
    }
    if let Some(value) = secrets.get(GOCARDLESS_SECRET) {
        let signing = secret_list(GOCARDLESS_SECRET, value)?;
        let api = crate::catch_up::GoCardlessApi::configured(secrets, |name| {
            (name == crate::catch_up::GOCARDLESS_API_BASE).then(|| options.gocardless_api.clone())
        })
        .ok_or_else(|| {
            secret_error(
                GOCARDLESS_SECRET,
                format!(
                    "the endpoint also needs {}: GoCardless's events carry no amount, which jauge reads from its API",
                    crate::catch_up::GOCARDLESS_ACCESS_TOKEN
                ),
            )
        })?;
        api.check()
            .map_err(|e| secret_error(crate::catch_up::GOCARDLESS_API_BASE, e))?;
        endpoints.push(Endpoint {
            platform: Platform::Gocardless,
            path: options.gocardless_path.clone(),
            check: Check::GoCardless {
                secrets: signing,
                api,
            },
        });
    }
    if let Some(api) = crate::catch_up::MollieApi::configured(secrets, |name| {
        (name == crate::catch_up::MOLLIE_API_BASE).then(|| options.mollie_api.clone())
    }) {
        api.check()
            .map_err(|e| secret_error(crate::catch_up::MOLLIE_API_BASE, e))?;
        let signing = match secrets.get(MOLLIE_SECRET) {
            Some(value) => secret_list(MOLLIE_SECRET, value)?,
            None => Vec::new(),
        };
        endpoints.push(Endpoint {
            platform: Platform::Mollie,
            path: options.mollie_path.clone(),
            check: Check::Mollie {
                secrets: signing,
                api,
            },
        });
    }
    if let Some(key) = secrets.get(HELLOASSO_KEY) {
        endpoints.push(Endpoint {
            platform: Platform::Helloasso,
            path: options.helloasso_path.clone(),
            check: Check::HelloAssoSignature(Secret(key.to_owned())),
        });
    } else if let Some(token) = secrets.get(HELLOASSO_TOKEN) {
        let usable = token.len() >= MIN_TOKEN_LENGTH
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !usable {
            return Err(secret_error(
                HELLOASSO_TOKEN,
                format!(
                    "expected at least {MIN_TOKEN_LENGTH} characters of letters, digits, - and _ \
                     (`openssl rand -hex 24` makes one)"
                ),
            ));
        }
        endpoints.push(Endpoint {
            platform: Platform::Helloasso,
            path: options.helloasso_path.clone(),
            check: Check::HelloAssoToken {
                token: Secret(token.to_owned()),
                allow: options.helloasso_allow.clone(),
                trusted_proxies: options.trusted_proxies.clone(),
            },
        });
    }
    Ok(endpoints)
}

/// The comma-separated secrets of `name` (several while one is rotated).
fn secret_list(name: &str, value: &str) -> Result<Vec<Secret>, CliError> {
    let secrets: Vec<Secret> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Secret(s.to_owned()))
        .collect();
    if secrets.is_empty() {
        return Err(secret_error(name, "holds no secret"));
    }
    Ok(secrets)
}

/// Equal, in a time that does not depend on where they differ (subtle's comparison, which the
/// optimiser cannot turn into an early exit).
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

impl Endpoint {
    fn matches(&self, path: &str) -> bool {
        match &self.check {
            Check::HelloAssoToken { token, .. } => path
                .strip_prefix(self.path.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|given| same_secret(given.as_bytes(), token.expose().as_bytes())),
            _ => path == self.path,
        }
    }

    fn verify(&self, request: &Request) -> Result<(), Refusal> {
        match &self.check {
            Check::Stripe {
                secrets, tolerance, ..
            } => {
                let header = request
                    .header("stripe-signature")
                    .ok_or(Refusal::MissingHeader)?;
                let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
                jauge_platforms::stripe::verify(
                    header,
                    &request.body,
                    &secrets,
                    Utc::now().timestamp(),
                    *tolerance,
                )
                .map_err(Refusal::Signature)
            }
            Check::GoCardless { secrets, .. } => {
                let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
                jauge_platforms::gocardless::verify(
                    request.header(jauge_platforms::gocardless::SIGNATURE_HEADER),
                    &request.body,
                    &secrets,
                )
                .map_err(Refusal::Signature)
            }
            // A next-gen delivery (JSON) is signed, and checked when a secret is given; a classic
            // one (a form) never is. Either is only a nudge: nothing in it is taken.
            Check::Mollie { secrets, .. } => {
                if secrets.is_empty() || !request.body.trim_ascii_start().starts_with(b"{") {
                    return Ok(());
                }
                let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
                jauge_platforms::mollie::verify(
                    request.header(jauge_platforms::mollie::SIGNATURE_HEADER),
                    &request.body,
                    &secrets,
                )
                .map_err(Refusal::Signature)
            }
            Check::HelloAssoSignature(key) => jauge_platforms::helloasso::verify(
                request.header("x-ha-signature"),
                &request.body,
                key.expose(),
            )
            .map_err(Refusal::Signature),
            Check::HelloAssoToken {
                allow,
                trusted_proxies,
                ..
            } => {
                let client = client_address(request, trusted_proxies);
                if allow.is_empty() || allow.iter().any(|n| n.contains(client)) {
                    Ok(())
                } else {
                    Err(Refusal::Address)
                }
            }
        }
    }

    fn interpret(&self, body: &[u8]) -> Result<Vec<Event>, Unread> {
        match &self.check {
            Check::Stripe { mode, .. } => jauge_platforms::stripe::interpret(body, *mode)
                .map(|e| vec![e])
                .map_err(Unread::Body),
            Check::GoCardless { api, .. } => {
                let notices = jauge_platforms::gocardless::read(body).map_err(Unread::Body)?;
                api.events(&notices, &API_ASKING).map_err(Unread::Api)
            }
            Check::Mollie { api, .. } => {
                let nudge = jauge_platforms::mollie::read(body).map_err(Unread::Body)?;
                match api.reread(&nudge, &API_ASKING).map_err(Unread::Api)? {
                    crate::catch_up::Reread::Events(events) => Ok(events),
                    crate::catch_up::Reread::Nothing(why) => Err(Unread::Nothing(why)),
                }
            }
            _ => jauge_platforms::helloasso::interpret(body)
                .map(|e| vec![e])
                .map_err(Unread::Body),
        }
    }
}

/// The client's address: the connection's, or, when that is a trusted reverse proxy, the
/// last address its `X-Forwarded-For` adds (the one the proxy itself saw; earlier ones are the
/// client's word).
fn client_address(request: &Request, trusted_proxies: &[Network]) -> IpAddr {
    let peer = request.peer.ip();
    if !trusted_proxies.iter().any(|n| n.contains(peer)) {
        return peer;
    }
    request
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .last()
        .and_then(|last| last.trim().parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secrets(pairs: &[(&str, &str)]) -> Secrets {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Secrets::load(None, |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
        .unwrap()
    }

    #[test]
    fn a_secret_never_shows_in_debug_or_errors() {
        let loaded = secrets(&[(STRIPE_SECRET, "whsec_topsecret"), (STRIPE_MODE, "staging")]);
        assert!(!format!("{loaded:?}").contains("topsecret"));
        let error = endpoints(&loaded, &HookOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("staging") && !error.contains("topsecret"),
            "{error}"
        );
        let short = secrets(&[(HELLOASSO_TOKEN, "tooshort-but-secret")]);
        let error = endpoints(&short, &HookOptions::default())
            .unwrap_err()
            .to_string();
        assert!(!error.contains("tooshort"), "{error}");
    }

    #[test]
    fn without_secrets_no_endpoint_is_enabled() {
        assert!(endpoints(&secrets(&[]), &HookOptions::default())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_token_endpoint_answers_only_its_own_path() {
        let token = "0123456789abcdef0123456789abcdef";
        let found = endpoints(
            &secrets(&[(HELLOASSO_TOKEN, token)]),
            &HookOptions::default(),
        )
        .unwrap();
        assert!(found[0].matches(&format!("/hooks/helloasso/{token}")));
        assert!(!found[0].matches("/hooks/helloasso"));
        assert!(!found[0].matches(&format!("/hooks/helloasso/{token}x")));
        assert!(!found[0].matches(&format!("/hooks/helloasso/{}", &token[1..])));
    }

    #[test]
    fn networks_hold_their_addresses() {
        let net: Network = "192.0.2.0/24".parse().unwrap();
        assert!(net.contains("192.0.2.77".parse().unwrap()));
        assert!(net.contains("::ffff:192.0.2.1".parse().unwrap()));
        assert!(!net.contains("192.0.3.1".parse().unwrap()));
        let one: Network = "2001:db8::1".parse().unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()));
        assert!(!one.contains("2001:db8::2".parse().unwrap()));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("203.0.113.9".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<Network>().is_err());
        assert!("example.org".parse::<Network>().is_err());
    }

    #[test]
    fn a_secrets_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets");
        std::fs::write(
            &path,
            "# webhook keys\nJAUGE_STRIPE_WEBHOOK_SECRET=\"whsec_abc\"\n",
        )
        .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let error = Secrets::load(Some(&path), |_| None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("chmod 600") && !error.contains("whsec_abc"),
            "{error}"
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let loaded = Secrets::load(Some(&path), |_| None).unwrap();
        assert_eq!(loaded.get(STRIPE_SECRET), Some("whsec_abc"));
        // The environment wins over the file.
        let loaded = Secrets::load(Some(&path), |name| {
            (name == STRIPE_SECRET).then(|| "whsec_env".to_owned())
        })
        .unwrap();
        assert_eq!(loaded.get(STRIPE_SECRET), Some("whsec_env"));
        std::fs::write(&path, "JAUGE_STRIPE_SECRET=whsec_typo\n").unwrap();
        let error = Secrets::load(Some(&path), |_| None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(":1:") && !error.contains("whsec_typo"),
            "{error}"
        );
    }
}
