### The appeal's built-in sentences (a campaign may write its own, in the same template
### language: {time_left}, {remaining}, {raised}, {percent}, {donors}).

# The sentence for the campaign's state ($state): while it runs and the goal is not reached,
# once the goal is reached before the deadline, and after the deadline.
sentence = { $state ->
    [reached] Ziel erreicht, danke! { $raised } gesammelt, und es bleiben noch { $time_left }: Jede weitere Spende bringt uns weiter.
    [ended] Die Kampagne ist beendet: { $raised } gesammelt, { $percent } des Ziels. Danke an unsere { $donors } Spenderinnen und Spender!
    [counting] Uns bleiben noch { $time_left }, und es fehlen { $remaining }: Ohne Ihre Hilfe schaffen wir das nicht!
   *[running] Uns bleiben noch { $time_left }, um { $remaining } zu sammeln: Ohne Ihre Hilfe schaffen wir das nicht!
}
