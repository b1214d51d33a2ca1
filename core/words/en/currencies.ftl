### The table of gifts in other currencies, converted at declared rates.

heading = Other currencies
currency = currency
gifts = gifts
given = as given
converted = converted
rates = rate (one unit)
days = rates of
# Said under the table: how gifts were converted.
note = Each gift at the last rate published before it (the ECB publishes at 16:00 in Frankfurt), multiplied out exactly, rounded once to the cent.
