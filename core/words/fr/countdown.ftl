### The time left, as the appeal sentences and the gauge tell it.

# The time left: $unit is weeks (two or more, rounded; one to ten spelled out, as campaign
# copy writes them), days, hours, minutes or ended; $n how many; $case is "after-in" after
# "in" ("starts in 2 days", where German takes the dative), else empty.
time-left = { $unit ->
    [weeks] { $n ->
        [1] une
        [2] deux
        [3] trois
        [4] quatre
        [5] cinq
        [6] six
        [7] sept
        [8] huit
        [9] neuf
        [10] dix
       *[other] { $n }
    } { $n ->
        [one] semaine
       *[other] semaines
    }
    [days] { $n ->
        [one] { $n } jour
       *[other] { $n } jours
    }
    [hours] { $n ->
        [one] { $n } heure
       *[other] { $n } heures
    }
    [minutes] { $n ->
        [one] { $n } minute
       *[other] { $n } minutes
    }
   *[ended] terminé
}
