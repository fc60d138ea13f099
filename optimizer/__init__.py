"""Infrastructure investment prioritiser for Jiangsu's capacity-exit regions.

Data flows one way: workbook → validated tables → scenario → instance → model → solver →
solution → views, exports and analyses.
"""

from .baseline import greedy_portfolio
from .diagnosis import Conflict, InfeasibleError
from .export import export_workbook, read_saved_scenario, read_scenario
from .instance import Instance, prepare
from .loader import PlanningData, Problem, WorkbookError, load_workbook
from .model import SelectionModel, build_model
from .scenario import SavedScenario, Scenario, ScenarioError
from .solution import Solution
from .solve import read_solution, solve
from .solver import SolverError, SolverRun, Status, run_solver
from .template import write_template, write_workbook
from .tradeoffs import (
    AnalysisCancelled,
    Robustness,
    RunOptions,
    break_even,
    frontier,
    frontier_grid,
    process_pool,
    progress_bar,
    robustness,
)

__all__ = [
    "AnalysisCancelled",
    "Robustness",
    "RunOptions",
    "break_even",
    "frontier",
    "frontier_grid",
    "process_pool",
    "progress_bar",
    "robustness",
    "Conflict",
    "InfeasibleError",
    "Instance",
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
