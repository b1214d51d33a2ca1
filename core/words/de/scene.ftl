### The illustration's alternative text.

# What the scene shows, for screen readers, at each pose (0: asleep … 4: the goal reached).
stage-0 = Zwei Verteidiger schlafen, während zwei Riesen, eine Wolke und ein Server, Datenspieße grillen
stage-1 = Die Verteidiger wachen auf; am Datengrill schauen die Riesen beunruhigt herüber
stage-2 = Die Verteidiger stellen sich den Riesen, die besorgt wirken
stage-3 = Die Verteidiger rücken vor; die Riesen schwitzen und lassen ihre Daten fallen
stage-4 = Die Verteidiger jubeln im Konfetti; die Riesen fliehen
before-start = Noch nicht begonnen: die Verteidiger schlafen, die Riesen grillen Daten
# Added in the campaign's last hours.
evening = {" "}Abend: die letzten Stunden.
# The whole alternative text: the scene, then the percentage raised.
alt = { $scene }. { $percent } gesammelt.{ $evening }
