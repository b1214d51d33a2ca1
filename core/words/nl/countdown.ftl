### The time left, as the appeal sentences and the gauge tell it.

# The time left: $unit is weeks (two or more, rounded; one to ten spelled out, as campaign
# copy writes them), days, hours, minutes or ended; $n how many; $case is "after-in" after
# "in" ("starts in 2 days", where German takes the dative), else empty.
time-left = { $unit ->
    [weeks] { $n ->
        [1] één
        [2] twee
        [3] drie
        [4] vier
        [5] vijf
        [6] zes
        [7] zeven
        [8] acht
        [9] negen
        [10] tien
       *[other] { $n }
    } { $n ->
        [one] week
       *[other] weken
    }
    [days] { $n ->
        [one] { $n } dag
       *[other] { $n } dagen
    }
    [hours] { $n ->
        [one] { $n } uur
       *[other] { $n } uur
    }
    [minutes] { $n ->
        [one] { $n } minuut
       *[other] { $n } minuten
    }
   *[ended] afgelopen
}
