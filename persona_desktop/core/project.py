"""An analysis saved as a project file: versioned JSON, never a pickle.

A project remembers what the owner decided, not the data: which file (and
sheet, encoding), the column roles they corrected, the cleaning options, the
segmentation settings, and the names and notes they gave the segments.
Opening it reads the file again and replays those decisions, so the same
file gives the same segments and the owner's names come back.

The file carries ``schema_version``; :func:`migrate` brings an older
document up to date (napari's settings and Orange's ``migrate_settings``
work the same way). Anything that is not a project — a pickle, a tampered
file, a newer version — is refused with a clear message; nothing in it is
ever executed.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from persona_desktop import __version__
from persona_desktop.core.errors import ReadError
from persona_desktop.core.i18n import register

__all__ = ["Project", "SegmentEdit", "save_project", "load_project", "migrate", "SCHEMA_VERSION", "SUFFIX",
           "apply_edits"]

SCHEMA_VERSION = 2
SUFFIX = ".persona.json"
KIND = "persona-desktop-project"

register({
    "project.not_json": ("{file} is not a Persona Desktop project (not a JSON document)",
                         "{file} 不是 Persona Desktop 项目文件（不是 JSON 文档）"),
    "project.not_project": ("{file} is not a Persona Desktop project", "{file} 不是 Persona Desktop 项目文件"),
    "project.newer": ("{file} was saved by a newer Persona Desktop (project version {version}); update the app to open it",
                      "{file} 由更新版本的 Persona Desktop 保存（项目版本 {version}），请升级后再打开"),
    "project.bad_field": ("{file} is damaged: “{field}” is not valid", "{file} 已损坏：“{field}”无效"),
})


@dataclass
class SegmentEdit:
    """What the owner changed on one persona card."""

    name: str | None = None  # their own name for the segment (shown in every language)
    note: str = ""


@dataclass
class Project:
    """The owner's decisions about one analysis (see the module docstring)."""

    source: str
    sheet: str | None = None
    encoding: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    cleaning: dict[str, Any] = field(default_factory=dict)
    as_of: str | None = None
    segmentation: dict[str, Any] | None = None
    segments: dict[int, SegmentEdit] = field(default_factory=dict)
    saved_by: str = __version__

    def to_json(self) -> dict:
        doc = asdict(self)
        doc["segments"] = {str(k): asdict(v) for k, v in self.segments.items()}
        return {"kind": KIND, "schema_version": SCHEMA_VERSION, **doc}


def migrate(doc: dict) -> dict:
    """Bring a project document of any earlier schema version up to the current one."""
    doc = dict(doc)
    version = int(doc.get("schema_version", 1))
    if version < 2:
        # version 1 kept persona names as "names": {segment: name} and no notes
        names = doc.pop("names", {}) or {}
        doc["segments"] = {str(k): {"name": v, "note": ""} for k, v in names.items()}
        version = 2
    doc["schema_version"] = version
    return doc


def _check(doc: Mapping, file: str) -> None:
    def bad(name: str) -> ReadError:
        return ReadError("project.bad_field", file=file, field=name)

    if not isinstance(doc.get("source"), str) or not doc["source"]:
        raise bad("source")
    for name in ("sheet", "encoding", "as_of"):
        if doc.get(name) is not None and not isinstance(doc[name], str):
            raise bad(name)
    if not isinstance(doc.get("roles", {}), dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in doc.get("roles", {}).items()):
        raise bad("roles")
    for name in ("cleaning", "segmentation"):
        if doc.get(name) is not None and not isinstance(doc[name], dict):
            raise bad(name)
    segments = doc.get("segments", {})
    if not isinstance(segments, dict):
        raise bad("segments")
    for key, edit in segments.items():
        if not str(key).lstrip("-").isdigit() or not isinstance(edit, dict):
            raise bad("segments")
        if edit.get("name") is not None and not isinstance(edit["name"], str):
            raise bad("segments")
        if not isinstance(edit.get("note", ""), str):
            raise bad("segments")


def load_project(path: str | os.PathLike) -> Project:
    """Read a project file; a file that is not one raises :class:`ReadError`."""
    path = Path(path)
    if not path.exists():
        raise ReadError("read.not_found", file=str(path))
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:  # a pickle, a zip, junk
        raise ReadError("project.not_json", file=path.name) from exc
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise ReadError("project.not_project", file=path.name)
    version = doc.get("schema_version")
    if not isinstance(version, int) or version < 1:
        raise ReadError("project.bad_field", file=path.name, field="schema_version")
    if version > SCHEMA_VERSION:
        raise ReadError("project.newer", file=path.name, version=version)
    doc = migrate(doc)
    _check(doc, path.name)
    return Project(
        source=doc["source"], sheet=doc.get("sheet"), encoding=doc.get("encoding"),
        roles=dict(doc.get("roles", {})), cleaning=dict(doc.get("cleaning") or {}),
        as_of=doc.get("as_of"), segmentation=doc.get("segmentation"),
        segments={int(k): SegmentEdit(v.get("name"), v.get("note", "")) for k, v in doc.get("segments", {}).items()},
        saved_by=str(doc.get("saved_by", "")),
    )


def save_project(path: str | os.PathLike, project: Project) -> Path:
    """Write *project* as JSON, atomically (a crash leaves the previous file intact)."""
    path = Path(path)
    text = json.dumps(project.to_json(), ensure_ascii=False, indent=2, sort_keys=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def apply_edits(personas, edits: Mapping[int, SegmentEdit]) -> None:
    """Give persona cards the owner's names and notes (by segment id).

    Names stay unique within the analysis: a name the owner gave twice gets
    " (2)" on its second card.
    """
    for persona in personas:
        edit = edits.get(persona.segment)
        if edit is None:
            continue
        if edit.name and edit.name.strip():
            persona.name = {"en": edit.name.strip(), "zh": edit.name.strip()}
        persona.note = edit.note
    seen: dict[str, int] = {}
    for persona in personas:
        for lang in ("en", "zh"):
            base = persona.name[lang]
            count = seen.get(f"{lang}:{base}", 0) + 1
            seen[f"{lang}:{base}"] = count
            if count > 1:
                persona.name[lang] = f"{base} ({count})"
