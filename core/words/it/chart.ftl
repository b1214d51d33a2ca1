### The charts' titles and legends.

cumulative = Donazioni raccolte
daily = Donazioni al giorno
apart = Donazioni ricorrenti e una tantum
raised = raccolto
goal = obiettivo
needed = ritmo necessario
projection = proiezione
one-off = una tantum
recurring = ricorrenti
# The last day, still under way.
so-far = oggi finora
