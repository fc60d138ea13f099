"""Infrastructure investment prioritiser for Jiangsu's capacity-exit regions.

Data flows one way: workbook → validated tables (loader) → scenario → instance → model
(its limit families: limits) → solver → solution → diagnosis, pipeline, analyses (tradeoffs,
limit_values, run by batch) → presentation (optimizer.present: words, tables, figures, the
Excel file, the command line's text) → the command line and the app (optimizer.ui).
tests/test_layers.py holds the order.
"""

from .baseline import greedy_portfolio
from .batch import AnalysisCancelled, AnalysisError, RunOptions, dask_executor, process_pool
from .diagnosis import Conflict, InfeasibleError
from .instance import Instance, prepare
from .limit_values import limit_values
from .loader import PlanningData, Problem, WorkbookError, load_workbook
from .model import SelectionModel, build_model
from .pipeline import read_solution, solve
from .present.console import progress_bar
from .present.export import export_workbook, read_saved_scenario, read_scenario
from .present.labels import Labels
from .scenario import SavedScenario, Scenario, ScenarioError
from .solution import Solution
from .solver import SolverError, SolverRun, Status, run_solver
from .template import write_template, write_workbook
from .tradeoffs import Robustness, break_even, frontier, frontier_grid, robustness

__all__ = [
    "AnalysisCancelled",
    "AnalysisError",
    "Robustness",
    "RunOptions",
    "break_even",
    "frontier",
    "frontier_grid",
    "limit_values",
    "process_pool",
    "dask_executor",
    "progress_bar",
    "robustness",
    "Conflict",
    "InfeasibleError",
    "Instance",
    "Labels",
    "PlanningData",
    "Problem",
    "SavedScenario",
    "Scenario",
    "ScenarioError",
    "SelectionModel",
    "Solution",
    "SolverError",
    "SolverRun",
    "Status",
    "WorkbookError",
    "build_model",
    "export_workbook",
    "greedy_portfolio",
    "load_workbook",
    "prepare",
    "read_saved_scenario",
    "read_scenario",
    "read_solution",
    "run_solver",
    "solve",
    "write_template",
    "write_workbook",
]
