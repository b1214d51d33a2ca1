### The charts' titles and legends.

cumulative = Money raised
daily = Money per day
apart = Recurring and one-off giving
raised = raised
goal = goal
needed = pace needed
projection = projection
one-off = one-off
recurring = recurring
# The last day, still under way.
so-far = today so far
