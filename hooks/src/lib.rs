//! # jauge-hooks — live gifts, verified
//!
//! What a payment platform's webhook delivery means for the ledger, without any I/O: the
//! signature is checked against the raw body ([`stripe::verify`], [`helloasso::verify`]), and
//! the event is read into [`Operation`]s for the store: record a gift (the same id as the
//! platform's CSV export gives it, so a gift that arrives both ways is one gift), or raise a
//! gift's refund to a total. The store's rules then make deliveries that come twice, late or out
//! of order converge to the same state.
//!
//! ```
//! use jauge_hooks::{stripe, Interpretation, Mode, Operation};
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

pub mod helloasso;
mod json;
pub mod signature;
pub mod stripe;

use jauge::{Donation, Money};

/// What the store should do with an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Operation {
    /// Record this report of a gift (added if new, moved forward if known).
    Record(Donation),
    /// The gift `of` has been refunded `total` in all so far.
    Refund {
        /// The gift's id.
        of: String,
        /// The total refunded.
        total: Money,
    },
}

/// What an event means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Interpretation {
    /// Changes to the ledger.
    Apply(Vec<Operation>),
    /// Nothing for the ledger, and why (an event type that is not about money received, a test
    /// payment on a live endpoint): acknowledged, so the platform does not retry it, and
    /// journaled.
    Ignore(String),
}

/// One delivery, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The platform's id of the event (or of what it is about, where it has none of its own).
    pub id: String,
    /// Its type, as the platform names it.
    pub kind: String,
    /// What it means.
    pub outcome: Interpretation,
}

/// Whether an endpoint takes real payments or test ones: events of the other mode are ignored,
/// so test payments never count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Real payments.
    Live,
    /// Test payments.
    Test,
}

/// Why a delivery's body is not an event this crate can read. Answered with a 4xx: the
/// platform's retries would not change it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// The body is not JSON.
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    /// A field the event needs is missing or of the wrong kind.
    #[error("{field}: {problem}")]
    Field {
        /// Where, as a path (`data.object.amount`).
        field: String,
        /// What is wrong.
        problem: String,
    },
    /// The event describes a gift the core refuses (a refund above the amount, …).
    #[error("{0}")]
    Gift(String),
}
