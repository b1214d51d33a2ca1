### The gauge's labels (the widget and its server rendering).

raised = recaudados
of = de
to-raise = por recaudar
beyond = por encima del objetivo
# The noun after the number of donors.
donor = { $n ->
    [one] donante
   *[other] donantes
}
# After the time left ("7 weeks left"): agrees with the unit ($unit: weeks, days, hours,
# minutes) and the count ($n).
left = { $n ->
    [one] restante
   *[other] restantes
}
starts = empieza en
reached = ¡Objetivo alcanzado! Cada donación extra nos lleva más lejos.
next = Próximo hito
as-of = Cifras de las
gauge = Medidor de donaciones
loading = Cargando las cifras de la campaña…
unavailable = Las cifras de la campaña no se pueden mostrar ahora.
time-elapsed = tiempo
money-raised = donaciones
donate = Donar
goal = meta
# A colon as the language sets it (French puts a no-break space before it).
colon = :
# The noun after a number of gifts (a goal counted in gifts).
gift = { $n ->
    [one] donativo
   *[other] donativos
}
# After an amount given every month (a goal counted in money a month: "€4,200 a month").
per-month = al mes
# After what is still to go toward a goal counted in donors or gifts ("766 donors to go").
to-go = para la meta
# A sponsor's matching pledge and what it comes to now, shown apart from what donors gave.
matched = { $sponsor } iguala los donativos: { $amount }
