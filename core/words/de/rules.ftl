### How the campaign counts, in words (the status document and every report say it).

# How the campaign counts, one phrase per rule.
pending-counted = Bestätigte und ausstehende Spenden
pending-not-counted = Bestätigte Spenden
fees-net = abzüglich Gebühren
fees-gross = einschließlich Gebühren
refunds-subtracted = Erstattungen abgezogen
refunds-not-subtracted = Erstattungen nicht abgezogen
recurring-received = Dauerspenden wie eingegangen
recurring-first = nur die erste Zahlung jeder Dauerspende
recurring-annualized = Dauerspenden auf ein Jahr gerechnet
recurring-to-deadline = Dauerspenden mit den bis zum Stichtag fälligen Zahlungen
# The four phrases in one sentence.
describe = { $pending }, { $fees }, { $refunds }, { $recurring }.
