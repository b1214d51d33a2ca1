//! The last step of a tally: its subscriptions valued under the recurring rule, then the status
//! document.

use chrono::{DateTime, Duration, Months, TimeZone, Utc};
use rust_decimal::Decimal;

use super::*;

impl<'c> Tally<'c> {
    /// The `k`-th due date after the subscription's latest payment, by the calendar of the
    /// campaign's zone (a payment on 31 January is next due on 29 February).
    pub(crate) fn due_date(&self, subscription: &Subscription, k: u32) -> Option<DateTime<Utc>> {
        let months = Months::new(k * subscription.interval.months());
        let last = subscription.last_at();
        last.with_timezone(&self.campaign.zone())
            .checked_add_months(months)
            .map(|due| due.with_timezone(&Utc))
            // A due date that lands on a skipped local time is read in UTC.
            .or_else(|| last.checked_add_months(months))
    }

    /// Whether the subscription is still paying: its next payment is not more than a week late
    /// (processing takes days).
    pub(crate) fn is_active(&self, subscription: &Subscription) -> bool {
        self.due_date(subscription, 1)
            .is_some_and(|due| due + Duration::days(LAPSE_GRACE_DAYS) >= self.now)
    }

    /// The payments of an active subscription still to come by the deadline, counting a due date
    /// less than a week past, which may yet be paid.
    pub(crate) fn expected_payments(&self, subscription: &Subscription) -> u32 {
        if !self.is_active(subscription) {
            return 0;
        }
        let grace = Duration::days(LAPSE_GRACE_DAYS);
        let mut expected = 0;
        for k in 1u32.. {
            match self.due_date(subscription, k) {
                Some(due) if due < self.campaign.deadline() => {
                    if due + grace >= self.now {
                        expected += 1;
                    }
                }
                _ => break,
            }
        }
        expected
    }

    /// The status document.
    ///
    /// # Errors
    ///
    /// An overflow, only for sums beyond 10^28; [`StatusError::KeysElsewhere`] for a tally
    /// whose donors and subscriptions were drained (finish it with [`Tally::finishing`]).
    pub fn finish(mut self) -> Result<StatusDocument, StatusError> {
        if self.drained {
            return Err(StatusError::KeysElsewhere);
        }
        let subscriptions = std::mem::take(&mut self.subscriptions);
        let donors = std::mem::take(&mut self.donors).len() as u64;
        let mut finishing = self.finishing()?;
        for subscription in subscriptions.values() {
            finishing.add_subscription(subscription)?;
        }
        finishing.finish(donors)
    }

    /// The status document of a tally whose donors and subscriptions were drained out
    /// ([`Tally::drain_keys`]) and merged elsewhere: see [`Tally::finishing`].
    ///
    /// # Errors
    ///
    /// As [`Tally::finishing`], [`Finishing::add`] and [`Finishing::finish`], and an error of
    /// `subscriptions`.
    pub fn finish_with(
        self,
        donors: u64,
        subscriptions: impl IntoIterator<Item = Result<SubscriptionState, StatusError>>,
    ) -> Result<StatusDocument, StatusError> {
        let mut finishing = self.finishing()?;
        for state in subscriptions {
            finishing.add(&state?)?;
        }
        finishing.finish(donors)
    }

    /// The last step of a tally whose donors and subscriptions were drained out
    /// ([`Tally::drain_keys`]) and merged elsewhere (on disk, for ledgers too large to hold them
    /// in memory): give it every subscription once, each merged from all its parts, then the
    /// number of distinct donors in all of them.
    ///
    /// # Errors
    ///
    /// [`StatusError::KeysElsewhere`] if the tally still holds donors or subscriptions.
    pub fn finishing(mut self) -> Result<Finishing<'c>, StatusError> {
        if !self.donors.is_empty() || !self.subscriptions.is_empty() {
            return Err(StatusError::KeysElsewhere);
        }
        let sums = std::mem::take(&mut self.sums);
        Ok(Finishing {
            tally: self,
            sums,
            recurring: RecurringFigures::default(),
        })
    }
}

/// What the subscriptions add up to, as a [`Finishing`] takes them.
#[derive(Default)]
struct RecurringFigures {
    received: Decimal,
    counted: Decimal,
    payments: u64,
    active: u64,
    /// What the active subscriptions give in a year.
    yearly: Decimal,
    subscriptions: u64,
}

/// A tally taking its subscriptions one at a time before it gives its status document (see
/// [`Tally::finishing`]).
pub struct Finishing<'c> {
    tally: Tally<'c>,
    sums: Sums,
    recurring: RecurringFigures,
}

impl Finishing<'_> {
    /// Takes one subscription, merged from all its parts (each subscription once).
    ///
    /// # Errors
    ///
    /// An overflow.
    pub fn add(&mut self, state: &SubscriptionState) -> Result<(), StatusError> {
        self.add_subscription(&state.inner)
    }

    fn add_subscription(&mut self, subscription: &Subscription) -> Result<(), StatusError> {
        let tally = &self.tally;
        let scale = tally.campaign.currency().minor_units();
        let rules = tally.campaign.rules();
        let r = &mut self.recurring;
        r.subscriptions += 1;
        if tally.is_active(subscription) {
            r.active += 1;
            // A year's worth, exact; divided by twelve once at the end, so that the sum does
            // not depend on the order the subscriptions come in (a twelfth of each, rounded
            // at 28 digits, could tip the total's last cent either way).
            let per_year =
                subscription.last_value(scale) * Decimal::from(subscription.interval.per_year());
            r.yearly = checked_add(r.yearly, per_year)?;
        }
        r.received = checked_add(r.received, subscription.received(scale))?;
        let last_value = subscription.last_value(scale);
        let (counted, payments) = match rules.recurring() {
            RecurringRule::Received => (subscription.received(scale), subscription.payments),
            RecurringRule::First => (subscription.first_value(scale), 1),
            RecurringRule::Annualized => {
                let year = last_value * Decimal::from(subscription.interval.per_year());
                (
                    year.max(subscription.received(scale)),
                    subscription.payments,
                )
            }
            RecurringRule::ToDeadline => {
                let expected = Decimal::from(tally.expected_payments(subscription));
                (
                    subscription.received(scale) + expected * last_value,
                    subscription.payments,
                )
            }
        };
        if rules.recurring() != RecurringRule::Received
            && subscription.first_at() > tally.trailing_from
        {
            self.sums.trailing = checked_add(self.sums.trailing, subscription.first_value(scale))?;
        }
        if subscription.matched {
            self.sums.matched = checked_add(self.sums.matched, counted)?;
        }
        r.counted = checked_add(r.counted, counted)?;
        r.payments += u64::from(payments);
        Ok(())
    }

    /// The status document, with `donors` the number of distinct donors.
    ///
    /// # Errors
    ///
    /// An overflow, only for sums beyond 10^28.
    pub fn finish(self, donors: u64) -> Result<StatusDocument, StatusError> {
        let tally = self.tally;
        let sums = self.sums;
        let r = self.recurring;
        let campaign = tally.campaign;
        let currency = campaign.currency();
        let money = |amount: Decimal| Money::rounded(amount, currency);
        let rules = campaign.rules();
        let mut baseline = Decimal::ZERO;
        for entry in campaign.baselines() {
            baseline = checked_add(baseline, entry.amount().amount())?;
        }
        // Refunds whose gift is not named yet are taken off, never below zero.
        let raised = money(
            (checked_add(checked_add(baseline, sums.one_off)?, r.counted)? - sums.reversals.1)
                .max(Decimal::ZERO),
        );

        let start = campaign.start();
        let deadline = campaign.deadline();
        let left = TimeLeft::from_seconds((deadline - tally.now).num_seconds());
        let elapsed_seconds = (tally.now - start).num_seconds();
        let phase = if tally.now < start {
            Phase::NotStarted
        } else if left.is_ended() {
            Phase::Ended
        } else if left.seconds() <= FINAL_HOURS * 3600 {
            Phase::FinalHours
        } else {
            Phase::Running
        };

        // Matching pledges match what donors gave: gifts counted, less the baselines and the
        // sponsors' own payments (gifts marked `matched_by`), which are what the pledges pay
        // in, so a pledge adds only what it promises beyond them.
        let given = (raised.amount() - baseline - sums.matched).max(Decimal::ZERO);
        let matching: Vec<MatchStatus> = campaign
            .matching()
            .iter()
            .map(|pledge| MatchStatus {
                sponsor: pledge.sponsor().to_owned(),
                ratio: pledge.ratio(),
                up_to: pledge.up_to(),
                amount: pledge.matched(given),
            })
            .collect();
        let mut pledged = Decimal::ZERO;
        for pledge in &matching {
            pledged = checked_add(pledged, pledge.amount.amount())?;
        }
        let outstanding = (pledged - sums.matched).max(Decimal::ZERO);
        let monthly_recurring = money(r.yearly / Decimal::from(12));
        let goal = campaign.goal();
        let progress = match goal {
            Quantity::Money(_) => {
                Quantity::Money(money(checked_add(raised.amount(), outstanding)?))
            }
            Quantity::Donors(_) => Quantity::Donors(donors),
            Quantity::Gifts(_) => Quantity::Gifts(tally.one_off_count + r.payments),
            Quantity::Monthly(_) => Quantity::Monthly(monthly_recurring),
        };

        let day = Decimal::from(DAY_SECONDS);
        let trailing_days =
            (Decimal::from(elapsed_seconds.clamp(DAY_SECONDS, TRAILING_DAYS * DAY_SECONDS)) / day)
                .round_dp(4);
        let trailing_per_day = money(sums.trailing / trailing_days);
        let (remaining, _) =
            crate::document::remaining_and_surplus(goal.value(), progress.value())?;
        let (needed_per_day, projection) = if left.is_ended() {
            (None, raised)
        } else {
            // Before the start, what is needed is spread over the whole campaign.
            let runway = (deadline - tally.now.max(start)).num_seconds();
            let days_left = Decimal::from(runway) / day;
            let projection = money(raised.amount() + trailing_per_day.amount() * days_left);
            // Money per day is what a goal in money needs; a goal in donors, gifts or money a
            // month is not met by a daily sum.
            let needed = (goal.measure() == Measure::Money).then(|| money(remaining / days_left));
            (needed, projection)
        };
        // Whether the goal is met at the deadline: in money, the projection (plus what pledges
        // add now); in donors, gifts or money a month, what counts so far carried on at the
        // same rate over the whole campaign.
        let on_track = match goal {
            Quantity::Money(goal) => projection.amount() + outstanding >= goal.amount(),
            _ if left.is_ended() || elapsed_seconds <= 0 => progress.value() >= goal.value(),
            _ => {
                let whole = Decimal::from((deadline - start).num_seconds());
                progress.value() * whole / Decimal::from(elapsed_seconds) >= goal.value()
            }
        };

        let zone = campaign.zone();
        let by_channel = Channel::ALL
            .iter()
            .zip(sums.by_channel)
            .map(|(&channel, (count, amount))| ChannelTotal {
                channel,
                count,
                amount: money(amount),
            })
            .collect();
        let count = |(count, amount): (u64, Decimal)| Count {
            count,
            amount: money(amount),
        };
        let parts = Parts {
            as_of: tally.now,
            campaign: CampaignInfo {
                name: campaign.names().clone(),
                goal: campaign.goal(),
                start: zone.from_utc_datetime(&start.naive_utc()).fixed_offset(),
                deadline: zone.from_utc_datetime(&deadline.naive_utc()).fixed_offset(),
                time_zone: zone.name().to_owned(),
                stages: campaign.stages().clone(),
                illustrations: campaign.illustrations().to_vec(),
                donate: campaign.donate().cloned(),
            },
            phase,
            raised,
            progress,
            matching,
            breakdown: Breakdown {
                baseline: money(baseline),
                baselines: campaign
                    .baselines()
                    .iter()
                    .map(|entry| BaselineEntry {
                        amount: entry.amount(),
                        note: entry.note().to_owned(),
                    })
                    .collect(),
                gross: money(sums.gross),
                fees: money(sums.fees),
                refunds: money(sums.refunds),
                pending: count((sums.pending_count, sums.pending)),
                one_off: money(sums.one_off),
                recurring_received: money(r.received),
                recurring_counted: money(r.counted),
                subscriptions: r.subscriptions,
                active_subscriptions: r.active,
                monthly_recurring,
                matched: money(sums.matched),
                by_channel,
                unmatched_refunds: (sums.reversals.0 > 0).then(|| count(sums.reversals)),
                excluded: Excluded {
                    before_start: count(sums.before_start),
                    after_deadline: count(sums.after_deadline),
                    after_as_of: count(sums.after_as_of),
                    failed: count(sums.failed),
                    not_counted: sums
                        .not_counted
                        .into_iter()
                        .map(|((reason, currency), entry)| NotCounted {
                            reason,
                            count: entry.count,
                            amount: Money::rounded(entry.amount, currency),
                            example: entry.example,
                        })
                        .collect(),
                },
            },
            rules,
            milestones: campaign
                .milestones()
                .iter()
                .map(|m| MilestoneStatus {
                    amount: m.amount(),
                    label: m.labels().clone(),
                    reached: progress.value() >= m.amount().value(),
                })
                .collect(),
            time: TimeStatus {
                elapsed_seconds,
                left,
            },
            pace: Pace {
                trailing_days,
                trailing_per_day,
                needed_per_day,
                projection,
                on_track,
                method: crate::document::ProjectionMethod::Pace,
                low: None,
                high: None,
            },
            appeals: campaign.appeals().clone(),
            donors,
            donations: tally.one_off_count + r.payments,
        };
        Ok(StatusDocument::assemble(parts)?)
    }
}
