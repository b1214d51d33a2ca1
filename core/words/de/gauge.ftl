### The gauge's labels (the widget and its server rendering).

raised = gesammelt
of = von
to-raise = fehlen noch
beyond = über dem Ziel
# The noun after the number of donors.
donor = { $n ->
    [one] Spender:in
   *[other] Spender:innen
}
# After the time left ("7 weeks left"): agrees with the unit ($unit: weeks, days, hours,
# minutes) and the count ($n).
left = verbleibend
starts = beginnt in
reached = Ziel erreicht! Jede weitere Spende bringt uns weiter.
next = Nächstes Etappenziel
as-of = Stand
gauge = Spendenbarometer
loading = Die Zahlen der Kampagne werden geladen…
unavailable = Die Zahlen der Kampagne können gerade nicht angezeigt werden.
time-elapsed = Zeit
money-raised = Spenden
donate = Jetzt spenden
goal = Ziel
# A colon as the language sets it (French puts a no-break space before it).
colon = :
# The noun after a number of gifts (a goal counted in gifts).
gift = { $n ->
    [one] Spende
   *[other] Spenden
}
# After an amount given every month (a goal counted in money a month: "€4,200 a month").
per-month = pro Monat
# After what is still to go toward a goal counted in donors or gifts ("766 donors to go").
to-go = bis zum Ziel
# A sponsor's matching pledge and what it comes to now, shown apart from what donors gave.
matched = { $sponsor } stockt Spenden auf: { $amount }
