### The illustration's alternative text.

# What the scene shows, for screen readers, at each pose (0: asleep … 4: the goal reached).
stage-0 = Twee verdedigers slapen terwijl twee reuzen, een wolk en een server, spiesjes met gegevens grillen
stage-1 = De verdedigers worden wakker; bij de gegevensgrill kijken de reuzen ongerust op
stage-2 = De verdedigers staan tegenover de reuzen, die bezorgd kijken
stage-3 = De verdedigers rukken op; de reuzen zweten en laten hun gegevens vallen
stage-4 = De verdedigers juichen in de confetti; de reuzen vluchten
before-start = Nog niet begonnen: de verdedigers slapen, de reuzen grillen gegevens
# Added in the campaign's last hours.
evening = {" "}Avond: de laatste uren.
# The whole alternative text: the scene, then the percentage raised.
alt = { $scene }. { $percent } opgehaald.{ $evening }
