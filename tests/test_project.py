"""Project files: the owner's decisions saved as versioned JSON, never a pickle."""

from __future__ import annotations

import json
import pickle

import pytest

from persona_desktop.core.errors import ReadError
from persona_desktop.core.segments.personas import Persona
from persona_desktop.core.project import SCHEMA_VERSION, Project, load_project, save_project
from persona_desktop.core.results import SegmentEdit, apply_edits


def _project() -> Project:
    return Project(
        source="/data/订单 2024.xlsx", sheet="订单", encoding=None,
        roles={"买家ID": "customer_id"}, cleaning={"disabled": ["trim"], "missing": "median"},
        as_of="2024-03-31", segmentation={"method": "kmeans", "k": 4, "seed": 7},
        segments={0: SegmentEdit("老主顾", "每月发新品"), 2: SegmentEdit(None, "watch them")},
    )


def test_round_trip_keeps_every_decision(tmp_path):
    path = save_project(tmp_path / "shop.persona.json", _project())
    doc = json.loads(path.read_text("utf-8"))
    assert doc["schema_version"] == SCHEMA_VERSION and doc["kind"] == "persona-desktop-project"
    assert "老主顾" in path.read_text("utf-8")  # Chinese stays readable in the file
    assert load_project(path) == _project()


def test_an_older_version_is_migrated(tmp_path):
    old = {"kind": "persona-desktop-project", "schema_version": 1, "source": "a.csv", "names": {"1": "VIPs"}}
    path = tmp_path / "old.persona.json"
    path.write_text(json.dumps(old), "utf-8")
    project = load_project(path)
    assert project.segments == {1: SegmentEdit("VIPs", "")}


@pytest.mark.parametrize("content, code", [
    (pickle.dumps({"kind": "persona-desktop-project"}), "project.not_json"),
    (b"\x80\x04\x95 not json", "project.not_json"),
    (json.dumps({"hello": 1}).encode(), "project.not_project"),
    (json.dumps({"kind": "persona-desktop-project", "schema_version": 99, "source": "a"}).encode(), "project.newer"),
    (json.dumps({"kind": "persona-desktop-project", "schema_version": 2, "source": 5}).encode(), "project.bad_field"),
    (json.dumps({"kind": "persona-desktop-project", "schema_version": 2, "source": "a",
                 "segments": {"x": {}}}).encode(), "project.bad_field"),
    (json.dumps({"kind": "persona-desktop-project", "schema_version": 2, "source": "a",
                 "roles": {"a": ["os.system"]}}).encode(), "project.bad_field"),
])
def test_anything_else_is_refused_and_never_executed(tmp_path, content, code):
    path = tmp_path / "evil.persona.json"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        load_project(path)
    assert info.value.code == code and "evil.persona.json" in info.value.text("zh")


def test_saving_is_atomic_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "p.persona.json"
    save_project(target, _project())
    save_project(target, _project())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.persona.json"]


def _persona(segment: int, en: str, zh: str) -> Persona:
    return Persona(segment=segment, name={"en": en, "zh": zh}, archetype="typical", size=1, share=0.5,
                   revenue_share=None, typical=[], traits=[])


def test_owner_names_and_notes_are_applied_and_stay_unique():
    cards = [_persona(0, "Loyal regulars", "忠实常客"), _persona(1, "Lapsed", "流失客户"), _persona(2, "New", "新客")]
    apply_edits(cards, {0: SegmentEdit("VIP", "call them"), 1: SegmentEdit("VIP", ""), 2: SegmentEdit(None, "n")})
    assert [c.display_name("en") for c in cards] == ["VIP", "VIP (2)", "New"]
    assert [c.display_name("zh") for c in cards] == ["VIP", "VIP (2)", "新客"]
    assert [c.note for c in cards] == ["call them", "", "n"]
    apply_edits(cards, {0: SegmentEdit("", "")})  # a blank name brings the computed one back
    assert cards[0].display_name("zh") == "忠实常客"
