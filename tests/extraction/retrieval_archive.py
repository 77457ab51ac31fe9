"""A small fact-check archive written for the tests (invented claims, example.org links)."""

from __future__ import annotations

from extraction.retrieval import FactCheck

ARCHIVE = [
    FactCheck(
        id="fc-bridge",
        claim="The Old Harbour bridge was closed for repairs for all of 2023.",
        title="Was the Old Harbour Bridge Closed All Year?",
        rating="False",
        url="https://checks.example.org/bridge",
        author="Example Checks",
        date="2024-01-10",
    ),
    FactCheck(
        id="fc-vaccine",
        claim="A flu vaccine contains microchips that track people.",
        title="Do Flu Vaccines Contain Tracking Microchips?",
        rating="False",
    ),
    FactCheck(
        id="fc-wolves",
        claim="Wolves were seen walking through the streets of Valmont at night.",
        title="Did Wolves Roam Valmont's Streets?",
        rating="Mostly true",
    ),
    FactCheck(
        id="fc-tax",
        claim="The city council raised the property tax by 40 percent in 2022.",
        title="Did the Council Raise Property Tax 40%?",
        rating="Mixture",
    ),
    FactCheck(
        id="fc-mayor",
        claim="Mayor Jane Ortiz said she would ban cars from the city centre.",
        title="Did Mayor Ortiz Promise a Car Ban?",
        rating="Unproven",
    ),
    FactCheck(
        id="fc-flood",
        claim="A photograph shows the river flooding the main square in March.",
        title="Does This Photo Show the Main Square Flooded?",
        rating="Miscaptioned",
    ),
    FactCheck(
        id="fc-stadium",
        claim="A hologram dragon flew over the football stadium at the opening match.",
        title="Did a Hologram Dragon Fly Over the Stadium?",
        rating="Fake",
    ),
    FactCheck(
        id="fc-bread",
        claim="Bread prices doubled in a single month last winter.",
        title="Did Bread Prices Double in a Month?",
        rating="Mostly false",
    ),
]

# (query, the archive id that must come first)
QUERIES = [
    (
        "BREAKING: the Old Harbour bridge is closed all year for repairs!! pic.twitter.com/x1",
        "fc-bridge",
    ),
    ("They are putting microchips in the flu vaccine to track us #WakeUp", "fc-vaccine"),
    ("wolves walking in #Valmont streets last night, unreal", "fc-wolves"),
    ("Council just hiked property tax 40%. Thanks a lot @CityCouncil", "fc-tax"),
    ("Mayor Ortiz wants to ban all cars from the centre", "fc-mayor"),
    ("Incredible hologram show with a dragon over the stadium", "fc-stadium"),
]
