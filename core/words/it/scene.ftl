### The illustration's alternative text.

# What the scene shows, for screen readers, at each pose (0: asleep … 4: the goal reached).
stage-0 = Due difensori dormono mentre due giganti, una nuvola e un server, grigliano spiedini di dati
stage-1 = I difensori si svegliano; alla griglia di dati, i giganti guardano inquieti
stage-2 = I difensori affrontano i giganti, che sembrano preoccupati
stage-3 = I difensori avanzano; i giganti sudano e lasciano cadere i dati
stage-4 = I difensori esultano tra i coriandoli; i giganti fuggono
before-start = Non ancora iniziata: i difensori dormono, i giganti grigliano dati
# Added in the campaign's last hours.
evening = {" "}Sera: le ultime ore.
# The whole alternative text: the scene, then the percentage raised.
alt = { $scene }. { $percent } raccolto.{ $evening }
