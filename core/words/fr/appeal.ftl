### The appeal's built-in sentences (a campaign may write its own, in the same template
### language: {time_left}, {remaining}, {raised}, {percent}, {donors}).

# The sentence for the campaign's state ($state): while it runs and the goal is not reached,
# once the goal is reached before the deadline, and after the deadline.
sentence = { $state ->
    [reached] Objectif atteint, merci{"\u202F"}! { $raised } collectés et il reste { $time_left }{"\u00A0"}: chaque don supplémentaire nous emmène plus loin.
    [ended] La campagne est terminée{"\u00A0"}: { $raised } collectés, { $percent } de l’objectif. Merci à nos { $donors } donatrices et donateurs{"\u202F"}!
    [counting] Il nous reste { $time_left } et encore { $remaining } à trouver{"\u00A0"}: nous ne pouvons pas y arriver sans votre aide{"\u202F"}!
   *[running] Il nous reste { $time_left } pour collecter { $remaining }{"\u00A0"}: nous ne pouvons pas y arriver sans votre aide{"\u202F"}!
}
