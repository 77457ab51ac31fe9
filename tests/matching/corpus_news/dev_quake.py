"""DEV story 2: the Kestrava earthquake (Tuesday 16 September 2025, five outlets over three days).

Facts: quake, magnitude (two agencies disagree: a real conflict), epicentre-distance (km and
miles), depth, deaths (tally; two outlets disagree on the Thursday), injured, homeless vs
slept-outdoors (same kind of figure, different people), church-collapse, hospital-evacuated,
aftershocks (tally) vs aftershock-big, stronger-quake-warning (speculation) vs
predict-impossible, wing-permit-claim vs wing-permit-denied, pm-visit, aid vs eu-aid vs
rebuild-cost, girl-rescued, schools-closed vs schools-reopen, rail-suspended vs rail-resumed,
strongest-since-1980 vs deadly-1980 vs deaths-1980.
"""

# ruff: noqa: E501

from datetime import date

from tests.matching.corpus_news import Article, Story

STORY = Story(
    "quake",
    [
        Article(
            "quake-daily",
            "Kestrava Daily",
            date(2025, 9, 16),
            "Earthquake kills at least 14 in Kestrava",
            [
                (
                    "A magnitude 6.1 earthquake struck the Kestrava region at 3:12 on Tuesday morning, the National Seismic Institute said.",
                    "quake magnitude=6.1 !3:12",
                ),
                (
                    "The epicentre lay 12 kilometres south of the city, at a depth of 10 kilometres.",
                    "epicentre-distance=12km depth=10km",
                ),
                (
                    "At least 14 people were killed and about 200 injured, according to the civil protection agency.",
                    "deaths>=14@ injured~200@",
                ),
                (
                    "The 17th-century bell tower of St Ambrose collapsed onto the square below.",
                    "church-collapse !17th-century",
                ),
                (
                    "Patients at Kestrava General Hospital were moved into tents in the car park as engineers checked the building.",
                    "hospital-evacuated",
                ),
                (
                    "More than 40 aftershocks have been recorded since the main tremor.",
                    "aftershocks>=40@",
                ),
                (
                    "“The old town is gone,” Mayor Iva Drossel said, standing in front of the ruined town hall.",
                    "drossel-old-town",
                ),
                (
                    "Schools across the province will remain closed for the rest of the week.",
                    "schools-closed",
                ),
                (
                    "It is the strongest quake to hit the region since 1980.",
                    "strongest-since-1980 !1980",
                ),
                (
                    "Rescue teams with sniffer dogs searched collapsed buildings in the old town through the night.",
                    "search-rubble",
                ),
                (
                    "Seismologists warned that a stronger earthquake could follow in the coming days.",
                    "stronger-quake-warning",
                ),
                ("Power was cut to around 30,000 homes.", "power-cut~30000"),
            ],
        ),
        Article(
            "quake-wire",
            "National Wire",
            date(2025, 9, 17),
            "Kestrava quake toll rises to 23; PM promises aid",
            [
                (
                    "The death toll from Tuesday's earthquake in the Kestrava region rose to 23 on Wednesday, officials said.",
                    "deaths=23@",
                ),
                (
                    "The quake, measured at magnitude 5.9 by the European Seismological Centre, was felt as far away as the capital.",
                    "magnitude=5.9 felt-capital",
                ),
                ("More than 350 people were hurt, dozens of them seriously.", "injured>=350@"),
                (
                    "Prime Minister Tomas Reiner flew to Kestrava on Wednesday and promised €50 million in emergency aid.",
                    "pm-visit aid=50_000_000eur",
                ),
                (
                    "“No family in Kestrava will be left to face this alone,” Reiner told reporters outside the city hospital.",
                    "reiner-quote",
                ),
                (
                    "Some 2,000 people have lost their homes, the interior ministry estimates.",
                    "homeless~2000@",
                ),
                (
                    "Rescuers pulled an eight-year-old girl alive from the rubble of an apartment block, 30 hours after the quake.",
                    "girl-rescued !eight-year-old",
                ),
                (
                    "A 4.8-magnitude aftershock shook the city on Wednesday afternoon, sending residents running into the streets.",
                    "aftershock-big",
                ),
                (
                    "Residents accused the regional authority of building the hospital's new wing without an earthquake safety permit.",
                    "wing-permit-claim",
                ),
                ("The hospital's patients are being treated in field tents.", "hospital-evacuated"),
                (
                    "Engineers have inspected 1,200 buildings so far; a third were declared unsafe.",
                    "inspected=1200@",
                ),
                ("Rail services between Kestrava and the coast were suspended.", "rail-suspended"),
            ],
        ),
        Article(
            "quake-meridian",
            "The Meridian",
            date(2025, 9, 18),
            "Kestrava counts its dead as aftershocks go on",
            [
                (
                    "Thirty-one people are now known to have died in the earthquake that hit Kestrava early on Tuesday.",
                    "deaths=31@",
                ),
                (
                    "The number of injured has climbed to about 400, health officials said.",
                    "injured~400@",
                ),
                (
                    "The health ministry denied on Thursday that the hospital's new wing lacked a seismic permit, saying it had been approved in 2019.",
                    "wing-permit-denied !2019",
                ),
                (
                    "Seismographs have registered more than 120 aftershocks, the largest of them a magnitude 4.8 tremor on Wednesday.",
                    "aftershocks>=120@ aftershock-big",
                ),
                (
                    "The government's €50m aid package will be paid out to households from next week.",
                    "aid=50_000_000eur aid-payout",
                ),
                (
                    "The European Union has offered a further €20 million for reconstruction.",
                    "eu-aid=20_000_000eur",
                ),
                (
                    "Mayor Iva Drossel said the historic centre would have to be rebuilt “stone by stone”.",
                    "drossel-rebuild",
                ),
                (
                    "Schools in the province are expected to reopen on Monday, except in Kestrava itself.",
                    "schools-reopen",
                ),
                (
                    "The quake was the most powerful in the area since 1980, when 62 people died.",
                    "strongest-since-1980 deaths-1980=62 !1980",
                ),
                (
                    "About 5,000 people spent a third night sleeping in cars and tents.",
                    "slept-outdoors~5000@ !third",
                ),
                (
                    "Eight-year-old Lina, rescued on Wednesday after 30 hours under the rubble, is in a stable condition.",
                    "girl-rescued girl-stable !Eight-year-old",
                ),
                ("Train services to the coast resumed on Thursday.", "rail-resumed"),
            ],
        ),
        Article(
            "quake-polvaro",
            "Polvaro Today",
            date(2025, 9, 17),
            "Before-dawn quake leaves Kestrava in ruins",
            [
                (
                    "At least 21 people died when a powerful earthquake shook the Kestrava region before dawn on Tuesday.",
                    "quake deaths>=21@",
                ),
                (
                    "The National Seismic Institute put its magnitude at 6.1 and located the epicentre about seven miles south of Kestrava.",
                    "magnitude=6.1 epicentre-distance~11.3km",
                ),
                (
                    "Hundreds were injured, and the regional hospital had to be evacuated.",
                    "injured>=200@ hospital-evacuated",
                ),
                (
                    "Premier Reiner, who visited the devastated city on Wednesday, pledged 50 million euros to rebuild homes.",
                    "pm-visit aid=50_000_000eur",
                ),
                ("“Nobody here will be abandoned,” the prime minister said.", "reiner-quote"),
                (
                    "An eight-year-old girl was rescued from a collapsed block of flats on Wednesday morning, to applause from onlookers.",
                    "girl-rescued !eight-year-old",
                ),
                (
                    "The bell tower of the church of St Ambrose, built in the 1600s, lies in ruins.",
                    "church-collapse !1600s",
                ),
                ("Mayor Drossel described the old town as “destroyed”.", "drossel-old-town"),
                (
                    "Some 5,000 residents slept outdoors for fear of further tremors.",
                    "slept-outdoors~5000@",
                ),
                (
                    "Scientists said it was impossible to predict whether a larger quake would follow.",
                    "predict-impossible",
                ),
                ("Kestrava last suffered a deadly earthquake in 1980.", "deadly-1980 !1980"),
                (
                    "Electricity was back on in most of the city by Wednesday evening.",
                    "power-restored",
                ),
            ],
        ),
        Article(
            "quake-radio",
            "Radio Kestrava",
            date(2025, 9, 18),
            "Quake toll 27, says civil protection",
            [
                (
                    "The civil protection agency said on Thursday that 27 people had been killed in Tuesday's earthquake.",
                    "deaths=27@",
                ),
                ("A further 380 people were injured.", "injured=380@"),
                (
                    "The 6.1 quake, centred 12 km south of the city, destroyed or damaged more than 3,000 buildings.",
                    "magnitude=6.1 epicentre-distance=12km damaged>=3000@",
                ),
                (
                    "Engineers who had inspected 1,200 buildings by Wednesday found a third of them unfit to live in.",
                    "inspected=1200@2025-09-17",
                ),
                (
                    "Tremors have continued, with over 100 aftershocks recorded so far.",
                    "aftershocks>=100@",
                ),
                (
                    "The hospital's new wing was built without the required seismic permit, residents' groups alleged.",
                    "wing-permit-claim",
                ),
                (
                    "The ministry rejects this, saying the wing was approved in 2019.",
                    "wing-permit-denied !2019",
                ),
                (
                    "Reconstruction will cost at least €400 million, Finance Minister Petra Aalto estimated.",
                    "rebuild-cost>=400_000_000eur",
                ),
                ("The prime minister has promised €50 million so far.", "aid=50_000_000eur"),
                ("Classes remain suspended across the province until next week.", "schools-closed"),
            ],
        ),
    ],
)
