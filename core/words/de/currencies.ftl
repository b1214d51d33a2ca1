### The table of gifts in other currencies, converted at declared rates.

heading = Andere Währungen
currency = Währung
gifts = Spenden
given = gespendet
converted = umgerechnet
rates = Kurs (eine Einheit)
days = Kurse vom
# Said under the table: how gifts were converted.
note = Jede Spende zum letzten vor ihr veröffentlichten Kurs (die EZB veröffentlicht um 16 Uhr in Frankfurt), exakt gerechnet, einmal auf den Cent gerundet.
