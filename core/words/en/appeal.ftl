### The appeal's built-in sentences (a campaign may write its own, in the same template
### language: {time_left}, {remaining}, {raised}, {percent}, {donors}).

# The sentence for the campaign's state ($state): while it runs and the goal is not reached,
# once the goal is reached before the deadline, and after the deadline; `counting` while it
# runs toward a goal counted in donors or gifts ($remaining is then "766 donors").
sentence = { $state ->
    [reached] Goal reached, thank you! { $raised } raised with { $time_left } to go: every extra gift takes us further.
    [ended] The campaign has ended: { $raised } raised, { $percent } of the goal. Thank you to our { $donors } donors!
    [counting] We have { $time_left } left and { $remaining } to go: we can't do it without your help!
   *[running] We have { $time_left } left to raise { $remaining }: we can't do it without your help!
}
