"""DEV story 1: the Sarn Hills wildfire (3-8 August 2025). Running tallies grow by the day.

Facts: fire-start (Sunday 3 Aug, near Ostrel), burned (ha, tally), evacuees (tally),
firefighters (tally; two outlets disagree on the same Wednesday), smoke (firefighters treated),
ilves-fronts, wind, arson-suspected (speculation) vs arrest (Wednesday) vs arrest-2 (Friday),
lawyer-denies, water-claim vs water-denied, dunmere-threat (speculation) vs dunmere-reached,
lorreta-planes vs baskor-planes (same figure kind, different subject), a4-closed,
emergency-declared vs emergency-extended, worst-since-2017 vs burned-2017.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "wildfire",
    [
        Article(
            "fire-ledger",
            "The Velmora Ledger",
            date(2025, 8, 4),
            "Sarn Hills wildfire forces thousands from their homes",
            [
                (
                    "A wildfire that broke out on Sunday afternoon near the village of Ostrel has torn through some 4,000 hectares of pine forest in the Sarn Hills.",
                    "fire-start burned~4000ha@",
                ),
                (
                    "About 3,000 people were evacuated from Ostrel and two neighbouring hamlets overnight, the civil protection agency said.",
                    "evacuees~3000@",
                ),
                (
                    "Some 450 firefighters, backed by 40 fire engines, were battling the blaze on Monday.",
                    "firefighters~450@",
                ),
                (
                    "“We are fighting this fire on three fronts at once,” regional governor Marta Ilves told the Ledger.",
                    "ilves-fronts",
                ),
                (
                    "Strong gusts of up to 70 km/h were fanning the flames towards the east.",
                    "wind<=70kmh",
                ),
                (
                    "Investigators have not ruled out arson, a spokesman for the regional police said.",
                    "arson-suspected",
                ),
                (
                    "It is the second major fire in the Sarn Hills this summer, after a smaller blaze near Kesh in June.",
                    "!second",
                ),
                (
                    "The A4 motorway between Ostrel and Dunmere was closed in both directions.",
                    "a4-closed",
                ),
                ("Temperatures in the region have topped 40C for nine days in a row.", ""),
                ("Three firefighters were treated in hospital for smoke inhalation.", "smoke=3@"),
                (
                    "Residents of Ostrel's care home were taken by bus to a sports hall in Dunmere.",
                    "care-home-moved",
                ),
                (
                    "Some residents complained that fire crews had run out of water in Ostrel on Sunday night.",
                    "water-claim",
                ),
                (
                    "The Sarn Hills are one of the largest stretches of unbroken forest left in the country.",
                    "!one_of_the_largest",
                ),
            ],
        ),
        Article(
            "fire-coastal",
            "Coastal Post",
            date(2025, 8, 6),
            "Sarn blaze passes 9,500 hectares as emergency declared",
            [
                (
                    "Firefighters in the Sarn Hills were still struggling on Wednesday to contain a blaze that has now consumed more than 9,500 hectares, according to the regional fire service.",
                    "burned>=9500ha@",
                ),
                (
                    "The fire, which started near Ostrel on Sunday, is one of the largest the region has seen in two decades.",
                    "fire-start !one_of_the_largest",
                ),
                (
                    "Authorities said at least 7,500 residents had been moved out of their homes since the weekend.",
                    "evacuees>=7500@",
                ),
                (
                    "The regional government declared a state of emergency on Tuesday, unlocking national funds for the firefight.",
                    "emergency-declared",
                ),
                (
                    "Around 600 firefighters are now deployed, the fire service said.",
                    "firefighters~600@",
                ),
                (
                    "Two water-bombing planes sent by neighbouring Lorreta joined the operation on Tuesday morning.",
                    "lorreta-planes=2",
                ),
                (
                    "Police on Wednesday arrested a 34-year-old man suspected of starting the fire deliberately.",
                    "arrest !34-year-old",
                ),
                (
                    "His lawyer told local radio that her client “had nothing to do with the fire”.",
                    "lawyer-denies",
                ),
                (
                    "Officials warned the flames could reach the outskirts of Dunmere, a town of 18,000 people, by the end of the week.",
                    "dunmere-threat dunmere-pop=18000",
                ),
                (
                    "Governor Marta Ilves said crews were battling the fire on three separate fronts.",
                    "ilves-fronts",
                ),
                (
                    "The motorway linking Ostrel and Dunmere has been shut since Monday.",
                    "a4-closed",
                ),
                (
                    "Hoteliers on the coast reported a wave of cancellations from foreign tourists.",
                    "",
                ),
            ],
        ),
        Article(
            "fire-courier",
            "Northern Courier",
            date(2025, 8, 8),
            "Volunteer dies as Sarn fire reaches Dunmere",
            [
                (
                    "Nearly 11 thousand people have now fled the Sarn Hills fire, which had burned 12,000 hectares by Friday morning.",
                    "evacuees~11000@ burned=12000ha@",
                ),
                (
                    "Flames reached the outskirts of Dunmere on Thursday night, destroying a petrol station and several warehouses.",
                    "dunmere-reached",
                ),
                (
                    "A volunteer firefighter, 52, died of a heart attack while tackling the blaze on Thursday, the fire service said.",
                    "firefighter-death !52",
                ),
                (
                    "The man detained on Wednesday has been charged with arson, prosecutors said.",
                    "arson-charge",
                ),
                (
                    "A second suspect, a 19-year-old, was detained on Friday near Kesh.",
                    "arrest-2 !19-year-old",
                ),
                (
                    "Four aircraft are now dropping water on the fire: two from Lorreta and two from Baskor, which arrived on Thursday.",
                    "lorreta-planes=2 baskor-planes=2",
                ),
                (
                    "More than 900 firefighters are on the ground, including crews from three other regions.",
                    "firefighters>=900@",
                ),
                (
                    "The state of emergency declared on Tuesday has been extended to the neighbouring Kesh district.",
                    "emergency-extended",
                ),
                ("Governor Ilves said the coming 48 hours would be decisive.", "ilves-48-hours"),
                ("Forecasters expect the wind to drop below 30 km/h on Saturday.", "wind-forecast"),
                (
                    "It is already the worst fire in the Sarn Hills since 2017, when 8,000 hectares burned.",
                    "worst-since-2017 burned-2017=8000ha !2017",
                ),
                (
                    "The Ostrel care home's 60 residents are still being housed in a Dunmere sports hall.",
                    "care-home-moved",
                ),
            ],
        ),
        Article(
            "fire-radio",
            "Radio Sarn",
            date(2025, 8, 6),
            "Arrest over Ostrel fire as crews number 900",
            [
                (
                    "Some 900 firefighters were fighting the Sarn Hills fire on Wednesday, the regional governor's office said.",
                    "firefighters~900@",
                ),
                (
                    "Since it began near the village of Ostrel three days ago, the blaze has blackened roughly 10,000 hectares.",
                    "fire-start burned~10000ha@",
                ),
                (
                    "Nearly 9k inhabitants have left their homes, many of them for relatives' houses on the coast.",
                    "evacuees~9000@",
                ),
                (
                    "Police detained a local man, 34, on suspicion of arson on Wednesday morning.",
                    "arrest !34",
                ),
                ("Detectives believe the fire was lit in at least two places.", "lit-twice"),
                (
                    "A state of emergency has been in force in the region since Tuesday.",
                    "emergency-declared",
                ),
                (
                    "“There are three fronts and we are short of hands on all of them,” Governor Ilves said in an interview with this station.",
                    "ilves-fronts",
                ),
                (
                    "Lorreta has lent the region a pair of firefighting aircraft.",
                    "lorreta-planes=2",
                ),
                (
                    "The fire service denied reports that crews had run out of water in Ostrel on Sunday night.",
                    "water-denied",
                ),
                (
                    "Motorists were told to avoid the A4, which remains closed between Ostrel and Dunmere.",
                    "a4-closed",
                ),
                (
                    "Three firefighters needed hospital treatment for smoke inhalation on Monday.",
                    "smoke=3@2025-08-04",
                ),
                (
                    "The blaze is the largest in the Sarn Hills since 2017.",
                    "worst-since-2017 !2017",
                ),
            ],
        ),
    ],
)
