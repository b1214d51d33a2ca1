### The words of the comparison with earlier campaigns and the backtest.

projection = projection
heading = Against earlier campaigns
campaign = campaign
point = point
date = date
raised = raised
percent-of-goal = % of goal
gifts = gifts
donors = donors
now = now (day { $n } of { $m })
same-day = same day (day { $n } of { $m })
same-date = same date
end = at its end
donors-now = Donors now
returning-new = { $r } returning from an earlier campaign, { $n } new
backtest = Projections tested on complete campaigns
# The two tables' names as workbook sheets (31 characters at most).
sheet-earlier = Earlier campaigns
sheet-backtest = Projections tested
backtest-note = Median error of the projection at the deadline, in % of the final total, projecting { $names } at the end of each of their days.
days-left = days left
day-ends = day ends
pace = pace
shape = earlier campaigns' shape
by-pace = at the last { $days } days' pace
# How a projection was made, from one earlier campaign's shape.
by-earlier-campaign = from the shape of the earlier campaign
# … from several earlier campaigns' shape, with the range they give.
by-shape = from the shape of earlier campaigns ({ $low } to { $high })
