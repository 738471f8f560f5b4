"""The segmentation methods and their names: light enough for the GUI to import at start-up."""

from __future__ import annotations

from persona_desktop.core.i18n import Message, register

__all__ = ["METHODS", "method_name"]

METHODS = ("auto", "kmeans", "dbscan", "hierarchical", "rfm")

register({
    "method.auto": ("Automatic", "自动"),
    "method.kmeans": ("K-Means", "K-Means 聚类"),
    "method.dbscan": ("DBSCAN (finds dense groups)", "DBSCAN（密度聚类）"),
    "method.hierarchical": ("Hierarchical", "层次聚类"),
    "method.rfm": ("RFM groups", "RFM 分组"),
})


def method_name(method: str, lang: str | None = None) -> str:
    return Message(f"method.{method}").text(lang)
