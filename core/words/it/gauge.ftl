### The gauge's labels (the widget and its server rendering).

raised = raccolti
of = su
to-raise = ancora da raccogliere
beyond = oltre l’obiettivo
# The noun after the number of donors.
donor = { $n ->
    [one] donatore
   *[other] donatori
}
# After the time left ("7 weeks left"): agrees with the unit ($unit: weeks, days, hours,
# minutes) and the count ($n).
left = { $n ->
    [one] rimanente
   *[other] rimanenti
}
starts = inizia tra
reached = Obiettivo raggiunto! Ogni dono in più ci porta più lontano.
next = Prossima tappa
as-of = Dati delle
gauge = Indicatore delle donazioni
loading = Caricamento dei dati della campagna…
unavailable = I dati della campagna non possono essere mostrati ora.
time-elapsed = tempo
money-raised = donazioni
donate = Dona ora
goal = obiettivo
# A colon as the language sets it (French puts a no-break space before it).
colon = :
# The noun after a number of gifts (a goal counted in gifts).
gift = { $n ->
    [one] donazione
   *[other] donazioni
}
# After an amount given every month (a goal counted in money a month: "€4,200 a month").
per-month = al mese
# After what is still to go toward a goal counted in donors or gifts ("766 donors to go").
to-go = al traguardo
# A sponsor's matching pledge and what it comes to now, shown apart from what donors gave.
matched = { $sponsor } integra le donazioni: { $amount }
