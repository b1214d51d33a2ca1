//! Asking a platform's API: over TLS (or to this machine), bounded in time and size, retried
//! on a rate limit or a failure that may pass, credentials never in a message.

use std::time::Duration;

use super::Asking;

/// The largest answer read (a page of 100 events is a few hundred kilobytes).
const MAX_PAGE_BYTES: usize = 4 << 20;
std::thread_local! {
    /// Tries per request on this thread: `Asking::tries` of the [`with_client`] that runs here
    /// (a rate limit, 429, after its `Retry-After`, at most a minute; a failure on the
    /// platform's side or the network's after 1, 2, 4 s).
    static TRIES: std::cell::Cell<u32> = const { std::cell::Cell::new(4) };
}

fn tries() -> u32 {
    TRIES.with(std::cell::Cell::get).max(1)
}

/// Where a platform's API is: `setting` from `env` if set (tests, a sandbox, a proxy), else
/// `default`, the platform's own.
pub(super) fn api_base(
    env: impl Fn(&str) -> Option<String>,
    setting: &str,
    default: &str,
) -> String {
    env(setting)
        .map(|b| b.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| default.to_owned())
}

/// An API address jauge sends its key to: over TLS, or to this machine.
pub(super) fn check_base(base: &str, setting: &str) -> Result<(), String> {
    let loopback = ["http://127.0.0.1:", "http://[::1]:", "http://localhost:"]
        .iter()
        .any(|prefix| base.starts_with(prefix));
    if base.starts_with("https://") || loopback {
        Ok(())
    } else {
        Err(format!(
            "{setting} {base:?}: the key goes only to an https:// address (or http:// on this machine)"
        ))
    }
}

/// `text` for a query string: unreserved characters kept, every other byte escaped.
pub(super) fn query_escaped(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Runs `work` with a client bounded as `asking` says, never following a redirect (credentials
/// go only where they were meant to), on a thread and a runtime of its own: the same from the
/// command, from `jauge serve`'s schedule and from a webhook's handler on the blocking pool.
pub(super) fn with_client<T, F>(
    asking: &Asking,
    work: impl FnOnce(reqwest::Client) -> F + Send,
) -> Result<T, String>
where
    T: Send,
    F: std::future::Future<Output = Result<T, String>>,
{
    let failed = |e: &dyn std::fmt::Display| format!("cannot start the HTTP client: {e}");
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                TRIES.with(|tries| tries.set(asking.tries));
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| failed(&e))?;
                let client = reqwest::Client::builder()
                    .timeout(asking.timeout)
                    .connect_timeout(asking.timeout)
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| failed(&e))?;
                runtime.block_on(work(client))
            })
            .join()
            .unwrap_or_else(|_| Err("the HTTP client's thread failed".to_owned()))
    })
}

/// Who is asked, for what an answer's error says.
pub(super) struct Asked<'a> {
    /// "Stripe", "HelloAsso".
    pub(super) name: &'a str,
    /// What to check when the credentials are refused.
    pub(super) check: &'a str,
}

/// The JSON answer to `request` (made again for each try), retried on a rate limit (after its
/// `Retry-After`, at most a minute) or a failure that may pass (after 1, 2, 4 s).
pub(super) async fn send(
    asked: &Asked<'_>,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> Result<serde_json::Value, String> {
    send_for(asked, request, None)
        .await?
        .ok_or_else(|| format!("{} answered 404 Not Found", asked.name))
}

/// As [`send`], but `None` when the API answers `status` (a 403 that says what the account is
/// not, rather than that the credentials are wrong).
pub(super) async fn send_unless(
    asked: &Asked<'_>,
    status: u16,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Option<serde_json::Value>, String> {
    send_for(asked, request, Some(status)).await
}

/// As [`send`], but `None` when the API answers 404 (a resource it does not know): what a read
/// of one payment named by an event needs to tell apart from a failure.
pub(super) async fn send_or_missing(
    asked: &Asked<'_>,
    request: impl Fn() -> reqwest::RequestBuilder,
) -> Result<Option<serde_json::Value>, String> {
    send_for(asked, request, Some(404)).await
}

async fn send_for(
    asked: &Asked<'_>,
    request: impl Fn() -> reqwest::RequestBuilder,
    none_on: Option<u16>,
) -> Result<Option<serde_json::Value>, String> {
    let name = asked.name;
    let mut last = String::new();
    let tries = tries();
    for attempt in 0..tries {
        let wait = match request().send().await {
            Err(e) => {
                // reqwest's error names the address, never the credentials (in a header or
                // the body).
                last = format!("{name}'s API cannot be reached: {}", without_url(&e));
                Duration::from_secs(1 << attempt)
            }
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                let body = bounded(response, name, MAX_PAGE_BYTES).await?;
                if status.is_success() {
                    return serde_json::from_slice(&body)
                        .map(Some)
                        .map_err(|e| format!("{name}'s answer is not JSON: {e}"));
                }
                let said = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| {
                        v["error"]["message"]
                            .as_str()
                            .or(v["message"].as_str())
                            .or(v["error_description"].as_str())
                            .map(str::to_owned)
                    })
                    .unwrap_or_default();
                let said: String = said.chars().take(300).collect();
                match status.as_u16() {
                    code if Some(code) == none_on => return Ok(None),
                    401 | 403 => {
                        return Err(format!(
                            "{name} refused the credentials ({status}): {}. {said}",
                            asked.check
                        ))
                    }
                    429 => {
                        last = format!("rate-limited by {name} ({status})");
                        Duration::from_secs(retry_after.unwrap_or(1).min(60))
                    }
                    500..=599 => {
                        last = format!("{name} failed ({status}). {said}");
                        Duration::from_secs(1 << attempt)
                    }
                    _ => return Err(format!("{name} answered {status}. {said}")),
                }
            }
        };
        if attempt + 1 < tries {
            tokio::time::sleep(wait).await;
        }
    }
    Err(format!("{last}, {tries} times"))
}

/// The bytes at `url` (no credentials sent), of at most `max` bytes, retried as an API request is:
/// what fetching a certificate needs. `what` names it in messages.
///
/// # Errors
///
/// It cannot be fetched past the retries, or is larger than `max`.
pub fn fetch_bytes(url: &str, asking: &Asking, max: usize, what: &str) -> Result<Vec<u8>, String> {
    with_client(asking, |http| async move {
        let mut last = String::new();
        let tries = tries();
        for attempt in 0..tries {
            match http.get(url).send().await {
                Err(e) => last = format!("{what} cannot be fetched: {}", without_url(&e)),
                Ok(response) if response.status().is_success() => {
                    return bounded(response, what, max).await
                }
                Ok(response)
                    if response.status().is_server_error() || response.status().as_u16() == 429 =>
                {
                    last = format!("{what}: {}", response.status())
                }
                Ok(response) => return Err(format!("{what}: {}", response.status())),
            }
            if attempt + 1 < tries {
                tokio::time::sleep(Duration::from_secs(1 << attempt)).await;
            }
        }
        Err(format!("{last}, {tries} times"))
    })
}

/// reqwest's error without the address's query (the cursor and instants are not secret, but
/// short messages read better).
fn without_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), url.path());
    }
    text
}

/// The body, refused past `max` bytes.
async fn bounded(
    mut response: reqwest::Response,
    name: &str,
    max: usize,
) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading {name}'s answer: {}", without_url(&e)))?
    {
        if body.len() + chunk.len() > max {
            return Err(format!("{name}: an answer of more than {max} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
