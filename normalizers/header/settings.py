"""How far the header reader looks: every line count and length limit in one place."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HeaderSettings:
    """Tunables of normalizers.header; the defaults are the values the fixtures were read with."""

    scan_lines: int = 40  # how far from the top the header may lie
    title_max_lines: int = 12  # how far a title may run
    max_plan_years: int = 3  # a longer span is a programme the plan cites, not its own period
    issuer_max_chars: int = 200  # a longer line is prose, not a body's name
    issuer_max_lines: int = 6  # letterhead lines kept above the act type (the last ones)
    issuer_top_lines: int = 10  # where to look for an issuer when no act type is printed
    genitive_issuer_lines: int = 6  # under the act type: `ПРИКАЗ` / `министерства …`
    number_lines_below: int = 6  # act-type line + these: where the signed date and number are printed
    number_lines_above: int = 3  # … else just above the act type
    number_lines_top: int = 15  # … or, with no act type, the top lines
    number_lines_after_title: int = 6  # … or between the title and the preamble


HEADER = HeaderSettings()
