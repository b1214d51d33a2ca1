//! Catching up after downtime: asking Stripe for the events it sent while the receiver was down
//! (its events list, kept 30 days) and HelloAsso for the organisation's orders, and applying
//! each through the receiver's own path, exactly once (the store keeps every event id taken). `jauge catch-up` does it once; `jauge serve` on
//! start and every ten minutes. Each platform's last catch-up is kept in the store, and said by
//! `jauge status` and the server's log.

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jauge_platforms::Mode;
use jauge_store::Store;

use crate::error::CliError;
use crate::receive::{apply_to, Applied, Platform};

/// Stripe's secret API key (`sk_live_…`, `rk_live_…` for a restricted key with read access to
/// events): from the environment or the secrets file, never logged.
pub const STRIPE_API_KEY: &str = "JAUGE_STRIPE_API_KEY";
/// Where Stripe's API is (another address only for tests and proxies): an `https://` address,
/// or `http://` on the loopback interface.
pub const STRIPE_API_BASE: &str = "JAUGE_STRIPE_API_BASE";
const STRIPE_API: &str = "https://api.stripe.com";
/// How far back Stripe lists events.
const STRIPE_KEEPS_DAYS: i64 = 30;
/// Each catch-up asks again from an hour before the newest event held: events reach the list a
/// little after their instant, and those taken already are not taken twice.
const OVERLAP_MINUTES: i64 = 60;
/// The largest page read (a page of 100 events is a few hundred kilobytes).
const MAX_PAGE_BYTES: usize = 4 << 20;
/// Tries per page: a rate limit (429, after its `Retry-After`, at most a minute) or a failure on
/// Stripe's side or the network's (after 1, 2, 4 s).
const TRIES: u32 = 4;

/// How a catch-up asks.
#[derive(Clone, Debug)]
pub struct Asking {
    /// Each request's bound, connecting and reading included.
    pub timeout: Duration,
    /// The most pages asked for (100 events each) in one catch-up; past them it stops without
    /// moving its mark, and the next one asks again.
    pub max_pages: usize,
}

impl Default for Asking {
    fn default() -> Asking {
        Asking {
            timeout: Duration::from_secs(20),
            max_pages: 100,
        }
    }
}

/// What a catch-up did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaughtUp {
    /// Events listed since [`CaughtUp::since`].
    pub listed: usize,
    /// Applied now, gifts added or changed.
    pub applied: usize,
    /// Taken before (by a webhook, or an earlier catch-up).
    pub taken_before: usize,
    /// Nothing for the ledger (another type, another mode).
    pub ignored: usize,
    /// Refused by the store's rules, kept in its events and journal.
    pub rejected: usize,
    /// Listed but not applied, each with why (unreadable, or a refund of a gift not held).
    pub not_applied: Vec<(String, String)>,
    /// Asked from.
    pub since: DateTime<Utc>,
    /// The newest event held now.
    pub through: DateTime<Utc>,
}

/// Asks Stripe (with `key`, for the events of `mode`) for the events since the store's last
/// catch-up (or since `floor`, the campaign's start, the first time; never more than Stripe's
/// 30 days), applies them oldest first, and marks the store caught up.
///
/// # Errors
///
/// [`CliError::CatchUp`]: the key refused, Stripe unreachable or failing past the retries, an
/// answer that is not a list of events, more pages than `asking` allows (nothing is marked: the
/// next catch-up asks again); or the store cannot be written.
pub fn stripe(
    store_path: &Path,
    key: &str,
    mode: Mode,
    base: &str,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
    asking: &Asking,
) -> Result<CaughtUp, CliError> {
    let failed = |reason: String| CliError::CatchUp {
        platform: "stripe",
        reason,
    };
    check_base(base, STRIPE_API_BASE).map_err(failed)?;
    let mut store = Store::create(store_path)?;
    let held = store.caught_up("stripe")?.map(|h| h.through);
    let oldest_listed = now - chrono::Duration::days(STRIPE_KEEPS_DAYS);
    let since = held
        .map_or(floor, |through| {
            through - chrono::Duration::minutes(OVERLAP_MINUTES)
        })
        .max(oldest_listed);
    let mut events = list_events(base, key, since, asking).map_err(failed)?;
    // Stripe lists the newest first: applied oldest first, a charge before its refund.
    events.reverse();
    apply_listed(
        &mut store,
        Platform::Stripe,
        events,
        (since, held),
        now,
        |body| {
            jauge_platforms::stripe::interpret(body, mode)
                .map_err(|e| (event_id(body), e.to_string()))
        },
    )
}

/// Applies `listed` (oldest first) of `platform`, each read by `read`, through the receiver's
/// own path, and marks the store caught up through the newest; `since` and `held` are where the
/// listing began and the mark it had.
fn apply_listed(
    store: &mut Store,
    platform: Platform,
    listed: Vec<Listed>,
    (since, held): (DateTime<Utc>, Option<DateTime<Utc>>),
    now: DateTime<Utc>,
    read: impl Fn(&[u8]) -> Result<jauge_platforms::Event, (String, String)>,
) -> Result<CaughtUp, CliError> {
    let mut report = CaughtUp {
        listed: listed.len(),
        since,
        through: held.unwrap_or(since),
        ..CaughtUp::default()
    };
    for (at, body) in listed {
        report.through = report.through.max(at);
        let event = match read(&body) {
            Ok(event) => event,
            Err(unreadable) => {
                report.not_applied.push(unreadable);
                continue;
            }
        };
        match apply_to(store, platform, &event, now) {
            Ok(Applied::Applied { .. }) => report.applied += 1,
            Ok(Applied::AlreadyTaken(_)) => report.taken_before += 1,
            Ok(Applied::Ignored(_)) => report.ignored += 1,
            Ok(Applied::Rejected(_)) => report.rejected += 1,
            // A refund whose charge is older than the listing: said, and left to an export.
            Err(CliError::GiftNotYetKnown { gift, .. }) => report.not_applied.push((
                event.id.clone(),
                format!("a refund of {gift}, which the store does not hold"),
            )),
            Err(e) => return Err(e),
        }
    }
    let mut writer = store.writer(now)?;
    writer.record_catch_up(platform.name(), now, report.through)?;
    writer.commit()?;
    Ok(report)
}

fn event_id(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "(no id)".to_owned())
}

/// An API address jauge sends its key to: over TLS, or to this machine.
fn check_base(base: &str, setting: &str) -> Result<(), String> {
    let loopback = ["http://127.0.0.1:", "http://[::1]:", "http://localhost:"]
        .iter()
        .any(|prefix| base.starts_with(prefix));
    if base.starts_with("https://") || loopback {
        Ok(())
    } else {
        Err(format!(
            "{setting} {base:?}: the key goes only to an https:// address (or http:// on this machine)"
        ))
    }
}

/// HelloAsso's API client (Mon compte → Intégrations et API): its id and secret, from the
/// environment or the secrets file, never logged; and the organisation's slug (as in
/// `helloasso.com/associations/<slug>`).
pub const HELLOASSO_CLIENT_ID: &str = "JAUGE_HELLOASSO_CLIENT_ID";
/// See [`HELLOASSO_CLIENT_ID`].
pub const HELLOASSO_CLIENT_SECRET: &str = "JAUGE_HELLOASSO_CLIENT_SECRET";
/// See [`HELLOASSO_CLIENT_ID`].
pub const HELLOASSO_ORGANIZATION: &str = "JAUGE_HELLOASSO_ORGANIZATION";
/// Where HelloAsso's API is (another address only for tests): as [`STRIPE_API_BASE`].
pub const HELLOASSO_API_BASE: &str = "JAUGE_HELLOASSO_API_BASE";
const HELLOASSO_API: &str = "https://api.helloasso.com";

/// HelloAsso's API client.
pub struct HelloAssoClient<'a> {
    /// The client id.
    pub id: &'a str,
    /// The client secret.
    pub secret: &'a str,
    /// The organisation's slug.
    pub organization: &'a str,
}

/// Asks HelloAsso (with the organisation's API client) for the orders since its last catch-up
/// (or since `floor` the first time), oldest first, and applies each as the receiver applies
/// an order's notification: a gift per payment, exactly once; an order that changed since (a
/// refund) moves its gifts forward under the store's rules.
///
/// # Errors
///
/// As [`stripe`].
pub fn helloasso(
    store_path: &Path,
    client: &HelloAssoClient<'_>,
    base: &str,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
    asking: &Asking,
) -> Result<CaughtUp, CliError> {
    let failed = |reason: String| CliError::CatchUp {
        platform: "helloasso",
        reason,
    };
    check_base(base, HELLOASSO_API_BASE).map_err(failed)?;
    organization_slug(client.organization).map_err(failed)?;
    let mut store = Store::create(store_path)?;
    let held = store.caught_up("helloasso")?.map(|h| h.through);
    let since = held.map_or(floor, |through| {
        through - chrono::Duration::minutes(OVERLAP_MINUTES)
    });
    let mut orders = list_orders(base, client, since, asking).map_err(failed)?;
    orders.sort_by_key(|(at, _)| *at);
    apply_listed(
        &mut store,
        Platform::Helloasso,
        orders,
        (since, held),
        now,
        |body| {
            jauge_platforms::helloasso::interpret(body).map_err(|e| (order_id(body), e.to_string()))
        },
    )
}

fn order_id(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["data"]["id"].as_i64())
        .map_or_else(|| "(no id)".to_owned(), |id| format!("order {id}"))
}

/// An organisation's slug, as it goes into a path: lower-case letters, digits and `-`.
fn organization_slug(slug: &str) -> Result<(), String> {
    if !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Ok(())
    } else {
        Err(format!(
            "{HELLOASSO_ORGANIZATION} {slug:?}: expected the organisation's slug, as in helloasso.com/associations/<slug>"
        ))
    }
}

/// `text` for a query string: unreserved characters kept, every other byte escaped.
fn query_escaped(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The organisation's orders since `since`, each as the notification HelloAsso would send of
/// it (`{"eventType": "Order", "data": …}`), with its date.
fn list_orders(
    base: &str,
    client: &HelloAssoClient<'_>,
    since: DateTime<Utc>,
    asking: &Asking,
) -> Result<Vec<Listed>, String> {
    let (runtime, http) = http_client(asking)?;
    let asked = Asked {
        name: "HelloAsso",
        check: "check JAUGE_HELLOASSO_CLIENT_ID and JAUGE_HELLOASSO_CLIENT_SECRET, and that the client may read the organisation's orders",
    };
    runtime.block_on(async {
        // OAuth2 client credentials: a token for this catch-up (HelloAsso's last 30 minutes).
        let form = format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            query_escaped(client.id),
            query_escaped(client.secret)
        );
        let token = send(&asked, || {
            http.post(format!("{base}/oauth2/token"))
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(form.clone())
        })
        .await?;
        let token = token["access_token"]
            .as_str()
            .ok_or("HelloAsso's token answer has no access_token")?
            .to_owned();
        let mut orders = Vec::new();
        let mut continuation: Option<String> = None;
        for _ in 0..asking.max_pages {
            let mut url = format!(
                "{base}/v5/organizations/{}/orders?from={}&pageSize=100&sortOrder=Asc",
                client.organization,
                query_escaped(&since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            );
            if let Some(token) = &continuation {
                url.push_str("&continuationToken=");
                url.push_str(&query_escaped(token));
            }
            let page = send(&asked, || http.get(&url).bearer_auth(&token)).await?;
            let data = page["data"]
                .as_array()
                .ok_or("HelloAsso's answer is not a list of orders (no \"data\" array)")?;
            if data.is_empty() {
                return Ok(orders);
            }
            for order in data {
                // An order without a readable date keeps its place at the listing's start: it
                // is applied (or said unreadable) with the others, never stopping them.
                let date = order["date"]
                    .as_str()
                    .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                    .map_or(since, |d| d.to_utc());
                let notification = serde_json::json!({"eventType": "Order", "data": order});
                orders.push((date, serde_json::to_vec(&notification).unwrap_or_default()));
            }
            match page["pagination"]["continuationToken"].as_str() {
                Some(next) if !next.is_empty() => continuation = Some(next.to_owned()),
                _ => return Ok(orders),
            }
        }
        Err(format!(
            "more than {} pages of orders since {since}: asked again at the next catch-up",
            asking.max_pages
        ))
    })
}

/// A runtime of this thread's own and a client bounded as `asking` says, never following a
/// redirect (credentials go only where they were meant to).
fn http_client(asking: &Asking) -> Result<(tokio::runtime::Runtime, reqwest::Client), String> {
    let failed = |e: &dyn std::fmt::Display| format!("cannot start the HTTP client: {e}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(&e))?;
    let client = reqwest::Client::builder()
        .timeout(asking.timeout)
        .connect_timeout(asking.timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| failed(&e))?;
    Ok((runtime, client))
}

/// An event as listed: its instant and its JSON.
type Listed = (DateTime<Utc>, Vec<u8>);

/// The events created since `since`, newest first.
fn list_events(
    base: &str,
    key: &str,
    since: DateTime<Utc>,
    asking: &Asking,
) -> Result<Vec<Listed>, String> {
    let (runtime, client) = http_client(asking)?;
    runtime.block_on(async {
        let mut events = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..asking.max_pages {
            // `created[gte]`, its brackets escaped; an event id is letters, digits and `_`, and
            // anything else in one is escaped too.
            let mut url = format!(
                "{base}/v1/events?limit=100&created%5Bgte%5D={}",
                since.timestamp()
            );
            if let Some(id) = &after {
                url.push_str("&starting_after=");
                for byte in id.bytes() {
                    if byte.is_ascii_alphanumeric() || byte == b'_' {
                        url.push(char::from(byte));
                    } else {
                        url.push_str(&format!("%{byte:02X}"));
                    }
                }
            }
            let page = page(&client, &url, key).await?;
            let data = page["data"]
                .as_array()
                .ok_or("the answer is not a list of events (no \"data\" array)")?;
            for event in data {
                let id = event["id"].as_str().ok_or("an event without an id")?;
                // An event without a readable instant is applied (or said unreadable) with the
                // others, never stopping them.
                let created = event["created"]
                    .as_i64()
                    .and_then(|s| DateTime::from_timestamp(s, 0))
                    .unwrap_or(since);
                after = Some(id.to_owned());
                events.push((created, serde_json::to_vec(event).unwrap_or_default()));
            }
            if !page["has_more"].as_bool().unwrap_or(false) || data.is_empty() {
                return Ok(events);
            }
        }
        Err(format!(
            "more than {} pages of events since {since}: asked again at the next catch-up",
            asking.max_pages
        ))
    })
}

/// Who is asked, for what an answer's error says.
struct Asked<'a> {
    /// "Stripe", "HelloAsso".
    name: &'a str,
    /// What to check when the credentials are refused.
    check: &'a str,
}

/// One page, retried on a rate limit or a failure that may pass.
async fn page(client: &reqwest::Client, url: &str, key: &str) -> Result<serde_json::Value, String> {
    let asked = Asked {
        name: "Stripe",
        check: "check JAUGE_STRIPE_API_KEY, which needs read access to events",
    };
    send(&asked, || client.get(url).bearer_auth(key)).await
}

/// The JSON answer to `request` (made again for each try), retried on a rate limit (after its
/// `Retry-After`, at most a minute) or a failure that may pass (after 1, 2, 4 s).
async fn send(
    asked: &Asked<'_>,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> Result<serde_json::Value, String> {
    let name = asked.name;
    let mut last = String::new();
    for attempt in 0..TRIES {
        let wait = match request().send().await {
            Err(e) => {
                // reqwest's error names the address, never the credentials (in a header or
                // the body).
                last = format!("{name}'s API cannot be reached: {}", without_url(&e));
                Duration::from_secs(1 << attempt)
            }
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                let body = bounded(response, name).await?;
                if status.is_success() {
                    return serde_json::from_slice(&body)
                        .map_err(|e| format!("{name}'s answer is not JSON: {e}"));
                }
                let said = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| {
                        v["error"]["message"]
                            .as_str()
                            .or(v["message"].as_str())
                            .or(v["error_description"].as_str())
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                let said: String = said.chars().take(300).collect();
                match status.as_u16() {
                    401 | 403 => {
                        return Err(format!(
                            "{name} refused the credentials ({status}): {}. {said}",
                            asked.check
                        ))
                    }
                    429 => {
                        last = format!("rate-limited by {name} ({status})");
                        Duration::from_secs(retry_after.unwrap_or(1).min(60))
                    }
                    500..=599 => {
                        last = format!("{name} failed ({status}). {said}");
                        Duration::from_secs(1 << attempt)
                    }
                    _ => return Err(format!("{name} answered {status}. {said}")),
                }
            }
        };
        if attempt + 1 < TRIES {
            tokio::time::sleep(wait).await;
        }
    }
    Err(format!("{last}, {TRIES} times"))
}

/// reqwest's error without the address's query (the cursor and instants are not secret, but
/// short messages read better).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), url.path());
    }
    text
}

/// The body, refused past [`MAX_PAGE_BYTES`].
async fn bounded(mut response: reqwest::Response, name: &str) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading {name}'s answer: {}", without_url(&e)))?
    {
        if body.len() + chunk.len() > MAX_PAGE_BYTES {
            return Err(format!("an answer of more than {MAX_PAGE_BYTES} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A catch-up in a line, for the command and the server's log.
pub fn said(platform: &str, report: &CaughtUp) -> String {
    let mut line = format!(
        "{platform}: {} events since {}: {} applied, {} taken before, {} ignored, {} rejected; caught up through {}",
        report.listed,
        report.since.format("%Y-%m-%d %H:%M UTC"),
        report.applied,
        report.taken_before,
        report.ignored,
        report.rejected,
        report.through.format("%Y-%m-%d %H:%M UTC"),
    );
    for (id, why) in &report.not_applied {
        line.push_str(&format!("\n  not applied: {id}: {why}"));
    }
    line
}

/// A platform whose API credentials are given, ready to be caught up with.
pub enum Configured {
    /// Stripe's events list.
    Stripe {
        /// The API key.
        key: String,
        /// The events that count.
        mode: Mode,
        /// The API's address.
        base: String,
    },
    /// HelloAsso's orders.
    HelloAsso {
        /// The API client's id.
        id: String,
        /// Its secret.
        secret: String,
        /// The organisation's slug.
        organization: String,
        /// The API's address.
        base: String,
    },
}

impl Configured {
    /// The platform's name, as the store keeps its events.
    pub fn name(&self) -> &'static str {
        match self {
            Configured::Stripe { .. } => "stripe",
            Configured::HelloAsso { .. } => "helloasso",
        }
    }

    /// Catches up with it (see [`stripe`] and [`helloasso`]).
    ///
    /// # Errors
    ///
    /// As [`stripe`].
    pub fn catch_up(
        &self,
        store: &Path,
        floor: DateTime<Utc>,
        now: DateTime<Utc>,
        asking: &Asking,
    ) -> Result<CaughtUp, CliError> {
        match self {
            Configured::Stripe { key, mode, base } => {
                stripe(store, key, *mode, base, floor, now, asking)
            }
            Configured::HelloAsso {
                id,
                secret,
                organization,
                base,
            } => helloasso(
                store,
                &HelloAssoClient {
                    id,
                    secret,
                    organization,
                },
                base,
                floor,
                now,
                asking,
            ),
        }
    }
}

/// The platforms whose API credentials `secrets` give (the API addresses from `env`).
pub fn configured(
    secrets: &crate::webhook::Secrets,
    env: impl Fn(&str) -> Option<String>,
) -> Vec<Configured> {
    let mut found = Vec::new();
    if let Some(key) = secrets.get(STRIPE_API_KEY) {
        found.push(Configured::Stripe {
            key: key.to_owned(),
            mode: match secrets.get(crate::webhook::STRIPE_MODE) {
                Some("test") => Mode::Test,
                _ => Mode::Live,
            },
            base: stripe_base(&env),
        });
    }
    if let (Some(id), Some(secret), Some(organization)) = (
        secrets.get(HELLOASSO_CLIENT_ID),
        secrets.get(HELLOASSO_CLIENT_SECRET),
        secrets.get(HELLOASSO_ORGANIZATION),
    ) {
        found.push(Configured::HelloAsso {
            id: id.to_owned(),
            secret: secret.to_owned(),
            organization: organization.to_owned(),
            base: helloasso_base(&env),
        });
    }
    found
}

/// Where HelloAsso's API is: [`HELLOASSO_API_BASE`] if set, else HelloAsso's own.
pub fn helloasso_base(env: impl Fn(&str) -> Option<String>) -> String {
    env(HELLOASSO_API_BASE)
        .map(|b| b.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| HELLOASSO_API.to_owned())
}

/// Where Stripe's API is: [`STRIPE_API_BASE`] if set, else Stripe's own.
pub fn stripe_base(env: impl Fn(&str) -> Option<String>) -> String {
    env(STRIPE_API_BASE)
        .map(|b| b.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| STRIPE_API.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_goes_only_over_tls_or_to_this_machine() {
        let check = |base| check_base(base, STRIPE_API_BASE);
        assert!(check("https://api.stripe.com").is_ok());
        assert!(check("http://127.0.0.1:4242").is_ok());
        assert!(check("http://api.stripe.com").is_err());
        assert!(check("http://127.0.0.1.example.org:80").is_err());
        assert!(organization_slug("mon-asso-2024").is_ok());
        assert!(organization_slug("../admin").is_err());
        assert!(organization_slug("").is_err());
        assert_eq!(stripe_base(|_| None), "https://api.stripe.com");
        assert_eq!(
            stripe_base(|_| Some("http://127.0.0.1:9/".into())),
            "http://127.0.0.1:9"
        );
    }
}
