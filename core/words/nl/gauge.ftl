### The gauge's labels (the widget and its server rendering).

raised = opgehaald
of = van
to-raise = nog op te halen
beyond = boven het doel
# The noun after the number of donors.
donor = { $n ->
    [one] donateur
   *[other] donateurs
}
# After the time left ("7 weeks left"): agrees with the unit ($unit: weeks, days, hours,
# minutes) and the count ($n).
left = resterend
starts = begint over
reached = Doel bereikt! Elke extra gift brengt ons verder.
next = Volgende mijlpaal
as-of = Stand van
gauge = Donatiemeter
loading = De cijfers van de campagne worden geladen…
unavailable = De cijfers van de campagne kunnen nu niet worden getoond.
time-elapsed = tijd
money-raised = giften
donate = Doneer
goal = doel
# A colon as the language sets it (French puts a no-break space before it).
colon = :
# The noun after a number of gifts (a goal counted in gifts).
gift = { $n ->
    [one] gift
   *[other] giften
}
# After an amount given every month (a goal counted in money a month: "€4,200 a month").
per-month = per maand
# After what is still to go toward a goal counted in donors or gifts ("766 donors to go").
to-go = tot het doel
# A sponsor's matching pledge and what it comes to now, shown apart from what donors gave.
matched = { $sponsor } vult giften aan: { $amount }
