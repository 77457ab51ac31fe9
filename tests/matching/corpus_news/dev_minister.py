"""DEV story 4: Defence Minister Mirela Tost resigns over an armoured-vehicle contract (Monday 10 November 2025).

Facts: tost-resigns, contract-no-tender, contract-value, vehicles, overprice (audit),
audit-published, tost-denies (wrongdoing) vs tost-quote, board-claim (her brother-in-law on
the supplier's board) vs tost-denies-knowing, arvex-defends, pm-accepts, interim-dunn,
opposition-demands-probe (Monday) vs probe-opened (Wednesday), motion-announced vs motion-tabled, motion-failed with
motion-against / motion-for (two figures of one vote, different kinds), first-resignation,
contract-signed-march.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "minister",
    [
        Article(
            "min-herald",
            "The Capital Herald",
            date(2025, 11, 10),
            "Defence minister Tost resigns over Arvex contract",
            [
                (
                    "Defence Minister Mirela Tost resigned on Monday, three days after a damning audit of a military procurement deal.",
                    "tost-resigns audit-published",
                ),
                (
                    "The State Audit Office found that a €340 million contract for 48 armoured vehicles had been awarded to Arvex Systems without a public tender.",
                    "contract-no-tender contract-value=340_000_000eur vehicles=48",
                ),
                (
                    "According to the auditors, the ministry paid roughly 30% more per vehicle than neighbouring countries.",
                    "overprice~30%",
                ),
                (
                    "“I leave with a clear conscience and I will cooperate fully with any inquiry,” Tost said in a statement.",
                    "tost-quote",
                ),
                ("She denied any wrongdoing.", "tost-denies"),
                ("Prime Minister Aron Valdes accepted her resignation within hours.", "pm-accepts"),
                (
                    "Deputy Minister Karel Dunn will run the ministry until a successor is named.",
                    "interim-dunn",
                ),
                (
                    "Tost is the first member of the Valdes cabinet to step down since it took office in 2023.",
                    "first-resignation !first !2023",
                ),
                (
                    "Opposition leaders demanded a criminal investigation into the deal.",
                    "opposition-demands-probe",
                ),
                (
                    "The contract was signed in March, weeks before the tender rules were tightened.",
                    "contract-signed-march",
                ),
                (
                    "Arvex said the contract had complied with every applicable rule.",
                    "arvex-defends",
                ),
                ("The vehicles are due to be delivered over four years.", "delivery-four-years"),
            ],
        ),
        Article(
            "min-sentinel",
            "Daily Sentinel",
            date(2025, 11, 11),
            "Tost quits: what the audit found",
            [
                (
                    "Mirela Tost stepped down as defence minister on Monday over a no-bid deal for armoured personnel carriers.",
                    "tost-resigns contract-no-tender",
                ),
                (
                    "The contract, worth 340 million euros, covered four dozen vehicles from the domestic firm Arvex.",
                    "contract-value=340_000_000eur vehicles=48",
                ),
                (
                    "Auditors concluded last Friday that the price per vehicle was almost a third higher than elsewhere in the region.",
                    "audit-published overprice~31%",
                ),
                (
                    "In a written statement Tost said she was leaving with a clear conscience and would help any investigation.",
                    "tost-quote",
                ),
                (
                    "Her brother-in-law sits on the supervisory board of Arvex, the Sentinel has learned.",
                    "board-claim",
                ),
                (
                    "A spokesman for Tost said she had not known of the appointment.",
                    "tost-denies-knowing",
                ),
                (
                    "Valdes accepted the resignation and named Karel Dunn, Tost's deputy, as acting minister.",
                    "pm-accepts interim-dunn",
                ),
                ("Arvex insisted that it had broken no rules.", "arvex-defends"),
                (
                    "The opposition has tabled a motion of no confidence in the government, to be voted on Wednesday.",
                    "motion-tabled",
                ),
                (
                    "She is the first minister to leave the cabinet since the 2023 election.",
                    "first-resignation !first !2023",
                ),
                (
                    "Defence spending has risen by 40% over the past three years.",
                    "spending-rise=40%",
                ),
            ],
        ),
        Article(
            "min-review",
            "Morning Review",
            date(2025, 11, 13),
            "Government survives confidence vote as prosecutors open Arvex probe",
            [
                (
                    "Prosecutors on Wednesday opened a criminal investigation into the award of the Arvex contract.",
                    "probe-opened",
                ),
                (
                    "The government of Aron Valdes survived a no-confidence vote the same day, by 84 votes to 61.",
                    "motion-failed motion-against=84 motion-for=61",
                ),
                (
                    "The motion had been brought after Defence Minister Mirela Tost resigned on Monday.",
                    "motion-tabled tost-resigns",
                ),
                ("Tost has denied acting improperly.", "tost-denies"),
                (
                    "The €340m deal for 48 vehicles was signed without a tender, auditors found last week.",
                    "contract-no-tender contract-value=340_000_000eur vehicles=48 audit-published",
                ),
                ("Auditors estimate the army overpaid by about a fifth.", "overprice~20%"),
                (
                    "A relative of Tost by marriage is a member of Arvex's supervisory board.",
                    "board-claim",
                ),
                (
                    "Acting defence minister Karel Dunn said the contract would be reviewed line by line.",
                    "dunn-review",
                ),
                ("Arvex has said it followed all procurement rules.", "arvex-defends"),
                ("Two members of the governing coalition abstained.", "abstained=2"),
                ("The deal was signed in March of this year.", "contract-signed-march"),
            ],
        ),
        Article(
            "min-vox",
            "Vox Online",
            date(2025, 11, 10),
            "Minister out after audit; opposition wants prosecutors in",
            [
                ("The defence minister, Mirela Tost, has quit.", "tost-resigns"),
                (
                    "Her resignation follows Friday's report by state auditors on the purchase of 48 armoured vehicles.",
                    "audit-published vehicles=48",
                ),
                (
                    "The ministry bought the vehicles from Arvex Systems for €340 million without inviting other bids, the report said.",
                    "contract-no-tender contract-value=340_000_000eur",
                ),
                (
                    "Each vehicle cost about 30 percent more than comparable models bought by neighbouring armies, the auditors found.",
                    "overprice~30%",
                ),
                ("Tost rejected all accusations of wrongdoing.", "tost-denies"),
                (
                    "Prime Minister Valdes said he had accepted her decision “with regret”.",
                    "pm-accepts",
                ),
                (
                    "Opposition parties called on prosecutors to investigate.",
                    "opposition-demands-probe",
                ),
                ("They also said they would seek a vote of no confidence.", "motion-announced"),
                (
                    "Arvex, based in the northern city of Lenz, employs 1,800 people.",
                    "arvex-staff=1800",
                ),
                ("The company said the contract was lawful.", "arvex-defends"),
                ("Tost, 51, had been defence minister since 2023.", "tost-since-2023 !2023 !51"),
            ],
        ),
    ],
)
