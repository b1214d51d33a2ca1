### How the campaign counts, in words (the status document and every report say it).

# How the campaign counts, one phrase per rule.
pending-counted = Confirmed and pending gifts
pending-not-counted = Confirmed gifts
fees-net = net of fees
fees-gross = gross of fees
refunds-subtracted = refunds subtracted
refunds-not-subtracted = refunds not subtracted
recurring-received = recurring gifts as received
recurring-first = the first payment of each recurring gift
recurring-annualized = recurring gifts valued over a year
recurring-to-deadline = recurring gifts with the payments due by the deadline
# The four phrases in one sentence.
describe = { $pending }, { $fees }, { $refunds }, { $recurring }.
