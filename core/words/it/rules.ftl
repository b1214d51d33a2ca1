### How the campaign counts, in words (the status document and every report say it).

# How the campaign counts, one phrase per rule.
pending-counted = Donazioni confermate e in attesa
pending-not-counted = Donazioni confermate
fees-net = al netto delle commissioni
fees-gross = al lordo delle commissioni
refunds-subtracted = rimborsi detratti
refunds-not-subtracted = rimborsi non detratti
recurring-received = donazioni ricorrenti come ricevute
recurring-first = il primo versamento di ogni donazione ricorrente
recurring-annualized = donazioni ricorrenti valutate su un anno
recurring-to-deadline = donazioni ricorrenti con i versamenti previsti entro la scadenza
# The four phrases in one sentence.
describe = { $pending }, { $fees }, { $refunds }, { $recurring }.
