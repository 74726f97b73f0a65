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
PLACES = _names("""Antwerpen, Gent, Brugge, Leuven, Mechelen, Aalst, Kortrijk, Hasselt, Genk,
    Oostende, Sint-Niklaas, Roeselare, Turnhout, Lier, Geel, Mol, Tienen, Ninove, Lokeren,
    Dendermonde, Waregem, Ieper, Knokke, Bree, Tongeren, Liège, Namur, Charleroi, Mons,
    Tournai, Wavre, Nivelles, Arlon, Verviers, Huy, Seraing, Ath, Dinant, Bastogne, Spa,
    Waterloo, Brussel, Anderlecht, Schaerbeek, Ixelles, Uccle, Etterbeek, Eupen, Malmedy""")


def _origin(rng: random.Random) -> str:
    return rng.choices(list(SHARES), weights=list(SHARES.values()))[0]


def person(rng: random.Random) -> tuple[str, str]:
    """As the register writes people: often two given names, now and then two surnames."""
    origin = _origin(rng)
    names = [rng.choice(FIRST[origin])]
    if rng.random() < 0.6:
        names.append(rng.choice(FIRST[origin]))
    names.append(rng.choice(LAST[origin]))
    if rng.random() < 0.1:
        names.append(rng.choice(LAST[_origin(rng)]))
    birth = f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return " ".join(names), birth


def company(rng: random.Random) -> str:
    """As varied as a register's companies: a family or brand name, an activity, often a
    place, a legal form."""
    owner = rng.choice(LAST[_origin(rng)]) if rng.random() < 0.6 else rng.choice(BRANDS)
    words = [owner]
    if rng.random() < 0.3:
        words.append("&" if rng.random() < 0.5 else "en")
        words.append(rng.choice(LAST[_origin(rng)]))
    words.append(rng.choice(ACTIVITIES))
    if rng.random() < 0.6:
        words.append(rng.choice(PLACES))
    words.append(rng.choice(FORMS))
    return " ".join(words)


def subjects(count: int, seed: int = 20261125) -> Iterator[tuple[str, str, str]]:
    """People and companies as varied as a whole register: at 200,000 about two thirds
    of the names are distinct, as a register's would be (new to the matcher's caches)."""
    rng = random.Random(seed)
    for index in range(count):
        if index % 2 == 0:
            name, birth = person(rng)
            yield name, "person", birth
        else:
            yield company(rng), "organization", ""
