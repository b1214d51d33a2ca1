### The words of the comparison with earlier campaigns and the backtest.

projection = proiezione
heading = Rispetto alle campagne precedenti
campaign = campagna
point = momento
date = data
raised = raccolto
percent-of-goal = % dell’obiettivo
gifts = donazioni
donors = donatori
now = ora (giorno { $n } di { $m })
same-day = stesso giorno (giorno { $n } di { $m })
same-date = stessa data
end = alla fine
donors-now = Donatori finora
returning-new = { $r } tornati da una campagna precedente, { $n } nuovi
backtest = Proiezioni verificate sulle campagne concluse
# The two tables' names as workbook sheets (31 characters at most).
sheet-earlier = Campagne precedenti
sheet-backtest = Proiezioni verificate
backtest-note = Errore mediano della proiezione alla scadenza, in % del totale finale, proiettando { $names } alla fine di ciascun giorno.
days-left = giorni rimasti
day-ends = fine giornata
pace = ritmo
shape = andamento delle campagne precedenti
by-pace = al ritmo degli ultimi { $days } giorni
# How a projection was made, from one earlier campaign's shape.
by-earlier-campaign = secondo l’andamento della campagna precedente
# … from several earlier campaigns' shape, with the range they give.
by-shape = secondo l’andamento delle campagne precedenti (da { $low } a { $high })
