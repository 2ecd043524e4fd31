"""A report's PDF as page images, on a printer's pages, and as a temporary file for a viewer.

The pages are rendered with pypdfium2 (installed with pdfplumber); without it there are no
images and the dialog offers the default PDF viewer. Qt only; imports no dialog and calls no
service (the dialog audits what is printed, saved or opened).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from slidesk.services.reporting.service import IssuedReport


def render_pages(data: bytes, scale: float) -> list[QImage] | None:
    """The PDF's pages as images, or None when pypdfium2 is not installed."""
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    document = pdfium.PdfDocument(data)
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=scale)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_BGR888,
            ).copy()
            images.append(image)
    finally:
        document.close()
    return images


def paint_pages(printer: QPrinter, images: list[QImage]) -> bool:
    """Paint `images` on `printer`, one page each, scaled to fit; False when the printer would
    not start (nothing painted)."""
    painter = QPainter()
    if not painter.begin(printer):
        return False
    try:
        for i, image in enumerate(images):
            if i:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(target.x(), target.y(), size.width(), size.height()))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
    finally:
        painter.end()
    return True


def temporary_copy(issued: IssuedReport) -> Path:
    """The PDF in a fresh temporary folder, for the system's viewer."""
    path = Path(tempfile.mkdtemp(prefix="slidesk-report-")) / f"{issued.document_id}.pdf"
    path.write_bytes(issued.pdf)
    return path
