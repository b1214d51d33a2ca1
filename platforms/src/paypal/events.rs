//! PayPal's webhooks: JSON events (`id` `WH-…`, `event_type`, `resource`), signed with RSA and
//! a certificate rather than a shared secret.
//!
//! A delivery carries `PAYPAL-TRANSMISSION-ID`, `PAYPAL-TRANSMISSION-TIME`,
//! `PAYPAL-TRANSMISSION-SIG` (base64), `PAYPAL-CERT-URL` and `PAYPAL-AUTH-ALGO`
//! (`SHA256withRSA`). The signed text is `<transmission id>|<transmission time>|<webhook
//! id>|<CRC32 of the raw body, in decimal>`; the certificate, fetched from the URL the header
//! names (only on PayPal's own hosts, over verified TLS: the receiver's job), must chain to a
//! trusted root and name `messageverificationcerts.paypal.com` ([`verify`]).
//!
//! | event | what the ledger learns |
//! |---|---|
//! | `PAYMENT.CAPTURE.COMPLETED` | the capture, received (`paypal:<capture id>`, PayPal's fee) |
//! | `PAYMENT.CAPTURE.PENDING` | the capture, pending |
//! | `PAYMENT.CAPTURE.DENIED`, `PAYMENT.CAPTURE.DECLINED` | the capture, failed |
//! | `PAYMENT.CAPTURE.REFUNDED` | the capture's refund total (`total_refunded_amount`, else the refund's amount) |
//! | `PAYMENT.CAPTURE.REVERSED` | the capture taken back by what was reversed |
//! | `PAYMENT.SALE.COMPLETED` | a subscription's payment (`paypal:<sale id>`, its agreement `paypal:<I-…>`, monthly) |
//! | `PAYMENT.SALE.REFUNDED`, `PAYMENT.SALE.REVERSED` | the sale's refund |
//!
//! Any other type is acknowledged and ignored, so PayPal does not retry it 25 times.

use base64::Engine;
use chrono::{DateTime, Utc};
use jauge::{Currency, Decimal, DonationStatus, Interval, Money};
use rustls_pki_types::{CertificateDer, ServerName, TrustAnchor, UnixTime};

use super::{gift_id, Transaction};

use crate::json::{parse, At};
use crate::signature::SignatureError;
use crate::{Event, EventError, Interpretation, Operation};

/// The hosts PayPal serves its certificates from: a certificate URL naming another is refused
/// before anything is fetched.
pub const HOSTS: [&str; 4] = [
    "api.paypal.com",
    "api-m.paypal.com",
    "api.sandbox.paypal.com",
    "api-m.sandbox.paypal.com",
];

/// The name PayPal's message-signing certificate holds.
pub const CERT_NAME: &str = "messageverificationcerts.paypal.com";

/// The headers that sign a delivery.
#[derive(Clone, Copy, Debug)]
pub struct Transmission<'a> {
    /// `PAYPAL-TRANSMISSION-ID`.
    pub id: &'a str,
    /// `PAYPAL-TRANSMISSION-TIME`.
    pub time: &'a str,
    /// `PAYPAL-TRANSMISSION-SIG`, base64.
    pub signature: &'a str,
    /// `PAYPAL-CERT-URL`.
    pub cert_url: &'a str,
    /// `PAYPAL-AUTH-ALGO`.
    pub algorithm: &'a str,
}

impl<'a> Transmission<'a> {
    /// The headers, read by `header` (a name in lower case to its value).
    ///
    /// # Errors
    ///
    /// [`SignatureError::Malformed`] when one is missing.
    pub fn from_headers(
        header: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<Transmission<'a>, SignatureError> {
        let get = |name| header(name).ok_or(SignatureError::Malformed);
        Ok(Transmission {
            id: get("paypal-transmission-id")?,
            time: get("paypal-transmission-time")?,
            signature: get("paypal-transmission-sig")?,
            cert_url: get("paypal-cert-url")?,
            algorithm: get("paypal-auth-algo")?,
        })
    }

    /// Whether its certificate URL may be fetched: `https://` on one of PayPal's [`HOSTS`], or
    /// under `also` (a test server's address, never set in production).
    pub fn cert_url_allowed(&self, also: Option<&str>) -> bool {
        if also.is_some_and(|prefix| !prefix.is_empty() && self.cert_url.starts_with(prefix)) {
            return true;
        }
        let Some(rest) = self.cert_url.strip_prefix("https://") else {
            return false;
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        HOSTS.contains(&host) && !rest.contains("@")
    }
}

/// The text PayPal signs for a delivery of `body` to the webhook `webhook_id`.
pub fn signed_text(transmission_id: &str, time: &str, webhook_id: &str, body: &[u8]) -> String {
    format!(
        "{transmission_id}|{time}|{webhook_id}|{}",
        crc32fast::hash(body)
    )
}

/// Checks a delivery: `certificates` (the end entity first, then the intermediates, as PayPal
/// serves them) must chain to one of `roots` at `now` and name [`CERT_NAME`], and the
/// signature must be the certificate's over [`signed_text`] for one of `webhook_ids`.
///
/// # Errors
///
/// [`SignatureError::Malformed`] for another algorithm or a signature that is not base64,
/// [`SignatureError::Certificate`] for a certificate that is not PayPal's, and
/// [`SignatureError::Mismatch`] when the signature does not match.
pub fn verify(
    transmission: &Transmission<'_>,
    body: &[u8],
    webhook_ids: &[&str],
    certificates: &[CertificateDer<'_>],
    roots: &[TrustAnchor<'_>],
    now: DateTime<Utc>,
) -> Result<(), SignatureError> {
    use webpki::aws_lc_rs::RSA_PKCS1_2048_8192_SHA256;
    if transmission.algorithm != "SHA256withRSA" {
        return Err(SignatureError::Malformed);
    }
    let signature = base64::engine::general_purpose::STANDARD
        .decode(transmission.signature.trim())
        .map_err(|_| SignatureError::Malformed)?;
    let (leaf, intermediates) = certificates
        .split_first()
        .ok_or_else(|| SignatureError::Certificate("no certificate".into()))?;
    let certificate = webpki::EndEntityCert::try_from(leaf)
        .map_err(|e| SignatureError::Certificate(e.to_string()))?;
    let seconds = u64::try_from(now.timestamp()).unwrap_or_default();
    certificate
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            roots,
            intermediates,
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(seconds)),
            webpki::KeyUsage::server_auth(),
            None,
            None,
        )
        .map_err(|e| SignatureError::Certificate(format!("not trusted: {e}")))?;
    let name = ServerName::try_from(CERT_NAME).map_err(|_| SignatureError::Malformed)?;
    certificate
        .verify_is_valid_for_subject_name(&name)
        .map_err(|e| SignatureError::Certificate(format!("not for {CERT_NAME}: {e}")))?;
    let matched = webhook_ids.iter().any(|webhook_id| {
        let text = signed_text(transmission.id, transmission.time, webhook_id, body);
        certificate
            .verify_signature(RSA_PKCS1_2048_8192_SHA256, text.as_bytes(), &signature)
            .is_ok()
    });
    if matched {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Reads an event.
///
/// # Errors
///
/// The body is not JSON, lacks what its type needs, or describes a gift the core refuses.
pub fn interpret(body: &[u8]) -> Result<Event, EventError> {
    let value = parse(body)?;
    let event = At::root(&value);
    let id = event.str("id")?.to_owned();
    let kind = event.str("event_type")?.to_owned();
    let resource = event.object("resource")?;
    let record = |status| -> Result<Interpretation, EventError> {
        let gift = Transaction {
            id: resource.str("id")?,
            amount: money(&resource, "amount", "value")?,
            at: instant(&resource)?,
            status,
            fee: optional_money(&resource, "seller_receivable_breakdown.paypal_fee", "value")?,
            payer: resource.opt_str("payer.email_address")?,
            subscription: None,
        }
        .gift()
        .map_err(gift_error)?;
        Ok(Interpretation::Apply(vec![Operation::Record(gift)]))
    };
    let outcome = match kind.as_str() {
        "PAYMENT.CAPTURE.COMPLETED" => record(DonationStatus::Confirmed)?,
        "PAYMENT.CAPTURE.PENDING" => record(DonationStatus::Pending)?,
        "PAYMENT.CAPTURE.DENIED" | "PAYMENT.CAPTURE.DECLINED" => record(DonationStatus::Failed)?,
        "PAYMENT.CAPTURE.REFUNDED" | "PAYMENT.CAPTURE.REVERSED" => {
            let capture = up_link(&resource, "captures")?;
            let total = match optional_money(
                &resource,
                "seller_payable_breakdown.total_refunded_amount",
                "value",
            )? {
                Some(total) => total,
                None => positive(money(&resource, "amount", "value")?),
            };
            Interpretation::Apply(vec![Operation::Refund {
                of: gift_id(&capture),
                total,
            }])
        }
        "PAYMENT.SALE.COMPLETED" => {
            let agreement = resource.opt_str("billing_agreement_id")?;
            let gift = Transaction {
                id: resource.str("id")?,
                amount: money(&resource, "amount", "total")?,
                at: instant(&resource)?,
                status: match resource.opt_str("state")? {
                    Some("pending") => DonationStatus::Pending,
                    _ => DonationStatus::Confirmed,
                },
                fee: optional_money(&resource, "transaction_fee", "value")?,
                payer: None,
                subscription: agreement.map(|a| (Interval::Monthly, a)),
            }
            .gift()
            .map_err(gift_error)?;
            Interpretation::Apply(vec![Operation::Record(gift)])
        }
        "PAYMENT.SALE.REFUNDED" | "PAYMENT.SALE.REVERSED" => {
            let sale = resource.str("sale_id")?;
            let total = match optional_money(&resource, "total_refunded_amount", "value")? {
                Some(total) => total,
                None => positive(money(&resource, "amount", "total")?),
            };
            Interpretation::Apply(vec![Operation::Refund {
                of: gift_id(sale),
                total,
            }])
        }
        other => Interpretation::Ignore(format!("{other} is not about money received")),
    };
    Ok(Event { id, kind, outcome })
}

fn gift_error(e: jauge::DonationError) -> EventError {
    EventError::Gift(e.to_string())
}

/// An amount as PayPal writes it: `{"currency_code"|"currency": "EUR", "<value>": "30.00"}`.
fn money(at: &At<'_>, field: &str, value: &str) -> Result<Money, EventError> {
    optional_money(at, field, value)?.ok_or_else(|| EventError::Field {
        field: format!("{}.{field}", at.path),
        problem: "expected an amount".into(),
    })
}

fn optional_money(at: &At<'_>, field: &str, value: &str) -> Result<Option<Money>, EventError> {
    let Some(_) = at.get(field) else {
        return Ok(None);
    };
    let object = at.object(field)?;
    let problem = |problem: String| EventError::Field {
        field: format!("{}.{field}", at.path),
        problem,
    };
    let code = match object.opt_str("currency_code")? {
        Some(code) => code,
        None => object.str("currency")?,
    };
    let currency = Currency::try_new(code).map_err(|e| problem(e.to_string()))?;
    let text = object.str(value)?;
    let amount: Decimal = text
        .parse()
        .map_err(|_| problem(format!("{text:?} is not an amount")))?;
    Money::try_new(amount, currency)
        .map(Some)
        .map_err(|e| problem(e.to_string()))
}

/// `money` without its sign (a reversal may be written negative).
fn positive(money: Money) -> Money {
    Money::try_new(money.amount().abs(), money.currency()).unwrap_or(money)
}

fn instant(resource: &At<'_>) -> Result<DateTime<Utc>, EventError> {
    let text = resource.str("create_time")?;
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| EventError::Field {
            field: format!("{}.create_time", resource.path),
            problem: format!("{text:?} is not a date with an offset: {e}"),
        })
}

/// The id of the capture a refund or reversal is about: the last segment of its `up` link
/// (`…/v2/payments/captures/<id>`).
fn up_link(resource: &At<'_>, collection: &str) -> Result<String, EventError> {
    for link in resource.items("links")? {
        if link.opt_str("rel")? == Some("up") {
            let href = link.str("href")?;
            let marker = format!("/{collection}/");
            if let Some(at) = href.rfind(&marker) {
                let id = &href[at + marker.len()..];
                if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Ok(id.to_owned());
                }
            }
        }
    }
    Err(EventError::Field {
        field: format!("{}.links", resource.path),
        problem: format!("expected an \"up\" link to the {collection} it is about"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"id":"WH-58D329510W468432D-8HN650336L201105X","event_version":"1.0","create_time":"2026-12-06T10:00:00.000Z","resource_type":"capture","event_type":"PAYMENT.CAPTURE.COMPLETED","summary":"Payment completed for EUR 30.0 EUR","resource":{"id":"42311647XV020574X","amount":{"currency_code":"EUR","value":"30.00"},"final_capture":true,"seller_receivable_breakdown":{"gross_amount":{"currency_code":"EUR","value":"30.00"},"paypal_fee":{"currency_code":"EUR","value":"1.25"},"net_amount":{"currency_code":"EUR","value":"28.75"}},"status":"COMPLETED","create_time":"2026-12-06T09:59:58Z","update_time":"2026-12-06T09:59:58Z"}}"#;
    const TRANSMISSION: &str = "8e5f6a10-d2a0-11ef-9c4f-2d8e5a1b7c3d";
    const TIME: &str = "2026-12-06T10:00:00Z";
    /// The signatures of [`BODY`]'s signed text for the webhook `WH-TEST-1`, by OpenSSL with
    /// the keys of `tests/fixtures/paypal` (RSA PKCS#1 v1.5 is deterministic).
    const BY_CERT: &str = "Ca5JnVScRBpmahhLJYrarEysjNvcNrx6qZHgtUAkMxrauW86/z0XAI3viQu2pIhL/UrkQyA7ltKym/vT3XFoOTO8SPC100R1ylkudyueEUKMxnFd7VUEY6xrf54m477cRIxqjyeIsw4sP4Pu2zsbtADoW4Qon28pKsXuOi864df8DMsRG4Rzo5duvJQy4q2rzTDzWl/YIEw6PYVYzEX60x730Q99Cu6TQ0TeXBFYKz6oXGpMzHoFDKBpIBk/Mk5l1ZA1aXQA7A1U0t3kzPaS263MKRa27lrYUbch5RuSJ0+tJS6Og3n6w4glHIP/zJuY0tnp6Fy3jEspOHZGmPdFtQ==";
    const BY_OTHER_NAME: &str = "PQ7LvF4lboPN3RTtAa+7JKQHd6mp/SVbCK4cqQ7KUeA5bkLSigKCWkUKWdxaq99SrAdZGQCbZHQWNc9W7rbuzPWXuydHR0fChPAgQJZFR8mz5r7STS8s5gFBLs1erYGgf7Bxrcy+l42WhTLtTHY1YhYcyER5pXAP7zWy4CuyTWy6lovOLJ4v9Zw0EdW+QRMqpFcg7Z7+u7Kvxr1La4EKeqRSP1AXOKZXjPNFJh7BjAVzAv32AjlzyK0140XpazjEkNn1lB3883pzvfV3caSexzgjkVkcNDd0kna04nES/nm8tIavnkKltwmTh+SuUWMcRFyqK8vYcOVCQOv95DnWbg==";
    const BY_UNTRUSTED: &str = "VYUh1SNdurfIr9Or4/mHcgr9eKsD+Edz1nrQzJ46wmiEccSfe+Q2SSTLNrB1k7txx8ohPhzksjl9Va0qs9IuPvDAgD6nxSrZH7h69+dw54qJfD3NKwpcsj0amJQ2z4uQb3yRk61EEnQ7tAdirC6WCXUuokN2FEx80nvsZdA5hprZ87K/MQdBNISSalhya5TaKQs83XfmhwdDaYJM1JT685wrHBMJ5B+itzDLDyx72E02/cuFeDxX/gwNxBZxhPMd35epT0AeMU2Ahd2CLG1tjBPrDmWsQmYk+Fo+lsasXsa7zu9b8mnuE1A0dtg5vUqJoUS5HLznrpYz0y4kmGfjug==";

    fn pem(name: &str) -> Vec<CertificateDer<'static>> {
        use rustls_pki_types::pem::PemObject;
        let path = format!(
            "{}/../tests/fixtures/paypal/{name}.pem",
            env!("CARGO_MANIFEST_DIR")
        );
        CertificateDer::pem_file_iter(path)
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn check(signature: &str, cert: &str, body: &str, webhook: &str) -> Result<(), SignatureError> {
        let root = pem("root");
        let roots = [webpki::anchor_from_trusted_cert(&root[0]).unwrap()];
        let transmission = Transmission {
            id: TRANSMISSION,
            time: TIME,
            signature,
            cert_url:
                "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-1d93a270",
            algorithm: "SHA256withRSA",
        };
        let now = DateTime::parse_from_rfc3339(TIME).unwrap().to_utc();
        verify(
            &transmission,
            body.as_bytes(),
            &[webhook],
            &pem(cert),
            &roots,
            now,
        )
    }

    #[test]
    fn the_signed_text_holds_the_bodys_crc32_in_decimal() {
        assert_eq!(
            signed_text(TRANSMISSION, TIME, "WH-TEST-1", BODY.as_bytes()),
            format!("{TRANSMISSION}|{TIME}|WH-TEST-1|3902513833")
        );
    }

    #[test]
    fn a_delivery_signed_by_paypals_certificate_and_nothing_else() {
        assert_eq!(check(BY_CERT, "cert", BODY, "WH-TEST-1"), Ok(()));
        // Another webhook's delivery, an altered body, a garbled signature.
        assert_eq!(
            check(BY_CERT, "cert", BODY, "WH-OTHER"),
            Err(SignatureError::Mismatch)
        );
        let altered = BODY.replace("30.00", "3000.00");
        assert_eq!(
            check(BY_CERT, "cert", &altered, "WH-TEST-1"),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            check("not base64!", "cert", BODY, "WH-TEST-1"),
            Err(SignatureError::Malformed)
        );
        // A certificate for another name, though trusted; one for PayPal's name, self-signed.
        assert!(matches!(
            check(BY_OTHER_NAME, "other-name", BODY, "WH-TEST-1"),
            Err(SignatureError::Certificate(why)) if why.contains("not for messageverificationcerts.paypal.com")
        ));
        assert!(matches!(
            check(BY_UNTRUSTED, "untrusted", BODY, "WH-TEST-1"),
            Err(SignatureError::Certificate(why)) if why.starts_with("not trusted")
        ));
    }

    #[test]
    fn certificates_come_only_from_paypals_hosts_over_tls() {
        let at = |cert_url| Transmission {
            id: "",
            time: "",
            signature: "",
            cert_url,
            algorithm: "SHA256withRSA",
        };
        assert!(at("https://api.paypal.com/v1/notifications/certs/CERT-1").cert_url_allowed(None));
        assert!(
            at("https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-1")
                .cert_url_allowed(None)
        );
        assert!(!at("http://api.paypal.com/v1/notifications/certs/CERT-1").cert_url_allowed(None));
        assert!(!at("https://api.paypal.com.example.org/c").cert_url_allowed(None));
        assert!(!at("https://evil.example/https://api.paypal.com/").cert_url_allowed(None));
        assert!(!at("https://user@api.paypal.com/c").cert_url_allowed(None));
        assert!(at("http://127.0.0.1:9/c").cert_url_allowed(Some("http://127.0.0.1:9/")));
    }

    #[test]
    fn captures_refunds_and_subscription_payments() {
        let event = interpret(BODY.as_bytes()).unwrap();
        let Interpretation::Apply(ops) = event.outcome else {
            panic!()
        };
        let Operation::Record(gift) = &ops[0] else {
            panic!()
        };
        assert_eq!(gift.id(), "paypal:42311647XV020574X");
        assert_eq!(gift.amount().to_string(), "30.00 EUR");
        assert_eq!(
            gift.fee().map(|f| f.to_string()).as_deref(),
            Some("1.25 EUR")
        );
        let refund = r#"{"id":"WH-2","event_type":"PAYMENT.CAPTURE.REFUNDED","resource":{"id":"1Y107995YT783435V","amount":{"currency_code":"EUR","value":"10.00"},"seller_payable_breakdown":{"total_refunded_amount":{"currency_code":"EUR","value":"12.00"}},"status":"COMPLETED","create_time":"2026-12-06T11:00:00Z","links":[{"href":"https://api.paypal.com/v2/payments/refunds/1Y107995YT783435V","rel":"self"},{"href":"https://api.paypal.com/v2/payments/captures/42311647XV020574X","rel":"up"}]}}"#;
        assert_eq!(
            interpret(refund.as_bytes()).unwrap().outcome,
            Interpretation::Apply(vec![Operation::Refund {
                of: "paypal:42311647XV020574X".into(),
                total: Money::parse("12 EUR").unwrap()
            }])
        );
        let sale = r#"{"id":"WH-3","event_type":"PAYMENT.SALE.COMPLETED","resource":{"id":"80021663DE681814L","amount":{"total":"15.00","currency":"EUR"},"state":"completed","transaction_fee":{"value":"0.65","currency":"EUR"},"billing_agreement_id":"I-PE7JWXKGVN0R","create_time":"2026-12-01T08:00:00Z"}}"#;
        let Interpretation::Apply(ops) = interpret(sale.as_bytes()).unwrap().outcome else {
            panic!()
        };
        let Operation::Record(gift) = &ops[0] else {
            panic!()
        };
        assert_eq!(
            gift.kind(),
            &jauge::DonationKind::Recurring {
                interval: Interval::Monthly,
                subscription: "paypal:I-PE7JWXKGVN0R".into()
            }
        );
        let other = r#"{"id":"WH-4","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{}}"#;
        assert!(matches!(
            interpret(other.as_bytes()).unwrap().outcome,
            Interpretation::Ignore(_)
        ));
        let no_up = refund.replace(r#""rel":"up""#, r#""rel":"parent""#);
        assert!(interpret(no_up.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("\"up\" link"));
    }
}
