"""HELD_OUT story 3: a ransomware attack on Carrow Health Trust (Monday 1 September 2025).

Written after the DEV stories. Facts: attack, hospitals, cancelled (appointments, a running
count), ambulance-diverted, ae-open, paper-records, ransom ($4m vs $5m: a conflict),
no-pay, negotiate-claim vs negotiate-denied, data-may-be-stolen (speculation) vs
data-published (stated) with data-size, patients-records, nightjar-claims,
agency-investigates, sole-quote, banks-statement, restore-weeks vs email-restored,
second-attack.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "cyber",
    [
        Article(
            "cyber-star",
            "Carrow Evening Star",
            date(2025, 9, 1),
            "Cyber attack cripples Carrow hospitals",
            [
                (
                    "Computer systems at Carrow Health Trust were crippled by a ransomware attack in the early hours of Monday.",
                    "attack",
                ),
                (
                    "The trust, which runs five hospitals in and around Carrow, cancelled 1,200 outpatient appointments.",
                    "hospitals=5 cancelled=1200@",
                ),
                (
                    "Ambulances are being sent to neighbouring trusts, although the emergency department at Carrow General remains open.",
                    "ambulance-diverted ae-open",
                ),
                (
                    "Staff have gone back to pen and paper to record patients' details.",
                    "paper-records",
                ),
                (
                    "“The safety of our patients is our absolute priority,” said the trust's chief executive, Dr Imran Sole.",
                    "sole-quote",
                ),
                (
                    "The National Cyber Agency and police have been called in.",
                    "agency-investigates",
                ),
                ("It is not yet known whether patient data was taken.", "data-unknown"),
                (
                    "Patients were asked to attend planned appointments unless contacted.",
                    "attend-unless-contacted",
                ),
                (
                    "The trust treats more than 600,000 patients a year.",
                    "patients-per-year>=600_000",
                ),
                ("Health Minister Olu Banks said she was being kept informed.", "banks-informed"),
                ("It is the second attack on a health trust this year.", "second-attack !second"),
            ],
        ),
        Article(
            "cyber-dispatch",
            "Tech Dispatch",
            date(2025, 9, 2),
            "Nightjar gang claims Carrow hospital hack, demands $4m",
            [
                (
                    "The Nightjar ransomware gang has claimed responsibility for Monday's attack on Carrow Health Trust.",
                    "nightjar-claims",
                ),
                (
                    "On its leak site the group demanded $4 million in bitcoin, threatening to publish stolen files.",
                    "ransom=4_000_000usd",
                ),
                (
                    "Nightjar says it holds the records of 1.2 million patients, a claim the trust has not confirmed.",
                    "patients-records=1_200_000 data-may-be-stolen",
                ),
                (
                    "The trust said it would not pay a ransom, in line with government guidance.",
                    "no-pay",
                ),
                (
                    "Outpatient cancellations rose to more than 2,000 on Tuesday.",
                    "cancelled>=2000@",
                ),
                (
                    "Security researchers said the attackers probably got in through an unpatched remote-access server.",
                    "entry-speculation",
                ),
                (
                    "The National Cyber Agency is helping the trust to investigate.",
                    "agency-investigates",
                ),
                (
                    "Nightjar was behind a similar attack on a Lorreta hospital group in March.",
                    "nightjar-lorreta",
                ),
                (
                    "Carrow's five hospitals are falling back on paper forms.",
                    "hospitals=5 paper-records",
                ),
                (
                    "Chief executive Imran Sole said restoring all systems could take weeks.",
                    "restore-weeks",
                ),
            ],
        ),
        Article(
            "cyber-national",
            "The National",
            date(2025, 9, 3),
            "Hospital hackers want $5m; trust refuses to pay",
            [
                (
                    "Hackers who paralysed Carrow Health Trust's computers are demanding a ransom of $5m, according to a message seen by The National.",
                    "ransom=5_000_000usd",
                ),
                (
                    "At least 3,000 appointments and operations have now been called off.",
                    "cancelled>=3000@",
                ),
                (
                    "The trust is in talks with the attackers, a person with knowledge of the matter said.",
                    "negotiate-claim",
                ),
                (
                    "A trust spokeswoman said there had been no contact with the criminals and that no ransom would be paid.",
                    "negotiate-denied no-pay",
                ),
                (
                    "Health Minister Olu Banks told parliament that patient care “must not be held hostage”.",
                    "banks-statement",
                ),
                (
                    "A&E at Carrow General is still taking patients, but ambulances carrying the most serious cases go elsewhere.",
                    "ae-open ambulance-diverted",
                ),
                (
                    "The Nightjar group, which has claimed the attack, says it stole the data of 1.2 million patients.",
                    "nightjar-claims patients-records=1_200_000 data-may-be-stolen",
                ),
                ("Police have arrested no one.", "no-arrests"),
                (
                    "Dr Imran Sole, the chief executive, said patients' safety came first.",
                    "sole-quote",
                ),
                ("GP surgeries in the area cannot see hospital test results.", "gp-results"),
                ("The trust runs five hospitals.", "hospitals=5"),
            ],
        ),
        Article(
            "cyber-fm",
            "Carrow FM",
            date(2025, 9, 4),
            "Hackers publish Carrow patient files",
            [
                (
                    "The hackers behind the attack on Carrow Health Trust published around 400 gigabytes of stolen files overnight.",
                    "data-published data-size~400gb",
                ),
                (
                    "The trust confirmed that some of the files contained patient information.",
                    "data-confirmed",
                ),
                (
                    "Email was working again at the trust's five hospitals on Thursday.",
                    "email-restored hospitals=5",
                ),
                ("Some 3,500 appointments have been cancelled since Monday.", "cancelled~3500@"),
                (
                    "Patients who are worried can call a helpline on 0800 555 0199.",
                    "helpline !0800_555_0199",
                ),
                ("Nightjar had asked for four million dollars.", "ransom=4_000_000usd"),
                ("The trust has said it will not pay.", "no-pay"),
                (
                    "Ambulances are still being diverted to hospitals in neighbouring areas.",
                    "ambulance-diverted",
                ),
                (
                    "The Information Commissioner's office said it had opened an inquiry.",
                    "ico-inquiry",
                ),
                ("Health Minister Olu Banks will visit Carrow on Friday.", "banks-visit"),
            ],
        ),
        Article(
            "cyber-care",
            "Care Weekly",
            date(2025, 9, 5),
            "Carrow attack: 4,500 appointments lost in a week",
            [
                (
                    "A week of disruption at Carrow Health Trust has cost 4,500 cancelled appointments and operations.",
                    "cancelled=4500@",
                ),
                ("Ransomware hit the trust's systems early on Monday 1 September.", "attack"),
                (
                    "Criminals published about 400GB of data on Wednesday night, including scanned patient letters.",
                    "data-published data-size~400gb",
                ),
                ("The trust had refused to pay the $4m ransom.", "no-pay ransom=4_000_000usd"),
                (
                    "Chief executive Imran Sole denied reports that the trust had negotiated with the hackers.",
                    "negotiate-denied",
                ),
                (
                    "Full recovery of the trust's IT systems may take several weeks.",
                    "restore-weeks",
                ),
                ("Email was restored on Thursday.", "email-restored"),
                (
                    "Staff in the five hospitals are still working with paper records.",
                    "hospitals=5 paper-records",
                ),
                (
                    "The Nightjar gang, which has claimed the attack, targeted a hospital group in Lorreta earlier this year.",
                    "nightjar-claims nightjar-lorreta",
                ),
                (
                    "The National Cyber Agency is leading the investigation with police.",
                    "agency-investigates",
                ),
                ("Nurses said the paper system was slow but safe.", "nurses-paper"),
            ],
        ),
    ],
)
