### The time left, as the appeal sentences and the gauge tell it.

# The time left: $unit is weeks (two or more, rounded; one to ten spelled out, as campaign
# copy writes them), days, hours, minutes or ended; $n how many; $case is "after-in" after
# "in" ("starts in 2 days", where German takes the dative), else empty.
time-left = { $unit ->
    [weeks] { $n ->
        [1] una
        [2] dos
        [3] tres
        [4] cuatro
        [5] cinco
        [6] seis
        [7] siete
        [8] ocho
        [9] nueve
        [10] diez
       *[other] { $n }
    } { $n ->
        [one] semana
       *[other] semanas
    }
    [days] { $n ->
        [one] { $n } día
       *[other] { $n } días
    }
    [hours] { $n ->
        [one] { $n } hora
       *[other] { $n } horas
    }
    [minutes] { $n ->
        [one] { $n } minuto
       *[other] { $n } minutos
    }
   *[ended] terminada
}
