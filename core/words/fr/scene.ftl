### The illustration's alternative text.

# What the scene shows, for screen readers, at each pose (0: asleep … 4: the goal reached).
stage-0 = Deux défenseurs dorment pendant que deux géants, un nuage et un serveur, grillent des brochettes de données
stage-1 = Les défenseurs s’éveillent{"\u00A0"}; à leur barbecue de données, les géants s’inquiètent un peu
stage-2 = Les défenseurs se dressent face aux géants, qui s’inquiètent
stage-3 = Les défenseurs avancent{"\u00A0"}; les géants transpirent et lâchent leurs données
stage-4 = Les défenseurs exultent sous les confettis{"\u00A0"}; les géants s’enfuient
before-start = Pas encore commencé{"\u00A0"}: les défenseurs dorment, les géants grillent des données
# Added in the campaign's last hours.
evening = {" "}Le soir tombe{"\u00A0"}: les dernières heures.
# The whole alternative text: the scene, then the percentage raised.
alt = { $scene }. { $percent } collectés.{ $evening }
