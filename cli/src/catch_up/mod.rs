//! Catching up after downtime: asking each platform's API for what it sent while the receiver
//! was down — Stripe's events list (kept 30 days), HelloAsso's orders, GoCardless's events,
//! PayPal's webhook events,
//! Mollie's payments, refunds and chargebacks — and polling the platforms that send nothing
//! reliable (Open Collective's transactions, Liberapay's weekly receipts), and
//! applying each through the receiver's own path, exactly once (the store keeps every event id
//! taken). `jauge catch-up` does it once; `jauge serve` on start and every ten minutes. Each
//! platform's last catch-up is kept in the store, and said by `jauge status` and the server's
//! log.

mod gocardless;
mod helloasso;
mod http;
mod liberapay;
mod mollie;
mod opencollective;
mod paypal;
mod stripe;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use jauge_platforms::{Event, Mode};
use jauge_store::Store;

use crate::error::CliError;
use crate::receive::{apply_to, Applied, Platform};

pub use gocardless::{
    gocardless_base, GoCardlessApi, GOCARDLESS_ACCESS_TOKEN, GOCARDLESS_API_BASE,
};
pub use helloasso::{
    helloasso, helloasso_base, HelloAssoApi, HelloAssoClient, HELLOASSO_API_BASE,
    HELLOASSO_CLIENT_ID, HELLOASSO_CLIENT_SECRET, HELLOASSO_ORGANIZATION,
};
pub use http::fetch_bytes;
pub use liberapay::{Liberapay, LIBERAPAY_ACCOUNT, LIBERAPAY_BASE};
pub use mollie::{mollie_base, MollieApi, MOLLIE_API_BASE, MOLLIE_API_KEY};
pub use opencollective::{
    OpenCollectiveApi, OPENCOLLECTIVE_API_BASE, OPENCOLLECTIVE_SLUG, OPENCOLLECTIVE_TOKEN,
};
pub use paypal::{PayPalApi, PAYPAL_API_BASE, PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET};
pub use stripe::{stripe, stripe_base, STRIPE_API_BASE, STRIPE_API_KEY};

/// Each catch-up asks again from an hour before the newest event held: events reach the list a
/// little after their instant, and those taken already are not taken twice.
const OVERLAP_MINUTES: i64 = 60;

/// How a catch-up asks.
#[derive(Clone, Debug)]
pub struct Asking {
    /// Each request's bound, connecting and reading included.
    pub timeout: Duration,
    /// The most pages asked for (100 events each) in one catch-up; past them it stops without
    /// moving its mark, and the next one asks again.
    pub max_pages: usize,
    /// Tries per request: a rate limit, or a failure on the platform's side or the network's,
    /// is tried again (after its `Retry-After`, or 1, 2, 4 s) until this many were made.
    pub tries: u32,
}

impl Default for Asking {
    fn default() -> Asking {
        Asking {
            timeout: Duration::from_secs(20),
            max_pages: 100,
            tries: 4,
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

/// What a webhook that is only a nudge comes to, once the platform's API has been asked.
#[derive(Debug)]
pub enum Reread {
    /// What the API says, as it now stands, to record.
    Events(Vec<Event>),
    /// Nothing to record, and why (what the API does not know: not this organisation's, or a
    /// forged nudge; something that is not a payment). Nothing is written: a flood of forged
    /// nudges never fills the store.
    Nothing(String),
}

/// An event as listed: its instant and its JSON.
type Listed = (DateTime<Utc>, Vec<u8>);

/// An event as listed and read: its instant, and the event or (its id, why it cannot be read).
type ReadEvent = jauge_platforms::Listed;

/// Reads each of `listed` with `read`.
fn read_all(
    listed: Vec<Listed>,
    read: impl Fn(&[u8]) -> Result<Event, (String, String)>,
) -> Vec<ReadEvent> {
    listed
        .into_iter()
        .map(|(at, body)| (at, read(&body)))
        .collect()
}

/// One catch-up of `platform`, the same for every platform: its `check` (addresses,
/// names), its window (from `since_of` the newest event held, or the campaign's start, `floor`,
/// the first time), its listing from there, and the applying of what was listed. A failure
/// of the check or the listing marks nothing: the next catch-up asks again.
fn catch_up_with(
    store_path: &Path,
    platform: Platform,
    (floor, now): (DateTime<Utc>, DateTime<Utc>),
    check: impl FnOnce() -> Result<(), String>,
    since_of: impl FnOnce(Option<DateTime<Utc>>, DateTime<Utc>) -> DateTime<Utc>,
    list: impl FnOnce(DateTime<Utc>) -> Result<Vec<ReadEvent>, String>,
) -> Result<CaughtUp, CliError> {
    let failed = |reason: String| CliError::CatchUp {
        platform: platform.name(),
        reason,
    };
    check().map_err(failed)?;
    let mut store = Store::create(store_path)?;
    let held = store.caught_up(platform.name())?.map(|h| h.through);
    let since = since_of(held, floor);
    let listed = list(since).map_err(failed)?;
    apply_listed(&mut store, platform, listed, (since, held), now)
}

/// A platform's API that a catch-up lists: each says what differs (its check, its window, its
/// listing), and [`caught_up_by`] does the rest the same way for all.
trait Lists {
    /// The platform.
    const PLATFORM: Platform;
    /// Whether the configured address and names may be asked, before anything is.
    fn ready(&self) -> Result<(), String>;
    /// Where a catch-up begins: from the newest event held, or from `floor` the first time.
    fn since(&self, held: Option<DateTime<Utc>>, floor: DateTime<Utc>) -> DateTime<Utc> {
        after_newest(held, floor)
    }
    /// What the platform lists since `since`, read, oldest first.
    fn listed(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        asking: &Asking,
    ) -> Result<Vec<ReadEvent>, String>;
}

/// One catch-up of `api`'s platform (see [`catch_up_with`]).
///
/// # Errors
///
/// As [`stripe`].
fn caught_up_by<A: Lists>(
    store_path: &Path,
    api: &A,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
    asking: &Asking,
) -> Result<CaughtUp, CliError> {
    catch_up_with(
        store_path,
        A::PLATFORM,
        (floor, now),
        || api.ready(),
        |held, floor| api.since(held, floor),
        |since| api.listed(since, now, asking),
    )
}

/// The usual window: from an hour before the newest event held (events reach a list a little
/// after their instant; those taken already are not taken twice), or from `floor`.
fn after_newest(held: Option<DateTime<Utc>>, floor: DateTime<Utc>) -> DateTime<Utc> {
    held.map_or(floor, |through| {
        through - chrono::Duration::minutes(OVERLAP_MINUTES)
    })
}

/// Applies `listed` (oldest first) of `platform` through the receiver's own path, and marks the
/// store caught up through the newest; `since` and `held` are where the listing began and the
/// mark it had.
fn apply_listed(
    store: &mut Store,
    platform: Platform,
    listed: Vec<ReadEvent>,
    (since, held): (DateTime<Utc>, Option<DateTime<Utc>>),
    now: DateTime<Utc>,
) -> Result<CaughtUp, CliError> {
    let mut report = CaughtUp {
        listed: listed.len(),
        since,
        through: held.unwrap_or(since),
        ..CaughtUp::default()
    };
    for (at, event) in listed {
        report.through = report.through.max(at);
        let event = match event {
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
    /// GoCardless's events.
    GoCardless(GoCardlessApi),
    /// Mollie's payments, refunds and chargebacks.
    Mollie(MollieApi),
    /// Open Collective's transactions, polled.
    OpenCollective(OpenCollectiveApi),
    /// Liberapay's weekly receipts, polled.
    Liberapay(Liberapay),
    /// PayPal's webhook events, listed.
    PayPal(PayPalApi),
}

impl Configured {
    /// The platform's name, as the store keeps its events.
    pub fn name(&self) -> &'static str {
        match self {
            Configured::Stripe { .. } => "stripe",
            Configured::HelloAsso { .. } => "helloasso",
            Configured::GoCardless(_) => "gocardless",
            Configured::Mollie(_) => "mollie",
            Configured::OpenCollective(_) => "opencollective",
            Configured::Liberapay(_) => "liberapay",
            Configured::PayPal(_) => "paypal",
        }
    }

    /// Catches up with it (see [`stripe`], [`helloasso`]; the other APIs each list theirs).
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
            Configured::GoCardless(api) => caught_up_by(store, api, floor, now, asking),
            Configured::Mollie(api) => caught_up_by(store, api, floor, now, asking),
            Configured::OpenCollective(api) => caught_up_by(store, api, floor, now, asking),
            Configured::Liberapay(account) => caught_up_by(store, account, floor, now, asking),
            Configured::PayPal(api) => caught_up_by(store, api, floor, now, asking),
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
    if let Some(api) = HelloAssoApi::configured(secrets, &env) {
        found.push(Configured::HelloAsso {
            id: api.id,
            secret: api.secret,
            organization: api.organization,
            base: api.base,
        });
    }
    if let Some(api) = GoCardlessApi::configured(secrets, &env) {
        found.push(Configured::GoCardless(api));
    }
    if let Some(api) = MollieApi::configured(secrets, &env) {
        found.push(Configured::Mollie(api));
    }
    if let Some(api) = OpenCollectiveApi::configured(secrets, &env) {
        found.push(Configured::OpenCollective(api));
    }
    if let Some(account) = Liberapay::configured(secrets, &env) {
        found.push(Configured::Liberapay(account));
    }
    if let Some(api) = PayPalApi::configured(secrets, &env) {
        found.push(Configured::PayPal(api));
    }
    found
}
#[cfg(test)]
mod tests {
    use super::http::check_base;
    use super::*;

    #[test]
    fn the_key_goes_only_over_tls_or_to_this_machine() {
        let check = |base| check_base(base, STRIPE_API_BASE);
        assert!(check("https://api.stripe.com").is_ok());
        assert!(check("http://127.0.0.1:4242").is_ok());
        assert!(check("http://api.stripe.com").is_err());
        assert!(check("http://127.0.0.1.example.org:80").is_err());
        assert!(helloasso::organization_slug("mon-asso-2024").is_ok());
        assert!(helloasso::organization_slug("../admin").is_err());
        assert!(helloasso::organization_slug("").is_err());
        assert_eq!(stripe_base(|_| None), "https://api.stripe.com");
        assert_eq!(
            stripe_base(|_| Some("http://127.0.0.1:9/".into())),
            "http://127.0.0.1:9"
        );
    }
}
