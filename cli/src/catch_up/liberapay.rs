//! Polling Liberapay: a team's payments (`/<team>/income/payments.json`, each transfer a gift,
//! as the team's payments export names them), or, for any other account (which Liberapay
//! answers 403 there), its public chart of weekly receipts (`/<account>/charts.json`), each
//! payday's receipts one gift.

use chrono::{DateTime, Utc};

use super::http::{api_base, check_base, send, send_unless, with_client, Asked};
use super::{Asking, ReadEvent};
use crate::receive::Platform;

/// The Liberapay account (as in `liberapay.com/<account>`): what enables polling.
pub const LIBERAPAY_ACCOUNT: &str = "JAUGE_LIBERAPAY_ACCOUNT";
/// Where Liberapay is (another address only for tests).
pub const LIBERAPAY_BASE: &str = "JAUGE_LIBERAPAY_BASE";
const LIBERAPAY: &str = "https://liberapay.com";
/// Each poll reads the paydays (or payments) from two weeks before the newest held: a payday is
/// weekly, and one taken before is not taken twice.
const OVERLAP_DAYS: i64 = 14;
/// Payments a page of a team's holds (Liberapay's largest).
const PAGE: usize = 100;

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

impl Liberapay {
    /// What the account received since `since`: a team's transfers, page by page, or another
    /// account's paydays.
    fn list(&self, since: DateTime<Utc>, asking: &Asking) -> Result<Vec<super::ReadEvent>, String> {
        with_client(asking, |http| async move {
            let mut read = Vec::new();
            let mut before: Option<i64> = None;
            for page in 0.. {
                if page >= asking.max_pages {
                    return Err(format!(
                        "more than {} pages of payments since {since}: asked again at the next poll",
                        asking.max_pages
                    ));
                }
                let mut url = format!(
                    "{}/{}/income/payments.json?per_page={PAGE}",
                    self.base, self.account
                );
                if let Some(before) = before {
                    url.push_str(&format!("&before={before}"));
                }
                let Some(answer) = send_unless(&ASKED, 403, || http.get(&url)).await? else {
                    // Not a team: only its chart says what it received.
                    let url = format!("{}/{}/charts.json", self.base, self.account);
                    let answer = send(&ASKED, || http.get(&url)).await?;
                    return jauge_platforms::liberapay::read_chart(
                        &self.account,
                        answer.to_string().as_bytes(),
                        since,
                    )
                    .map_err(|e| format!("Liberapay's chart: {e}"));
                };
                let payments = jauge_platforms::liberapay::read_payments(
                    &self.account,
                    answer.to_string().as_bytes(),
                    since,
                )
                .map_err(|e| format!("Liberapay's payments: {e}"))?;
                read.extend(payments.events);
                match payments.next {
                    Some(next) if !payments.reached_since && payments.payments >= PAGE => {
                        before = Some(next);
                    }
                    _ => break,
                }
            }
            read.sort_by_key(|(at, _)| *at);
            Ok(read)
        })
    }
}

/// Polls the account for what it received since two weeks before the newest held (or since
/// `floor` the first time): a team's transfers, or another account's paydays, each a gift,
/// exactly once.
impl super::Lists for Liberapay {
    const PLATFORM: Platform = Platform::Liberapay;

    fn ready(&self) -> Result<(), String> {
        self.check()
    }

    fn since(&self, held: Option<DateTime<Utc>>, floor: DateTime<Utc>) -> DateTime<Utc> {
        held.map_or(floor, |through| {
            through - chrono::Duration::days(OVERLAP_DAYS)
        })
        .max(floor)
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
