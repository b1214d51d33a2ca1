### The appeal's built-in sentences (a campaign may write its own, in the same template
### language: {time_left}, {remaining}, {raised}, {percent}, {donors}).

# The sentence for the campaign's state ($state): while it runs and the goal is not reached,
# once the goal is reached before the deadline, and after the deadline.
sentence = { $state ->
    [reached] ¡Objetivo alcanzado, gracias! { $raised } recaudados y quedan { $time_left }: cada donación extra nos lleva más lejos.
    [ended] La campaña ha terminado: { $raised } recaudados, el { $percent } del objetivo. ¡Gracias a nuestros { $donors } donantes!
    [counting] Nos quedan { $time_left } y aún faltan { $remaining }: ¡no podemos lograrlo sin tu ayuda!
   *[running] Nos quedan { $time_left } para recaudar { $remaining }: ¡no podemos lograrlo sin tu ayuda!
}
