//! GoCardless's API: the payments its webhook events name, read as they now stand (an event
//! carries no amount), and its events list, for catching up.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jauge::Interval;
use jauge_platforms::gocardless::{self, Notice, PaymentResource};
use jauge_platforms::{Event, Interpretation};

use super::http::{api_base, check_base, query_escaped, send, send_or_missing, with_client, Asked};
use super::{Asking, ReadEvent};
use crate::receive::Platform;
use crate::webhook::Secret;

/// GoCardless's access token (Developers → Create → Access token, read-only is enough): from
/// the environment or the secrets file, never logged. The webhook endpoint needs it too, to
/// read the payments its events name.
pub const GOCARDLESS_ACCESS_TOKEN: &str = "JAUGE_GOCARDLESS_ACCESS_TOKEN";
/// Where GoCardless's API is: `https://api-sandbox.gocardless.com` for the sandbox, another
/// address only for tests (as [`super::STRIPE_API_BASE`]).
pub const GOCARDLESS_API_BASE: &str = "JAUGE_GOCARDLESS_API_BASE";
const GOCARDLESS_API: &str = "https://api.gocardless.com";
/// The API version every request names (GoCardless's only one).
const API_VERSION: &str = "2015-07-06";
/// Payments read at once for one delivery (GoCardless sends up to 250 events in one).
const AT_ONCE: usize = 8;
/// Events a page of the events list holds (GoCardless's largest).
const PAGE: usize = 500;

const ASKED: Asked<'static> = Asked {
    name: "GoCardless",
    check: "check JAUGE_GOCARDLESS_ACCESS_TOKEN, which needs read access",
};

/// GoCardless's API, as the receiver and the catch-up ask it (its `Debug` shows no token).
#[derive(Clone, Debug)]
pub struct GoCardlessApi {
    token: Secret,
    base: String,
}

/// Where GoCardless's API is: [`GOCARDLESS_API_BASE`] if set, else GoCardless's own.
pub fn gocardless_base(env: impl Fn(&str) -> Option<String>) -> String {
    api_base(env, GOCARDLESS_API_BASE, GOCARDLESS_API)
}

impl GoCardlessApi {
    /// The API `secrets` give a token for, at the address `env` names.
    pub fn configured(
        secrets: &crate::webhook::Secrets,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<GoCardlessApi> {
        secrets
            .get(GOCARDLESS_ACCESS_TOKEN)
            .map(|token| GoCardlessApi {
                token: Secret::new(token.to_owned()),
                base: gocardless_base(env),
            })
    }

    /// Whether the API's address may be sent the token.
    ///
    /// # Errors
    ///
    /// Not `https://`, nor `http://` on this machine.
    pub fn check(&self) -> Result<(), String> {
        check_base(&self.base, GOCARDLESS_API_BASE)
    }

    /// The events of a delivery, each with its payment read through the API as it now stands.
    /// An event the API's answer makes unreadable is kept as ignored with why, never stopping
    /// the others.
    ///
    /// # Errors
    ///
    /// The API refused the token, or failed past its retries: nothing is applied, and the
    /// delivery is answered so GoCardless sends it again.
    pub fn events(&self, notices: &[Notice], asking: &Asking) -> Result<Vec<Event>, String> {
        self.check()?;
        let known = with_client(asking, |http| async move {
            let mut known = Known::default();
            known.fetch(&http, self, notices.iter()).await?;
            Ok(known)
        })?;
        Ok(notices.iter().map(|n| known.event(n)).collect())
    }

    /// The events since `since` about payments and refunds, each read with its payment, oldest
    /// first.
    fn list(&self, since: DateTime<Utc>, asking: &Asking) -> Result<Vec<ReadEvent>, String> {
        with_client(asking, |http| async move {
            let mut known = Known::default();
            let mut listed: Vec<ListedNotice> = Vec::new();
            for resource in ["payments", "refunds"] {
                let mut after: Option<String> = None;
                let mut pages = 0;
                loop {
                    pages += 1;
                    if pages > asking.max_pages {
                        return Err(format!(
                            "more than {} pages of {resource} events since {since}: asked again at the next catch-up",
                            asking.max_pages
                        ));
                    }
                    let mut url = format!(
                        "{}/events?resource_type={resource}&limit={PAGE}&created_at%5Bgte%5D={}",
                        self.base,
                        query_escaped(&since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                    );
                    if resource == "payments" {
                        url.push_str("&include=payment");
                    }
                    if let Some(cursor) = &after {
                        url.push_str("&after=");
                        url.push_str(&query_escaped(cursor));
                    }
                    let page = send(&ASKED, || self.get(&http, &url)).await?;
                    let events = page["events"].as_array().ok_or(
                        "GoCardless's answer is not a list of events (no \"events\" array)",
                    )?;
                    for payment in page["linked"]["payments"].as_array().into_iter().flatten() {
                        if let Ok(payment) = PaymentResource::read(payment.to_string().as_bytes()) {
                            known
                                .payments
                                .insert(payment.id().to_owned(), Some(payment));
                        }
                    }
                    for event in events {
                        // An event without a readable instant keeps its place at the listing's
                        // start; one that cannot be read is said, never stopping the others.
                        let at = event["created_at"]
                            .as_str()
                            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                            .map_or(since, |d| d.to_utc());
                        let one = serde_json::json!({ "events": [event] }).to_string();
                        let notice = match gocardless::read(one.as_bytes()) {
                            Ok(mut notices) => {
                                let notice = notices.remove(0);
                                match notice.unreadable.clone() {
                                    Some(why) => Err((notice.id, why)),
                                    None => Ok(notice),
                                }
                            }
                            Err(e) => Err((
                                event["id"].as_str().unwrap_or("(no id)").to_owned(),
                                e.to_string(),
                            )),
                        };
                        listed.push((at, notice));
                    }
                    match page["meta"]["cursors"]["after"].as_str() {
                        Some(next) if !next.is_empty() && !events.is_empty() => {
                            after = Some(next.to_owned())
                        }
                        _ => break,
                    }
                }
            }
            let notices = listed.iter().filter_map(|(_, n)| n.as_ref().ok());
            known.fetch(&http, self, notices).await?;
            let mut read: Vec<ReadEvent> = listed
                .into_iter()
                .map(|(at, notice)| (at, notice.map(|n| known.event(&n))))
                .collect();
            read.sort_by_key(|(at, _)| *at);
            Ok(read)
        })
    }

    fn get(&self, http: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        http.get(url)
            .bearer_auth(self.token.expose())
            .header("GoCardless-Version", API_VERSION)
    }
}

/// An event as listed: its instant, and its notice or (its id, why it cannot be read).
type ListedNotice = (DateTime<Utc>, Result<Notice, (String, String)>);

/// What the API said of the payments and subscriptions events name.
#[derive(Default)]
struct Known {
    /// Each payment read, `None` where the API does not know it.
    payments: HashMap<String, Option<PaymentResource>>,
    /// Each subscription's interval (`None`: neither monthly nor yearly, or not known).
    intervals: HashMap<String, Option<Interval>>,
}

/// An id as GoCardless makes them (`PM0001ABC…`): anything else is never put in an address.
fn plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

impl Known {
    /// Reads, `AT_ONCE` at a time, the payments `notices` name that are not known yet, then
    /// the subscriptions those payments pay.
    async fn fetch<'n>(
        &mut self,
        http: &reqwest::Client,
        api: &GoCardlessApi,
        notices: impl Iterator<Item = &'n Notice>,
    ) -> Result<(), String> {
        let mut wanted: Vec<String> = notices
            .filter(|n| n.needs_payment())
            .filter_map(|n| n.payment.clone())
            .filter(|id| !self.payments.contains_key(id))
            .collect();
        wanted.sort();
        wanted.dedup();
        for id in wanted.iter().filter(|id| !plain_id(id)) {
            self.payments.insert(id.clone(), None);
        }
        wanted.retain(|id| plain_id(id));
        for chunk in wanted.chunks(AT_ONCE) {
            let answers = futures_util::future::join_all(chunk.iter().map(|id| {
                let url = format!("{}/payments/{id}", api.base);
                async move { send_or_missing(&ASKED, || api.get(http, &url)).await }
            }))
            .await;
            for (id, answer) in chunk.iter().zip(answers) {
                let payment = answer?
                    .map(|value| PaymentResource::read(value.to_string().as_bytes()))
                    .transpose()
                    .map_err(|e| format!("GoCardless's answer about payment {id}: {e}"))?;
                self.payments.insert(id.clone(), payment);
            }
        }
        let mut subscriptions: Vec<String> = self
            .payments
            .values()
            .flatten()
            .filter_map(|p| p.subscription())
            .filter(|s| !self.intervals.contains_key(*s) && plain_id(s))
            .map(str::to_owned)
            .collect();
        subscriptions.sort();
        subscriptions.dedup();
        for chunk in subscriptions.chunks(AT_ONCE) {
            let answers = futures_util::future::join_all(chunk.iter().map(|id| {
                let url = format!("{}/subscriptions/{id}", api.base);
                async move { send_or_missing(&ASKED, || api.get(http, &url)).await }
            }))
            .await;
            for (id, answer) in chunk.iter().zip(answers) {
                let interval = match answer? {
                    Some(value) => gocardless::subscription_interval(value.to_string().as_bytes())
                        .map_err(|e| format!("GoCardless's answer about subscription {id}: {e}"))?,
                    None => None,
                };
                self.intervals.insert(id.clone(), interval);
            }
        }
        Ok(())
    }

    /// The event `notice` makes with what is known; one that cannot be read is kept as ignored
    /// with why (journaled, and acknowledged: GoCardless's retries would not change it).
    fn event(&self, notice: &Notice) -> Event {
        let payment = notice
            .payment
            .as_ref()
            .and_then(|id| self.payments.get(id))
            .and_then(Option::as_ref);
        let interval = payment
            .and_then(PaymentResource::subscription)
            .and_then(|s| self.intervals.get(s).copied().flatten());
        gocardless::interpret(notice, payment, interval).unwrap_or_else(|e| Event {
            id: notice.id.clone(),
            kind: notice.kind(),
            outcome: Interpretation::Ignore(format!("unreadable: {e}")),
        })
    }
}

/// Asks GoCardless for the events about payments and refunds since its last catch-up (or
/// since `floor` the first time), reads each event's payment as it now stands, and applies
/// them oldest first through the receiver's own path, exactly once.
impl super::Lists for GoCardlessApi {
    const PLATFORM: Platform = Platform::Gocardless;

    fn ready(&self) -> Result<(), String> {
        self.check()
    }

    fn listed(
        &self,
        since: DateTime<Utc>,
        _now: DateTime<Utc>,
        asking: &Asking,
    ) -> Result<Vec<ReadEvent>, String> {
        self.list(since, asking)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_go_into_addresses_only_as_gocardless_makes_them() {
        assert!(plain_id("PM000123ABC"));
        assert!(!plain_id("../creditors"));
        assert!(!plain_id("PM1?x=1"));
        assert!(!plain_id(""));
        let api = GoCardlessApi {
            token: Secret::new("live_secrettoken".into()),
            base: "http://api.gocardless.com".into(),
        };
        assert!(!format!("{api:?}").contains("secrettoken"));
        assert!(api.check().is_err());
    }
}
