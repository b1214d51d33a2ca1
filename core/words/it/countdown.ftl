### The time left, as the appeal sentences and the gauge tell it.

# The time left: $unit is weeks (two or more, rounded; one to ten spelled out, as campaign
# copy writes them), days, hours, minutes or ended; $n how many; $case is "after-in" after
# "in" ("starts in 2 days", where German takes the dative), else empty.
time-left = { $unit ->
    [weeks] { $n ->
        [1] una
        [2] due
        [3] tre
        [4] quattro
        [5] cinque
        [6] sei
        [7] sette
        [8] otto
        [9] nove
        [10] dieci
       *[other] { $n }
    } { $n ->
        [one] settimana
       *[other] settimane
    }
    [days] { $n ->
        [one] { $n } giorno
       *[other] { $n } giorni
    }
    [hours] { $n ->
        [one] { $n } ora
       *[other] { $n } ore
    }
    [minutes] { $n ->
        [one] { $n } minuto
       *[other] { $n } minuti
    }
   *[ended] terminata
}
