### The words of the comparison with earlier campaigns and the backtest.

projection = proyección
heading = Frente a campañas anteriores
campaign = campaña
point = momento
date = fecha
raised = recaudado
percent-of-goal = % del objetivo
gifts = donaciones
donors = donantes
now = ahora (día { $n } de { $m })
same-day = mismo día (día { $n } de { $m })
same-date = misma fecha
end = al final
donors-now = Donantes hasta ahora
returning-new = { $r } que ya donaron en una campaña anterior, { $n } nuevos
backtest = Proyecciones probadas en campañas terminadas
# The two tables' names as workbook sheets (31 characters at most).
sheet-earlier = Campañas anteriores
sheet-backtest = Proyecciones probadas
backtest-note = Error mediano de la proyección al cierre, en % del total final, proyectando { $names } al final de cada uno de sus días.
days-left = días restantes
day-ends = finales de día
pace = ritmo
shape = forma de campañas anteriores
by-pace = al ritmo de los últimos { $days } días
# How a projection was made, from one earlier campaign's shape.
by-earlier-campaign = según la forma de la campaña anterior
# … from several earlier campaigns' shape, with the range they give.
by-shape = según la forma de campañas anteriores ({ $low } a { $high })
