"""Build realistic sample DHR reports from declarative specs (see docs/SAMPLES.md).

``spec`` turns a JSON spec into producer-neutral blocks and the golden answer; ``prose``
writes deterministic filler narrative; ``render_rl`` and ``render_docx`` lay the blocks
out with reportlab and with python-docx + LibreOffice respectively.
"""
