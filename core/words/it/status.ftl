### The words of `jauge status`'s text.

as-of = al
raised = raccolto
of = su
beyond = oltre l’obiettivo
to-raise = ancora da raccogliere
time-left = tempo rimasto
until = fino al
donors = donatori
gifts = donazioni
next = prossima tappa
at = a
pace = ritmo
per-day-over = { $money } al giorno negli ultimi { $days } giorni
needed = necessario
per-day-until = { $money } al giorno fino alla scadenza
projection = proiezione
at-deadline = alla scadenza
on-track = in linea
short = sotto l’obiettivo
counted = contato
not-counted = non contato
taken-off = detratto
unmatched-refunds = rimborsi la cui donazione non è indicata, finché non lo sia
pending = in sospeso
failed = non riuscite
before-start = prima dell’inizio
after-deadline = dopo la scadenza
after-instant = dopo questo istante
cannot-count = non contabili
gift = donazione
for-example = ad es.
# Why a recorded gift is not counted.
reason-no-rates = altra valuta, e la campagna non dichiara tassi ([rates])
reason-no-rate-for-day = altra valuta, e i tassi non ne hanno per quel giorno
reason-too-large = troppo grande per convertirlo esattamente
# A reason a later jauge knows and this one does not.
reason-other = non può essere contato
# What counts toward a goal counted in donors, gifts or money a month, or with matching pledges.
toward = verso l’obiettivo
# A sponsor's matching pledge.
matching = integrazione
# Its terms: what it gives ($matched, "€1") for each amount donors give ($given, "€1"), and
# its cap ($up_to).
match-terms = { $matched } per ogni { $given } donato, fino a { $up_to }
# When a platform was last asked for the events it sent while no receiver listened.
caught-up = recupero
caught-up-line = { $platform }: interrogato { $at }, eventi fino a { $through }
