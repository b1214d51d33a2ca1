//! # jauge-platforms — what payment platforms say
//!
//! Every platform jauge reads, in one module each: its exports ([`stripe::export`],
//! [`helloasso::export`], [`paypal::export`], [`gocardless::export`], [`mollie::export`],
//! [`opencollective::export`], [`liberapay::export`],
//! [`framasoft`]) and its webhook events ([`stripe::events`], [`helloasso::events`],
//! [`gocardless::events`], [`mollie::events`], [`paypal::events`]) with their signatures, and
//! what the polled ones publish ([`opencollective`], [`liberapay`]), side by side, so that an
//! export line and a webhook event about the same payment give the same gift (the same id,
//! `stripe:<charge id>`, the same donor key, the same rules). No I/O and no clock: bytes in,
//! gifts out; the store and the command are above.
//!
//! A webhook delivery's signature is checked against the raw body ([`stripe::verify`],
//! [`helloasso::verify`]), and the event is read into [`Operation`]s for the store: record a
//! gift, or raise a gift's refund to a total. The store's rules then make deliveries that come
//! twice, late or out of order converge to the same state.
//!
//! ```
//! use jauge_platforms::{stripe, Interpretation, Mode, Operation};
//!
//! let body = br#"{"id":"evt_1","type":"charge.succeeded","created":1702368420,"livemode":true,
//!   "data":{"object":{"object":"charge","id":"ch_1","amount":3000,"amount_refunded":0,
//!   "currency":"eur","created":1702368420,"status":"succeeded","paid":true,
//!   "billing_details":{"email":"ada@example.org"}}}}"#;
//! let secret = "whsec_test";
//! let now = 1702368425;
//! let header = stripe::sign(secret, now, body);
//! stripe::verify(&header, body, &[secret], now, stripe::DEFAULT_TOLERANCE)?;
//! let event = stripe::interpret(body, Mode::Live)?;
//! assert_eq!(event.id, "evt_1");
//! let Interpretation::Apply(operations) = event.outcome else { panic!() };
//! let Operation::Record(gift) = &operations[0] else { panic!() };
//! assert_eq!(gift.id(), "stripe:ch_1");
//! assert_eq!(gift.amount().to_string(), "30.00 EUR");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod amount;
mod donor;
pub mod export;
pub mod framasoft;
mod gift;
pub mod gocardless;
pub mod helloasso;
mod json;
pub mod liberapay;
mod location;
pub mod mollie;
pub mod opencollective;
pub mod paypal;
pub mod signature;
pub mod stripe;
pub mod table;
mod webhook;

pub use donor::donor_key;
pub use location::{InputError, Location};
pub use webhook::{Event, EventError, Interpretation, Listed, Mode, Operation};
