"""A read-only Qt table over a pandas DataFrame that stays fast at 541,909 rows.

Cells are read on demand (only the visible ones are ever asked for); each
column gets an accessor once, when the frame is set, so a cell costs one
array lookup and one format. Sorting and filtering never touch the user's
data: they build a row mapping (a NumPy array of positions) with vectorised
pandas operations, as Spyder's ``DataFrameModel`` and Orange's ``TableModel``
do — a ``QSortFilterProxyModel`` would call back into Python millions of
times to sort half a million rows.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Mapping

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

__all__ = ["DataFrameTableModel"]

_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# Qt asks for a dozen roles per cell on every paint; these are the ones answered.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole


def _format_number(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (float, np.floating)):
        if float(value).is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(float(value), ".10g")
    return str(value)


def _format_datetime(value: np.datetime64) -> str:
    if np.isnat(value):
        return ""
    moment = value.astype("datetime64[s]").item()
    if isinstance(moment, _dt.datetime):
        if moment.hour == moment.minute == moment.second == 0:
            return moment.strftime("%Y-%m-%d")
        return moment.strftime("%Y-%m-%d %H:%M" if moment.second == 0 else "%Y-%m-%d %H:%M:%S")
    return str(value)


def _money(value: Any) -> str:
    return "" if value is None or value != value else f"{float(value):,.2f}"


def _percent(value: Any) -> str:
    return "" if value is None or value != value else f"{float(value) * 100:.1f}%"


def _count(value: Any) -> str:
    return "" if value is None or value != value else f"{float(value):,.0f}"


def _decimal(value: Any) -> str:
    return "" if value is None or value != value else f"{float(value):,.2f}"


FORMATTERS: dict[str, Callable[[Any], str]] = {"money": _money, "percent": _percent, "count": _count,
                                               "decimal": _decimal}


class _Column:
    """How to read and show one column: text for a row position, alignment, sort keys."""

    def __init__(self, series, fmt: str | None = None) -> None:
        import pandas as pd

        self.series = series
        self.numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy()
            categories = np.append(series.cat.categories.to_numpy(dtype=object).astype(str), "")
            self.text: Callable[[int], str] = lambda i: categories[codes[i]]
        elif pd.api.types.is_datetime64_any_dtype(dtype):
            values = series.to_numpy()
            self.text = lambda i: _format_datetime(values[i])
        elif pd.api.types.is_bool_dtype(dtype):
            values = series.to_numpy()
            self.text = lambda i: "✔" if values[i] is True or values[i] == True else ""  # noqa: E712
        elif self.numeric:
            values = series.to_numpy(dtype="float64", na_value=np.nan) if pd.api.types.is_extension_array_dtype(dtype) \
                else series.to_numpy()
            formatter = FORMATTERS.get(fmt or "", _format_number)
            self.text = lambda i: formatter(values[i])
        else:
            array = series.array

            def text(i: int) -> str:
                return _plain(array[i])

            self.text = text
            self.texts = lambda positions: [_plain(v) for v in series.iloc[positions].tolist()]  # one bulk read

    def texts(self, positions: np.ndarray) -> list[str]:
        """The text of many rows at once."""
        return [self.text(int(i)) for i in positions]


def _plain(value: Any) -> str:
    import pandas as pd

    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


class DataFrameTableModel(QAbstractTableModel):
    """Read-only table over a DataFrame, with column roles in the header.

    Parameters
    ----------
    frame : DataFrame, optional
    header_note : callable, optional
        ``header_note(column) -> str`` — a second header line (the column's
        detected role), or ``""``.
    header_name : callable, optional
        ``header_name(column) -> str`` — the words shown for a column name.
    formats : mapping, optional
        ``{column: "money" | "percent" | "count" | "decimal"}`` for number columns.
    """

    def __init__(self, frame=None, header_note: Callable[[str], str] | None = None,
                 header_name: Callable[[str], str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._frame = None
        self._header_name = header_name or str
        self._columns: list[_Column] = []
        self._rows: np.ndarray = np.zeros(0, dtype=np.int64)  # positions shown, in order
        self._n_columns = 0
        self._header_note = header_note or (lambda column: "")
        self._highlight: Mapping[str, QColor] = {}
        self._muted: np.ndarray | None = None  # rows shown in grey (set aside by cleaning)
        self._muted_brush = QBrush(QColor(128, 128, 128))
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._filter = ""
        if frame is not None:
            self.set_frame(frame)

    # -- content -----------------------------------------------------------
    def set_frame(self, frame, header_note: Callable[[str], str] | None = None,
                  header_name: Callable[[str], str] | None = None, formats: Mapping[str, str] | None = None) -> None:
        """Show *frame* (not copied; it must not change while shown)."""
        formats = formats or {}
        self.beginResetModel()
        self._frame = frame
        if header_note is not None:
            self._header_note = header_note
        if header_name is not None:
            self._header_name = header_name
        self._columns = ([_Column(frame.iloc[:, j], formats.get(str(frame.columns[j]))) for j in range(frame.shape[1])]
                         if frame is not None else [])
        self._rows = np.arange(0 if frame is None else len(frame), dtype=np.int64)
        self._n_columns = 0 if frame is None else frame.shape[1]
        self._muted = None
        self._sort = None
        self._filter = ""
        self.endResetModel()

    def frame(self):
        return self._frame

    def set_muted(self, rows: np.ndarray | None) -> None:
        """Show the rows where *rows* (a boolean array over the frame) is True in grey."""
        self._muted = None if rows is None else np.asarray(rows, dtype=bool)
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1),
                                  [Qt.ItemDataRole.ForegroundRole])

    def set_header_note(self, header_note: Callable[[str], str], header_name: Callable[[str], str] | None = None) -> None:
        self._header_note = header_note
        if header_name is not None:
            self._header_name = header_name
        if self._frame is not None and self._frame.shape[1]:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self._frame.shape[1] - 1)

    def column_texts(self, column: int, rows: int) -> list[str]:
        """The texts of *column* in the first *rows* rows shown (for sizing the column)."""
        return self._columns[column].texts(self._rows[:rows])

    def source_row(self, row: int) -> int:
        """Position in the frame of the row shown at *row*."""
        return int(self._rows[row])

    # -- Qt model interface ---------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._n_columns

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == _DISPLAY:
            return self._columns[index.column()].text(int(self._rows[index.row()]))
        if role == _ALIGN:
            return _ALIGN_RIGHT if self._columns[index.column()].numeric else _ALIGN_LEFT
        if role == _FOREGROUND:
            if self._muted is not None and self._muted[self._rows[index.row()]]:
                return self._muted_brush
            return None
        if role == _TOOLTIP:
            text = self._columns[index.column()].text(int(self._rows[index.row()]))
            return text if len(text) > 30 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._frame is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if section >= self._frame.shape[1]:
                return None
            name = str(self._frame.columns[section])
            if role == Qt.ItemDataRole.DisplayRole:
                note = self._header_note(name)
                shown = self._header_name(name)
                return f"{shown}\n{note}" if note and note.lower() != shown.lower() else shown
            if role == Qt.ItemDataRole.ToolTipRole:
                note = self._header_note(name)
                shown = self._header_name(name)
                return f"{shown} — {note}" if note else shown
            if role == Qt.ItemDataRole.ForegroundRole and name in self._highlight:
                return QBrush(self._highlight[name])
            return None
        if role == Qt.ItemDataRole.DisplayRole and section < len(self._rows):
            return str(int(self._rows[section]) + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    # -- sorting and filtering through the row mapping ------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._frame is None or not 0 <= column < self._frame.shape[1]:
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._rows = self._ordered(self._filtered())
        self.layoutChanged.emit()

    def set_filter(self, text: str) -> None:
        """Show only rows where some text cell contains *text* (case-insensitive).

        Number and date columns are not searched: turning half a million
        numbers into text would take seconds, and one searches names, not sums.
        """
        if self._frame is None:
            return
        self.beginResetModel()
        self._filter = text.strip()
        self._rows = self._ordered(self._filtered())
        self.endResetModel()

    def _filtered(self) -> np.ndarray:
        import pandas as pd

        n = len(self._frame)
        if not self._filter:
            return np.arange(n, dtype=np.int64)
        needle = self._filter.lower()
        hit = np.zeros(n, dtype=bool)
        for j in range(self._frame.shape[1]):
            s = self._frame.iloc[:, j]
            if isinstance(s.dtype, pd.CategoricalDtype):
                cats = pd.Series(s.cat.categories.astype(str)).str.lower().str.contains(needle, regex=False)
                hit |= np.append(cats.to_numpy(dtype=bool), False)[s.cat.codes.to_numpy()]
            elif pd.api.types.is_string_dtype(s) or s.dtype == object:
                from persona_desktop.core.textops import distinct_mask

                hit |= distinct_mask(s, lambda d: d.str.lower().str.contains(needle, regex=False))
        return np.flatnonzero(hit)

    def _ordered(self, rows: np.ndarray) -> np.ndarray:
        if self._sort is None or not len(rows):
            return rows
        column, order = self._sort
        s = self._frame.iloc[rows, column].reset_index(drop=True)
        ascending = order == Qt.SortOrder.AscendingOrder
        positions = s.sort_values(ascending=ascending, na_position="last", kind="stable").index.to_numpy()
        return rows[positions]
