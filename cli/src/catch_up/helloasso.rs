//! Catching up with HelloAsso: the organisation's orders, by its API client (OAuth2 client
//! credentials), 100 a page by continuation token.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::http::{api_base, check_base, query_escaped, send, send_or_missing, with_client, Asked};
use super::{after_newest, catch_up_with, read_all, Asking, CaughtUp, Listed, Reread};
use crate::error::CliError;
use crate::receive::Platform;

/// HelloAsso's API client (Mon compte → Intégrations et API): its id and secret, from the
/// environment or the secrets file, never logged; and the organisation's slug (as in
/// `helloasso.com/associations/<slug>`).
pub const HELLOASSO_CLIENT_ID: &str = "JAUGE_HELLOASSO_CLIENT_ID";
/// See [`HELLOASSO_CLIENT_ID`].
pub const HELLOASSO_CLIENT_SECRET: &str = "JAUGE_HELLOASSO_CLIENT_SECRET";
/// See [`HELLOASSO_CLIENT_ID`].
pub const HELLOASSO_ORGANIZATION: &str = "JAUGE_HELLOASSO_ORGANIZATION";
/// Where HelloAsso's API is (another address only for tests): as [`super::STRIPE_API_BASE`].
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

/// HelloAsso's API, with the organisation's client: what a notification without a partner
/// signature is read again through.
#[derive(Clone)]
pub struct HelloAssoApi {
    /// The client id.
    pub id: String,
    /// The client secret.
    pub secret: String,
    /// The organisation's slug.
    pub organization: String,
    /// The API's address.
    pub base: String,
}

impl std::fmt::Debug for HelloAssoApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelloAssoApi")
            .field("organization", &self.organization)
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl HelloAssoApi {
    /// The client `secrets` give, at the address `env` names.
    pub fn configured(
        secrets: &crate::webhook::Secrets,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<HelloAssoApi> {
        let (id, secret, organization) = (
            secrets.get(HELLOASSO_CLIENT_ID)?,
            secrets.get(HELLOASSO_CLIENT_SECRET)?,
            secrets.get(HELLOASSO_ORGANIZATION)?,
        );
        Some(HelloAssoApi {
            id: id.to_owned(),
            secret: secret.to_owned(),
            organization: organization.to_owned(),
            base: helloasso_base(env),
        })
    }

    /// Whether the API's address may be sent the client's secret, and the slug is one.
    ///
    /// # Errors
    ///
    /// Not `https://` (nor `http://` on this machine), or not a slug.
    pub fn check(&self) -> Result<(), String> {
        check_base(&self.base, HELLOASSO_API_BASE)?;
        organization_slug(&self.organization)
    }

    /// What an unsigned notification comes to: the order it is about, read through the API
    /// as it now stands and interpreted as its notification would be (nothing of the
    /// notification itself is taken); a notification about no order (a form) as it is.
    ///
    /// # Errors
    ///
    /// The API refused the client or failed past its retries (the notification is answered so
    /// that HelloAsso sends it again), or the notification cannot be read at all.
    pub fn reread(&self, body: &[u8], asking: &Asking) -> Result<Reread, String> {
        self.check()?;
        let order = jauge_platforms::helloasso::order_id(body).map_err(|e| e.to_string())?;
        let Some(order) = order else {
            return jauge_platforms::helloasso::interpret(body)
                .map(|event| Reread::Events(vec![event]))
                .map_err(|e| e.to_string());
        };
        let client = HelloAssoClient {
            id: &self.id,
            secret: &self.secret,
            organization: &self.organization,
        };
        let base = self.base.as_str();
        let answer = with_client(asking, |http| async move {
            let token = token(&http, base, &client).await?;
            let url = format!("{base}/v5/orders/{order}");
            send_or_missing(&ASKED, || http.get(&url).bearer_auth(&token)).await
        })?;
        let Some(order_json) = answer else {
            return Ok(Reread::Nothing(format!(
                "HelloAsso's API does not know order {order}: not this organisation's"
            )));
        };
        if order_json["organizationSlug"]
            .as_str()
            .is_some_and(|slug| slug != self.organization)
        {
            return Ok(Reread::Nothing(format!(
                "order {order} is another organisation's"
            )));
        }
        let notification = serde_json::json!({"eventType": "Order", "data": order_json});
        jauge_platforms::helloasso::interpret(notification.to_string().as_bytes())
            .map(|event| Reread::Events(vec![event]))
            .map_err(|e| format!("HelloAsso's answer about order {order}: {e}"))
    }
}

/// Asks HelloAsso (with the organisation's API client) for the orders since its last catch-up
/// (or since `floor` the first time), oldest first, and applies each as the receiver applies
/// an order's notification: a gift per payment, exactly once; an order that changed since (a
/// refund) moves its gifts forward under the store's rules.
///
/// # Errors
///
/// As [`super::stripe`].
pub fn helloasso(
    store_path: &Path,
    client: &HelloAssoClient<'_>,
    base: &str,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
    asking: &Asking,
) -> Result<CaughtUp, CliError> {
    catch_up_with(
        store_path,
        Platform::Helloasso,
        (floor, now),
        || {
            check_base(base, HELLOASSO_API_BASE)?;
            organization_slug(client.organization)
        },
        after_newest,
        |since| {
            let mut orders = list_orders(base, client, since, asking)?;
            orders.sort_by_key(|(at, _)| *at);
            Ok(read_all(orders, |body| {
                jauge_platforms::helloasso::interpret(body)
                    .map_err(|e| (order_id(body), e.to_string()))
            }))
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
pub(super) fn organization_slug(slug: &str) -> Result<(), String> {
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

const ASKED: Asked<'static> = Asked {
    name: "HelloAsso",
    check: "check JAUGE_HELLOASSO_CLIENT_ID and JAUGE_HELLOASSO_CLIENT_SECRET, and that the client may read the organisation's orders",
};

/// An access token by OAuth2 client credentials (HelloAsso's last 30 minutes: one per
/// catch-up or re-read).
async fn token(
    http: &reqwest::Client,
    base: &str,
    client: &HelloAssoClient<'_>,
) -> Result<String, String> {
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        query_escaped(client.id),
        query_escaped(client.secret)
    );
    let token = send(&ASKED, || {
        http.post(format!("{base}/oauth2/token"))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(form.clone())
    })
    .await?;
    token["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| "HelloAsso's token answer has no access_token".to_owned())
}

/// The organisation's orders since `since`, each as the notification HelloAsso would send of
/// it (`{"eventType": "Order", "data": …}`), with its date.
fn list_orders(
    base: &str,
    client: &HelloAssoClient<'_>,
    since: DateTime<Utc>,
    asking: &Asking,
) -> Result<Vec<Listed>, String> {
    with_client(asking, |http| async move {
        let token = token(&http, base, client).await?;
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
            let page = send(&ASKED, || http.get(&url).bearer_auth(&token)).await?;
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

/// Where HelloAsso's API is: [`HELLOASSO_API_BASE`] if set, else HelloAsso's own.
pub fn helloasso_base(env: impl Fn(&str) -> Option<String>) -> String {
    api_base(env, HELLOASSO_API_BASE, HELLOASSO_API)
}
