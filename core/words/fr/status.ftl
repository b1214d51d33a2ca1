### The words of `jauge status`'s text.

as-of = au
raised = collecté
of = sur
beyond = au-delà de l’objectif
to-raise = reste à collecter
time-left = temps restant
until = jusqu’au
donors = donateurs
gifts = dons
next = prochaine étape
at = à
pace = rythme
per-day-over = { $money } par jour sur les { $days } derniers jours
needed = nécessaire
per-day-until = { $money } par jour jusqu’à l’échéance
projection = projection
at-deadline = à l’échéance
on-track = objectif en vue
short = en deçà de l’objectif
counted = compté
not-counted = non compté
taken-off = déduit
unmatched-refunds = remboursements dont le don n’est pas nommé, jusqu’à ce qu’il le soit
pending = en attente
failed = échoués
before-start = avant le début
after-deadline = après l’échéance
after-instant = après cet instant
cannot-count = incomptables
gift = don
for-example = p. ex.
# Why a recorded gift is not counted.
reason-no-rates = autre devise, et la campagne ne déclare aucun taux ([rates])
reason-no-rate-for-day = autre devise, et les taux n’en donnent aucun pour ce jour
reason-too-large = trop grand pour être converti exactement
# A reason a later jauge knows and this one does not.
reason-other = ne peut pas être compté
# What counts toward a goal counted in donors, gifts or money a month, or with matching pledges.
toward = vers l’objectif
# A sponsor's matching pledge.
matching = abondement
# Its terms: what it gives ($matched, "€1") for each amount donors give ($given, "€1"), and
# its cap ($up_to).
match-terms = { $matched } pour chaque { $given } donné, jusqu’à { $up_to }
# When a platform was last asked for the events it sent while no receiver listened.
caught-up = rattrapage
caught-up-line = { $platform }{"\u00A0"}: demandé le { $at }, événements jusqu’au { $through }
