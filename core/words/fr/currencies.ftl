### The table of gifts in other currencies, converted at declared rates.

heading = Autres devises
currency = devise
gifts = dons
given = montant donné
converted = converti
rates = taux (une unité)
days = taux du
# Said under the table: how gifts were converted.
note = Chaque don au dernier taux publié avant lui (la BCE publie à 16 h à Francfort), calculé exactement, arrondi une fois au centime.
