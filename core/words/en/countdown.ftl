### The time left, as the appeal sentences and the gauge tell it.

# The time left: $unit is weeks (two or more, rounded; one to ten spelled out, as campaign
# copy writes them), days, hours, minutes or ended; $n how many; $case is "after-in" after
# "in" ("starts in 2 days", where German takes the dative), else empty.
time-left = { $unit ->
    [weeks] { $n ->
        [1] one
        [2] two
        [3] three
        [4] four
        [5] five
        [6] six
        [7] seven
        [8] eight
        [9] nine
        [10] ten
       *[other] { $n }
    } { $n ->
        [one] week
       *[other] weeks
    }
    [days] { $n ->
        [one] { $n } day
       *[other] { $n } days
    }
    [hours] { $n ->
        [one] { $n } hour
       *[other] { $n } hours
    }
    [minutes] { $n ->
        [one] { $n } minute
       *[other] { $n } minutes
    }
   *[ended] ended
}
