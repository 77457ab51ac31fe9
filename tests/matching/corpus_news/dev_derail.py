"""DEV story 5: the Holt Junction derailment (Friday 21 November 2025, five outlets over four days).

Facts: derail, passengers (212 / more than 200), injured (tally; 11 vs 17 on the same
Saturday: a conflict), serious, carriages-derailed (three vs four: a conflict), speed vs
speed-limit (same unit, different things), landslip-suspected (speculation) vs
track-washed-out (found), cause-unknown, rain, villagers-helped, driver-shock vs
driver-praised, line-closed-weekend vs line-closed-wednesday, buses, ferro-visit vs
ferro-review vs ferro-statement, ceo-apology, inspections-cut-claim vs inspections-cut-denied,
track-inspected-tuesday, no-deaths, worst-since-1998 vs deaths-1998.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "derail",
    [
        Article(
            "rail-echo",
            "Avenmouth Echo",
            date(2025, 11, 21),
            "Express derails near Holt Junction; 14 in hospital",
            [
                (
                    "An express train carrying 212 passengers came off the tracks near Holt Junction on Friday evening, the operator Western Coast Rail said.",
                    "derail passengers=212",
                ),
                (
                    "Fourteen people were taken to hospital, none with life-threatening injuries.",
                    "injured=14@ none-critical",
                ),
                (
                    "The 17:55 service from Avenmouth to Tarrow derailed shortly after 18:40, as heavy rain swept the region.",
                    "derail !17:55 !18:40",
                ),
                (
                    "Three of the train's eight carriages left the rails, and one ended up on its side on the embankment.",
                    "carriages-derailed=3 carriage-on-side",
                ),
                (
                    "Local people brought blankets and hot drinks to stranded passengers.",
                    "villagers-helped",
                ),
                (
                    "Western Coast Rail said it was too early to say what caused the crash.",
                    "cause-unknown",
                ),
                (
                    "A landslip caused by the downpour is thought to be the most likely cause, a railway source said.",
                    "landslip-suspected",
                ),
                (
                    "The line between Avenmouth and Tarrow will stay closed all weekend.",
                    "line-closed-weekend",
                ),
                (
                    "More than 60 mm of rain fell on the area in 12 hours, the weather service said.",
                    "rain>=60mm",
                ),
                ("The driver was treated at the scene for shock.", "driver-shock"),
                ("Holt Junction lies 30 km east of Avenmouth.", "holt-distance=30km"),
            ],
        ),
        Article(
            "rail-chronicle",
            "The Chronicle",
            date(2025, 11, 22),
            "Washed-out embankment blamed for Holt derailment",
            [
                (
                    "Seventeen people were injured, four of them seriously, when a passenger train derailed near Holt Junction on Friday night.",
                    "derail injured=17@ serious=4@",
                ),
                (
                    "There were more than 200 people aboard the Avenmouth-Tarrow express.",
                    "passengers>=200",
                ),
                (
                    "Investigators from the Rail Accident Branch said a section of embankment had been washed away beneath the track.",
                    "track-washed-out",
                ),
                (
                    "The train was travelling at about 40 mph when it hit the damaged section, they said.",
                    "speed~64kmh",
                ),
                ("The speed limit at that point is 50 mph.", "speed-limit=80kmh"),
                (
                    "Transport Secretary Nadia Ferro visited the scene on Saturday morning.",
                    "ferro-visit",
                ),
                (
                    "She ordered an urgent review of all lines running through areas at risk of flooding.",
                    "ferro-review",
                ),
                (
                    "“I am deeply sorry for what our passengers went through,” said Western Coast Rail's chief executive, Owen Marsh.",
                    "ceo-apology",
                ),
                (
                    "The train drivers' union said routine track inspections had been cut from weekly to monthly last year.",
                    "inspections-cut-claim",
                ),
                (
                    "Western Coast Rail said the track at Holt had last been inspected on Tuesday.",
                    "track-inspected-tuesday",
                ),
                ("The derailment is the worst on the line since 1998.", "worst-since-1998 !1998"),
                ("Replacement buses are running between Avenmouth and Tarrow.", "buses"),
            ],
        ),
        Article(
            "rail-tarrow",
            "Tarrow Evening News",
            date(2025, 11, 22),
            "Holt crash: 'everything tipped to the left'",
            [
                (
                    "Eleven people were hurt in Friday's derailment at Holt Junction, Western Coast Rail said on Saturday.",
                    "injured=11@",
                ),
                (
                    "Four of the eight coaches came off the track, the company added.",
                    "carriages-derailed=4",
                ),
                (
                    "Passengers described being thrown from their seats as the lights went out.",
                    "passengers-thrown",
                ),
                (
                    "“There was a bang and then everything tipped to the left,” said Rosa Kell, 29, who was travelling home to Tarrow.",
                    "kell-quote !29",
                ),
                (
                    "The train, the 17:55 from Avenmouth, was carrying 212 people.",
                    "passengers=212 !17:55",
                ),
                (
                    "Residents of Holt opened the village hall and brought tea and blankets to the passengers.",
                    "villagers-helped",
                ),
                (
                    "The cause has not been established, but heavy rain had fallen all afternoon.",
                    "cause-unknown",
                ),
                (
                    "Transport Secretary Nadia Ferro, who visited Holt, promised a full investigation.",
                    "ferro-visit ferro-investigation",
                ),
                (
                    "The driver, a 44-year-old from Avenmouth, was praised for applying the emergency brakes.",
                    "driver-praised !44-year-old",
                ),
                (
                    "The line is expected to stay closed until at least Wednesday.",
                    "line-closed-wednesday",
                ),
                ("Buses are replacing trains between Avenmouth and Tarrow.", "buses"),
            ],
        ),
        Article(
            "rail-observer",
            "The Weekly Observer",
            date(2025, 11, 23),
            "Rain, an embankment and a Friday-night express",
            [
                (
                    "Heavy rain washed away part of an embankment beneath the line at Holt Junction, causing Friday's derailment, investigators have said.",
                    "track-washed-out",
                ),
                (
                    "The express, with 212 passengers on board, was doing roughly 40 miles an hour.",
                    "passengers=212 speed~64kmh",
                ),
                (
                    "Seventeen passengers were injured; four remain in hospital in a serious condition.",
                    "injured=17@ serious=4@",
                ),
                (
                    "The train drivers' union claims track inspections on the route were reduced last year to save money.",
                    "inspections-cut-claim",
                ),
                (
                    "Western Coast Rail denied cutting inspections and said the Holt section was checked last Tuesday.",
                    "inspections-cut-denied track-inspected-tuesday",
                ),
                (
                    "Transport Secretary Nadia Ferro has ordered a review of every line vulnerable to flooding.",
                    "ferro-review",
                ),
                (
                    "Chief executive Owen Marsh apologised to passengers and their families.",
                    "ceo-apology",
                ),
                (
                    "No one was killed, which rescuers called “a small miracle”.",
                    "no-deaths !No_one",
                ),
                (
                    "It was the most serious accident on the Avenmouth-Tarrow line since 1998, when two people died at Cressing.",
                    "worst-since-1998 deaths-1998=2 !1998",
                ),
                (
                    "The line will remain shut until Wednesday at the earliest.",
                    "line-closed-wednesday",
                ),
                ("Some 60 mm of rain fell on Friday afternoon alone.", "rain~60mm"),
            ],
        ),
        Article(
            "rail-desk",
            "RailDesk",
            date(2025, 11, 24),
            "Holt derailment: embankment failure confirmed",
            [
                (
                    "Rail Accident Branch inspectors have confirmed that a washed-out embankment derailed the 17:55 Avenmouth-Tarrow express at Holt Junction on Friday.",
                    "track-washed-out derail !17:55",
                ),
                ("Three of the eight vehicles left the track.", "carriages-derailed=3"),
                (
                    "The train was running at 64 km/h, well under the 80 km/h limit.",
                    "speed=64kmh speed-limit=80kmh",
                ),
                ("Seventeen passengers were hurt.", "injured=17@"),
                (
                    "Engineers expect to reopen the line on Wednesday after rebuilding 40 metres of embankment.",
                    "line-closed-wednesday embankment-rebuilt=40m",
                ),
                (
                    "Western Coast Rail has rejected union claims that it cut track inspections.",
                    "inspections-cut-denied",
                ),
                ("The branch's interim report is due within six weeks.", "report-due"),
                (
                    "The operator had last inspected the Holt section on Nov. 18.",
                    "track-inspected-tuesday",
                ),
                (
                    "Transport Secretary Nadia Ferro is expected to make a statement to parliament on Tuesday.",
                    "ferro-statement",
                ),
                (
                    "It is the line's worst accident in more than a quarter of a century.",
                    "worst-since-1998",
                ),
            ],
        ),
    ],
)
