### The table of gifts in other currencies, converted at declared rates.

heading = Andere valuta
currency = valuta
gifts = giften
given = gegeven
converted = omgerekend
rates = koers (één eenheid)
days = koersen van
# Said under the table: how gifts were converted.
note = Elke gift tegen de laatste koers die vóór haar is gepubliceerd (de ECB publiceert om 16.00 uur in Frankfurt), exact berekend, één keer op de cent afgerond.
