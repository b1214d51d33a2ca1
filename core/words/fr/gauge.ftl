### The gauge's labels (the widget and its server rendering).

raised = collectés
of = sur
to-raise = restent à collecter
beyond = au-delà de l’objectif
# The noun after the number of donors.
donor = { $n ->
    [one] donateur
   *[other] donateurs
}
# After the time left ("7 weeks left"): agrees with the unit ($unit: weeks, days, hours,
# minutes) and the count ($n).
left = { $unit ->
    [days] { $n ->
        [one] restant
       *[other] restants
    }
   *[other] { $n ->
        [one] restante
       *[other] restantes
    }
}
starts = commence dans
reached = Objectif atteint{"\u00A0"}! Chaque don supplémentaire nous emmène plus loin.
next = Prochaine étape
as-of = Chiffres de
gauge = Jauge des dons
loading = Chargement des chiffres de la campagne…
unavailable = Les chiffres de la campagne ne peuvent pas être affichés pour l’instant.
time-elapsed = temps
money-raised = dons
donate = Faire un don
goal = objectif
# A colon as the language sets it (French puts a no-break space before it).
colon = {"\u00A0"}:
# The noun after a number of gifts (a goal counted in gifts).
gift = { $n ->
    [one] don
   *[other] dons
}
# After an amount given every month (a goal counted in money a month: "€4,200 a month").
per-month = par mois
# After what is still to go toward a goal counted in donors or gifts ("766 donors to go").
to-go = avant l’objectif
# A sponsor's matching pledge and what it comes to now, shown apart from what donors gave.
matched = { $sponsor } abonde les dons{"\u00A0"}: { $amount }
