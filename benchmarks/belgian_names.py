"""Synthetic Belgian people and companies (fixed seed): queries that should not be listed.

Shared by the matching benchmarks. The mix follows Belgium's population roughly:
Flemish and Walloon names mostly, and names of Moroccan, Turkish, Italian, Congolese
and Eastern European origin too — the names most likely to resemble listed ones, which
is the point of measuring false positives on them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator


def _names(text: str) -> list[str]:
    """Names separated by commas (a name may hold spaces: Van den Broeck)."""
    return [name.strip() for name in text.replace("\n", " ").split(",") if name.strip()]


FIRST = {
    "flemish": _names("""Jan, Piet, Luc, Tom, Bart, Wim, Koen, Dirk, Stijn, Pieter, Jef, Lies, An,
        Els, Sofie, Katrien, Griet, Marie, Lotte, Emma, Louise, Noah, Lars, Wout, Jens, Sander,
        Ruben, Kobe, Lien, Eline, Nele, Hanne, Fien"""),
    "walloon": _names("""Jean, Pierre, Michel, Philippe, Alain, Luc, Jacques, Louis, Nicolas,
        Julien, Thomas, Marc, Isabelle, Nathalie, Sophie, Catherine, Anne, Claire, Camille,
        Manon, Chloé, Léa, Julie, Céline"""),
    "moroccan": _names("""Mohamed, Ahmed, Youssef, Said, Rachid, Karim, Mustafa, Hamid, Nordin,
        Bilal, Ayoub, Fatima, Khadija, Samira, Nadia, Imane, Houda, Amina, Latifa, Yasmina,
        Soufiane, Hicham, Anas"""),
    "turkish": _names("""Mehmet, Ahmet, Mustafa, Hasan, Huseyin, Ali, Murat, Emre, Burak, Ayse,
        Fatma, Emine, Zeynep, Elif"""),
    "italian": _names("Giuseppe, Antonio, Marco, Luca, Francesco, Giovanni, Maria, Giulia, Rosa"),
    "congolese": _names("Jean-Pierre, Patrick, Christian, Joseph, Didier, Aline, Grace, Blaise"),
    "eastern": _names("""Piotr, Tomasz, Andrzej, Krzysztof, Ivan, Sergei, Olena, Anna, Katarzyna,
        Agnieszka, Dmitri"""),
}
LAST = {
    "flemish": _names("""Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens,
        Wouters, De Smet, Dubois, Hermans, Aerts, Michiels, Verstraeten, Van Damme, De Vos,
        Lambrechts, Vermeulen, Pauwels, Van den Broeck, Smets, Desmet, Vandenberghe, Martens,
        Coppens, Leemans, Verhoeven, Stevens, Cools"""),
    "walloon": _names("""Dupont, Lambert, Martin, Simon, Laurent, Leclercq, Dumont, Lejeune,
        Renard, Collard, Fontaine, Gerard, Denis, Petit, Mathieu, Lemaire, Leroy, Francois,
        Noel, Bertrand, Marchal"""),
    "moroccan": _names("""El Amrani, Benali, El Idrissi, Bouzid, Ait Ali, Amrani, Haddou,
        Azzouzi, El Khattabi, Belhaj, Boukhari, Mansouri, Ouali, Benaissa, Chaoui, Tahiri"""),
    "turkish": _names("""Yilmaz, Kaya, Demir, Sahin, Celik, Yildiz, Yildirim, Ozturk, Aydin,
        Ozdemir, Arslan, Dogan"""),
    "italian": _names("Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Greco"),
    "congolese": _names("""Mukendi, Kabongo, Tshibangu, Ilunga, Kalala, Mbuyi, Kasongo, Lukusa,
        Ngoy, Mulumba"""),
    "eastern": _names("Nowak, Kowalski, Wisniewski, Wojcik, Petrov, Ivanov, Popescu, Horvat"),
}
SHARES = {
    "flemish": 45,
    "walloon": 30,
    "moroccan": 9,
    "turkish": 5,
    "italian": 4,
    "congolese": 3,
    "eastern": 4,
}
ACTIVITIES = _names("""Bouw, Transport, Bakkerij, Consult, Logistics, Vastgoed, Immo, Garage,
    Data Solutions, Catering, Construct, Elektro, Schrijnwerkerij, Dakwerken, Invest, Trading,
    Services, Technics, Design, Media, Constructions, Boulangerie, Menuiserie, Toitures,
    Nettoyage, Informatique, Pharma, Beauty, Fashion""")
BRANDS = _names("Alpha, Nova, Optima, Delta, Zenith, Aurora, Horizon, Atlas, Orion, Vega, Iris")
FORMS = ("BV", "NV", "SRL", "SA", "CommV", "VZW", "ASBL", "BVBA", "SPRL", "CV", "SC")


def _origin(rng: random.Random) -> str:
    return rng.choices(list(SHARES), weights=list(SHARES.values()))[0]


def person(rng: random.Random) -> tuple[str, str]:
    origin = _origin(rng)
    first, last = rng.choice(FIRST[origin]), rng.choice(LAST[origin])
    birth = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return f"{first} {last}", birth


def company(rng: random.Random) -> str:
    if rng.random() < 0.5:
        origin = _origin(rng)
        last = rng.choice(LAST[origin])
        return f"{last} {rng.choice(ACTIVITIES)} {rng.choice(FORMS)}"
    return f"{rng.choice(BRANDS)} {rng.choice(ACTIVITIES)} {rng.choice(FORMS)}"


def subjects(count: int, seed: int = 20261125) -> Iterator[tuple[str, str, str]]:
    """(name, kind, birth date) for ``count`` subjects: half people, half companies."""
    rng = random.Random(seed)
    for index in range(count):
        if index % 2 == 0:
            name, birth = person(rng)
            yield name, "person", birth
        else:
            yield company(rng), "organization", ""
