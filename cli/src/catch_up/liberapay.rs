//! Polling Liberapay: an account's public chart of weekly receipts (`/<account>/charts.json`),
//! each payday's receipts one gift.

use std::path::Path;

use chrono::{DateTime, Utc};
use jauge_store::Store;

use super::http::{check_base, send, with_client, Asked};
use super::{apply_listed, Asking, CaughtUp};
use crate::error::CliError;
use crate::receive::Platform;

/// The Liberapay account (as in `liberapay.com/<account>`): what enables polling.
pub const LIBERAPAY_ACCOUNT: &str = "JAUGE_LIBERAPAY_ACCOUNT";
/// Where Liberapay is (another address only for tests).
pub const LIBERAPAY_BASE: &str = "JAUGE_LIBERAPAY_BASE";
const LIBERAPAY: &str = "https://liberapay.com";
/// Each poll reads the paydays from two weeks before the newest held: a payday is weekly, and
/// one taken before is not taken twice.
const OVERLAP_DAYS: i64 = 14;

const ASKED: Asked<'static> = Asked {
    name: "Liberapay",
    check: "the account hides what it receives: make it public (Settings → Privacy) for jauge to read it",
};

/// Liberapay, for one account.
#[derive(Clone, Debug)]
pub struct Liberapay {
    account: String,
    base: String,
}

impl Liberapay {
    /// The account `secrets` name, at the address `env` names.
    pub fn configured(
        secrets: &crate::webhook::Secrets,
        env: impl Fn(&str) -> Option<String>,
    ) -> Option<Liberapay> {
        secrets.get(LIBERAPAY_ACCOUNT).map(|account| Liberapay {
            account: account.to_owned(),
            base: env(LIBERAPAY_BASE)
                .map(|b| b.trim_end_matches('/').to_owned())
                .unwrap_or_else(|| LIBERAPAY.to_owned()),
        })
    }

    fn check(&self) -> Result<(), String> {
        check_base(&self.base, LIBERAPAY_BASE)?;
        if !self.account.is_empty()
            && self
                .account
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            && !self.account.starts_with('.')
        {
            Ok(())
        } else {
            Err(format!(
                "{LIBERAPAY_ACCOUNT} {:?}: expected an account's name, as in liberapay.com/<account>",
                self.account
            ))
        }
    }
}

/// Polls the account's chart for the paydays since two weeks before the newest held (or since
/// `floor` the first time), each payday's receipts a gift, exactly once.
///
/// # Errors
///
/// As [`super::stripe`].
pub fn liberapay(
    store_path: &Path,
    account: &Liberapay,
    floor: DateTime<Utc>,
    now: DateTime<Utc>,
    asking: &Asking,
) -> Result<CaughtUp, CliError> {
    let failed = |reason: String| CliError::CatchUp {
        platform: "liberapay",
        reason,
    };
    account.check().map_err(failed)?;
    let mut store = Store::create(store_path)?;
    let held = store.caught_up("liberapay")?.map(|h| h.through);
    let since = held
        .map_or(floor, |through| {
            through - chrono::Duration::days(OVERLAP_DAYS)
        })
        .max(floor);
    let url = format!("{}/{}/charts.json", account.base, account.account);
    let answer = with_client(asking, |http| async move {
        send(&ASKED, || http.get(&url)).await
    })
    .map_err(failed)?;
    let listed = jauge_platforms::liberapay::read_chart(
        &account.account,
        answer.to_string().as_bytes(),
        since,
    )
    .map_err(|e| failed(format!("Liberapay's chart: {e}")))?;
    apply_listed(&mut store, Platform::Liberapay, listed, (since, held), now)
}
