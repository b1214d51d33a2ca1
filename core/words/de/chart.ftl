### The charts' titles and legends.

cumulative = Gesammelte Spenden
daily = Spenden pro Tag
apart = Regelmäßige und einmalige Spenden
raised = gesammelt
goal = Ziel
needed = nötiges Tempo
projection = Prognose
one-off = einmalig
recurring = regelmäßig
# The last day, still under way.
so-far = heute bisher
