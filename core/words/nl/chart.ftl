### The charts' titles and legends.

cumulative = Opgehaald
daily = Giften per dag
apart = Terugkerende en eenmalige giften
raised = opgehaald
goal = doel
needed = nodig tempo
projection = prognose
one-off = eenmalig
recurring = terugkerend
# The last day, still under way.
so-far = vandaag tot nu toe
