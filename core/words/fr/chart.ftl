### The charts' titles and legends.

cumulative = Dons collectés
daily = Dons par jour
apart = Dons récurrents et ponctuels
raised = collecté
goal = objectif
needed = rythme nécessaire
projection = projection
one-off = ponctuels
recurring = récurrents
# The last day, still under way.
so-far = aujourd’hui, en cours
