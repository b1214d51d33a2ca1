### The table of gifts in other currencies, converted at declared rates.

heading = Otras monedas
currency = moneda
gifts = donaciones
given = donado
converted = convertido
rates = tipo (una unidad)
days = tipos del
# Said under the table: how gifts were converted.
note = Cada donación al último tipo publicado antes de ella (el BCE publica a las 16:00 en Fráncfort), calculado con exactitud, redondeado una vez al céntimo.
