### How the campaign counts, in words (the status document and every report say it).

# How the campaign counts, one phrase per rule.
pending-counted = Donaciones confirmadas y pendientes
pending-not-counted = Donaciones confirmadas
fees-net = netas de comisiones
fees-gross = brutas
refunds-subtracted = reembolsos descontados
refunds-not-subtracted = reembolsos no descontados
recurring-received = donaciones periódicas según se reciben
recurring-first = el primer pago de cada donación periódica
recurring-annualized = donaciones periódicas valoradas a un año
recurring-to-deadline = donaciones periódicas con los pagos previstos hasta la fecha límite
# The four phrases in one sentence.
describe = { $pending }, { $fees }, { $refunds }, { $recurring }.
