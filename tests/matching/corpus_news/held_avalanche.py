"""HELD_OUT story 4: an avalanche at the Valdorn ski resort (Saturday 13 December 2025).

Written after the DEV stories. Facts: avalanche (Saturday late morning, the Kessel run),
buried, dead (a count over three days; 3 vs 4 on the same Sunday: a conflict), rescued-alive,
missing (a level: it falls as people are found), rescuers, dogs vs helicopters, warning-level,
slope-open-claim vs slope-closed-statement (a claim and its answer), trigger-speculation vs
trigger-unknown, probe-manslaughter, lifts-closed vs lifts-reopen, fresh-snow,
deadliest-since-1999 vs deaths-1999, victims-german.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "avalanche",
    [
        Article(
            "aval-post",
            "Valdorn Post",
            date(2025, 12, 13),
            "Avalanche buries skiers on Valdorn's Kessel run",
            [
                (
                    "An avalanche swept down the Kessel run at the Valdorn ski resort shortly before noon on Saturday, burying nine skiers.",
                    "avalanche buried=9",
                ),
                (
                    "Two of them were dug out dead and five were rescued alive, the mountain rescue service said.",
                    "dead=2@ rescued-alive=5",
                ),
                ("Two people were still missing on Saturday evening.", "missing=2@@"),
                (
                    "More than 150 rescuers, a dozen search dogs and three helicopters were taking part in the search.",
                    "rescuers>=150 dogs=12 helicopters=3",
                ),
                (
                    "The regional avalanche service had issued a level 4 warning, the second-highest on its scale, on Friday.",
                    "warning-level=4 !second-highest",
                ),
                ("About 80 cm of fresh snow fell on the resort in 48 hours.", "fresh-snow~80cm"),
                (
                    "Witnesses said the run had been open to skiers despite the warning.",
                    "slope-open-claim",
                ),
                (
                    "Police said it was too early to say what had set off the slide.",
                    "trigger-unknown",
                ),
                (
                    "All lifts on the Kessel side of the mountain were closed for the rest of the day.",
                    "lifts-closed-saturday",
                ),
                (
                    "The resort's director, Anton Reiss, said he was “devastated”.",
                    "reiss-devastated",
                ),
                (
                    "Valdorn, one of the country's busiest resorts, had opened for the season a week earlier.",
                    "season-opened !one_of_the_country's_busiest",
                ),
            ],
        ),
        Article(
            "aval-wire",
            "Alpine Wire",
            date(2025, 12, 14),
            "Valdorn avalanche death toll rises to four",
            [
                (
                    "Four people were killed when an avalanche engulfed a group of skiers at Valdorn on Saturday, police said on Sunday.",
                    "avalanche dead=4@",
                ),
                (
                    "The bodies of the two skiers who had been missing were found on Sunday morning.",
                    "missing-found",
                ),
                (
                    "Five other skiers were pulled out of the snow alive, one of them in a critical condition.",
                    "rescued-alive=5 critical=1",
                ),
                (
                    "Two of the dead were German nationals, the foreign ministry in Berlin confirmed.",
                    "victims-german",
                ),
                ("Prosecutors have opened a manslaughter investigation.", "probe-manslaughter"),
                (
                    "The resort insisted the Kessel run had been closed since Friday and that the group had ignored barriers.",
                    "slope-closed-statement",
                ),
                ("A level 4 avalanche warning was in force across the region.", "warning-level=4"),
                (
                    "Some 150 rescue workers and twelve dogs took part in the operation.",
                    "rescuers~150 dogs=12",
                ),
                (
                    "It was the deadliest avalanche in the region since 1999, when 12 people died at Sankt Loren.",
                    "deadliest-since-1999 deaths-1999=12 !1999",
                ),
                (
                    "The resort said all its lifts would stay closed on Sunday.",
                    "lifts-closed-sunday",
                ),
            ],
        ),
        Article(
            "aval-radio",
            "Radio Alpina",
            date(2025, 12, 14),
            "Three dead at Valdorn, one skier still missing",
            [
                (
                    "Three skiers have died after Saturday's avalanche on the Kessel slope at Valdorn, the rescue service said on Sunday.",
                    "dead=3@",
                ),
                ("One person was still unaccounted for at midday on Sunday.", "missing=1@@"),
                (
                    "Nine people were caught by the snow mass, which was about 300 metres wide.",
                    "buried=9 avalanche-width~300m",
                ),
                (
                    "Rescuers said some skiers may have triggered the avalanche by leaving the marked piste.",
                    "trigger-speculation",
                ),
                (
                    "The Kessel run was open on Saturday morning, according to several skiers who spoke to Radio Alpina.",
                    "slope-open-claim",
                ),
                (
                    "Resort director Anton Reiss said the run had been shut on Friday evening because of the danger.",
                    "slope-closed-statement",
                ),
                ("Up to 80 centimetres of snow had fallen since Thursday.", "fresh-snow<=80cm"),
                (
                    "Three helicopters flew the injured to hospital in Kessenburg.",
                    "helicopters=3 injured-flown",
                ),
                ("The avalanche warning stood at 4 on a five-point scale.", "warning-level=4"),
                ("All lifts at the resort remained closed on Sunday.", "lifts-closed-sunday"),
            ],
        ),
        Article(
            "aval-times",
            "Northern Times",
            date(2025, 12, 15),
            "Valdorn: questions over open run after four die",
            [
                (
                    "The death toll from Saturday's avalanche at Valdorn rose to at least four after the last missing skier was found dead on Sunday.",
                    "dead>=4@ missing-found",
                ),
                ("No one is now missing, police said.", "missing=0@@ !No_one"),
                ("Two of the victims were from Germany.", "victims-german"),
                (
                    "Prosecutors in Kessenburg are investigating possible manslaughter.",
                    "probe-manslaughter",
                ),
                (
                    "Skiers say the Kessel run was open when the avalanche struck, despite a level 4 warning.",
                    "slope-open-claim warning-level=4",
                ),
                ("The resort maintains it had closed the run on Friday.", "slope-closed-statement"),
                (
                    "Investigators have not yet established what caused the slide.",
                    "trigger-unknown",
                ),
                (
                    "Five skiers survived after being dug out of the snow by rescuers.",
                    "rescued-alive=5",
                ),
                (
                    "The resort plans to reopen its lifts on Tuesday, except on the Kessel side.",
                    "lifts-reopen",
                ),
                (
                    "It is the region's deadliest avalanche for more than a quarter of a century.",
                    "deadliest-since-1999",
                ),
                (
                    "More than 80 cm of snow fell in the two days before the avalanche.",
                    "fresh-snow>=80cm",
                ),
            ],
        ),
    ],
)
