"""DEV story 3: Corvane Motors closes its Halden plant (announced Tuesday 7 October 2025).

Facts: plant-closure, job-cuts (company 1,200 vs union 1,450: a real conflict; a sentence
giving both agrees with either), workforce, plant-opened-1962, vela-moves-kastelo,
hoff-quote, sales-drop, severance vs q3-loss (both euros, different things), shares-rise,
first-closure, abroad-claim vs abroad-denied, brekk-buyer, subsidy-ruled-out vs
subsidy-not-ruled-out (the minister changed his line), protest-called vs protest-march,
turnout-organisers (4,000 vs more than 6,000: a conflict) vs turnout-police, sandor-occupy,
supplier-jobs (speculation, "up to 3,000") vs supplier-workforce (3,000 employed).
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "plant",
    [
        Article(
            "plant-gazette",
            "Halden Gazette",
            date(2025, 10, 7),
            "Corvane to close Halden plant, 1,200 jobs to go",
            [
                (
                    "Corvane Motors will close its Halden assembly plant by the end of 2026, cutting 1,200 jobs, the carmaker announced on Tuesday.",
                    "plant-closure job-cuts=1200",
                ),
                (
                    "The factory, the town's largest employer, has built cars since 1962 and employs about 2,300 people.",
                    "plant-opened-1962 workforce~2300 !1962",
                ),
                (
                    "Production of the Vela hatchback will move to Corvane's Kastelo plant in the south of the country.",
                    "vela-moves-kastelo",
                ),
                (
                    "“This decision was not taken lightly, but the market has changed faster than any of us expected,” chief executive Lena Hoff said.",
                    "hoff-quote",
                ),
                (
                    "Corvane's sales of petrol and diesel models fell 18% in the first half of the year.",
                    "sales-drop=18%",
                ),
                (
                    "The company set aside €60 million to cover redundancy payments.",
                    "severance=60_000_000eur",
                ),
                (
                    "It also reported a third-quarter loss of €210 million.",
                    "q3-loss=210_000_000eur !third-quarter",
                ),
                (
                    "The Metalworkers' Union put the number of jobs at risk at 1,450.",
                    "job-cuts=1450",
                ),
                ("The union called a protest march in Halden for Saturday.", "protest-called"),
                ("Shares in Corvane rose 4 percent in Tuesday trading.", "shares-rise=4%"),
                (
                    "It is the first time in its 63-year history that Corvane has shut a plant.",
                    "first-closure !first !63-year",
                ),
                (
                    "Suppliers in the region could lose up to 3,000 more jobs, the chamber of commerce warned.",
                    "supplier-jobs<=3000",
                ),
                (
                    "Corvane is also considering moving engine production to Ardania, people familiar with the plans told the Gazette.",
                    "abroad-claim",
                ),
            ],
        ),
        Article(
            "plant-review",
            "Ardent Business Review",
            date(2025, 10, 8),
            "Corvane shuts Halden factory as combustion demand slumps",
            [
                (
                    "Carmaker Corvane is to shut its factory in Halden, with the loss of 1,200 jobs, as demand for combustion-engine cars slumps.",
                    "plant-closure job-cuts=1200",
                ),
                (
                    "The plant will stop production at the end of next year, the company said on Tuesday.",
                    "plant-closure",
                ),
                (
                    "Its roughly 2,300 workers assemble the Vela, which will in future be built in Kastelo.",
                    "workforce~2300 vela-moves-kastelo",
                ),
                (
                    "Chief executive Lena Hoff said the market had shifted more quickly than the company had anticipated.",
                    "hoff-quote",
                ),
                (
                    "Corvane reported a quarterly loss of €210m, wider than analysts had forecast.",
                    "q3-loss=210_000_000eur loss-wider",
                ),
                (
                    "Combustion-engine sales dropped by almost a fifth in the first six months.",
                    "sales-drop~19%",
                ),
                (
                    "A report in the Halden Gazette that Corvane planned to move production to Ardania was denied by the company.",
                    "abroad-denied",
                ),
                (
                    "Economy Minister Jonas Brekk said the government would look for a buyer for the site.",
                    "brekk-buyer",
                ),
                ("Brekk ruled out state subsidies to keep the plant open.", "subsidy-ruled-out"),
                ("Corvane shares closed 4% higher on the news.", "shares-rise=4%"),
                ("The company will spend €60m on severance.", "severance=60_000_000eur"),
                (
                    "Analysts said the Kastelo plant, Corvane's second-largest, was running at only 60% of capacity.",
                    "kastelo-capacity=60% !second-largest",
                ),
            ],
        ),
        Article(
            "plant-tribune",
            "Northern Tribune",
            date(2025, 10, 12),
            "Thousands march in Halden against Corvane closure",
            [
                (
                    "Thousands of people marched through Halden on Saturday to protest against the planned closure of the Corvane car plant.",
                    "protest-march",
                ),
                (
                    "Organisers put the turnout at about 4,000, while police estimated 2,500.",
                    "turnout-organisers~4000 turnout-police=2500",
                ),
                (
                    "Corvane announced on Tuesday that it would close the Halden factory by the end of 2026, shedding 1,200 jobs.",
                    "plant-closure job-cuts=1200",
                ),
                (
                    "The Metalworkers' Union says the true number is closer to 1,450.",
                    "job-cuts~1450",
                ),
                (
                    "Union leader Piet Sandor told the crowd that workers would occupy the plant if no buyer was found.",
                    "sandor-occupy",
                ),
                (
                    "Economy Minister Jonas Brekk has said he will try to find a buyer for the site.",
                    "brekk-buyer",
                ),
                (
                    "On Friday Brekk did not rule out state help for a new owner, a shift from his position earlier in the week.",
                    "subsidy-not-ruled-out",
                ),
                (
                    "The plant has employed generations of Halden families since it opened in 1962.",
                    "plant-opened-1962 !1962",
                ),
                ("About 2,300 people work there today.", "workforce~2300"),
                (
                    "Corvane has said the Vela model will be made at its Kastelo factory from 2027.",
                    "vela-moves-kastelo !2027",
                ),
                (
                    "The company has denied reports that it intends to move engine production abroad.",
                    "abroad-denied",
                ),
                (
                    "Shops in the town centre closed their shutters for an hour in solidarity.",
                    "shops-solidarity",
                ),
            ],
        ),
        Article(
            "plant-metro",
            "Metro Halden",
            date(2025, 10, 13),
            "Police and union far apart on Corvane march turnout",
            [
                (
                    "Roughly 2,500 people joined Saturday's march against the Corvane closure, police said; the union claimed more than 6,000.",
                    "protest-march turnout-police~2500 turnout-organisers>=6000",
                ),
                (
                    "Corvane plans to stop making cars in Halden at the end of 2026.",
                    "plant-closure",
                ),
                (
                    "The carmaker puts the job losses at 1,200; the union says 1,450.",
                    "job-cuts=1200 job-cuts=1450",
                ),
                (
                    "Union leader Piet Sandor warned that staff would take over the factory unless a buyer came forward.",
                    "sandor-occupy",
                ),
                (
                    "Chief executive Lena Hoff has said the car market changed faster than Corvane expected.",
                    "hoff-quote",
                ),
                (
                    "Minister Brekk said on Friday that public money for a buyer was not off the table.",
                    "subsidy-not-ruled-out",
                ),
                ("Corvane has budgeted €60 million for redundancies.", "severance=60_000_000eur"),
                (
                    "Engine production could be moved to Ardania, the Halden Gazette reported last week, citing people familiar with the plans.",
                    "abroad-claim",
                ),
                ("The company has denied that.", "abroad-denied"),
                (
                    "Corvane lost €210 million in the third quarter.",
                    "q3-loss=210_000_000eur !third",
                ),
                (
                    "Regional suppliers employ around 3,000 people who depend on the plant's orders.",
                    "supplier-workforce~3000",
                ),
            ],
        ),
    ],
)
