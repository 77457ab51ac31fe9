"""Labelled articles written for this project: the same invented events told by several outlets.

Each article is a list of (sentence, labels). A label names one fact; sentences in different
articles that share a label assert the same fact. A label with a value (``"evacuees=9000"``)
is a figure: two sentences with the same label name and different values are a numeric
conflict, and must not be called "same". ``"dead>=27"`` is a lower bound ("at least 27"): it
agrees with any value at or above it (issue #18: hedged figures that can both hold are not a
conflict). Unlabelled sentences state facts no other article
repeats (they are the negatives, several chosen to share words with the positives).

``DEV`` articles were used to choose the thresholds; ``HELD_OUT`` articles were written
afterwards and only measured.
"""

# ruff: noqa: E501

from __future__ import annotations

from itertools import combinations

Article = list[tuple[str, set[str]]]

DEV: dict[str, Article] = {
    # --- Event 1: the Tesk flood in Marrowby ------------------------------------------------
    "flood-herald": [
        (
            "The River Tesk burst its banks in Marrowby on 14 March, flooding more than 300 homes.",
            {"flood-start", "homes=300"},
        ),
        (
            "Around 2,400 residents were evacuated from the low-lying Eastmoor district overnight.",
            {"evacuees=2400"},
        ),
        (
            "Mayor Hilde Varga said the town's flood barrier had failed at two points.",
            {"barrier-failed"},
        ),
        (
            "“We were promised this wall would hold for a hundred years,” Varga told reporters.",
            {"varga-quote"},
        ),
        ("The barrier was built in 2009 at a cost of £12 million.", {"barrier-cost=12m"}),
        ("Water levels peaked at 4.2 metres above normal on Saturday afternoon.", {"peak=4.2"}),
        ("Schools in the district will stay closed until Wednesday.", set()),
    ],
    "flood-courier": [
        (
            "Flood water poured into more than 300 houses after the Tesk overflowed in Marrowby on March 14.",
            {"flood-start", "homes=300"},
        ),
        (
            "Emergency services moved 3,100 people out of Eastmoor during the night.",
            {"evacuees=3100"},
        ),
        (
            "The flood barrier, which cost £12m when it opened in 2009, gave way in two places, according to the mayor.",
            {"barrier-failed", "barrier-cost=12m"},
        ),
        (
            "“They promised us the wall would last a century,” said Mayor Hilde Varga.",
            {"varga-quote"},
        ),
        ("The Tesk reached a peak of 4.2 metres above its usual level.", {"peak=4.2"}),
        ("Insurers expect claims to run into tens of millions.", set()),
        ("The Marrowby Rowing Club said its boathouse had been destroyed.", set()),
    ],
    "flood-wire": [
        (
            "Some 2,400 people have been evacuated from Eastmoor, a district of Marrowby.",
            {"evacuees=2400"},
        ),
        (
            "Officials said the river crest reached 4.2 metres, the highest level since records began.",
            {"peak=4.2"},
        ),
        (
            "The town's £12 million flood wall, completed in 2009, was breached at two points.",
            {"barrier-failed", "barrier-cost=12m"},
        ),
        ("Marrowby's schools reopened on Monday after a week of closures.", set()),
        ("The regional government pledged £5 million in emergency aid.", {"aid=5m"}),
        ("Forecasters warned that more rain could fall on the Tesk valley next week.", set()),
    ],
    # --- Event 2: the Keldport dock strike ----------------------------------------------------
    "strike-gazette": [
        (
            "Dock workers at Keldport walked out on Monday in a dispute over night-shift pay.",
            {"strike-start"},
        ),
        (
            "The Harbour Workers Union said 1,800 of its members had joined the strike.",
            {"strikers=1800"},
        ),
        ("About 40 container ships are waiting at anchor outside the port.", {"ships=40"}),
        ("The port handles roughly 12 percent of the country's container traffic.", {"traffic=12"}),
        (
            "Union leader Orla Brandt said the workers would not return “until night shifts are paid fairly.”",
            {"brandt-quote"},
        ),
        ("The port authority called the walkout unlawful.", {"unlawful"}),
    ],
    "strike-times": [
        (
            "Some 1,800 union members stopped work at Keldport on Monday over pay for night shifts.",
            {"strike-start", "strikers=1800"},
        ),
        ("Forty cargo vessels were queuing offshore by Tuesday evening.", {"ships=40"}),
        (
            "“We will not go back until the night shift is paid properly,” union chief Orla Brandt said.",
            {"brandt-quote"},
        ),
        ("Keldport's port authority described the strike as illegal.", {"unlawful"}),
        ("Shipping companies have started diverting cargo to Halvik.", {"divert"}),
        ("The last strike at the port, in 2019, lasted eleven days.", set()),
    ],
    "strike-bulletin": [
        ("Around 2,500 dockers are on strike at Keldport, the union said.", {"strikers=2500"}),
        ("Keldport moves about 12% of all containers entering the country.", {"traffic=12"}),
        ("At least 65 ships are now anchored outside the harbour.", {"ships=65"}),
        ("Several carriers are rerouting their cargo through the port of Halvik.", {"divert"}),
        ("Supermarkets said shelves were fully stocked for now.", set()),
        ("The union's members voted for the strike last month by a large majority.", set()),
    ],
    # --- Event 3: the Verna Hills wildfire -----------------------------------------------------
    "fire-post": [
        (
            "A wildfire in the Verna Hills has burned 5,200 hectares since it broke out on 2 August.",
            {"fire-area=5200", "fire-start"},
        ),
        (
            "Firefighters said the blaze was 30 percent contained by Thursday night.",
            {"contained=30"},
        ),
        (
            "Two firefighters were injured when their truck overturned on a mountain road.",
            {"injured=2"},
        ),
        ("The fire is thought to have been started by a discarded barbecue.", {"cause"}),
        (
            "Fire chief Tomas Arlen said: “This fire moves faster than anything we have seen.”",
            {"arlen-quote"},
        ),
        ("Around 600 firefighters are battling the flames.", {"crews=600"}),
    ],
    "fire-daily": [
        (
            "The Verna Hills fire, which started on August 2, has now scorched 5,200 hectares.",
            {"fire-area=5200", "fire-start"},
        ),
        ("Officials say the fire is 30% contained.", {"contained=30"}),
        ("Authorities believe a barbecue left burning by campers started the fire.", {"cause"}),
        (
            "More than 900 firefighters from four regions are now working on the blaze.",
            {"crews=900"},
        ),
        ("Chief Tomas Arlen said he had never seen a fire spread so quickly.", {"arlen-quote"}),
        ("The nearby Verna vineyards reported smoke damage to this year's grapes.", set()),
    ],
    "fire-radio": [
        (
            "Two firefighters were hurt when their fire engine rolled over on a steep road in the Verna Hills.",
            {"injured=2"},
        ),
        ("The fire has destroyed 14 houses on the edge of the village of Casto.", {"houses=14"}),
        (
            "Around 600 firefighters are on the ground, supported by eight water-bombing aircraft.",
            {"crews=600"},
        ),
        ("Casto's mayor asked residents to stay away from the hills until the fire is out.", set()),
        ("The blaze was about a third contained on Thursday, officials said.", {"contained=30"}),
        ("Wildfires burned a record area of the region last summer.", set()),
    ],
}

HELD_OUT: dict[str, Article] = {
    # --- Event 4: the Polmere earthquake ---------------------------------------------------------
    "quake-observer": [
        (
            "A magnitude 6.1 earthquake struck the Dravik Valley at 4:12 a.m. on Sunday, 9 November.",
            {"quake", "magnitude=6.1"},
        ),
        (
            "At least 27 people were killed in the town of Polmere, the interior ministry said.",
            {"dead>=27"},
        ),
        (
            "The epicentre was 12 kilometres north of Polmere, at a depth of 10 km.",
            {"epicentre=12"},
        ),
        (
            "Rescue teams pulled a seven-year-old girl alive from the rubble of an apartment block.",
            {"girl-rescued"},
        ),
        ("“We are digging with our hands,” said volunteer Marek Ilves.", {"ilves-quote"}),
        ("The valley was hit by a smaller quake in 1998.", {"quake-1998"}),
    ],
    "quake-standard": [
        (
            "The quake, measuring 6.1, hit the Dravik Valley before dawn on November 9.",
            {"quake", "magnitude=6.1"},
        ),
        ("The interior ministry put the death toll in Polmere at 34.", {"dead=34"}),
        ("Its epicentre lay about 7.5 miles north of the town.", {"epicentre=12"}),
        (
            "Rescuers freed a seven-year-old girl from a collapsed apartment building after 20 hours.",
            {"girl-rescued"},
        ),
        (
            "Volunteer Marek Ilves said people were digging through the rubble with their bare hands.",
            {"ilves-quote"},
        ),
        ("Neighbouring countries have offered to send sniffer dogs.", {"dogs"}),
        ("Polmere's football stadium is being used as a shelter.", {"stadium"}),
    ],
    "quake-agency": [
        (
            "Twenty-seven people died when a 6.1-magnitude earthquake shook Polmere in the Dravik Valley early on Sunday.",
            {"quake", "magnitude=6.1", "dead=27"},
        ),
        (
            "Several countries offered sniffer dog teams to help search collapsed buildings.",
            {"dogs"},
        ),
        ("About 1,200 residents spent the night in Polmere's football stadium.", {"stadium"}),
        ("A 1998 tremor in the same valley caused little damage.", {"quake-1998"}),
        ("Power was restored to most of the valley by Monday evening.", set()),
        ("The Dravik Valley is known for its wine and its thermal springs.", set()),
    ],
    # --- Event 5: Valdorian forces cross into Kestria --------------------------------------------
    "border-review": [
        (
            "Valdorian troops crossed into Kestria's Morvan province on 3 May, seizing the border town of Lusk.",
            {"incursion", "lusk-seized"},
        ),
        (
            "It is the first time foreign soldiers have entered Kestrian territory since the 1921 war.",
            {"first-since-1921"},
        ),
        (
            "Kestria said about 4,000 Valdorian soldiers took part in the operation.",
            {"troops=4000"},
        ),
        (
            "More than 18,000 civilians have fled Morvan province, according to the Red Crescent.",
            {"fled>=18000"},
        ),
        (
            "Valdoria's defence minister, Ivo Sarn, said: “Our aim is to push their artillery out of range of our villages.”",
            {"sarn-quote"},
        ),
        ("The Kestrian president has called an emergency session of parliament.", {"parliament"}),
        ("Oil prices rose 3 percent on the news.", {"oil=3"}),
    ],
    "border-times": [
        (
            "On May 3, Valdoria sent forces across the border into Morvan, a Kestrian province, and took the town of Lusk.",
            {"incursion", "lusk-seized"},
        ),
        (
            "No foreign army had set foot on Kestrian soil since the war of 1921.",
            {"first-since-1921"},
        ),
        ("Around 6,500 Valdorian troops are involved, Kestrian officials said.", {"troops=6500"}),
        (
            "Defence Minister Ivo Sarn said the goal was to drive Kestrian artillery back so it could no longer reach Valdorian villages.",
            {"sarn-quote"},
        ),
        (
            "The fighting has forced some 18,000 people to leave their homes in Morvan.",
            {"fled=18000"},
        ),
        ("Kestria's parliament will meet in an emergency session on Friday.", {"parliament"}),
    ],
    "border-wire": [
        (
            "Red Crescent officials said 25,000 residents had fled Morvan since the incursion began.",
            {"fled=25000"},
        ),
        (
            "Valdorian forces captured 140 Kestrian soldiers in the first two days, Valdoria's army said.",
            {"prisoners=140"},
        ),
        (
            "Lusk, a town of 9,000 people, fell to Valdorian troops on the first day.",
            {"lusk-seized"},
        ),
        ("Brent crude rose by 3% after the news of the incursion.", {"oil=3"}),
        ("The United Nations Security Council will meet on Thursday.", set()),
        ("Valdoria and Kestria fought a short war over the same province in 1921.", set()),
    ],
    # --- Event 6: the Lake Oriel chemical spill --------------------------------------------------
    "spill-chronicle": [
        (
            "A chemical tanker overturned on the Oriel bridge on Tuesday, spilling 30,000 litres of solvent into the lake.",
            {"spill", "litres=30000"},
        ),
        ("Authorities banned fishing on Lake Oriel for at least three months.", {"fishing-ban"}),
        ("The driver was taken to hospital with minor injuries.", {"driver"}),
        (
            "Tap water in Oriel and two nearby villages is safe to drink, the water company said.",
            {"water-safe"},
        ),
        (
            "Environmental groups said thousands of dead fish had washed up on the northern shore.",
            {"dead-fish"},
        ),
    ],
    "spill-news": [
        (
            "About 45,000 litres of industrial solvent leaked into Lake Oriel after a tanker crashed on the bridge.",
            {"spill", "litres=45000"},
        ),
        ("Fishing in the lake is banned for a minimum of three months.", {"fishing-ban"}),
        ("The water company insisted that drinking water in Oriel remained safe.", {"water-safe"}),
        (
            "The haulage company said the tanker had passed its safety inspection in June.",
            {"inspection"},
        ),
        ("Residents reported a strong chemical smell across the town.", set()),
    ],
    "spill-local": [
        (
            "Thousands of dead fish have been found along the lake's northern shore, campaigners say.",
            {"dead-fish"},
        ),
        (
            "The tanker's driver suffered only minor injuries and was treated in hospital.",
            {"driver"},
        ),
        ("Its owner said the vehicle passed a safety check in June.", {"inspection"}),
        ("The Oriel bridge will stay closed for repairs until the end of the month.", set()),
        ("Lake Oriel supplies water to about 60,000 people.", set()),
    ],
}


def _name(label: str) -> tuple[str, str | None]:
    name, _, value = label.partition("=")
    return name.rstrip(">"), (">=" + value if name.endswith(">") else value) or None


def _compatible(x: str | None, y: str | None) -> bool:
    """Whether two labelled values can both hold: ">=27" (at least 27) allows "34"."""
    if x == y:
        return True
    if x is None or y is None:
        return False
    if x.startswith(">=") and y.startswith(">="):
        return True
    if y.startswith(">="):
        x, y = y, x
    if x.startswith(">=") and y.replace(".", "").isdigit():
        return float(y) >= float(x[2:])
    return False


def labelled_pairs(articles: dict[str, Article]) -> list[tuple[str, str, str]]:
    """Every cross-article sentence pair as (text_a, text_b, gold): "same", "conflict" or ""."""
    pairs = []
    items = [(art, text, labels) for art, sents in articles.items() for text, labels in sents]
    for (art_a, text_a, labels_a), (art_b, text_b, labels_b) in combinations(items, 2):
        if art_a == art_b:
            continue
        named_a = dict(_name(label) for label in labels_a)
        named_b = dict(_name(label) for label in labels_b)
        shared = named_a.keys() & named_b.keys()
        if any(not _compatible(named_a[k], named_b[k]) for k in shared):
            gold = "conflict"
        elif shared:
            gold = "same"
        else:
            gold = ""
        pairs.append((text_a, text_b, gold))
    return pairs
