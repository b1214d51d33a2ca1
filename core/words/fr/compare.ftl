### The words of the comparison with earlier campaigns and the backtest.

projection = projection
heading = Face aux campagnes précédentes
campaign = campagne
point = moment
date = date
raised = collecté
percent-of-goal = % de l’objectif
gifts = dons
donors = donateurs
now = maintenant (jour { $n } sur { $m })
same-day = même jour (jour { $n } sur { $m })
same-date = même date
end = à la fin
donors-now = Donateurs à ce jour
returning-new = { $r } déjà donateurs d’une campagne précédente, { $n } nouveaux
backtest = Projections éprouvées sur les campagnes terminées
# The two tables' names as workbook sheets (31 characters at most).
sheet-earlier = Campagnes précédentes
sheet-backtest = Projections éprouvées
backtest-note = Erreur médiane de la projection à l’échéance, en % du total final, en projetant { $names } à la fin de chacun de leurs jours.
days-left = jours restants
day-ends = fins de jour
pace = rythme
shape = profil des campagnes précédentes
by-pace = au rythme des { $days } derniers jours
# How a projection was made, from one earlier campaign's shape.
by-earlier-campaign = d’après le profil de la campagne précédente
# … from several earlier campaigns' shape, with the range they give.
by-shape = d’après le profil des campagnes précédentes ({ $low } à { $high })
