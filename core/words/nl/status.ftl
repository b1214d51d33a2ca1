### The words of `jauge status`'s text.

as-of = per
raised = opgehaald
of = van
beyond = boven het doel
to-raise = nog op te halen
time-left = resterende tijd
until = tot
donors = donateurs
gifts = giften
next = volgende mijlpaal
at = bij
pace = tempo
per-day-over = { $money } per dag over de laatste { $days } dagen
needed = nodig
per-day-until = { $money } per dag tot de deadline
projection = prognose
at-deadline = op de deadline
on-track = op koers
short = onder het doel
counted = geteld
not-counted = niet geteld
taken-off = afgetrokken
unmatched-refunds = terugbetalingen zonder genoemde gift, tot die genoemd is
pending = in behandeling
failed = mislukt
before-start = voor de start
after-deadline = na de deadline
after-instant = na dit moment
cannot-count = niet telbaar
gift = gift
for-example = bijv.
# Why a recorded gift is not counted.
reason-no-rates = andere valuta, en de campagne geeft geen koersen ([rates])
reason-no-rate-for-day = andere valuta, en de koersen hebben er geen voor die dag
reason-too-large = te groot om exact om te rekenen
# A reason a later jauge knows and this one does not.
reason-other = kan niet worden geteld
# What counts toward a goal counted in donors, gifts or money a month, or with matching pledges.
toward = richting het doel
# A sponsor's matching pledge.
matching = aanvulling
# Its terms: what it gives ($matched, "€1") for each amount donors give ($given, "€1"), and
# its cap ($up_to).
match-terms = { $matched } per gegeven { $given }, tot { $up_to }
# When a platform was last asked for the events it sent while no receiver listened.
caught-up = bijgewerkt
caught-up-line = { $platform }: gevraagd { $at }, gebeurtenissen tot { $through }
