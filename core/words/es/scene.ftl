### The illustration's alternative text.

# What the scene shows, for screen readers, at each pose (0: asleep … 4: the goal reached).
stage-0 = Dos defensores duermen mientras dos gigantes, una nube y un servidor, asan brochetas de datos
stage-1 = Los defensores despiertan; junto a su parrilla de datos, los gigantes miran inquietos
stage-2 = Los defensores se plantan ante los gigantes, que parecen preocupados
stage-3 = Los defensores avanzan; los gigantes sudan y sueltan sus datos
stage-4 = Los defensores celebran bajo el confeti; los gigantes huyen
before-start = Aún no empieza: los defensores duermen, los gigantes asan datos
# Added in the campaign's last hours.
evening = {" "}Anochece: las últimas horas.
# The whole alternative text: the scene, then the percentage raised.
alt = { $scene }. { $percent } recaudado.{ $evening }
