//! Polling Open Collective: a collective's contributions and refunds through its GraphQL API
//! (v2), 100 a page, from an hour before the newest held. Its webhooks (unsigned, and known to
//! stop firing) only make `jauge serve` poll now.

use std::path::Path;

use chrono::{DateTime, Utc};
use jauge_platforms::opencollective;
use jauge_store::Store;

use super::http::{check_base, send, with_client, Asked};
use super::{apply_listed, Asking, CaughtUp, ReadEvent, OVERLAP_MINUTES};
use crate::error::CliError;
use crate::receive::Platform;

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

/// Open Collective's API, for one collective.
#[derive(Clone)]
pub struct OpenCollectiveApi {
    slug: String,
    token: Option<String>,
    base: String,
}

impl std::fmt::Debug for OpenCollectiveApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenCollectiveApi")
            .field("slug", &self.slug)
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
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
                token: secrets.get(OPENCOLLECTIVE_TOKEN).map(str::to_owned),
                base: env(OPENCOLLECTIVE_API_BASE)
                    .map(|b| b.trim_end_matches('/').to_owned())
                    .unwrap_or_else(|| OPENCOLLECTIVE_API.to_owned()),
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
                        Some(token) => request.header("Personal-Token", token),
                        None => request,
                    }
                })
                .await?;
                let page = opencollective::read_page(&self.slug, answer.to_string().as_bytes())
                    .map_err(|e| format!("Open Collective's answer: {e}"))?;
                offset += page.count;
                read.extend(page.events);
                if page.count == 0 || offset >= page.total {
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
///
/// # Errors
///
/// As [`super::stripe`].
pub fn opencollective(
    store_path: &Path,
    api: &OpenCollectiveApi,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
    asking: &Asking,
) -> Result<CaughtUp, CliError> {
    let failed = |reason: String| CliError::CatchUp {
        platform: "opencollective",
        reason,
    };
    api.check().map_err(failed)?;
    let mut store = Store::create(store_path)?;
    let held = store.caught_up("opencollective")?.map(|h| h.through);
    let since = held.map_or(floor, |through| {
        through - chrono::Duration::minutes(OVERLAP_MINUTES)
    });
    let listed = api.list(since, asking).map_err(failed)?;
    apply_listed(
        &mut store,
        Platform::Opencollective,
        listed,
        (since, held),
        now,
    )
}
