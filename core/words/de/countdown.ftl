### The time left, as the appeal sentences and the gauge tell it.

# The time left: $unit is weeks (two or more, rounded; one to ten spelled out, as campaign
# copy writes them), days, hours, minutes or ended; $n how many; $case is "after-in" after
# "in" ("starts in 2 days", where German takes the dative), else empty.
time-left = { $unit ->
    [weeks] { $n ->
        [1] eine
        [2] zwei
        [3] drei
        [4] vier
        [5] fünf
        [6] sechs
        [7] sieben
        [8] acht
        [9] neun
        [10] zehn
       *[other] { $n }
    } { $n ->
        [one] Woche
       *[other] Wochen
    }
    [days] { $n ->
        [one] { $n } Tag
       *[other] { $n } { $case ->
            [after-in] Tagen
           *[other] Tage
        }
    }
    [hours] { $n ->
        [one] { $n } Stunde
       *[other] { $n } Stunden
    }
    [minutes] { $n ->
        [one] { $n } Minute
       *[other] { $n } Minuten
    }
   *[ended] beendet
}
