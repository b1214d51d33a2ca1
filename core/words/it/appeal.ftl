### The appeal's built-in sentences (a campaign may write its own, in the same template
### language: {time_left}, {remaining}, {raised}, {percent}, {donors}).

# The sentence for the campaign's state ($state): while it runs and the goal is not reached,
# once the goal is reached before the deadline, and after the deadline.
sentence = { $state ->
    [reached] Obiettivo raggiunto, grazie! { $raised } raccolti e restano { $time_left }: ogni dono in più ci porta più lontano.
    [ended] La campagna è terminata: { $raised } raccolti, il { $percent } dell’obiettivo. Grazie ai nostri { $donors } donatori!
    [counting] Ci restano { $time_left } e mancano ancora { $remaining }: non possiamo farcela senza il tuo aiuto!
   *[running] Ci restano { $time_left } per raccogliere { $remaining }: non possiamo farcela senza il tuo aiuto!
}
