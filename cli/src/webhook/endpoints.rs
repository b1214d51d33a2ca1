//! The endpoints the secrets enable, each with how its deliveries prove where they come from,
//! and how they are read into events.

use std::time::Duration;

use chrono::Utc;
use jauge_platforms::{Event, Mode};
use jauge_server::Request;

use super::network::{client_address, Network};
use super::secrets::{same_secret, secret_error, secret_list, Secret, Secrets};
use super::secrets::{
    GOCARDLESS_SECRET, HELLOASSO_KEY, HELLOASSO_TOKEN, MIN_TOKEN_LENGTH, MOLLIE_SECRET,
    STRIPE_MODE, STRIPE_SECRET,
};
use super::API_ASKING;
use crate::error::CliError;
use crate::receive::Platform;

/// Where the endpoints are and who may use them, besides the secrets.
#[derive(Clone, Debug)]
pub struct HookOptions {
    /// Stripe's endpoint.
    pub stripe_path: String,
    /// HelloAsso's endpoint (followed by `/TOKEN` without a signature key).
    pub helloasso_path: String,
    /// GoCardless's endpoint.
    pub gocardless_path: String,
    /// Where GoCardless's API is.
    pub gocardless_api: String,
    /// Mollie's endpoint.
    pub mollie_path: String,
    /// Where Mollie's API is.
    pub mollie_api: String,
    /// PayPal's endpoint.
    pub paypal_path: String,
    /// For tests: an address PayPal's certificates may also come from.
    pub paypal_cert_base: Option<String>,
    /// For tests: a root to trust for PayPal's certificates besides the system's.
    pub paypal_cert_root: Option<std::path::PathBuf>,
    /// Where HelloAsso's API is (an unsigned notification's order is read again there).
    pub helloasso_api: String,
    /// Open Collective's endpoint (a nudge to poll).
    pub opencollective_path: String,
    /// Where a nudge to poll goes (the poller of `jauge serve`), with the platform's name.
    pub nudge: Option<std::sync::mpsc::SyncSender<&'static str>>,
    /// How far a Stripe signature's timestamp may be from now, in seconds.
    pub stripe_tolerance: i64,
    /// Without a HelloAsso signature key: the addresses HelloAsso's notifications may come
    /// from (empty: any).
    pub helloasso_allow: Vec<Network>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the allowlist).
    pub trusted_proxies: Vec<Network>,
    /// How long a commit waits for the store's other writers (an import).
    pub wait: Duration,
}

impl Default for HookOptions {
    fn default() -> HookOptions {
        HookOptions {
            stripe_path: "/hooks/stripe".into(),
            helloasso_path: "/hooks/helloasso".into(),
            gocardless_path: "/hooks/gocardless".into(),
            gocardless_api: crate::catch_up::gocardless_base(|_| None),
            mollie_path: "/hooks/mollie".into(),
            mollie_api: crate::catch_up::mollie_base(|_| None),
            paypal_path: "/hooks/paypal".into(),
            paypal_cert_base: None,
            paypal_cert_root: None,
            opencollective_path: "/hooks/opencollective".into(),
            helloasso_api: crate::catch_up::helloasso_base(|_| None),
            nudge: None,
            stripe_tolerance: jauge_platforms::stripe::DEFAULT_TOLERANCE,
            helloasso_allow: Vec::new(),
            trusted_proxies: Vec::new(),
            wait: Duration::from_secs(5),
        }
    }
}

/// How a delivery proves where it comes from.
#[derive(Debug)]
pub(super) enum Check {
    Stripe {
        secrets: Vec<Secret>,
        mode: Mode,
        tolerance: i64,
    },
    HelloAssoSignature(Secret),
    HelloAssoToken {
        token: Secret,
        allow: Vec<Network>,
        trusted_proxies: Vec<Network>,
        /// With the organisation's API client, a notification is only a nudge: its order is
        /// read again through the API before anything is recorded.
        api: Option<crate::catch_up::HelloAssoApi>,
    },
    GoCardless {
        secrets: Vec<Secret>,
        api: crate::catch_up::GoCardlessApi,
    },
    Mollie {
        secrets: Vec<Secret>,
        api: crate::catch_up::MollieApi,
    },
    PayPal {
        webhook_ids: Vec<String>,
        certificates: std::sync::Arc<super::Certificates>,
    },
    /// Unsigned and unread: only makes the poller ask the platform now.
    Nudge(std::sync::mpsc::SyncSender<&'static str>),
}

/// One enabled endpoint.
#[derive(Debug)]
pub(super) struct Endpoint {
    pub(super) platform: Platform,
    pub(super) path: String,
    pub(super) check: Check,
}

/// The endpoints `secrets` enable, described for the log (no secret in it).
pub fn describe(secrets: &Secrets, options: &HookOptions) -> Vec<String> {
    let mut said = Vec::new();
    if secrets.get(STRIPE_SECRET).is_some() {
        said.push(format!("POST {} (Stripe, signed)", options.stripe_path));
    }
    if secrets.get(GOCARDLESS_SECRET).is_some() {
        said.push(format!(
            "POST {} (GoCardless, signed; payments read through its API)",
            options.gocardless_path
        ));
    }
    if secrets.get(crate::catch_up::MOLLIE_API_KEY).is_some() {
        said.push(format!(
            "POST {} (Mollie, classic and next-gen{}; payments read through its API)",
            options.mollie_path,
            if secrets.get(MOLLIE_SECRET).is_some() {
                ", next-gen signed"
            } else {
                ""
            }
        ));
    }
    if secrets.get(crate::catch_up::OPENCOLLECTIVE_SLUG).is_some() && options.nudge.is_some() {
        said.push(format!(
            "POST {} (Open Collective, unsigned: a nudge to poll now)",
            options.opencollective_path
        ));
    }
    if secrets.get(super::PAYPAL_WEBHOOK_ID).is_some() {
        said.push(format!(
            "POST {} (PayPal, signed with its certificate)",
            options.paypal_path
        ));
    }
    if secrets.get(HELLOASSO_KEY).is_some() {
        said.push(format!(
            "POST {} (HelloAsso, signed)",
            options.helloasso_path
        ));
    } else if secrets.get(HELLOASSO_TOKEN).is_some() {
        said.push(format!(
            "POST {}/<{HELLOASSO_TOKEN}> (HelloAsso, secret path{}{})",
            options.helloasso_path,
            if options.helloasso_allow.is_empty() {
                ""
            } else {
                " and address allowlist"
            },
            if crate::catch_up::HelloAssoApi::configured(secrets, |_| None).is_some() {
                "; each order read again through its API"
            } else {
                "; set its API client to have each order read again through its API"
            }
        ));
    }
    said
}

/// Checks the webhook settings without starting anything: what `jauge serve` does before it
/// builds the site or listens.
///
/// # Errors
///
/// A setting is invalid (a short token, an unknown mode, a path).
pub fn check(secrets: &Secrets, options: &HookOptions) -> Result<(), CliError> {
    endpoints(secrets, options).map(drop)
}

fn check_path(option: &'static str, path: &str) -> Result<(), CliError> {
    let fine = path.starts_with('/')
        && path.len() > 1
        && !path.ends_with('/')
        && path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    if fine {
        Ok(())
    } else {
        Err(CliError::Option {
            option,
            value: path.to_owned(),
            expected: "expected a path such as /hooks/stripe (letters, digits, - _ . and /)",
        })
    }
}

/// Why a verified delivery was not turned into events.
pub(super) enum Unread {
    /// Its body cannot be read: a 400, the platform's retries would not change it.
    Body(jauge_platforms::EventError),
    /// The platform's API, asked what an event is about, did not answer: a 503, retried.
    Api(String),
    /// Nothing to record, and why (a nudge about what is not this account's): a 200, nothing
    /// written.
    Nothing(String),
}

/// Why a delivery was refused, for the log only.
#[derive(Debug)]
pub(super) enum Refusal {
    Signature(jauge_platforms::signature::SignatureError),
    MissingHeader,
    Address,
    /// What checking it needs cannot be had now (PayPal's certificate): a 503, retried.
    Unavailable(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Signature(e) => write!(f, "{e}"),
            Refusal::MissingHeader => f.write_str("no signature header"),
            Refusal::Address => f.write_str("not an allowed address"),
            Refusal::Unavailable(why) => write!(f, "cannot be checked now: {why}"),
        }
    }
}

pub(super) fn endpoints(
    secrets: &Secrets,
    options: &HookOptions,
) -> Result<Vec<Endpoint>, CliError> {
    check_path("--stripe-path", &options.stripe_path)?;
    check_path("--helloasso-path", &options.helloasso_path)?;
    check_path("--gocardless-path", &options.gocardless_path)?;
    check_path("--mollie-path", &options.mollie_path)?;
    check_path("--paypal-path", &options.paypal_path)?;
    check_path("--opencollective-path", &options.opencollective_path)?;
    let mut endpoints = Vec::new();
    if let Some(value) = secrets.get(STRIPE_SECRET) {
        let signing = secret_list(STRIPE_SECRET, value)?;
        let mode = match secrets.get(STRIPE_MODE).unwrap_or("live") {
            "live" => Mode::Live,
            "test" => Mode::Test,
            other => {
                return Err(secret_error(
                    STRIPE_MODE,
                    format!("{other:?}: expected live or test"),
                ))
            }
        };
        endpoints.push(Endpoint {
            platform: Platform::Stripe,
            path: options.stripe_path.clone(),
            check: Check::Stripe {
                secrets: signing,
                mode,
                tolerance: options.stripe_tolerance,
            },
        });
    }
    if let Some(value) = secrets.get(GOCARDLESS_SECRET) {
        let signing = secret_list(GOCARDLESS_SECRET, value)?;
        let api = crate::catch_up::GoCardlessApi::configured(secrets, |name| {
            (name == crate::catch_up::GOCARDLESS_API_BASE).then(|| options.gocardless_api.clone())
        })
        .ok_or_else(|| {
            secret_error(
                GOCARDLESS_SECRET,
                format!(
                    "the endpoint also needs {}: GoCardless's events carry no amount, which jauge reads from its API",
                    crate::catch_up::GOCARDLESS_ACCESS_TOKEN
                ),
            )
        })?;
        api.check()
            .map_err(|e| secret_error(crate::catch_up::GOCARDLESS_API_BASE, e))?;
        endpoints.push(Endpoint {
            platform: Platform::Gocardless,
            path: options.gocardless_path.clone(),
            check: Check::GoCardless {
                secrets: signing,
                api,
            },
        });
    }
    if let Some(api) = crate::catch_up::MollieApi::configured(secrets, |name| {
        (name == crate::catch_up::MOLLIE_API_BASE).then(|| options.mollie_api.clone())
    }) {
        api.check()
            .map_err(|e| secret_error(crate::catch_up::MOLLIE_API_BASE, e))?;
        let signing = match secrets.get(MOLLIE_SECRET) {
            Some(value) => secret_list(MOLLIE_SECRET, value)?,
            None => Vec::new(),
        };
        endpoints.push(Endpoint {
            platform: Platform::Mollie,
            path: options.mollie_path.clone(),
            check: Check::Mollie {
                secrets: signing,
                api,
            },
        });
    }
    if let (Some(_), Some(nudge)) = (
        secrets.get(crate::catch_up::OPENCOLLECTIVE_SLUG),
        &options.nudge,
    ) {
        endpoints.push(Endpoint {
            platform: Platform::Opencollective,
            path: options.opencollective_path.clone(),
            check: Check::Nudge(nudge.clone()),
        });
    }
    if let Some(value) = secrets.get(super::PAYPAL_WEBHOOK_ID) {
        let webhook_ids: Vec<String> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if webhook_ids.is_empty() {
            return Err(secret_error(
                super::PAYPAL_WEBHOOK_ID,
                "holds no webhook id",
            ));
        }
        let certificates = super::Certificates::load(
            options.paypal_cert_root.as_deref(),
            options.paypal_cert_base.clone(),
        )?;
        endpoints.push(Endpoint {
            platform: Platform::Paypal,
            path: options.paypal_path.clone(),
            check: Check::PayPal {
                webhook_ids,
                certificates: std::sync::Arc::new(certificates),
            },
        });
    }
    if let Some(key) = secrets.get(HELLOASSO_KEY) {
        endpoints.push(Endpoint {
            platform: Platform::Helloasso,
            path: options.helloasso_path.clone(),
            check: Check::HelloAssoSignature(Secret(key.to_owned())),
        });
    } else if let Some(token) = secrets.get(HELLOASSO_TOKEN) {
        let usable = token.len() >= MIN_TOKEN_LENGTH
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !usable {
            return Err(secret_error(
                HELLOASSO_TOKEN,
                format!(
                    "expected at least {MIN_TOKEN_LENGTH} characters of letters, digits, - and _ \
                     (`openssl rand -hex 24` makes one)"
                ),
            ));
        }
        endpoints.push(Endpoint {
            platform: Platform::Helloasso,
            path: options.helloasso_path.clone(),
            check: Check::HelloAssoToken {
                token: Secret(token.to_owned()),
                allow: options.helloasso_allow.clone(),
                trusted_proxies: options.trusted_proxies.clone(),
                api: match crate::catch_up::HelloAssoApi::configured(secrets, |name| {
                    (name == crate::catch_up::HELLOASSO_API_BASE)
                        .then(|| options.helloasso_api.clone())
                }) {
                    Some(api) => {
                        api.check()
                            .map_err(|e| secret_error(crate::catch_up::HELLOASSO_API_BASE, e))?;
                        Some(api)
                    }
                    None => None,
                },
            },
        });
    }
    Ok(endpoints)
}

impl Endpoint {
    pub(super) fn matches(&self, path: &str) -> bool {
        match &self.check {
            Check::HelloAssoToken { token, .. } => path
                .strip_prefix(self.path.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|given| same_secret(given.as_bytes(), token.expose().as_bytes())),
            _ => path == self.path,
        }
    }

    pub(super) fn verify(&self, request: &Request) -> Result<(), Refusal> {
        match &self.check {
            Check::Nudge(_) => Ok(()),
            Check::Stripe {
                secrets, tolerance, ..
            } => {
                let header = request
                    .header("stripe-signature")
                    .ok_or(Refusal::MissingHeader)?;
                let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
                jauge_platforms::stripe::verify(
                    header,
                    &request.body,
                    &secrets,
                    Utc::now().timestamp(),
                    *tolerance,
                )
                .map_err(Refusal::Signature)
            }
            Check::GoCardless { secrets, .. } => {
                let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
                jauge_platforms::gocardless::verify(
                    request.header(jauge_platforms::gocardless::SIGNATURE_HEADER),
                    &request.body,
                    &secrets,
                )
                .map_err(Refusal::Signature)
            }
            // A next-gen delivery (JSON) is signed, and checked when a secret is given; a classic
            // one (a form) never is. Either is only a nudge: nothing in it is taken.
            Check::Mollie { secrets, .. } => {
                if secrets.is_empty() || !request.body.trim_ascii_start().starts_with(b"{") {
                    return Ok(());
                }
                let secrets: Vec<&str> = secrets.iter().map(Secret::expose).collect();
                jauge_platforms::mollie::verify(
                    request.header(jauge_platforms::mollie::SIGNATURE_HEADER),
                    &request.body,
                    &secrets,
                )
                .map_err(Refusal::Signature)
            }
            Check::PayPal {
                webhook_ids,
                certificates,
            } => {
                use jauge_platforms::paypal;
                let transmission = paypal::Transmission::from_headers(|name| request.header(name))
                    .map_err(Refusal::Signature)?;
                if !transmission.cert_url_allowed(certificates.also()) {
                    return Err(Refusal::Signature(
                        jauge_platforms::signature::SignatureError::Certificate(format!(
                            "{:?} is not on PayPal's hosts over TLS",
                            transmission.cert_url
                        )),
                    ));
                }
                let chain = certificates
                    .get(transmission.cert_url)
                    .map_err(Refusal::Unavailable)?;
                let ids: Vec<&str> = webhook_ids.iter().map(String::as_str).collect();
                paypal::verify(
                    &transmission,
                    &request.body,
                    &ids,
                    &chain,
                    certificates.roots(),
                    Utc::now(),
                )
                .map_err(Refusal::Signature)
            }
            Check::HelloAssoSignature(key) => jauge_platforms::helloasso::verify(
                request.header("x-ha-signature"),
                &request.body,
                key.expose(),
            )
            .map_err(Refusal::Signature),
            Check::HelloAssoToken {
                allow,
                trusted_proxies,
                ..
            } => {
                let client = client_address(request, trusted_proxies);
                if allow.is_empty() || allow.iter().any(|n| n.contains(client)) {
                    Ok(())
                } else {
                    Err(Refusal::Address)
                }
            }
        }
    }

    pub(super) fn interpret(&self, body: &[u8]) -> Result<Vec<Event>, Unread> {
        match &self.check {
            Check::Stripe { mode, .. } => jauge_platforms::stripe::interpret(body, *mode)
                .map(|e| vec![e])
                .map_err(Unread::Body),
            Check::GoCardless { api, .. } => {
                let notices = jauge_platforms::gocardless::read(body).map_err(Unread::Body)?;
                api.events(&notices, &API_ASKING).map_err(Unread::Api)
            }
            Check::Mollie { api, .. } => {
                let nudge = jauge_platforms::mollie::read(body).map_err(Unread::Body)?;
                match api.reread(&nudge, &API_ASKING).map_err(Unread::Api)? {
                    crate::catch_up::Reread::Events(events) => Ok(events),
                    crate::catch_up::Reread::Nothing(why) => Err(Unread::Nothing(why)),
                }
            }
            Check::Nudge(_) => Ok(Vec::new()),
            Check::HelloAssoToken { api: Some(api), .. } => {
                match api.reread(body, &API_ASKING).map_err(Unread::Api)? {
                    crate::catch_up::Reread::Events(events) => Ok(events),
                    crate::catch_up::Reread::Nothing(why) => Err(Unread::Nothing(why)),
                }
            }
            Check::PayPal { .. } => jauge_platforms::paypal::interpret(body)
                .map(|e| vec![e])
                .map_err(Unread::Body),
            _ => jauge_platforms::helloasso::interpret(body)
                .map(|e| vec![e])
                .map_err(Unread::Body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::secrets::secrets;

    #[test]
    fn a_secret_never_shows_in_debug_or_errors() {
        let loaded = secrets(&[(STRIPE_SECRET, "whsec_topsecret"), (STRIPE_MODE, "staging")]);
        assert!(!format!("{loaded:?}").contains("topsecret"));
        let error = endpoints(&loaded, &HookOptions::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("staging") && !error.contains("topsecret"),
            "{error}"
        );
        let short = secrets(&[(HELLOASSO_TOKEN, "tooshort-but-secret")]);
        let error = endpoints(&short, &HookOptions::default())
            .unwrap_err()
            .to_string();
        assert!(!error.contains("tooshort"), "{error}");
    }

    #[test]
    fn without_secrets_no_endpoint_is_enabled() {
        assert!(endpoints(&secrets(&[]), &HookOptions::default())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_token_endpoint_answers_only_its_own_path() {
        let token = "0123456789abcdef0123456789abcdef";
        let found = endpoints(
            &secrets(&[(HELLOASSO_TOKEN, token)]),
            &HookOptions::default(),
        )
        .unwrap();
        assert!(found[0].matches(&format!("/hooks/helloasso/{token}")));
        assert!(!found[0].matches("/hooks/helloasso"));
        assert!(!found[0].matches(&format!("/hooks/helloasso/{token}x")));
        assert!(!found[0].matches(&format!("/hooks/helloasso/{}", &token[1..])));
    }
}
