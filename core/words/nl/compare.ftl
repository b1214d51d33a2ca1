### The words of the comparison with earlier campaigns and the backtest.

projection = prognose
heading = Vergeleken met eerdere campagnes
campaign = campagne
point = moment
date = datum
raised = opgehaald
percent-of-goal = % van het doel
gifts = giften
donors = donateurs
now = nu (dag { $n } van { $m })
same-day = zelfde dag (dag { $n } van { $m })
same-date = zelfde datum
end = aan het eind
donors-now = Donateurs tot nu
returning-new = { $r } terugkerend van een eerdere campagne, { $n } nieuw
backtest = Prognoses getest op afgeronde campagnes
# The two tables' names as workbook sheets (31 characters at most).
sheet-earlier = Eerdere campagnes
sheet-backtest = Geteste prognoses
backtest-note = Mediane fout van de prognose op de einddatum, in % van het eindtotaal, bij prognoses voor { $names } aan het eind van elk van hun dagen.
days-left = dagen over
day-ends = dageinden
pace = tempo
shape = verloop van eerdere campagnes
by-pace = in het tempo van de laatste { $days } dagen
# How a projection was made, from one earlier campaign's shape.
by-earlier-campaign = volgens het verloop van de eerdere campagne
# … from several earlier campaigns' shape, with the range they give.
by-shape = volgens het verloop van eerdere campagnes ({ $low } tot { $high })
