"""HELD_OUT story 1: the Lune valley hosepipe ban (announced Tuesday 12 August 2025).

Written after the DEV stories and never used to choose anything. Facts: hose-ban, affected
(1.4 million vs 1.1 million: a conflict), helm-level (a level that may fall: ``@@``; 31 % vs
34 % for the same Monday: a conflict), fine, prowse-quote vs prowse-praise, driest-july,
july-rain, july-rain-share, exempt, leakage (campaigners 180 million litres vs company 150
million: a conflict) with leakage-claim, leakage-cut, bonus-claim vs bonus-denied,
first-since-2022 vs last-ban-lifted-2022, ban-may-last-october (speculation) vs
ban-review-sept, regulator-probe (will examine) vs regulator-inquiry-opened, farmers-cut.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "water",
    [
        Article(
            "water-post",
            "Brannock Post",
            date(2025, 8, 12),
            "Hosepipe ban from Friday as reservoirs run low",
            [
                (
                    "Brannock Water will ban the use of garden hosepipes from Friday, the company announced on Tuesday, as reservoirs run low after the driest July in nearly 50 years.",
                    "hose-ban driest-july",
                ),
                (
                    "The ban will affect 1.4 million customers across the Lune valley.",
                    "affected=1_400_000",
                ),
                (
                    "Helm reservoir, the region's main source, was 31% full on Monday.",
                    "helm-level=31%@@2025-08-11",
                ),
                ("Households caught breaking the ban face fines of up to £1,000.", "fine<=1000gbp"),
                (
                    "“We do not take this step lightly, but every litre now counts,” chief executive Hannah Prowse said.",
                    "prowse-quote",
                ),
                (
                    "Only 22 mm of rain fell in July, a fifth of the monthly average.",
                    "july-rain=22mm july-rain-share~20%",
                ),
                (
                    "Blue badge holders and people who need water for medical reasons will be exempt.",
                    "exempt",
                ),
                (
                    "Campaigners say the company loses 180 million litres a day through leaking pipes.",
                    "leakage-claim leakage=180_000_000l",
                ),
                (
                    "It is the first hosepipe ban in the region since 2022.",
                    "first-since-2022 !first !2022",
                ),
                ("Temperatures reached 34C in Brannock on Tuesday.", "temp-34"),
                (
                    "The company said the restrictions would be reviewed on 1 September.",
                    "ban-review-sept",
                ),
                (
                    "Farmers have been asked to cut the water they draw from the river Lune by a quarter.",
                    "farmers-cut~25%",
                ),
            ],
        ),
        Article(
            "water-standard",
            "Southern Standard",
            date(2025, 8, 13),
            "Lune valley hosepipe ban: what you need to know",
            [
                (
                    "More than a million homes and businesses in the Lune valley will be barred from using hosepipes from Friday 15 August.",
                    "hose-ban affected>=1_000_000",
                ),
                (
                    "Brannock Water blamed the driest July since 1976 for the restrictions.",
                    "driest-july !1976",
                ),
                ("Breaching the ban could cost offenders as much as £1,000.", "fine<=1000gbp"),
                (
                    "Its chief executive, Hannah Prowse, said the decision had not been taken lightly.",
                    "prowse-quote",
                ),
                (
                    "The company admitted that leaks cost it about 150 million litres every day, less than campaigners claim.",
                    "leakage~150_000_000l",
                ),
                ("Leakage has fallen 15% since 2020, it said.", "leakage-cut=15% !2020"),
                (
                    "Campaign group Clear Rivers said the company's directors had shared a £2m bonus this year.",
                    "bonus-claim bonus=2_000_000gbp",
                ),
                (
                    "Brannock Water denied that any bonus had been paid for 2025.",
                    "bonus-denied !2025",
                ),
                (
                    "Helm reservoir stood at under a third of capacity at the start of the week.",
                    "helm-level<=33%@@2025-08-11",
                ),
                (
                    "Scientists warned that the restrictions could stay in place until October if the dry weather continues.",
                    "ban-may-last-october",
                ),
                (
                    "The regional water regulator said it would examine the company's handling of leaks.",
                    "regulator-probe",
                ),
                ("Garden centres reported a rush on water butts.", "water-butts"),
            ],
        ),
        Article(
            "water-radio",
            "Valley Radio",
            date(2025, 8, 14),
            "Hosepipe ban starts tomorrow for 1.1 million",
            [
                (
                    "A hosepipe ban for 1.1 million Brannock Water customers starts tomorrow.",
                    "hose-ban affected=1_100_000",
                ),
                (
                    "People who wash cars or water gardens with a hose risk a fine of up to a thousand pounds.",
                    "fine<=1000gbp",
                ),
                (
                    "The ban could last into October unless there is significant rain, forecasters said.",
                    "ban-may-last-october",
                ),
                (
                    "Helm reservoir was at 34 percent on Monday, according to the company's figures.",
                    "helm-level=34%@@2025-08-11",
                ),
                ("Rainfall in July was just a fifth of normal.", "july-rain-share~20%"),
                (
                    "The Clear Rivers group accuses company executives of awarding themselves £2 million in bonuses.",
                    "bonus-claim bonus=2_000_000gbp",
                ),
                ("The company says no bonuses were paid this year.", "bonus-denied"),
                (
                    "Farmers along the Lune have been told to reduce river abstraction by 25%.",
                    "farmers-cut=25%",
                ),
                (
                    "The last ban in the region was lifted in October 2022.",
                    "last-ban-lifted-2022 !2022",
                ),
                ("Disabled people with a blue badge will not be affected.", "exempt"),
                (
                    "Listeners told the station that water pressure had already dropped in parts of Helm.",
                    "pressure-dropped",
                ),
            ],
        ),
        Article(
            "water-voice",
            "The Independent Voice",
            date(2025, 8, 16),
            "Hosepipe ban in force as Helm reservoir falls to 29%",
            [
                (
                    "Hosepipes have been banned across the Lune valley since Friday, affecting 1.4 million customers.",
                    "hose-ban affected=1_400_000",
                ),
                ("It is the region's first such ban for three years.", "first-since-2022 !first"),
                (
                    "Helm reservoir has fallen to 29% of capacity, Brannock Water said on Friday.",
                    "helm-level=29%@@2025-08-15",
                ),
                (
                    "Brannock Water says it has cut leakage by 15% over five years.",
                    "leakage-cut=15%",
                ),
                (
                    "But it still loses some 150 million litres a day, by its own estimate.",
                    "leakage~150_000_000l",
                ),
                (
                    "Campaigners put the figure at 180 million.",
                    "leakage-claim leakage=180_000_000l",
                ),
                (
                    "Chief executive Hannah Prowse said customers had so far responded “magnificently”.",
                    "prowse-praise",
                ),
                (
                    "The company will decide on 1 September whether the ban should continue.",
                    "ban-review-sept",
                ),
                (
                    "Forecasters see little prospect of heavy rain before the end of the month.",
                    "rain-forecast",
                ),
                (
                    "The regulator has opened an inquiry into leaks on the company's network.",
                    "regulator-inquiry-opened",
                ),
                ("Fines for breaking the ban can reach £1,000.", "fine<=1000gbp"),
            ],
        ),
    ],
)
