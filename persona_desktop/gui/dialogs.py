"""Small dialogs: a failed job's message (with details), and the About box."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from persona_desktop import APP_NAME, __version__
from persona_desktop.gui.jobs import JobFailure

__all__ = ["show_failure", "show_about", "failure_box"]


def failure_box(parent: QWidget | None, failure: JobFailure) -> QMessageBox:
    """The message box for a failed job (not shown yet): plain words first, details folded away."""
    box = QMessageBox(parent)
    box.setObjectName("failureDialog")
    box.setWindowTitle(failure.title or APP_NAME)
    if failure.internal:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(QCoreApplication.translate(
            "Dialogs", "Something went wrong inside Persona Desktop. Your file has not been changed, "
            "and you can carry on working."))
        box.setInformativeText(failure.message)
    else:
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(failure.message)
    if failure.details:
        box.setDetailedText(failure.details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_failure(parent: QWidget | None, failure: JobFailure) -> None:
    box = failure_box(parent, failure)
    box.open()  # window-modal, does not block the event loop


def show_about(parent: QWidget | None) -> None:
    text = QCoreApplication.translate(
        "Dialogs",
        "<h3>{name} {version}</h3>"
        "<p>Turns your shop's own customer and order files into customer groups, personas, "
        "product associations and predictions — offline, on your computer.</p>"
        "<p><b>Sample data</b>: a slice of the Online Retail data set by Daqing Chen, "
        "UCI Machine Learning Repository, doi:10.24432/C5BW33, licensed "
        "<a href='https://creativecommons.org/licenses/by/4.0/'>CC BY 4.0</a>.</p>"
        "<p>Built with Qt for Python (PySide6, LGPLv3), pandas, scikit-learn, mlxtend, "
        "matplotlib and openpyxl.</p>"
    ).format(name=APP_NAME, version=__version__)
    QMessageBox.about(parent, QCoreApplication.translate("Dialogs", "About {name}").format(name=APP_NAME), text)
