"""Procedure reports: the PDF as a pure function of a report DTO (reportlab), and its PAdES
signature (pyHanko). The only package that imports reportlab, svglib or pyHanko."""
