### The charts' titles and legends.

cumulative = Donaciones recaudadas
daily = Donaciones por día
apart = Donaciones recurrentes y puntuales
raised = recaudado
goal = objetivo
needed = ritmo necesario
projection = proyección
one-off = puntuales
recurring = recurrentes
# The last day, still under way.
so-far = hoy, hasta ahora
