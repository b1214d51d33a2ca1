### The gauge's labels (the widget and its server rendering).

raised = raised
of = of
to-raise = still to raise
beyond = beyond the goal
# The noun after the number of donors.
donor = { $n ->
    [one] donor
   *[other] donors
}
# After the time left ("7 weeks left"): agrees with the unit ($unit: weeks, days, hours,
# minutes) and the count ($n).
left = left
starts = starts in
reached = Goal reached! Every extra gift takes us further.
next = Next milestone
as-of = Figures as of
gauge = Donation gauge
loading = Loading the campaign's figures…
unavailable = The campaign's figures cannot be shown right now.
time-elapsed = time
money-raised = money
donate = Donate
goal = goal
# A colon as the language sets it (French puts a no-break space before it).
colon = :
# The noun after a number of gifts (a goal counted in gifts).
gift = { $n ->
    [one] gift
   *[other] gifts
}
# After an amount given every month (a goal counted in money a month: "€4,200 a month").
per-month = a month
# After what is still to go toward a goal counted in donors or gifts ("766 donors to go").
to-go = to go
# A sponsor's matching pledge and what it comes to now, shown apart from what donors gave.
matched = { $sponsor } matches gifts: { $amount }
