### The words of `jauge report` (text, Markdown, HTML, workbook) and `jauge budget`.

title = { $name } — report from { $from } to { $to }
status = Status
totals = Totals
gifts-in-range = gifts in the range
gifts = gifts
baseline = baseline
gross = gross
fees = fees
refunds = refunds
# Refunds whose gift the export did not name (reversals), taken off what is raised.
unmatched-refunds = refunds without their gift, taken off
pending = pending
one-off = one-off
recurring-received = recurring received
recurring-counted = recurring counted
active-monthly = active monthly donors
monthly-recurring = monthly recurring amount
matched = matched by sponsors
raised = raised
amount = amount
by-channel = By channel
channel = channel
# The channels, as a table names them.
channel-online = online
channel-offline = offline
channel-transfer = bank transfer
channel-other = other
budget = Budget
expenses = expenses
secured = secured income
expected = expected income (weighted)
gap-before = gap before the campaign
expected-unweighted = expected income
gap = gap
to-balance = To balance the budget, the campaign must raise { $goal }.
still-open = still open after the campaign's figure
weeks = Week by week (from Monday)
week = week
days = Day by day
day = day
cumulative = cumulative
percent-of-goal = % of goal
charts = Charts
by-source = By source
source = source
ledger = ledger
net = net
total = total
sizes = Gift sizes
under = under { $a }
between = { $a } to { $b }
over = { $a } and over
average = average gift
median = median gift
# Under the gift sizes: the gifts of the gross they leave out, and their gross.
refunded-in-full = Not in the sizes, average and median: { $count } refunded in full ({ $amount }), whose gross, refunds and fees are in the Totals and by source.
