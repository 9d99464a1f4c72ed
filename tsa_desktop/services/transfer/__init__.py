"""Import and export of every kind of record (``ws.transfer``).

Use::

    report = ws.transfer.import_file("trainees", "trainees.xlsx")   # all or nothing
    print(report.summary())        # imported trainees from trainees.xlsx: 12 added, ...
    ws.transfer.export_file("mentors", "mentors.csv")

One module per kind family does the checking and writing: ``places`` (schools, providers,
allocations), ``trainees``, ``people`` (mentors, NQTs), ``placements``; ``export`` reads each kind
back out.
"""

from tsa_desktop.services.transfer.reports import ExportReport, ImportPreview, ImportReport
from tsa_desktop.services.transfer.service import EXPORT_KINDS, IMPORT_KINDS, TransferService

__all__ = ["EXPORT_KINDS", "IMPORT_KINDS", "ExportReport", "ImportPreview", "ImportReport", "TransferService"]
