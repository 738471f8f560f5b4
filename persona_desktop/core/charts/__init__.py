"""Chart builders: functions that draw on a matplotlib ``Figure`` (never pyplot).

The GUI hosts the figures in a ``FigureCanvasQTAgg``; the exporters save them
as PNG/SVG/PDF. :func:`new_figure` gives a figure with the CJK font fallback
configured, so Chinese product names and persona names render everywhere.
"""

from __future__ import annotations

import logging
import os
import sys
from functools import lru_cache
from pathlib import Path

from persona_desktop.core.paths import cache_dir

# matplotlib is imported inside the functions, never at module level: configure_fonts() must point
# MPLCONFIGDIR at our font cache before matplotlib is first imported.
__all__ = ["new_figure", "configure_fonts", "PALETTE"]

# Colour-blind-safe palette (Okabe–Ito), then tab10 for more segments.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
NOISE_COLOUR = "#B0B0B0"

_CJK_FAMILIES = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                 "WenQuanYi Zen Hei", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "SimHei",
                 "Heiti SC", "Arial Unicode MS", "Noto Serif CJK SC",
                 # matplotlib < 3.11 names a font collection (.ttc) by its first face only; the
                 # Japanese face of Noto CJK holds the same Chinese characters
                 "Noto Sans CJK JP"]


def _cache_dir() -> Path:
    """A persistent per-user folder for matplotlib's font cache (not rebuilt at each start)."""
    return cache_dir() / "matplotlib"


def fonts_added(found: list[str], marker: Path, cached: set[str]) -> bool:
    """Whether *found* (the system's font files now) holds one not seen before: not in *marker*
    (the files listed when we last checked), or, before the first check, not among *cached* (the
    files matplotlib's cache holds). Records *found* in *marker* whenever it says yes or is new."""
    known = set(marker.read_text(encoding="utf-8").splitlines()) if marker.exists() else None
    if set(found) <= (known if known is not None else cached):
        if known is None:
            _write_marker(marker, found)
        return False
    _write_marker(marker, found)
    return True


def _write_marker(marker: Path, found: list[str]) -> None:
    try:
        marker.write_text("\n".join(sorted(set(found))), encoding="utf-8")
    except OSError:  # a read-only cache folder: matplotlib's cache is then temporary anyway
        pass


def _refresh_font_cache(font_manager, just_built: bool) -> None:
    """Rescan when fonts were installed after matplotlib wrote its cache (say the CJK font a
    Chinese chart needs): matplotlib itself never looks again. Listing the font files takes
    ~35 ms; the rescan, seconds, happens only when one was added. *just_built*: matplotlib
    wrote its cache in this process, from the fonts there are now."""
    import matplotlib

    try:
        found = font_manager.findSystemFonts()
    except Exception:  # fc-list missing or failing: keep what matplotlib has
        return
    marker = Path(matplotlib.get_cachedir()) / "persona-system-fonts.txt"
    if just_built:
        _write_marker(marker, found)
        return
    cached = {f.fname for f in font_manager.fontManager.ttflist + font_manager.fontManager.afmlist}
    if fonts_added(found, marker, cached):
        vars(font_manager.fontManager).update(vars(font_manager.FontManager()))
        cache = Path(matplotlib.get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
        font_manager.json_dump(font_manager.fontManager, str(cache))


@lru_cache(maxsize=1)
def configure_fonts() -> list[str]:
    """Set matplotlib's sans-serif list to DejaVu Sans plus the CJK fonts present.

    Only installed families are listed: naming a missing one makes matplotlib
    log a "findfont" warning on every draw. Returns the CJK families found.
    """
    # A frozen build's start-up hook points MPLCONFIGDIR at a temporary folder, which would
    # rebuild the font cache (seconds) at every launch: ours is kept per user instead.
    if "MPLCONFIGDIR" not in os.environ or getattr(sys, "frozen", False):
        folder = _cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            os.environ["MPLCONFIGDIR"] = str(folder)
        except OSError:  # a read-only home: matplotlib falls back to a temp dir
            pass
    import matplotlib

    cache_files = list(Path(matplotlib.get_cachedir()).glob("fontlist-v*.json"))
    just_built = "matplotlib.font_manager" not in sys.modules and not cache_files
    from matplotlib import font_manager, rcParams

    # a CJK font without a bold face is used at its regular weight: expected, not worth a
    # warning on every draw (it would also spoil the self-test's clean stderr)
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    _refresh_font_cache(font_manager, just_built)
    installed = {f.name for f in font_manager.fontManager.ttflist}
    cjk = [name for name in _CJK_FAMILIES if name in installed]
    # Per-glyph fallback (matplotlib ≥ 3.6) walks the families named in
    # font.family itself; a generic "sans-serif" entry would use only one font.
    rcParams["font.family"] = ["DejaVu Sans", *cjk]
    rcParams["font.sans-serif"] = ["DejaVu Sans", *cjk]
    rcParams["axes.unicode_minus"] = False  # the minus sign is missing from many CJK fonts
    rcParams["svg.fonttype"] = "none"
    # Labels are the user's data: a product called "a $x^{2$ b" is text, not a formula (as
    # mathtext it fails to draw the whole chart)
    rcParams["text.parse_math"] = False
    return cjk


def new_figure(width: float = 6.4, height: float = 4.0, dpi: int = 100):
    """A fresh ``matplotlib.figure.Figure`` with our fonts, not tied to pyplot."""
    configure_fonts()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=dpi, layout="constrained")


def colour(segment: int, index: int) -> str:
    """The colour of a segment: grey for noise (-1), else the palette in order."""
    return NOISE_COLOUR if segment == -1 else PALETTE[index % len(PALETTE)]
