"""The report's tables as CSV and ODS, and the whole report as PDF: the same tables
(:meth:`activite.report.Report.tables`) as the page, so that the files say what it shows."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

from django.template.loader import render_to_string
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from .report import Report


def to_csv(report: Report) -> str:
    """One CSV: each table under its title, a blank line between tables (``;`` separated,
    as French spreadsheets expect)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for title, header, rows in report.tables():
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
    return out.getvalue()


def _cell(value: Any) -> TableCell:
    if isinstance(value, int):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    cell.addElement(P(text=str(value)))
    return cell


def to_ods(report: Report) -> bytes:
    """One sheet per table (sheet names ≤ 31 characters)."""
    document = OpenDocumentSpreadsheet()
    for title, header, rows in report.tables():
        table = Table(name=title[:31])
        for values in [header, *rows]:
            row = TableRow()
            for value in values:
                row.addElement(_cell(value))
            table.addElement(row)
        document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def to_pdf(context: dict[str, Any], map_png: bytes, base_url: str) -> bytes:
    """The printable report (``activite/rapport_pdf.html``) with its SVG charts and the map
    as a PNG, through WeasyPrint."""
    from weasyprint import HTML  # heavy: loaded with the first PDF

    html = render_to_string(
        "activite/rapport_pdf.html",
        {**context, "map_data": base64.b64encode(map_png).decode("ascii")},
    )
    return HTML(string=html, base_url=base_url).write_pdf()
