"""What the app shows, as plain functions: labels in two languages, figures and tables.

The app only places these on the page; a notebook can call the same functions. They live by
what they draw: `formats` (the status and the headline in words and figures), `figures`
(Plotly), `tables`, `maps` (the province map) and `compare` (saved scenarios side by side);
this module gathers them, with the analyses' sentences from `explain`. Figures are Plotly
objects drawn on plain axes: the map is the cities' polygons from the packaged GeoJSON, so
nothing is fetched from the internet (no tiles, no fonts, no CDN).
"""

from __future__ import annotations

from .compare import COMPARED, compare_shown, compare_table, inputs_differ, portfolio_changes
from .explain import (
    entry_sentence,
    frontier_sentence,
    grid_sentence,
    limit_values_family_note,
    robustness_sentences,
)
from .figures import (
    LIMIT_VALUES_SHOWN,
    ROBUST_BAR_PX,
    SECTOR_COLOURS,
    city_figure,
    frontier_figure,
    grid_figure,
    lasting_figure,
    limit_values_figure,
    ppp_figure,
    reemployment_year_figure,
    robustness_figure,
    sector_figure,
    year_figure,
)
from .formats import (
    HEADLINE_COMPARED,
    conflict_lines,
    conflicts_table,
    conflicts_together,
    headline_metrics,
    moved_inputs,
    ppp_notes,
    share,
    status_message,
)
from .labels import LANGUAGES, Labels
from .maps import LABEL_OFFSETS, city_shapes, province_map
from .tables import (
    FRONTIER_SHOWN,
    NOT_CHOSEN_SHOWN,
    break_even_table,
    filter_shortlist,
    frontier_table,
    grid_table,
    jobless_at_end_table,
    layoff_pace_table,
    limit_values_table,
    limits_table,
    monitoring_table,
    not_chosen_reasons,
    not_chosen_table,
    public_money_table,
    robustness_projects,
    robustness_table,
    shortlist_table,
    training_table,
)

__all__ = [
    "COMPARED",
    "FRONTIER_SHOWN",
    "HEADLINE_COMPARED",
    "LABEL_OFFSETS",
    "LANGUAGES",
    "LIMIT_VALUES_SHOWN",
    "Labels",
    "NOT_CHOSEN_SHOWN",
    "ROBUST_BAR_PX",
    "SECTOR_COLOURS",
    "break_even_table",
    "city_figure",
    "city_shapes",
    "compare_shown",
    "compare_table",
    "conflict_lines",
    "conflicts_table",
    "conflicts_together",
    "entry_sentence",
    "filter_shortlist",
    "frontier_figure",
    "frontier_sentence",
    "frontier_table",
    "grid_figure",
    "grid_sentence",
    "limit_values_family_note",
    "grid_table",
    "headline_metrics",
    "inputs_differ",
    "jobless_at_end_table",
    "lasting_figure",
    "layoff_pace_table",
    "limit_values_figure",
    "limit_values_table",
    "limits_table",
    "monitoring_table",
    "moved_inputs",
    "not_chosen_reasons",
    "not_chosen_table",
    "portfolio_changes",
    "ppp_figure",
    "ppp_notes",
    "province_map",
    "public_money_table",
    "reemployment_year_figure",
    "robustness_figure",
    "robustness_projects",
    "robustness_sentences",
    "robustness_table",
    "sector_figure",
    "share",
    "shortlist_table",
    "status_message",
    "training_table",
    "year_figure",
]
