"""CSV for reports and statements: what a broker pastes into a committee paper."""

import csv
import io

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Renders a list of flat rows (dicts) as CSV with a header; chosen with `?format=csv`.
    Errors (a dict with `code`) are rendered as a one-row CSV saying what went wrong."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data if isinstance(data, list) else [data]
        response = (renderer_context or {}).get("response")
        view = (renderer_context or {}).get("view")
        # An empty statement is still a file with its header row (the view's `csv_fields`).
        fieldnames = list(rows[0]) if rows else list(getattr(view, "csv_fields", []))
        buffer = io.StringIO()
        if fieldnames:
            writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        if response is not None and response.status_code < 400:
            name = getattr(view, "csv_filename", "report")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return buffer.getvalue().encode(self.charset)
