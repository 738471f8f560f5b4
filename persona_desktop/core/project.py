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

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

from persona_desktop import __version__
from persona_desktop.core.errors import ReadError
from persona_desktop.core.i18n import Message, register
from persona_desktop.core.io.safe_write import atomic_target
from persona_desktop.core.progress import NULL_PROGRESS
from persona_desktop.core.results import Analysis, SegmentEdit
from persona_desktop.core.table.clean_options import CleanOptions
from persona_desktop.core.table.understand import inspect_file
from persona_desktop.core.workflow import add_segments, add_value, unavailable

__all__ = ["Project", "save_project", "load_project", "migrate", "SCHEMA_VERSION", "SUFFIX",
           "file_checksum", "project_of", "reopen"]

SCHEMA_VERSION = 2
SUFFIX = ".persona.json"
KIND = "persona-desktop-project"

register({
    "project.not_json": ("{file} is not a Persona Desktop project (not a JSON document)",
                         "{file} 不是 Persona Desktop 项目文件（不是 JSON 文档）"),
    "project.not_project": ("{file} is not a Persona Desktop project", "{file} 不是 Persona Desktop 项目文件"),
    "project.newer": ("{file} was saved by a newer Persona Desktop (project version {version}); update the app to open it",
                      "{file} 由更新版本的 Persona Desktop 保存（项目版本 {version}），请升级后再打开"),
    "project.changed": ("{file} has changed since the project was saved: the segments may differ",
                        "{file} 在保存项目后已被修改，分组结果可能不同"),
    "project.bad_field": ("{file} is damaged: “{field}” is not valid", "{file} 已损坏：“{field}”无效"),
})


@dataclass
class Project:
    """The owner's decisions about one analysis (see the module docstring)."""

    source: str
    checksum: str | None = None  # sha256 of the source when saved: tells the owner if it changed since
    sheet: str | None = None
    encoding: str | None = None
    roles: dict[str, str] = field(default_factory=dict)
    cleaning: dict[str, Any] = field(default_factory=dict)
    as_of: str | None = None
    segmentation: dict[str, Any] | None = None
    segments: dict[int, SegmentEdit] = field(default_factory=dict)
    saved_by: str = __version__
    # the customer-value settings (days, months, discount, model); None: the defaults
    value: dict[str, Any] | None = None

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
    for name in ("sheet", "encoding", "as_of", "checksum"):
        if doc.get(name) is not None and not isinstance(doc[name], str):
            raise bad(name)
    if not isinstance(doc.get("roles", {}), dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in doc.get("roles", {}).items()):
        raise bad("roles")
    for name in ("cleaning", "segmentation"):
        if doc.get(name) is not None and not isinstance(doc[name], dict):
            raise bad(name)
    value = doc.get("value")
    if value is not None and not _valid_value_settings(value):
        raise bad("value")
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


def _valid_value_settings(value) -> bool:
    if not isinstance(value, dict) or not set(value) <= {"days", "months", "discount", "model"}:
        return False
    whole = all(isinstance(value.get(k, 1), int) and not isinstance(value.get(k, 1), bool) and value.get(k, 1) >= 1
                for k in ("days", "months"))
    rate = value.get("discount", 0.01)
    return whole and isinstance(rate, (int, float)) and 0 <= rate < 1 and value.get("model", "auto") in (
        "auto", "bgnbd", "paretonbd")


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
        source=doc["source"], checksum=doc.get("checksum"), sheet=doc.get("sheet"), encoding=doc.get("encoding"),
        roles=dict(doc.get("roles", {})), cleaning=dict(doc.get("cleaning") or {}),
        as_of=doc.get("as_of"), segmentation=doc.get("segmentation"),
        segments={int(k): SegmentEdit(v.get("name"), v.get("note", "")) for k, v in doc.get("segments", {}).items()},
        saved_by=str(doc.get("saved_by", "")), value=doc.get("value"),
    )


def save_project(path: str | os.PathLike, project: Project) -> Path:
    """Write *project* as JSON, atomically (a crash leaves the previous file intact)."""
    path = Path(path)
    text = json.dumps(project.to_json(), ensure_ascii=False, indent=2, sort_keys=False)
    with atomic_target(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return path


def file_checksum(path: str | os.PathLike) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def project_of(analysis) -> Project:
    """The owner's decisions in an :class:`~persona_desktop.core.workflow.Analysis`, as a project."""
    ins = analysis.inspection
    source = ins.table.source
    cleaning = ins.clean_options.to_json()  # every option: the constant for missing values, the IQR factor…
    as_of = ins.customers.as_of if ins.customers is not None else None
    segments = {}
    if analysis.segments is not None:
        for p in analysis.segments.personas:
            segments[p.segment] = SegmentEdit(p.own_name, p.note)
    return Project(source=str(Path(source.path).resolve()), checksum=file_checksum(source.path),
                   sheet=source.sheet, encoding=source.encoding,
                   roles={str(c): r.value for c, r in ins.roles.items()}, cleaning=cleaning,
                   as_of=None if as_of is None else as_of.isoformat(),
                   segmentation=analysis.options.get("segmentation"), segments=segments,
                   value=analysis.options.get("value"))


def reopen(project: Project, *, progress=None):
    """Read the project's file again and replay its decisions; returns (Analysis, notes).

    The same file gives the same segments (the seed is saved); the names and notes come back.
    """
    progress = progress or NULL_PROGRESS
    notes = []
    if not Path(project.source).exists():
        raise ReadError("read.not_found", file=project.source)
    if project.checksum and file_checksum(project.source) != project.checksum:
        notes.append(Message("project.changed", {"file": Path(project.source).name}))
    options = CleanOptions.from_json(project.cleaning or {})
    # recency is counted to the same day as when the project was saved, even if the file has grown
    inspection = inspect_file(project.source, sheet=project.sheet, encoding=project.encoding,
                              roles=project.roles or None, clean_options=options, as_of=project.as_of,
                              progress=progress.sub(0.0, 0.4))
    analysis = Analysis(Path(project.source), inspection)
    if unavailable(analysis, "value") is None:
        add_value(analysis, skip_errors=True, progress=progress.sub(0.4, 0.5), **(project.value or {}))
    if project.segmentation is not None and inspection.customers is not None:
        settings = dict(project.segmentation)
        seed = int(settings.pop("seed", 0))
        add_segments(analysis, seed=seed, edits=project.segments, progress=progress.sub(0.4, 1.0), **settings)
    return analysis, notes
