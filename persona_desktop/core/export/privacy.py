"""Exports without personal data: names, phone numbers and e-mail addresses masked or replaced.

An owner who sends the customer list to a designer, an agency or a mailing
tool need not send who the customers are. :class:`Privacy` says how the
export shows them:

* ``"keep"``: as they are (the default: the owner's own file);
* ``"mask"``: readable but not identifying, the way a bank shows them:
  ``张**``, ``J*** S****``, ``a****@example.com``, ``*** **** 1234``;
* ``"code"``: replaced by a code, the same for the same person in every
  sheet and every export from this computer (``N-3f9a1b2c7d``), so that two
  exports can still be matched. The code is a keyed hash (HMAC-SHA-256) with
  a random key kept in the app's settings folder: without that key nobody
  can get back a phone number by trying all of them.

Which columns are personal comes from their roles (customer name, e-mail,
phone); the customer key is protected too when it is itself an e-mail
address or a phone number, and then in every sheet that lists customers.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from persona_desktop.core.io.safe_write import atomic_target
from persona_desktop.core.paths import config_dir
from persona_desktop.core.schema import PERSONAL_ROLES, Role

__all__ = ["Privacy", "MODES", "key_kind", "personal_columns", "privacy_for", "protect", "installation_key"]

MODES = ("keep", "mask", "code")
_KINDS = {Role.CUSTOMER_NAME: "name", Role.EMAIL: "email", Role.PHONE: "phone"}
assert set(_KINDS) == PERSONAL_ROLES
_PREFIX = {"name": "N", "email": "E", "phone": "P", "id": "C"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")


@dataclass(frozen=True)
class Privacy:
    """How personal data appears in an export; see the module docstring."""

    mode: str = "keep"
    key: bytes = b""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"privacy mode {self.mode!r}: one of {MODES}")
        if self.mode == "code" and len(self.key) < 16:
            raise ValueError("codes need a key of at least 16 bytes (installation_key())")

    @property
    def active(self) -> bool:
        return self.mode != "keep"


def privacy_for(mode: str) -> Privacy:
    """The :class:`Privacy` of *mode* ("keep", "mask", "code"), with this computer's key for codes."""
    return Privacy(mode, installation_key() if mode == "code" else b"")


def installation_key(folder: str | os.PathLike | None = None) -> bytes:
    """This computer's random key for codes, made on first use in the settings folder."""
    path = Path(folder) if folder is not None else Path(config_dir())
    key_file = path / "privacy.key"
    try:
        key = bytes.fromhex(key_file.read_text("ascii").strip())
        if len(key) >= 16:
            return key
    except (OSError, ValueError):
        pass

    path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    with atomic_target(key_file) as tmp:
        tmp.write_text(key.hex(), "ascii")
    return key


def _mask_name(text: str) -> str:
    # the first character of each word: 张三丰 → 张**, John Smith → J*** S****
    return " ".join(w[:1] + "*" * (len(w) - 1) for w in text.split())


def _mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}" if domain else _mask_name(text)


def _mask_phone(text: str) -> str:
    # every digit but the last four
    digits = sum(ch.isdigit() for ch in text)
    seen, out = 0, []
    for ch in text:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > digits - 4 else "*")
        else:
            out.append(ch)
    return "".join(out)


_MASKS = {"name": _mask_name, "email": _mask_email, "phone": _mask_phone, "id": _mask_name}


def _code(text: str, kind: str, key: bytes) -> str:
    normal = text.strip().lower() if kind == "email" else re.sub(r"\D", "", text) if kind == "phone" else text.strip()
    digest = hmac.new(key, f"{kind}:{normal}".encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{_PREFIX[kind]}-{digest[:10]}"


def protect(values: pd.Series, kind: str, privacy: Privacy) -> pd.Series:
    """*values* masked or coded as *privacy* says; missing values stay missing."""
    if not privacy.active:
        return values
    present = values.notna()
    text = values[present].astype("str")
    if privacy.mode == "mask":
        done = text.map(_MASKS[kind])
    else:
        done = text.map(lambda v: _code(v, kind, privacy.key))
    out = pd.Series(pd.NA, index=values.index, dtype="object", name=values.name)
    out[present] = done.to_numpy()
    return out


def key_kind(values: pd.Series, role) -> str | None:
    """"email" or "phone" when the customer key itself is one (by its role, or by most of its values)."""
    if role in _KINDS and _KINDS[role] != "name":
        return _KINDS[role]
    sample = values.dropna().astype("str").head(500)
    if not len(sample) or pd.api.types.is_numeric_dtype(values):
        return None
    if sample.str.match(_EMAIL).mean() >= 0.8:
        return "email"
    if sample.str.match(_PHONE).mean() >= 0.8 and sample.str.count(r"\d").min() >= 7:
        return "phone"
    return None


def personal_columns(data: pd.DataFrame, roles: dict, key: str | None) -> dict[str, str]:
    """{column: kind} of the personal columns of a customers table (kind: name, email, phone)."""
    found = {c: _KINDS[roles.get(c)] for c in data.columns if c != key and roles.get(c) in _KINDS}
    if key is not None and key in data.columns:
        kind = key_kind(data[key], roles.get(key))
        if kind is not None:
            found[key] = kind
    return found
