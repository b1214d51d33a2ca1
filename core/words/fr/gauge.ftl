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
