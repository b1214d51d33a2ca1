//! Mollie's API: the payment a webhook names, read as it now stands (neither generation of
//! Mollie's webhooks is taken at its word), and its lists of payments, refunds and chargebacks,
//! for catching up.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use jauge::Interval;
use jauge_platforms::mollie::{self, Nudge, PaymentResource};
use jauge_platforms::{Event, Interpretation, Mode};

use super::http::{api_base, check_base, query_escaped, send, send_or_missing, with_client, Asked};
use super::{Asking, ReadEvent, Reread};
use crate::receive::Platform;
use crate::webhook::Secret;

/// The organisation's Mollie API key (`live_…`, or `test_…` for test payments; an
/// organisation access token works too): from the environment or the secrets file, never
/// logged. It enables the webhook endpoint, which reads every payment it is told of.
pub const MOLLIE_API_KEY: &str = "JAUGE_MOLLIE_API_KEY";
/// Where Mollie's API is (another address only for tests, as [`super::STRIPE_API_BASE`]).
pub const MOLLIE_API_BASE: &str = "JAUGE_MOLLIE_API_BASE";
const MOLLIE_API: &str = "https://api.mollie.com";
/// Items a page of a list holds (Mollie's largest).
const PAGE: usize = 250;

const ASKED: Asked<'static> = Asked {
    name: "Mollie",
    check: "check JAUGE_MOLLIE_API_KEY, which needs to read payments, refunds and subscriptions",
};

/// Mollie's API, as the receiver and the catch-up ask it (its `Debug` shows no key).
#[derive(Clone, Debug)]
pub struct MollieApi {
    key: Secret,
    base: String,
}

/// Where Mollie's API is: [`MOLLIE_API_BASE`] if set, else Mollie's own.
pub fn mollie_base(env: impl Fn(&str) -> Option<String>) -> String {
    api_base(env, MOLLIE_API_BASE, MOLLIE_API)
}

impl MollieApi {
    /// The API `secrets` give a key for, at the address `env` names.
    pub fn configured(
        secrets: &crate::webhook::Secrets,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<MollieApi> {
        secrets.get(MOLLIE_API_KEY).map(|key| MollieApi {
            key: Secret::new(key.to_owned()),
            base: mollie_base(env),
        })
    }

    /// Whether the API's address may be sent the key.
    ///
    /// # Errors
    ///
    /// Not `https://`, nor `http://` on this machine.
    pub fn check(&self) -> Result<(), String> {
        check_base(&self.base, MOLLIE_API_BASE)
    }

    /// The payments a test key sees are test payments, and a live key's live ones.
    fn mode(&self) -> Mode {
        if self.key.expose().starts_with("test_") {
            Mode::Test
        } else {
            Mode::Live
        }
    }

    /// What `nudge` comes to: its payment read through the API as it now stands.
    ///
    /// # Errors
    ///
    /// The API refused the key, or failed past its retries: the delivery is answered so that
    /// Mollie sends it again.
    pub fn reread(&self, nudge: &Nudge, asking: &Asking) -> Result<Reread, String> {
        self.check()?;
        if let Some(link) = nudge
            .other
            .as_deref()
            .filter(|id| id.starts_with("pl_") && nudge.kind.starts_with("payment-link."))
        {
            return self.link_payments(link, asking);
        }
        let Some(id) = nudge.payment.as_deref() else {
            return Ok(Reread::Nothing(format!(
                "a {} about {}, not a payment",
                nudge.kind,
                nudge.other.as_deref().unwrap_or("nothing")
            )));
        };
        let known = with_client(asking, |http| async move {
            let mut known = Known::default();
            known.fetch(&http, self, [id.to_owned()]).await?;
            Ok(known)
        })?;
        Ok(match known.payments.get(id).and_then(Option::as_ref) {
            None => Reread::Nothing(format!(
                "Mollie's API does not know the payment {id}: not this organisation's"
            )),
            Some(payment) => Reread::Events(vec![known.event(payment, self.mode())]),
        })
    }

    /// What a Payment Link's event (next-gen `payment-link.paid`, which names the link, not
    /// its payment) comes to: the link's newest payments (a page, newest first: the one just
    /// paid is among them), each read as it now stands. Those already taken are taken once.
    fn link_payments(&self, link: &str, asking: &Asking) -> Result<Reread, String> {
        if !plain_id(link) {
            return Ok(Reread::Nothing(format!(
                "a payment link's event about {link:?}, not an id Mollie makes"
            )));
        }
        let url = format!(
            "{}/v2/payment-links/{link}/payments?limit={PAGE}",
            self.base
        );
        let known = with_client(asking, |http| async move {
            let Some(answer) = send_or_missing(&ASKED, || self.get(&http, &url)).await? else {
                return Ok(None);
            };
            let items = answer["_embedded"]["payments"].as_array().ok_or_else(|| {
                format!("Mollie's answer about payment link {link} is not a list of payments")
            })?;
            let mut known = Known::default();
            for item in items {
                known.take(item, DateTime::<Utc>::UNIX_EPOCH);
            }
            known.fetch(&http, self, []).await?;
            Ok(Some(known))
        })?;
        let Some(known) = known else {
            return Ok(Reread::Nothing(format!(
                "Mollie's API does not know the payment link {link}: not this organisation's"
            )));
        };
        let mode = self.mode();
        let mut payments: Vec<&PaymentResource> = known.payments.values().flatten().collect();
        payments.sort_by_key(|p| p.created());
        let mut events: Vec<Event> = payments
            .into_iter()
            .map(|payment| known.event(payment, mode))
            .collect();
        events.extend(known.unreadable.iter().map(|(_, (id, why))| Event {
            id: format!("{id}:unreadable"),
            kind: "payment".into(),
            outcome: Interpretation::Ignore(format!("unreadable: {why}")),
        }));
        Ok(if events.is_empty() {
            Reread::Nothing(format!("the payment link {link} has no payment yet"))
        } else {
            Reread::Events(events)
        })
    }

    fn get(&self, http: &reqwest::Client, url: &str) -> reqwest::RequestBuilder {
        http.get(url).bearer_auth(self.key.expose())
    }

    /// The payments created since `since`, and those refunded or charged back since, each read
    /// as it now stands, oldest first.
    fn list(&self, since: DateTime<Utc>, asking: &Asking) -> Result<Vec<ReadEvent>, String> {
        with_client(asking, |http| async move {
            let mut known = Known::default();
            let mut touched = Vec::new();
            for (path, field) in [
                ("payments", "payments"),
                ("refunds", "refunds"),
                ("chargebacks", "chargebacks"),
            ] {
                let mut from: Option<String> = None;
                for page in 0.. {
                    if page >= asking.max_pages {
                        return Err(format!(
                            "more than {} pages of {path} since {since}: asked again at the next catch-up",
                            asking.max_pages
                        ));
                    }
                    let mut url = format!("{}/v2/{path}?limit={PAGE}", self.base);
                    if let Some(cursor) = &from {
                        url.push_str("&from=");
                        url.push_str(&query_escaped(cursor));
                    }
                    let answer = send(&ASKED, || self.get(&http, &url)).await?;
                    let items = answer["_embedded"][field].as_array().ok_or_else(|| {
                        format!(
                            "Mollie's answer is not a list of {path} (no \"_embedded.{field}\")"
                        )
                    })?;
                    let mut older = false;
                    for item in items {
                        let created = item["createdAt"]
                            .as_str()
                            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                            .map(|d| d.to_utc());
                        // Newest first: past `since`, the rest is older still.
                        if created.is_some_and(|c| c < since) {
                            older = true;
                            break;
                        }
                        if path == "payments" {
                            known.take(item, created.unwrap_or(since));
                        } else if let Some(payment) = item["paymentId"].as_str() {
                            touched.push(payment.to_owned());
                        }
                    }
                    // The next page's cursor, taken out of Mollie's link: the key goes only to
                    // the address configured, never to one an answer names.
                    let next = answer["_links"]["next"]["href"]
                        .as_str()
                        .and_then(|href| href.split_once('?'))
                        .and_then(|(_, query)| {
                            query
                                .split('&')
                                .find_map(|p| p.strip_prefix("from="))
                                .map(str::to_owned)
                        });
                    match next {
                        Some(cursor) if !older && !items.is_empty() => from = Some(cursor),
                        _ => break,
                    }
                }
            }
            touched.retain(|id| !known.payments.contains_key(id));
            known.fetch(&http, self, touched).await?;
            let mode = self.mode();
            let mut read: Vec<ReadEvent> = known
                .payments
                .values()
                .flatten()
                .map(|payment| (payment.created(), Ok(known.event(payment, mode))))
                .collect();
            read.extend(known.unreadable.drain(..).map(|(at, why)| (at, Err(why))));
            read.sort_by_key(|(at, _)| *at);
            Ok(read)
        })
    }
}

/// What the API said of payments and their subscriptions.
#[derive(Default)]
struct Known {
    /// Each payment read, `None` where the API does not know it.
    payments: HashMap<String, Option<PaymentResource>>,
    /// Each subscription's interval, by `(customer, subscription)`.
    intervals: HashMap<(String, String), Option<Interval>>,
    /// Listed payments that could not be read: when, and (id, why).
    unreadable: Vec<(DateTime<Utc>, (String, String))>,
}

/// An id as Mollie makes them (`tr_…`, `cst_…`, `sub_…`): anything else never goes in an
/// address.
fn plain_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Known {
    /// A payment as a list gives it, read; one that cannot be read is kept with why (and `at`).
    fn take(&mut self, item: &serde_json::Value, at: DateTime<Utc>) {
        match PaymentResource::read(item.to_string().as_bytes()) {
            Ok(payment) => {
                self.payments.insert(payment.id().to_owned(), Some(payment));
            }
            Err(e) => {
                let id = item["id"].as_str().unwrap_or("(no id)").to_owned();
                self.unreadable.push((at, (id, e.to_string())));
            }
        }
    }

    /// Reads `ids` (payments) one after the other, then the subscriptions the payments known
    /// pay.
    async fn fetch(
        &mut self,
        http: &reqwest::Client,
        api: &MollieApi,
        ids: impl IntoIterator<Item = String>,
    ) -> Result<(), String> {
        for id in ids {
            if self.payments.contains_key(&id) {
                continue;
            }
            if !plain_id(&id) {
                self.payments.insert(id, None);
                continue;
            }
            let url = format!("{}/v2/payments/{id}", api.base);
            let payment = send_or_missing(&ASKED, || api.get(http, &url))
                .await?
                .map(|value| PaymentResource::read(value.to_string().as_bytes()))
                .transpose()
                .map_err(|e| format!("Mollie's answer about payment {id}: {e}"))?;
            self.payments.insert(id, payment);
        }
        let wanted: Vec<(String, String)> = self
            .payments
            .values()
            .flatten()
            .filter_map(|p| p.subscription())
            .map(|(c, s)| (c.to_owned(), s.to_owned()))
            .filter(|key| !self.intervals.contains_key(key))
            .collect();
        for (customer, subscription) in wanted {
            let interval = if plain_id(&customer) && plain_id(&subscription) {
                let url = format!(
                    "{}/v2/customers/{customer}/subscriptions/{subscription}",
                    api.base
                );
                match send_or_missing(&ASKED, || api.get(http, &url)).await? {
                    Some(value) => mollie::subscription_interval(value.to_string().as_bytes())
                        .map_err(|e| {
                            format!("Mollie's answer about subscription {subscription}: {e}")
                        })?,
                    None => None,
                }
            } else {
                None
            };
            self.intervals.insert((customer, subscription), interval);
        }
        Ok(())
    }

    /// The event that records `payment`; one that cannot be read is kept as ignored with why.
    fn event(&self, payment: &PaymentResource, mode: Mode) -> Event {
        let interval = payment.subscription().and_then(|(c, s)| {
            self.intervals
                .get(&(c.to_owned(), s.to_owned()))
                .copied()
                .flatten()
        });
        payment.event(interval, mode).unwrap_or_else(|e| Event {
            id: format!("{}:unreadable", payment.id()),
            kind: "payment".into(),
            outcome: Interpretation::Ignore(format!("unreadable: {e}")),
        })
    }
}

/// Asks Mollie for the payments created, refunded or charged back since its last catch-up (or
/// since `floor` the first time), reads each as it now stands, and applies them oldest first
/// through the receiver's own path, exactly once.
impl super::Lists for MollieApi {
    const PLATFORM: Platform = Platform::Mollie;

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
    fn ids_go_into_addresses_only_as_mollie_makes_them() {
        assert!(plain_id("tr_WDqYK6vllg"));
        assert!(!plain_id("tr_../v2/customers"));
        assert!(!plain_id(""));
        let api = MollieApi {
            key: Secret::new("live_secretkey".into()),
            base: "http://api.mollie.com".into(),
        };
        assert!(!format!("{api:?}").contains("secretkey"));
        assert!(api.check().is_err());
        assert_eq!(api.mode(), Mode::Live);
    }
}
