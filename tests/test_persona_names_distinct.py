"""Issue 27, point 6: persona names distinct in meaning, not only in characters.

A Shopify customer export gave three personas named "High total orders · High total …": each was high on
the same two columns against everyone, so their names said the same thing and only a "(2)" told them apart.
Planted here: a large ordinary group and three groups that all order and spend far more than it, one
reading fewer e-mails than the others, one some and one more: all three within the ordinary group's
range, so no group's e-mail opens stand out against everyone and only the shared traits make the name. Every name must differ in words, and the word that tells two
apart must agree with the groups' own medians.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from persona_desktop.core.segments.personas import build_personas


def _block(rng, n, orders, spent, opens):
    return pd.DataFrame({"Total Orders": rng.integers(orders[0], orders[1] + 1, n),
                         "Total Spent": rng.uniform(spent[0], spent[1], n).round(2),
                         "Email opens": rng.integers(opens[0], opens[1] + 1, n)})


def _shop(seed=0):
    rng = np.random.default_rng(seed)
    blocks = [_block(rng, 600, (1, 3), (20, 100), (5, 25)),
              _block(rng, 120, (8, 15), (400, 900), (6, 10)),
              _block(rng, 120, (8, 15), (400, 900), (13, 17)),
              _block(rng, 120, (8, 15), (400, 900), (20, 24))]
    frame = pd.concat(blocks, ignore_index=True)
    labels = np.concatenate([np.full(len(b), i) for i, b in enumerate(blocks)])
    return frame, labels


def test_segments_high_on_the_same_columns_get_names_that_say_how_they_differ():
    frame, labels = _shop()
    personas = build_personas(frame, labels)
    for lang in ("en", "zh"):
        names = [p.name[lang] for p in personas]
        assert len(set(names)) == len(names), names
        assert not any(re.search(r"\(\d+\)$", n) for n in names), names  # not told apart by a number
    # the three high groups: their names name e-mail opens, and the words follow the medians
    high = sorted((p for p in personas if p.segment > 0), key=lambda p: frame.loc[labels == p.segment, "Email opens"].median())
    en = [p.name["en"].lower() for p in high]
    assert all("email opens" in n for n in en), en
    assert "lowest email opens" in en[0] and "mid email opens" in en[1] and "highest email opens" in en[2], en
    assert all(n.startswith(en[0].split(" · lowest")[0]) for n in en)  # the shared traits, then the difference


def test_two_alike_segments_get_higher_and_lower():
    frame, labels = _shop(1)
    keep = labels != 1  # only the groups reading some and many e-mails stay beside the ordinary one
    frame, labels = frame[keep].reset_index(drop=True), labels[keep]
    personas = {p.segment: p for p in build_personas(frame, labels)}
    some, many = personas[2].name, personas[3].name
    assert some["en"] != many["en"] and some["zh"] != many["zh"]
    assert "lower email opens" in some["en"].lower() and "higher email opens" in many["en"].lower()
    assert "较低" in some["zh"] and "较高" in many["zh"]


def test_sheet_names_tell_the_segments_apart_in_both_languages():
    """The workbook's segment sheets (workbook.owner_sheets names them so): ≤ 31 characters, unique,
    and each starting with the words of its own rather than a cut shared start and a number."""
    from persona_desktop.core.segments.compare import short_names
    from persona_desktop.core.export.sheet_text import sheet_title

    frame, labels = _shop()
    personas = build_personas(frame, labels)
    for lang, words in (("en", ("Lowest email opens", "Mid email opens", "Highest email opens")),
                        ("zh", ("Email opens最低", "Email opens居中", "Email opens最高"))):
        taken: set[str] = set()
        titles = [sheet_title(n, taken) for n in short_names([p.display_name(lang) for p in personas])]
        assert all(len(t) <= 31 for t in titles) and len(set(titles)) == len(titles), titles
        for w in words:
            assert any(t.startswith(w) for t in titles), (w, titles)
        assert not any(t.endswith(")") for t in titles), titles
