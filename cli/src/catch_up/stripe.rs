//! Catching up with Stripe: its events list (kept 30 days), newest first, 100 a page.

use std::path::Path;

use chrono::{DateTime, Utc};
use jauge_platforms::Mode;

use super::http::{api_base, check_base, send, with_client, Asked};
use super::{after_newest, catch_up_with, read_all, Asking, CaughtUp, Listed};
use crate::error::CliError;
use crate::receive::Platform;

/// Stripe's secret API key (`sk_live_…`, `rk_live_…` for a restricted key with read access to
/// events): from the environment or the secrets file, never logged.
pub const STRIPE_API_KEY: &str = "JAUGE_STRIPE_API_KEY";
/// Where Stripe's API is (another address only for tests and proxies): an `https://` address,
/// or `http://` on the loopback interface.
pub const STRIPE_API_BASE: &str = "JAUGE_STRIPE_API_BASE";
const STRIPE_API: &str = "https://api.stripe.com";
/// How far back Stripe lists events.
const STRIPE_KEEPS_DAYS: i64 = 30;

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
    let oldest_listed = now - chrono::Duration::days(STRIPE_KEEPS_DAYS);
    catch_up_with(
        store_path,
        Platform::Stripe,
        (floor, now),
        || check_base(base, STRIPE_API_BASE),
        |held, floor| after_newest(held, floor).max(oldest_listed),
        |since| {
            let mut events = list_events(base, key, since, asking)?;
            // Stripe lists the newest first: applied oldest first, a charge before its refund.
            events.reverse();
            Ok(read_all(events, |body| {
                jauge_platforms::stripe::interpret(body, mode)
                    .map_err(|e| (event_id(body), e.to_string()))
            }))
        },
    )
}

fn event_id(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "(no id)".to_owned())
}

/// The events created since `since`, newest first.
fn list_events(
    base: &str,
    key: &str,
    since: DateTime<Utc>,
    asking: &Asking,
) -> Result<Vec<Listed>, String> {
    with_client(asking, |client| async move {
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

/// One page, retried on a rate limit or a failure that may pass.
async fn page(client: &reqwest::Client, url: &str, key: &str) -> Result<serde_json::Value, String> {
    let asked = Asked {
        name: "Stripe",
        check: "check JAUGE_STRIPE_API_KEY, which needs read access to events",
    };
    send(&asked, || client.get(url).bearer_auth(key)).await
}

/// Where Stripe's API is: [`STRIPE_API_BASE`] if set, else Stripe's own.
pub fn stripe_base(env: impl Fn(&str) -> Option<String>) -> String {
    api_base(env, STRIPE_API_BASE, STRIPE_API)
}
