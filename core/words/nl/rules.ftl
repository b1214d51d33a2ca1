### How the campaign counts, in words (the status document and every report say it).

# How the campaign counts, one phrase per rule.
pending-counted = Bevestigde en lopende giften
pending-not-counted = Bevestigde giften
fees-net = na aftrek van kosten
fees-gross = inclusief kosten
refunds-subtracted = terugbetalingen afgetrokken
refunds-not-subtracted = terugbetalingen niet afgetrokken
recurring-received = periodieke giften zoals ontvangen
recurring-first = de eerste betaling van elke periodieke gift
recurring-annualized = periodieke giften op jaarbasis
recurring-to-deadline = periodieke giften met de betalingen die tot de deadline verwacht worden
# The four phrases in one sentence.
describe = { $pending }, { $fees }, { $refunds }, { $recurring }.
