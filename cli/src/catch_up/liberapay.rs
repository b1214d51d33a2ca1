//! Polling Liberapay: an account's public chart of weekly receipts (`/<account>/charts.json`),
//! each payday's receipts one gift.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::http::{api_base, check_base, send, with_client, Asked};
use super::{catch_up_with, Asking, CaughtUp};
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
            base: api_base(env, LIBERAPAY_BASE, LIBERAPAY),
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
    catch_up_with(
        store_path,
        Platform::Liberapay,
        (floor, now),
        || account.check(),
        |held, floor| {
            held.map_or(floor, |through| {
                through - chrono::Duration::days(OVERLAP_DAYS)
            })
            .max(floor)
        },
        |since| {
            let url = format!("{}/{}/charts.json", account.base, account.account);
            let answer = with_client(asking, |http| async move {
                send(&ASKED, || http.get(&url)).await
            })?;
            jauge_platforms::liberapay::read_chart(
                &account.account,
                answer.to_string().as_bytes(),
                since,
            )
            .map_err(|e| format!("Liberapay's chart: {e}"))
        },
    )
}
