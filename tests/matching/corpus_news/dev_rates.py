"""DEV story 6: the Bank of Norland raises its main rate (Thursday 2 October 2025).

Facts: rate-hike with rate (4.5 % vs one outlet's 4.75 %: a conflict) and hike (a quarter
point, 25 basis points, 0.25), votes-for / votes-against, dissent-half-point,
first-hike (the first since 2008 / in 17 years), inflation-aug vs inflation-forecast (both
percentages, different things), stray-quote vs no-commitment vs markets-expect-december
(speculation), currency-gain (a level, ``@@``: 0.8 % on Thursday, 1.2 % by Friday),
banks-pass-on, pressure-claim vs pressure-denied (the bank) vs pressure-denied-ministry, dahl-reaction, gdp-q2, unemployment,
next-meeting.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "rates",
    [
        Article(
            "rates-exchange",
            "The Exchange",
            date(2025, 10, 2),
            "Bank of Norland raises rates to 4.5% as inflation bites",
            [
                (
                    "The Bank of Norland raised its main interest rate by a quarter of a percentage point to 4.5% on Thursday.",
                    "rate-hike rate=4.5% hike=0.25pt",
                ),
                ("It is the bank's first rate rise since 2008.", "first-hike !first !2008"),
                (
                    "Seven of the nine members of the monetary policy committee voted for the increase.",
                    "votes-for=7",
                ),
                (
                    "The other two wanted a bigger, half-point rise.",
                    "votes-against=2 dissent-half-point",
                ),
                (
                    "Consumer prices rose 6.2% in the year to August, more than three times the bank's 2% target.",
                    "inflation-aug=6.2% inflation-target=2%",
                ),
                (
                    "“Price stability is not negotiable,” Governor Elin Stray told a news conference.",
                    "stray-quote",
                ),
                (
                    "Stray declined to say whether rates would rise again this year.",
                    "no-commitment",
                ),
                (
                    "The krone gained 0.8% against the euro within an hour of the announcement.",
                    "currency-gain=0.8%@@",
                ),
                (
                    "The bank expects inflation to fall back to about 3% by the end of 2026.",
                    "inflation-forecast~3% !2026",
                ),
                ("Unemployment stands at 4.1%, close to a record low.", "unemployment=4.1%"),
                ("The next rate decision is due on 11 December.", "next-meeting"),
            ],
        ),
        Article(
            "rates-norlander",
            "Daily Norlander",
            date(2025, 10, 3),
            "First rate rise in 17 years will hit mortgage holders",
            [
                (
                    "Borrowers face higher repayments after the Bank of Norland lifted its benchmark rate for the first time in 17 years.",
                    "rate-hike first-hike",
                ),
                (
                    "The 25-basis-point rise, announced on Thursday, takes the rate to 4.5%.",
                    "rate-hike hike=0.25pt rate=4.5%",
                ),
                (
                    "Norbank and Kreditbanken, the two biggest lenders, said they would pass the increase on to mortgage customers from 1 November.",
                    "banks-pass-on",
                ),
                (
                    "A typical mortgage holder will pay about €40 a month more, the consumer group Hjem estimated.",
                    "mortgage-rise~40eur",
                ),
                (
                    "Governor Elin Stray said price stability was “not up for negotiation”.",
                    "stray-quote",
                ),
                (
                    "Two members of the nine-strong committee voted against, preferring a rise of half a point.",
                    "votes-against=2 dissent-half-point",
                ),
                ("Annual inflation reached 6.2% in August.", "inflation-aug=6.2%"),
                (
                    "Finance Minister Rolf Dahl called the decision “regrettable but necessary”.",
                    "dahl-reaction",
                ),
                (
                    "Opposition MPs said the government had put pressure on the bank to act.",
                    "pressure-claim",
                ),
                (
                    "By Friday the krone had risen 1.2% against the euro since the decision.",
                    "currency-gain=1.2%@@",
                ),
                ("Traders now expect another increase in December.", "markets-expect-december"),
            ],
        ),
        Article(
            "rates-wire",
            "Norland Market Wire",
            date(2025, 10, 2),
            "Norland central bank hikes to 4.75%; krone jumps",
            [
                (
                    "Norland's central bank increased borrowing costs on Thursday, taking its policy rate to 4.75%.",
                    "rate-hike rate=4.75%",
                ),
                (
                    "The decision, by a 7-2 vote, was the first increase since the 2008 financial crisis.",
                    "votes-for=7 votes-against=2 first-hike !2008",
                ),
                (
                    "The krone climbed 0.8% against the single currency after the statement.",
                    "currency-gain=0.8%@@",
                ),
                (
                    "Inflation ran at 6.2% in August, the statistics office said last month.",
                    "inflation-aug=6.2%",
                ),
                ("The economy grew 0.3% in the second quarter.", "gdp-q2=0.3% !second"),
                (
                    "Bank officials rejected any suggestion that the government had influenced the decision.",
                    "pressure-denied",
                ),
                ("Governor Stray gave no guidance on further moves.", "no-commitment"),
                (
                    "Money markets are pricing in another quarter-point rise at the December meeting.",
                    "markets-expect-december",
                ),
                (
                    "The bank's staff forecast inflation of around 3% at the end of next year.",
                    "inflation-forecast~3%",
                ),
                ("Shares in Norbank rose 2% in afternoon trading.", "norbank-shares=2%"),
            ],
        ),
        Article(
            "rates-herald",
            "The Sunday Herald",
            date(2025, 10, 6),
            "Why the Bank of Norland finally moved",
            [
                (
                    "Last Thursday the Bank of Norland put up interest rates for the first time since 2008.",
                    "rate-hike first-hike !2008",
                ),
                (
                    "Its main rate now stands at 4.5%, a quarter point higher than before.",
                    "rate=4.5% hike=0.25pt",
                ),
                (
                    "With prices rising at 6.2% a year, Governor Elin Stray said the bank could not wait any longer.",
                    "inflation-aug=6.2% stray-wait",
                ),
                (
                    "Two of the nine rate-setters pushed for a half-point increase.",
                    "votes-against=2 dissent-half-point",
                ),
                ("The bank has said nothing about what it will do in December.", "no-commitment"),
                (
                    "Markets, however, are betting on a further rise before Christmas.",
                    "markets-expect-december",
                ),
                (
                    "The finance ministry has denied claims that it leaned on the bank.",
                    "pressure-denied-ministry",
                ),
                ("Both big lenders will raise mortgage rates from November.", "banks-pass-on"),
                (
                    "The jobless rate, at 4.1%, leaves little slack in the labour market.",
                    "unemployment=4.1%",
                ),
                ("The bank aims for inflation of 2% over the medium term.", "inflation-target=2%"),
                (
                    "Economists at Kreditbanken expect growth to slow to 0.1% in the third quarter.",
                    "gdp-q3-forecast=0.1% !third",
                ),
            ],
        ),
    ],
)
