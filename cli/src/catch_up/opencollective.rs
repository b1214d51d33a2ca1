//! Polling Open Collective: a collective's contributions and refunds through its GraphQL API
//! (v2), 100 a page, from an hour before the newest held. Its webhooks (unsigned, and known to
//! stop firing) only make `jauge serve` poll now.

use chrono::{DateTime, Utc};
use jauge_platforms::opencollective;

use super::http::{api_base, check_base, send, with_client, Asked};
use super::{Asking, ReadEvent};
use crate::receive::Platform;
use crate::webhook::Secret;

/// The collective's slug (as in `opencollective.com/<slug>`): what enables polling and the
/// webhook endpoint.
pub const OPENCOLLECTIVE_SLUG: &str = "JAUGE_OPENCOLLECTIVE_SLUG";
/// A personal token (optional: a collective's transactions are public, and a token raises the
/// API's rate limit): from the environment or the secrets file, never logged.
pub const OPENCOLLECTIVE_TOKEN: &str = "JAUGE_OPENCOLLECTIVE_TOKEN";
/// Where Open Collective's API is (another address only for tests).
pub const OPENCOLLECTIVE_API_BASE: &str = "JAUGE_OPENCOLLECTIVE_API_BASE";
const OPENCOLLECTIVE_API: &str = "https://api.opencollective.com";
/// Transactions a page holds.
const PAGE: usize = 100;

const ASKED: Asked<'static> = Asked {
    name: "Open Collective",
    check: "check JAUGE_OPENCOLLECTIVE_TOKEN (or leave it unset: the transactions are public)",
};

/// Open Collective's API, for one collective (its `Debug` shows no token).
#[derive(Clone, Debug)]
pub struct OpenCollectiveApi {
    slug: String,
    token: Option<Secret>,
    base: String,
}

impl OpenCollectiveApi {
    /// The collective `secrets` name, at the address `env` names.
    pub fn configured(
        secrets: &crate::webhook::Secrets,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<OpenCollectiveApi> {
        secrets
            .get(OPENCOLLECTIVE_SLUG)
            .map(|slug| OpenCollectiveApi {
                slug: slug.to_owned(),
                token: secrets
                    .get(OPENCOLLECTIVE_TOKEN)
                    .map(|token| Secret::new(token.to_owned())),
                base: api_base(env, OPENCOLLECTIVE_API_BASE, OPENCOLLECTIVE_API),
            })
    }

    fn check(&self) -> Result<(), String> {
        check_base(&self.base, OPENCOLLECTIVE_API_BASE)?;
        if !self.slug.is_empty()
            && self
                .slug
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            Ok(())
        } else {
            Err(format!(
                "{OPENCOLLECTIVE_SLUG} {:?}: expected a collective's slug, as in opencollective.com/<slug>",
                self.slug
            ))
        }
    }

    fn list(&self, since: DateTime<Utc>, asking: &Asking) -> Result<Vec<ReadEvent>, String> {
        with_client(asking, |http| async move {
            let mut read = Vec::new();
            let mut offset = 0;
            for _ in 0..asking.max_pages {
                let body = serde_json::json!({
                    "query": opencollective::QUERY,
                    "variables": {
                        "slug": self.slug,
                        "dateFrom": since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        "limit": PAGE,
                        "offset": offset,
                    }
                })
                .to_string();
                let answer = send(&ASKED, || {
                    let request = http
                        .post(format!("{}/graphql/v2", self.base))
                        .header(reqwest::header::CONTENT_TYPE, "application/json")
                        .body(body.clone());
                    match &self.token {
                        Some(token) => request.header("Personal-Token", token.expose()),
                        None => request,
                    }
                })
                .await?;
                let page = opencollective::read_page(&self.slug, answer.to_string().as_bytes())
                    .map_err(|e| format!("Open Collective's answer: {e}"))?;
                offset += page.count;
                read.extend(page.events);
                if page.count == 0 || offset >= page.total {
                    // Oldest first, whatever order the pages came in: a refund after the
                    // contribution it takes back.
                    read.sort_by_key(|(at, _)| *at);
                    return Ok(read);
                }
            }
            Err(format!(
                "more than {} pages of transactions since {since}: asked again at the next poll",
                asking.max_pages
            ))
        })
    }
}

/// Polls Open Collective for the collective's contributions and refunds since its last poll
/// (or since `floor` the first time), and applies them oldest first, exactly once.
impl super::Lists for OpenCollectiveApi {
    const PLATFORM: Platform = Platform::Opencollective;

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
