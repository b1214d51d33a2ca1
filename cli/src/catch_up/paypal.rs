//! Catching up with PayPal: the webhook events it sent the app (its event notifications list,
//! by the app's client credentials), applied as if delivered, oldest first.

use chrono::{DateTime, Utc};

use super::http::{api_base, check_base, query_escaped, send, with_client, Asked};
use super::{read_all, Asking, Listed, ReadEvent};
use crate::receive::Platform;
use crate::webhook::Secret;

/// The app's client id and secret (developer dashboard → Apps & Credentials): from the
/// environment or the secrets file, never logged.
pub const PAYPAL_CLIENT_ID: &str = "JAUGE_PAYPAL_CLIENT_ID";
/// See [`PAYPAL_CLIENT_ID`].
pub const PAYPAL_CLIENT_SECRET: &str = "JAUGE_PAYPAL_CLIENT_SECRET";
/// Where PayPal's API is: `https://api-m.sandbox.paypal.com` for the sandbox, another address
/// only for tests.
pub const PAYPAL_API_BASE: &str = "JAUGE_PAYPAL_API_BASE";
const PAYPAL_API: &str = "https://api-m.paypal.com";
/// Events a page holds (PayPal's largest is 300).
const PAGE: usize = 100;

const ASKED: Asked<'static> = Asked {
    name: "PayPal",
    check:
        "check JAUGE_PAYPAL_CLIENT_ID and JAUGE_PAYPAL_CLIENT_SECRET (the app whose webhook it is)",
};

/// PayPal's API, with the app's credentials (its `Debug` shows no secret).
#[derive(Clone, Debug)]
pub struct PayPalApi {
    client: String,
    secret: Secret,
    base: String,
}

impl PayPalApi {
    /// The app `secrets` give, at the address `env` names.
    pub fn configured(
        secrets: &crate::webhook::Secrets,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<PayPalApi> {
        Some(PayPalApi {
            client: secrets.get(PAYPAL_CLIENT_ID)?.to_owned(),
            secret: Secret::new(secrets.get(PAYPAL_CLIENT_SECRET)?.to_owned()),
            base: api_base(env, PAYPAL_API_BASE, PAYPAL_API),
        })
    }

    /// The events since `since`, each with its instant, oldest first.
    fn list(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        asking: &Asking,
    ) -> Result<Vec<Listed>, String> {
        with_client(asking, |http| async move {
            let token = send(&ASKED, || {
                http.post(format!("{}/v1/oauth2/token", self.base))
                    .basic_auth(&self.client, Some(self.secret.expose()))
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body("grant_type=client_credentials")
            })
            .await?;
            let token = token["access_token"]
                .as_str()
                .ok_or("PayPal's token answer has no access_token")?
                .to_owned();
            let format = |t: DateTime<Utc>| {
                query_escaped(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            };
            let first = format!(
                "page_size={PAGE}&start_time={}&end_time={}",
                format(since),
                format(now)
            );
            let mut query = first;
            let mut listed = Vec::new();
            for _ in 0..asking.max_pages {
                let url = format!("{}/v1/notifications/webhooks-events?{query}", self.base);
                let page = send(&ASKED, || http.get(&url).bearer_auth(&token)).await?;
                let events = page["events"]
                    .as_array()
                    .ok_or("PayPal's answer is not a list of events (no \"events\" array)")?;
                for event in events {
                    let at = event["create_time"]
                        .as_str()
                        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                        .map_or(since, |d| d.to_utc());
                    listed.push((at, event.to_string().into_bytes()));
                }
                // The next page's query, taken out of PayPal's link: the token goes only to the
                // address configured, never to one an answer names.
                let next = page["links"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|link| link["rel"].as_str() == Some("next"))
                    .and_then(|link| link["href"].as_str())
                    .and_then(|href| href.split_once('?'))
                    .map(|(_, query)| query.to_owned());
                match next {
                    Some(next) if !events.is_empty() => query = next,
                    _ => {
                        listed.sort_by_key(|(at, _)| *at);
                        return Ok(listed);
                    }
                }
            }
            Err(format!(
                "more than {} pages of events since {since}: asked again at the next catch-up",
                asking.max_pages
            ))
        })
    }
}

/// Asks PayPal for the webhook events it sent the app since its last catch-up (or since
/// `floor` the first time; PayPal keeps them about a month), and applies them oldest first,
/// exactly once beside the webhooks (the same `WH-…` ids).
impl super::Lists for PayPalApi {
    const PLATFORM: Platform = Platform::Paypal;

    fn ready(&self) -> Result<(), String> {
        check_base(&self.base, PAYPAL_API_BASE)
    }

    fn listed(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
        asking: &Asking,
    ) -> Result<Vec<ReadEvent>, String> {
        let events = self.list(since, now, asking)?;
        Ok(read_all(events, |body| {
            jauge_platforms::paypal::interpret(body).map_err(|e| {
                let id = serde_json::from_slice::<serde_json::Value>(body)
                    .ok()
                    .and_then(|v| v["id"].as_str().map(str::to_owned))
                    .unwrap_or_else(|| "(no id)".to_owned());
                (id, e.to_string())
            })
        }))
    }
}
