"""HELD_OUT story 2: a prisoner exchange between Varnia and Ostmark (Thursday 23 October 2025).

Written after the DEV stories. Facts: swap, swap-place (also told as "190 in all": swapped-total, a
different kind from swapped-each, which one outlet gives as 97: a conflict), mediator,
civilians, wounded-returnees, marek-quote, mistreatment-claim vs mistreatment-denied,
bodies-to-ostmark vs bodies-to-varnia (same kind of figure, different direction),
vell-freed, next-swap-talks (speculation) vs next-swap-agreed, aug-swap-each (an earlier
exchange), buses-to-hospital, third-swap.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "swap",
    [
        Article(
            "swap-national",
            "Varnia National News",
            date(2025, 10, 23),
            "95 Varnian soldiers home in prisoner exchange",
            [
                (
                    "Varnia and Ostmark exchanged 95 prisoners each on Thursday at the Seret river crossing near Kolm.",
                    "swap swap-place swapped-each=95",
                ),
                (
                    "The exchange was brokered by Sundar, whose envoys were present at the bridge.",
                    "mediator",
                ),
                (
                    "Among the Varnians who came home were eight civilians, the defence ministry said.",
                    "civilians=8",
                ),
                (
                    "Twelve of the returning soldiers are seriously wounded and were taken straight to intensive care.",
                    "wounded-returnees=12",
                ),
                (
                    "“We will bring every one of them home, however long it takes,” President Iliya Marek said.",
                    "marek-quote",
                ),
                (
                    "Journalist Dara Vell, held by Ostmark for 18 months, was also freed.",
                    "vell-freed",
                ),
                (
                    "It was the third exchange between the two countries this year.",
                    "third-swap !third",
                ),
                (
                    "The freed men were taken by bus to the military hospital in Kolm.",
                    "buses-to-hospital",
                ),
                (
                    "Varnia also handed over the bodies of 40 fallen Ostmark soldiers.",
                    "bodies-to-ostmark=40",
                ),
                (
                    "Families waited for hours in the rain outside the hospital gates.",
                    "families-waited",
                ),
                (
                    "In August, 60 prisoners from each side were swapped at the same crossing.",
                    "aug-swap-each=60",
                ),
            ],
        ),
        Article(
            "swap-herald",
            "Ostmark Herald",
            date(2025, 10, 23),
            "Ostmark prisoners freed; ministry alleges abuse",
            [
                (
                    "Ninety-five Ostmark servicemen returned home on Thursday in a swap with Varnia on the Seret bridge.",
                    "swap swap-place swapped-each=95",
                ),
                (
                    "Ostmark's defence ministry said many of them bore signs of mistreatment in Varnian custody.",
                    "mistreatment-claim",
                ),
                (
                    "The mediation of Sundar made the exchange possible, the ministry added.",
                    "mediator",
                ),
                (
                    "In return Ostmark released the same number of Varnian prisoners, eight of them civilians.",
                    "swap civilians=8",
                ),
                (
                    "The bodies of 40 soldiers were repatriated to Ostmark as part of the deal.",
                    "bodies-to-ostmark=40",
                ),
                ("Ostmark handed back the remains of 25 Varnian soldiers.", "bodies-to-varnia=25"),
                (
                    "Officials said talks on a further exchange could begin next month.",
                    "next-swap-talks",
                ),
                (
                    "Several of the returning men embraced their relatives at the border post before boarding buses.",
                    "embrace-border",
                ),
                ("The ministry published the names of all those released.", "names-published"),
                (
                    "This year's previous exchange, in August, involved 60 men from each side.",
                    "aug-swap-each=60",
                ),
            ],
        ),
        Article(
            "swap-wire",
            "International Wire",
            date(2025, 10, 24),
            "Varnia, Ostmark swap 190 prisoners in Sundar-brokered deal",
            [
                (
                    "A total of 190 prisoners were exchanged by Varnia and Ostmark on Thursday in a deal brokered by Sundar.",
                    "swap swapped-total=190 mediator",
                ),
                (
                    "The swap took place on the bridge over the Seret, which marks the border near the town of Kolm.",
                    "swap-place",
                ),
                (
                    "Ostmark accused Varnian guards of mistreating its soldiers.",
                    "mistreatment-claim",
                ),
                (
                    "Varnia's foreign ministry rejected the accusation as “propaganda”.",
                    "mistreatment-denied",
                ),
                (
                    "Varnian journalist Dara Vell, detained in Ostmark since April last year, was among those freed.",
                    "vell-freed",
                ),
                ("A dozen of the Varnian soldiers have severe wounds.", "wounded-returnees=12"),
                (
                    "Sundar said both sides had agreed in principle to another exchange before the end of the year.",
                    "next-swap-agreed",
                ),
                (
                    "Varnia also handed over the bodies of 40 Ostmark soldiers, and Ostmark those of 25 Varnians.",
                    "bodies-to-ostmark=40 bodies-to-varnia=25",
                ),
                (
                    "President Iliya Marek promised that Varnia would bring all its prisoners home.",
                    "marek-quote",
                ),
                ("Varnia says Ostmark still holds about 1,500 of its citizens.", "still-held~1500"),
                ("The conflict between the two countries began in 2023.", "war-began-2023 !2023"),
            ],
        ),
        Article(
            "swap-courier",
            "Kolm Courier",
            date(2025, 10, 25),
            "At the Seret bridge: a long-awaited homecoming",
            [
                (
                    "Ostmark said on Friday it had received 97 of its soldiers in Thursday's exchange, not 95.",
                    "swapped-each=97",
                ),
                (
                    "The men crossed the Seret bridge on foot in groups of ten.",
                    "on-foot swap-place",
                ),
                ("Eight Varnian civilians were among those freed.", "civilians=8"),
                (
                    "Twelve returnees were in a serious condition, the Kolm military hospital said.",
                    "wounded-returnees=12",
                ),
                (
                    "Buses took the freed Varnians to the hospital, where families had gathered since dawn.",
                    "buses-to-hospital families-waited",
                ),
                (
                    "Reporter Dara Vell, 34, told the Courier she had been kept in solitary confinement for months.",
                    "vell-solitary !34",
                ),
                (
                    "Varnia denied Ostmark's allegations that prisoners had been abused.",
                    "mistreatment-denied",
                ),
                ("Ostmark returned the remains of 25 Varnian servicemen.", "bodies-to-varnia=25"),
                ("It was the largest swap between the two countries so far.", "largest-swap"),
                ("Sundar has mediated all three exchanges this year.", "mediator third-swap"),
            ],
        ),
    ],
)
