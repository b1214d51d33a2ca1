### The illustration's alternative text.

# What the scene shows, for screen readers, at each pose (0: asleep … 4: the goal reached).
stage-0 = Two defenders sleep while two giants, a cloud and a server, grill skewers of data
stage-1 = The defenders wake up; at their data grill, the giants glance over, uneasy
stage-2 = The defenders stand up to the giants, who look worried
stage-3 = The defenders stride forward; the giants sweat and drop their data
stage-4 = The defenders cheer under confetti; the giants run away
before-start = Not started: the defenders sleep, the giants grill data
# Added in the campaign's last hours.
evening = {" "}Evening: the last hours.
# The whole alternative text: the scene, then the percentage raised.
alt = { $scene }. { $percent } raised.{ $evening }
