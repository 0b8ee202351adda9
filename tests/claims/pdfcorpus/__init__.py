"""Synthetic loss-run PDFs with ground truth, rendered with WeasyPrint (tests and bench/)."""

from __future__ import annotations

import io
from functools import cache

from tests.claims.pdfcorpus.heldout_blocks import (
    cards_left_labels,
    cards_two_columns,
    two_row_records,
)
from tests.claims.pdfcorpus.heldout_fourth import auto_bi_pd, grid_cards_wc, split_columns_gl
from tests.claims.pdfcorpus.heldout_fourth_more import (
    gross_net_property,
    package_lines,
    summary_first_numeric,
)
from tests.claims.pdfcorpus.heldout_more import capitals_report, inline_labels, spreadsheet_print
from tests.claims.pdfcorpus.heldout_tables import (
    policy_rows_auto,
    reordered_columns,
    short_dates_portrait,
)
from tests.claims.pdfcorpus.heldout_third import fixed_width_text, stacked_cells
from tests.claims.pdfcorpus.layouts_blocks import cards, ledger, stacked
from tests.claims.pdfcorpus.layouts_more import grouped
from tests.claims.pdfcorpus.layouts_tables import (
    columns_first_page,
    columns_repeated,
    two_line_header,
)
from tests.claims.pdfcorpus.types import Sample

LAYOUTS = {
    f.__name__: f
    for f in (
        columns_repeated,
        columns_first_page,
        two_line_header,
        cards,
        stacked,
        ledger,
        grouped,
    )
}
# Written after the engine reached 100% on LAYOUTS, to measure it on layouts it was not
# tuned on (other wordings, orders, date and negative styles, card shapes); kept apart so
# the bench reports them apart.
HELDOUT = {
    f.__name__: f
    for f in (
        reordered_columns,
        short_dates_portrait,
        policy_rows_auto,
        cards_left_labels,
        cards_two_columns,
        two_row_records,
        spreadsheet_print,
        capitals_report,
        inline_labels,
        fixed_width_text,
        stacked_cells,
        split_columns_gl,
        auto_bi_pd,
        grid_cards_wc,
        gross_net_property,
        summary_first_numeric,
        package_lines,
    )
}
ALL_LAYOUTS = {**LAYOUTS, **HELDOUT}
SCAN_TILT = 0.7  # degrees: a sheet fed slightly askew


@cache
def sample(name: str) -> tuple[Sample, bytes]:
    """The layout's truth and PDF; each claim's truth gets the page its claim number is on."""
    import pypdfium2 as pdfium
    from weasyprint import HTML

    if name.endswith("_scanned"):
        truth, pdf = sample(name.removesuffix("_scanned"))
        return truth, rasterise(pdf, tilt=SCAN_TILT)
    truth = ALL_LAYOUTS[name]()
    pdf = HTML(string=truth.html).write_pdf()
    doc = pdfium.PdfDocument(pdf)
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    for claim in truth.claims:
        claim["page"] = next(i + 1 for i, t in enumerate(texts) if claim["claim_number"] in t)
    return truth, pdf


def rasterise(pdf: bytes, *, dpi: int = 200, tilt: float = 0.0) -> bytes:
    """A scanned copy: every page rendered to a grey image (turned `tilt` degrees, as a sheet
    fed askew), saved as an image-only PDF."""
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(pdf)
    images = [doc[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(doc))]
    if tilt:
        images = [i.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=255) for i in images]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out.getvalue()
