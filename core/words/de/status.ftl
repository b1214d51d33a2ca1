### The words of `jauge status`'s text.

as-of = Stand
raised = gesammelt
of = von
beyond = über dem Ziel
to-raise = noch zu sammeln
time-left = verbleibend
until = bis
donors = Spender
gifts = Spenden
next = nächstes Etappenziel
at = bei
pace = Tempo
per-day-over = { $money } pro Tag in den letzten { $days } Tagen
needed = nötig
per-day-until = { $money } pro Tag bis zum Ende
projection = Prognose
at-deadline = zum Ende
on-track = auf Kurs
short = unter dem Ziel
counted = gezählt
not-counted = nicht gezählt
taken-off = abgezogen
unmatched-refunds = Erstattungen ohne genannte Spende, bis sie genannt ist
pending = ausstehend
failed = fehlgeschlagen
before-start = vor dem Beginn
after-deadline = nach dem Ende
after-instant = nach diesem Zeitpunkt
cannot-count = nicht zählbar
gift = Spende
for-example = z. B.
# Why a recorded gift is not counted.
reason-no-rates = andere Währung, und die Kampagne nennt keine Kurse ([rates])
reason-no-rate-for-day = andere Währung, und die Kurse haben keinen für diesen Tag
reason-too-large = zu groß, um genau umgerechnet zu werden
# A reason a later jauge knows and this one does not.
reason-other = kann nicht gezählt werden
# What counts toward a goal counted in donors, gifts or money a month, or with matching pledges.
toward = zum Ziel
# A sponsor's matching pledge.
matching = Aufstockung
# Its terms: what it gives ($matched, "€1") for each amount donors give ($given, "€1"), and
# its cap ($up_to).
match-terms = { $matched } pro { $given } Spende, bis zu { $up_to }
# When a platform was last asked for the events it sent while no receiver listened.
caught-up = nachgeholt
caught-up-line = { $platform }: abgefragt { $at }, Ereignisse bis { $through }
