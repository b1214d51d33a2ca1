### The table of gifts in other currencies, converted at declared rates.

heading = Altre valute
currency = valuta
gifts = donazioni
given = donato
converted = convertito
rates = cambio (un’unità)
days = cambi del
# Said under the table: how gifts were converted.
note = Ogni donazione all’ultimo cambio pubblicato prima di essa (la BCE pubblica alle 16 a Francoforte), calcolata esattamente, arrotondata una volta al centesimo.
