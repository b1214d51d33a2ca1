### The words of `jauge status`'s text.

as-of = a
raised = recaudado
of = de
beyond = por encima del objetivo
to-raise = falta recaudar
time-left = tiempo restante
until = hasta
donors = donantes
gifts = donaciones
next = próxima etapa
at = en
pace = ritmo
per-day-over = { $money } al día en los últimos { $days } días
needed = necesario
per-day-until = { $money } al día hasta el cierre
projection = proyección
at-deadline = al cierre
on-track = en camino
short = por debajo del objetivo
counted = contado
not-counted = no contado
taken-off = descontado
unmatched-refunds = reembolsos cuya donación no se nombra, hasta que se nombre
pending = pendientes
failed = fallidas
before-start = antes del inicio
after-deadline = después del cierre
after-instant = después de este momento
cannot-count = no computables
gift = donación
for-example = p. ej.
# Why a recorded gift is not counted.
reason-no-rates = otra moneda, y la campaña no declara tipos ([rates])
reason-no-rate-for-day = otra moneda, y los tipos no tienen ninguno para ese día
reason-too-large = demasiado grande para convertirlo exactamente
# A reason a later jauge knows and this one does not.
reason-other = no se puede contar
# What counts toward a goal counted in donors, gifts or money a month, or with matching pledges.
toward = hacia la meta
# A sponsor's matching pledge.
matching = aportación igualada
# Its terms: what it gives ($matched, "€1") for each amount donors give ($given, "€1"), and
# its cap ($up_to).
match-terms = { $matched } por cada { $given } donado, hasta { $up_to }
# When a platform was last asked for the events it sent while no receiver listened.
caught-up = puesta al día
caught-up-line = { $platform }: consultado { $at }, eventos hasta { $through }
