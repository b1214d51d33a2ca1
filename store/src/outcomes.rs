//! What a write did with each report: the answers [`crate::Writer`]'s methods give, and the
//! outcome of a platform's event as the `events` table keeps it.

use jauge::Donation;

/// What [`Writer::record`](crate::Writer::record) did with a report of a gift.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// A new gift.
    Added,
    /// The gift was known and the report taught nothing new.
    Unchanged,
    /// The gift was known; the report moved it forward.
    Updated {
        /// The gift as it was.
        before: Donation,
    },
    /// The id is known with another amount or instant: the report was not applied.
    Conflict {
        /// Where the gift held was first recorded from.
        there: String,
        /// How they differ.
        difference: String,
    },
}

/// What [`Writer::refund`](crate::Writer::refund) did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refunded {
    /// The gift's refund grew to the total.
    Applied {
        /// The gift as it was.
        before: Donation,
    },
    /// The gift already shows that much refunded, or more.
    AlreadyCovered,
    /// No gift has that id.
    UnknownGift,
    /// The core refuses the refund (more than the gift, another currency).
    Refused(String),
}

/// What [`Writer::record_reversal`](crate::Writer::record_reversal) did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReversalRecorded {
    /// A new reversal, counted against the total until matched.
    Added,
    /// A new reversal, matched at once to a refund already learnt of its gift.
    Matched,
    /// Held already, the same.
    Unchanged,
    /// Held already with another amount or instant: not applied.
    Conflict(String),
}

/// How the journal's reason for a cancelled gift starts (`voided: bounced`).
pub const VOIDED: &str = "voided: ";

/// What [`Writer::void`](crate::Writer::void) did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Voided {
    /// The gift is now failed: never counted, kept with its history.
    Applied {
        /// The gift as it was.
        before: Donation,
    },
    /// The gift was failed already (voided before, or a payment that failed).
    AlreadyVoid,
    /// No gift has that id.
    UnknownGift,
}

/// What a platform's event did, as the `events` table keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Its gifts and refunds are in the ledger.
    Applied,
    /// It says nothing about money received (or came from the other mode), and why.
    Ignored,
    /// The ledger refused what it said (a conflicting amount), and why.
    Rejected,
}

stored_as_text!(EventOutcome {
    Applied => "applied",
    Ignored => "ignored",
    Rejected => "rejected",
});
