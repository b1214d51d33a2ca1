### How the campaign counts, in words (the status document and every report say it).

# How the campaign counts, one phrase per rule.
pending-counted = Dons confirmés et en attente
pending-not-counted = Dons confirmés
fees-net = nets de frais
fees-gross = frais inclus
refunds-subtracted = remboursements déduits
refunds-not-subtracted = remboursements non déduits
recurring-received = dons réguliers comptés à leur réception
recurring-first = premier versement de chaque don régulier
recurring-annualized = dons réguliers comptés sur un an
recurring-to-deadline = dons réguliers avec les versements prévus d’ici l’échéance
# The four phrases in one sentence.
describe = { $pending }, { $fees }, { $refunds }, { $recurring }.
