"""The Personas screen: one card per segment, its name and notes editable in place.

A card shows the segment's colour and badge, its name (click to rename), its
size and its shares of customers and revenue, churn risk, what sets it apart,
its favourite products and what to do next. Names and notes go back to the
analysis at once (the workbook, the report and a saved project use them).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QScrollArea, QSizePolicy, QVBoxLayout,
    QWidget,
)

from persona_desktop.gui.i18n import Retranslating, current_lang

__all__ = ["PersonasPanel", "PersonaCard"]

_RISK_COLOURS = {"low": "#2E7D32", "medium": "#EF6C00", "high": "#C62828", "unknown": "#757575"}


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pct(value) -> str:
    from persona_desktop.core.segments.words import percent_text

    return percent_text(value)


class PersonaCard(QFrame):
    """One persona; ``edited()`` when its name or note changed."""

    edited = Signal()

    def __init__(self, persona, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from persona_desktop.core.charts import colour

        self.persona = persona
        self.setObjectName(f"card.{persona.segment}")
        self.tint = colour(persona.segment, index)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.badge = QLabel(str(index + 1) if persona.segment >= 0 else "·", self)
        self.badge.setFixedSize(34, 34)
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge.setStyleSheet(f"background:{self.tint}; color:white; border-radius:17px; font-weight:bold;")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("nameEdit")
        font = self.name_edit.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.name_edit.setFont(font)
        self.name_edit.setFrame(False)
        self.figures = QLabel(self)
        self.figures.setWordWrap(True)
        self.risk = QLabel(self)
        self.body = QLabel(self)
        self.body.setObjectName("cardBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setFixedHeight(self.fontMetrics().height() * 3 + 12)
        self.note_edit.setPlainText(persona.note)
        stripe = QFrame(self)
        stripe.setFixedWidth(6)
        stripe.setStyleSheet(f"background:{self.tint}; border:none;")

        head = QHBoxLayout()
        head.addWidget(self.badge)
        head.addWidget(self.name_edit, 1)
        head.addWidget(self.risk)
        inner = QVBoxLayout()
        inner.addLayout(head)
        inner.addWidget(self.figures)
        inner.addWidget(self.body)
        inner.addWidget(self.note_edit)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 8, 8)
        outer.addWidget(stripe)
        outer.addLayout(inner, 1)
        self.name_edit.editingFinished.connect(self._on_edited)
        self.note_edit.textChanged.connect(self._on_edited)
        self.render()

    def render(self) -> None:
        lang = current_lang()
        p = self.persona
        self.name_edit.blockSignals(True)
        self.name_edit.setText(p.display_name(lang))
        self.name_edit.blockSignals(False)
        self.name_edit.setToolTip(self.tr("Click to rename this segment; leave it empty for the suggested name"))
        self.name_edit.setPlaceholderText(p.name.get(lang, p.name["en"]))
        figures = self.tr("{0} customers · {1} of customers").format(f"{p.size:,}", _pct(p.share))
        if p.revenue_share is not None:
            figures += " · " + self.tr("{0} of revenue").format(_pct(p.revenue_share))
        money = p.money_text(lang)
        if money:
            figures += "\n" + money
        value = p.value_text(lang)
        if value:
            figures += "\n" + value
        self.figures.setText(figures)
        from persona_desktop.core.i18n import Message

        risk_name = Message(f"risk.{p.churn_risk}").text(lang)
        self.risk.setText(self.tr("Churn risk: {0}").format(risk_name))
        self.risk.setStyleSheet(f"color:{_RISK_COLOURS.get(p.churn_risk, '#757575')}; font-weight:bold;")
        self.risk.setVisible(p.churn_risk != "unknown")
        parts = []
        apart, buy, todo = self.tr("What sets them apart"), self.tr("They buy more than others"), self.tr("What to do")
        if p.traits:
            parts.append(f"<b>{apart}</b><ul style='margin-left:-24px'>" +
                         "".join(f"<li>{_esc(t.text(lang))}</li>" for t in p.traits) + "</ul>")
        if p.top_products:
            names = ", ".join(_esc(str(t["product"])) for t in p.top_products[:3])
            parts.append(f"<p><b>{buy}</b>: {names}</p>")
        if p.actions:
            parts.append(f"<b>{todo}</b><ul style='margin-left:-24px'>" +
                         "".join(f"<li>{_esc(a.text(lang))}</li>" for a in p.actions) + "</ul>")
        self.body.setText("".join(parts))
        self.body.setMinimumHeight(self.body.heightForWidth(max(self.body.width(), 420)))
        self.note_edit.setPlaceholderText(self.tr("Your notes about this segment…"))

    @Slot()
    def _on_edited(self) -> None:
        self.edited.emit()

    def edit(self):
        from persona_desktop.core.results import SegmentEdit

        return SegmentEdit(self.name_edit.text().strip() or None, self.note_edit.toPlainText())


class PersonasPanel(Retranslating, QWidget):
    """A grid of :class:`PersonaCard`; two or three columns, by the window's width."""

    edited = Signal()  # names or notes changed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personasPanel")
        self.analysis = None
        self.cards: list[PersonaCard] = []
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._holder = QWidget(self)
        self._grid = QGridLayout(self._holder)
        self._grid.setSpacing(12)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self._holder)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.scroll, 1)
        self._columns = 0
        self._retranslate()

    def show_analysis(self, analysis) -> None:
        self.analysis = analysis
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        segments = analysis.segments if analysis is not None else None
        has = segments is not None
        self.empty.setVisible(not has)
        self.scroll.setVisible(has)
        if has:
            for i, persona in enumerate(segments.personas):
                card = PersonaCard(persona, i, self._holder)
                card.edited.connect(self._on_card_edited)
                self.cards.append(card)
        self._columns = 0
        self._layout_cards()

    def _layout_cards(self) -> None:
        columns = 3 if self.width() >= 1500 else 2 if self.width() >= 760 else 1
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards:
            self._grid.removeWidget(card)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        for i, card in enumerate(self.cards):
            self._grid.addWidget(card, i // columns, i % columns, Qt.AlignmentFlag.AlignTop)
        self._grid.setRowStretch((len(self.cards) + columns - 1) // columns, 1)  # cards keep their height
        for c in range(3):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._layout_cards()

    @Slot()
    def _on_card_edited(self) -> None:
        if self.analysis is None or self.analysis.segments is None:
            return
        from persona_desktop.core.results import apply_edits

        apply_edits(self.analysis.segments.personas, {c.persona.segment: c.edit() for c in self.cards})
        self.edited.emit()

    def _retranslate(self) -> None:
        self.intro.setText(self.tr("One card per segment. Click a name to rename it; your names and notes go "
                                   "into the workbook, the report and the project file."))
        self.empty.setText(self.tr("No segments yet: go to <b>Segments</b> and press <b>Find segments</b>."))
        for card in self.cards:
            card.render()
