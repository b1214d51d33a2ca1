//! What a webhook delivery means for the store, whatever the platform.

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

/// An event as a list or a poll gives it: its instant, and the event or (its id, why it cannot
/// be read), so one that cannot be read is said beside the others, never stopping them.
pub type Listed = (
    chrono::DateTime<chrono::Utc>,
    Result<Event, (String, String)>,
);

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
