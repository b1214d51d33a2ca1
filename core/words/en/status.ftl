### The words of `jauge status`'s text.

as-of = as of
raised = raised
of = of
beyond = beyond the goal
to-raise = still to raise
time-left = time left
until = until
donors = donors
gifts = gifts
next = next milestone
at = at
pace = pace
per-day-over = { $money } a day over the last { $days } days
needed = needed
per-day-until = { $money } a day until the deadline
projection = projection
at-deadline = at the deadline
on-track = on track
short = short of the goal
counted = counted
not-counted = not counted
# A refund whose gift an export did not name (a reversal): taken off what is raised.
taken-off = taken off
unmatched-refunds = refunds whose gift was not named, until it is
pending = pending
failed = failed
before-start = before the start
after-deadline = after the deadline
after-instant = after this instant
cannot-count = cannot count
gift = gift
for-example = e.g.
# Why a recorded gift is not counted.
reason-no-rates = another currency, and the campaign declares no rates ([rates])
reason-no-rate-for-day = another currency, and the rates have none for its day
reason-too-large = too large to convert exactly
# A reason a later jauge knows and this one does not.
reason-other = cannot be counted
# What counts toward a goal counted in donors, gifts or money a month, or with matching pledges.
toward = toward the goal
# A sponsor's matching pledge.
matching = matching
# Its terms: what it gives ($matched, "€1") for each amount donors give ($given, "€1"), and
# its cap ($up_to).
match-terms = { $matched } for each { $given } given, up to { $up_to }
# When a platform was last asked for the events it sent while no receiver listened.
caught-up = caught up
caught-up-line = { $platform }: asked { $at }, events through { $through }
