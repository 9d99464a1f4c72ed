"""Letters on screen before they go out: preview, print and save as PDF.

The PDF made by the letters service is shown with QtPdf (no other PDF reader needed on a school
office PC). Printing renders each page to an image at up to 300 dpi and paints it on the
printer; that runs off the GUI thread with its own QPdfDocument, because a batch for a whole
year is a few hundred pages.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel,
                               QPushButton, QVBoxLayout, QWidget)

from tsa_desktop.domain.errors import CancelledError
from tsa_desktop.domain.progress import Progress
from tsa_desktop.ui.common.screen import FitsScreen

#: Pages are printed as images of at most this resolution: sharp on paper, and a page's image
#: stays under 40 MB even when the printer driver reports 1200 dpi.
PRINT_DPI = 300


def load_pdf(data: bytes, parent=None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over PDF bytes; keep the buffer as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def print_pdf(data: bytes, printer: QPrinter, progress: Progress) -> int:
    """Print a PDF page by page on ``printer``; safe to run on a worker thread.

    Args:
        data: The PDF.
        printer: Set up (by the print dialog) and not used by anything else meanwhile.
        progress: Reports each page; a cancel stops before the next page.

    Returns:
        The number of pages printed.

    Raises:
        CancelledError: cancelled before the first page went to the printer.
        ValueError: the PDF cannot be read.
    """
    document, buffer = load_pdf(data)
    painter = QPainter()
    try:
        count = document.pageCount()
        if document.status() != QPdfDocument.Status.Ready or count == 0:
            raise ValueError("the letters could not be read for printing")
        progress.check()
        if not painter.begin(printer):
            raise OSError("the printer could not be started")
        dpi = min(printer.resolution(), PRINT_DPI)
        for page in range(count):
            if page:
                progress.check()
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() * dpi / 72),
                                                round(points.height() * dpi / 72)))
            painter.drawImage(_fit(printer, points.width() / points.height()), image)
            progress.report(page + 1, count, f"Printing page {page + 1} of {count}")
        return count
    except CancelledError:
        if painter.isActive():
            # Pages already sent stay sent; the rest of the job is dropped.
            printer.abort()
        raise
    finally:
        if painter.isActive():
            painter.end()
        document.close()
        buffer.close()


def _fit(printer: QPrinter, aspect: float) -> QRectF:
    """The largest rectangle of the page's shape on the paper, centred."""
    paper = printer.paperRect(QPrinter.Unit.DevicePixel)
    width, height = paper.width(), paper.height()
    if width / height > aspect:
        width = height * aspect
    else:
        height = width / aspect
    return QRectF((paper.width() - width) / 2, (paper.height() - height) / 2, width, height)


def new_printer(title: str) -> QPrinter:
    """A printer on A4, whole sheet (the letters carry their own margins)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    printer.setDocName(title)
    return printer


class LetterPreviewDialog(FitsScreen, QDialog):
    """Shows a PDF of letters, with Print… and Save as PDF….

    Args:
        data: The PDF.
        title: What the letters are, e.g. "12 letters to trainees".
        start_print: Called with (data, printer) once the print dialog is accepted; it prints
            (off the GUI thread) and records the letters as produced. None for a sample that
            is only to look at.
        save: Called with a path; writes the PDF, records the letters and returns a summary,
            or None when it could not (having shown why). None for a sample.
        suggested_name: The file name offered by Save as PDF.
    """

    preferred_size = (900, 1000)

    def __init__(self, data: bytes, title: str,
                 start_print: Callable[[bytes, QPrinter], None] | None,
                 save: Callable[[str], str | None] | None, suggested_name: str = "letters.pdf",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A preview holds the whole PDF; let it go when the window is closed.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Preview: {title}")
        self.data, self.title = data, title
        self._start_print, self._save, self._suggested = start_print, save, suggested_name
        self.document, self._buffer = load_pdf(data, self)

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        self.zoom = QComboBox(self)
        self.zoom.addItem("Fit width", QPdfView.ZoomMode.FitToWidth)
        self.zoom.addItem("Whole page", QPdfView.ZoomMode.FitInView)
        self.zoom.currentIndexChanged.connect(
            lambda _i: self.view.setZoomMode(self.zoom.currentData()))
        pages = self.document.pageCount()
        self.pages = QLabel(f"{title} · {pages} page{'s' if pages != 1 else ''}", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.print_button = QPushButton("Print…", self)
        self.print_button.clicked.connect(lambda: self.print_letters())
        self.save_button = QPushButton("Save as PDF…", self)
        self.save_button.clicked.connect(lambda: self.save_as())
        self.print_button.setVisible(start_print is not None)
        self.save_button.setVisible(save is not None)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)

        bar = QHBoxLayout()
        bar.addWidget(self.pages, 1)
        bar.addWidget(self.zoom)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    def print_letters(self, printer: QPrinter | None = None) -> bool:
        """Ask for a printer (unless one is given) and print every page.

        Returns:
            False if the user cancelled the print dialog.
        """
        if printer is None:
            printer = new_printer(self.title)
            dialog = QPrintDialog(printer, self)
            dialog.setWindowTitle(f"Print {self.title}")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        self._start_print(self.data, printer)
        return True

    def save_as(self, path: str | None = None) -> bool:
        """Ask for a file name (unless given), write the PDF and record the letters."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Save letters as PDF", self._suggested,
                                                  "PDF files (*.pdf)")
            if not path:
                return False
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        summary = self._save(path)
        if summary:
            self.status.setText(summary)
        return summary is not None
