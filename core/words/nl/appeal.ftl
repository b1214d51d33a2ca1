### The appeal's built-in sentences (a campaign may write its own, in the same template
### language: {time_left}, {remaining}, {raised}, {percent}, {donors}).

# The sentence for the campaign's state ($state): while it runs and the goal is not reached,
# once the goal is reached before the deadline, and after the deadline.
sentence = { $state ->
    [reached] Doel bereikt, dank je wel! { $raised } opgehaald en nog { $time_left } te gaan: elke extra gift brengt ons verder.
    [ended] De campagne is afgelopen: { $raised } opgehaald, { $percent } van het doel. Dank aan onze { $donors } donateurs!
    [counting] We hebben nog { $time_left } en er zijn nog { $remaining } nodig: zonder jouw hulp lukt het niet!
   *[running] We hebben nog { $time_left } om { $remaining } op te halen: zonder jouw hulp lukt het niet!
}
