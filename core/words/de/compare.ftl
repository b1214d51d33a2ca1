### The words of the comparison with earlier campaigns and the backtest.

projection = Prognose
heading = Im Vergleich zu früheren Kampagnen
campaign = Kampagne
point = Zeitpunkt
date = Datum
raised = gesammelt
percent-of-goal = % des Ziels
gifts = Spenden
donors = Spender
now = jetzt (Tag { $n } von { $m })
same-day = gleicher Tag (Tag { $n } von { $m })
same-date = gleiches Datum
end = am Ende
donors-now = Spender bisher
returning-new = { $r } wiederkehrend aus einer früheren Kampagne, { $n } neu
backtest = Prognosen an abgeschlossenen Kampagnen geprüft
# The two tables' names as workbook sheets (31 characters at most).
sheet-earlier = Frühere Kampagnen
sheet-backtest = Geprüfte Prognosen
backtest-note = Medianer Fehler der Prognose zum Stichtag, in % der Endsumme, für { $names }, prognostiziert am Ende jedes ihrer Tage.
days-left = verbleibende Tage
day-ends = Tagesenden
pace = Tempo
shape = Verlauf früherer Kampagnen
by-pace = beim Tempo der letzten { $days } Tage
# How a projection was made, from one earlier campaign's shape.
by-earlier-campaign = nach dem Verlauf der früheren Kampagne
# … from several earlier campaigns' shape, with the range they give.
by-shape = nach dem Verlauf früherer Kampagnen ({ $low } bis { $high })
