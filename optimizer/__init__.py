"""Infrastructure investment prioritiser for Jiangsu's capacity-exit regions.

Data flows one way: workbook → validated tables → model → solution → views and exports.
"""

from .loader import PlanningData, Problem, WorkbookError, load_workbook
from .template import write_template, write_workbook

__all__ = [
    "PlanningData",
    "Problem",
    "WorkbookError",
    "load_workbook",
    "write_template",
    "write_workbook",
]
