"""The `blocks` solve strategy for tens of thousands of projects (issue 19, item 2): split the
built model into blocks of about BLOCK_SIZE projects, solve each block alone, join their
portfolios, and prove the gap against a Lagrangian bound.

It works on the model's own arrays, as they reach HiGHS (`solver._HiGHS.buildSolverModel`),
so there is one model definition: a block is the same rows restricted to its columns.

- **Columns.** A project's columns (start years, chosen) belong to its block; every other
  continuous column (workers' flows, training, paced layoffs) is shared, and each block gets
  its own copy. The government-pay switches are fixed first (`_fix_switches`).
- **Blocks.** Exclusive groups and prerequisite pairs stay in one block (their projects are
  joined first). By default (`BY_CITY`) each block holds whole cities, so that a city's PPP
  and government-pay lines are local to one block, not shared out (at 10,000 projects in 2
  blocks: 1.5 % against 3.1 % for like slices, RESULTS.md); else the joined groups are dealt
  to the blocks in turn, so that every block holds a like slice of every city, sector and
  year.
- **Rows.** A row whose columns are all one block's project columns (a project starts once,
  prerequisites, exclusive groups, mandatory projects) is *local*: that block keeps it whole.
  Every other row *links* the blocks: each block gets the row on its own columns with its
  share of the row's bounds, the shares summing to 1 (a block's share of the row's project
  coefficients, |a| summed; 1/blocks for a row of shared columns only, such as a city's
  displaced workers or a layoff batch); a row with an upper bound alone first gives each
  block what its mandatory projects take of it. The sum of the blocks' answers then keeps
  every row, so the union of the block portfolios is a portfolio of the whole model.
- **Each block** is solved by LP + sub-MIP (`_by_relaxation`): the steps of
  strategies.lp_submip (the LP, the projects it prices beyond a window held, a start rounded
  from the LP and repaired, a fixed search, then searches city by city), from their one home
  `optimizer.submip`, on the block's own model with the block's work budgets (FIXED_WORK,
  CITY_WORK, CITY_SEARCHES); the repair is `solver.repair_columns`. A block whose LP or
  fixed search gives no portfolio is searched whole (WHOLE_WORK). Every search ends on its
  gap or its budget, never on the clock, so the same scenario gives the same plan on any
  machine and under any load; the time limit is the safety net (a run it ends says
  `time_limit`).
- **Where.** Each block is one task (`solve_block`, a pure function of plain arrays: a
  `BlockTask` in, a `BlockAnswer` out). Without an executor they run in this process one
  after another; with one (a process pool, a Dask cluster) side by side, while this process
  prices the bound. Their answers are taken in block order, and every run ends on its work,
  so the joined plan is the same wherever they ran.
- **Joining.** The whole model with every project column fixed to the union's is solved for
  the rest (flows, training, layoffs, switches): it gives the union's true objective, at
  least the blocks' sum.
- **Bound.** See `lagrangian_bound`: prices from a block's LP relaxation, valid for any
  prices of the right sign. Blocks of like slices price each other's rows alike: each
  block's prices and their mean are tried, the least bound kept. Blocks of whole cities do
  not (one city's prices say nothing of another's rows), so the bound is then priced by the
  first block of a split into like slices, built for it alone, with the cities' own rows
  kept whole in the inner LP (`_slice_bound`). The inner LP is solved in parts that share
  no column, one a block (`_inner_parts`).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, Future, wait

import numpy as np

from . import relaxation, submip
from .model import SelectionModel
from .solver import (
    HIGHS_OPTIONS,
    QuietHighs,
    SolverError,
    SolverRun,
    Status,
    built_highs,
    pass_rowwise,
    repair_columns,
)

BLOCKS = "blocks"

# Projects per block: the size at which one block's search still proves its share of the gap
# in seconds (issue 19's measurement on model version 2: blocks of about 10,000).
BLOCK_SIZE = 10_000
# Each block is searched to this share of the scenario's gap: the joining loses a little of
# the rest (the shares of the linking rows are not the best ones).
BLOCK_GAP_SHARE = 0.5
# Whether each block is solved by LP + sub-MIP (`_by_relaxation`, as strategies.lp_submip
# does for the whole model) rather than by HiGHS's search on the whole block. On: at 100,000
# projects in blocks of 10,000 each block's whole search had no good portfolio at its root
# (the joined plan 243 % from the bound, benchmarks/RESULTS.md).
BY_RELAXATION = True
# The projects a block's LP prices within PRICE_WINDOW × its optimum stay free in its
# sub-MIP: strategies.PRICE_WINDOW's rule, and its best value measured at 10,000 projects (0.1
# × a gap of 0.1 %), here apart from the gap, since a block's gap is the scenario's halved
# and 1 % at 100,000 projects would free half the projects (2 blocks of 5,000: 4 in 10
# columns free, each block's search 2 % below its LP after 25 s).
PRICE_WINDOW = 1e-4
# Then the block's portfolio is searched again city by city (strategies.CITY_WINDOW's rule):
# a city's projects priced within CITY_WINDOW × the block LP's optimum free, at most CITY_FREE
# of them (the cheapest priced: HiGHS's presolve looks neither at its clock nor at its
# callback, and a search of a 17,000-project city at 100,000 projects ran 30 s).
CITY_WINDOW = 1e-3
CITY_FREE = 1_000
# Every search of a block ends on its gap (the block's share of the scenario's, against the
# block's LP) or on a work budget in HiGHS's MIP interrupt calls (`submip.Runner`), never on
# the clock, so that the same scenario gives the same plan on any machine and under any load;
# the scenario's time limit is only the safety net behind them (a run it ends says
# time_limit). The fixed search's budget, each city search's, and the city searches a block.
# Measured at 100,000 projects (10 blocks, gap 1 %, no time limit reached, load 3–6, CPU s of
# the solve without the 24 s build; benchmarks/RESULTS.md "Blocks on work budgets"): fixed
# 55 and no city search 4.89 % in 63 s; fixed 20, 6.87 % in 60 s; fixed 55 and 1 city search
# of 100 a block 3.76 % in 87 s, 3 searches 3.41 % in 108 s. The solve's fixed part (HiGHS's
# copy of the model, the split, the bound, the ten block LPs) is about 40 s of those, so no
# budget brings the build and the solve under 60 s; none for the cities keeps the solve
# nearest a 60 s limit (the safety net), and a city search is the next step for a better
# plan with more time.
FIXED_WORK = 55
CITY_WORK = 100
CITY_SEARCHES = 0
# A block without a portfolio from its LP + sub-MIP (or every block, without BY_RELAXATION)
# is searched whole for this many calls.
WHOLE_WORK = 200
# The least time a block's rounded start is completed in (an LP on the flows, its projects
# held: a second or less at 100,000 projects), even once the time limit is spent, so that
# every block has a portfolio.
START_SECONDS = 2.0
# Whether the blocks hold whole cities (`project_blocks`) rather than a like slice of each.
BY_CITY = True
# Whether the bound is priced by every block's LP (the least kept) rather than the first's.
BOUND_FROM_EVERY_BLOCK = True

# What a solve by blocks says when its pool lost a worker (SolverError "workers_lost").
WORKERS_LOST = (
    "a worker process ended before its blocks were solved (often because memory ran out): "
    "solve with fewer workers, or in one process"
)


@dataclasses.dataclass
class BlockLp:
    """A model as plain arrays (picklable; a block's, or a part of the bound's inner LP): its
    columns' costs, bounds and integrality, its rows' bounds, and its matrix by rows in its
    own column numbers."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray  # CSR
    index: np.ndarray
    value: np.ndarray

    def highs(self, options: dict) -> QuietHighs:
        """The model in HiGHS on one thread with exactly `options` (the caller's
        HIGHS_OPTIONS among them: a worker process holds its own copy of the module)."""
        highs = _highs(options)
        pass_rowwise(
            highs,
            self.cost,
            self.lower,
            self.upper,
            self.row_lower,
            self.row_upper,
            self.start,
            self.index,
            self.value,
            self.integer,
        )
        return highs


@dataclasses.dataclass
class _Arrays(BlockLp):
    """The whole model as HiGHS holds it (minimised), its matrix by rows, and its
    objective's constant."""

    offset: float

    @property
    def rows(self) -> int:
        return len(self.row_lower)

    @property
    def row_of(self) -> np.ndarray:
        """The row of each matrix entry."""
        return np.repeat(np.arange(self.rows), np.diff(self.start))


def _arrays(highs) -> _Arrays:  # noqa: ANN001 (highspy.Highs holding the model)
    import highspy

    lp = highs.getLp()
    n, m = lp.num_col_, lp.num_row_
    matrix = lp.a_matrix_
    start = np.asarray(matrix.start_, np.int64)
    index = np.asarray(matrix.index_, np.int64)
    value = np.asarray(matrix.value_, float)
    if matrix.format_ != highspy.MatrixFormat.kRowwise:  # by columns: turn to rows
        column = np.repeat(np.arange(n), np.diff(start))
        order = np.argsort(index, kind="stable")
        counts = np.bincount(index, minlength=m)
        start = np.zeros(m + 1, np.int64)
        np.cumsum(counts, out=start[1:])
        index, value = column[order], value[order]
    kinds = list(lp.integrality_)
    integer = (
        np.array([k == highspy.HighsVarType.kInteger for k in kinds], bool)
        if kinds
        else np.zeros(n, bool)
    )
    return _Arrays(
        np.asarray(lp.col_cost_, float),
        np.asarray(lp.col_lower_, float),
        np.asarray(lp.col_upper_, float),
        integer,
        np.asarray(lp.row_lower_, float),
        np.asarray(lp.row_upper_, float),
        start,
        index,
        value,
        float(lp.offset_),
    )


def project_blocks(model: SelectionModel, size: int, by_city: bool | None = None) -> np.ndarray:
    """The block of each project (by position; -1: it has no columns). Exclusive groups and
    prerequisite pairs are joined first, then the joined groups are dealt to the blocks in
    turn (in the order of their first project), as many blocks as `size` asks for."""
    projects = model.data.projects
    n = len(model.starts)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    position = {pid: i for i, pid in enumerate(model.instance.projects["project_id"])}
    first_of_group: dict[str, int] = {}
    for i, (group, need) in enumerate(
        zip(projects["exclusive_group"], projects["requires"], strict=True)
    ):
        if group:
            join(i, first_of_group.setdefault(group, i))
        if need and need in position:
            join(i, position[need])
    active = [i for i in range(n) if model.starts[i]]
    count = max(1, math.ceil(len(active) / max(1, size)))
    out = np.full(n, -1, np.int64)
    by_city = BY_CITY if by_city is None else by_city
    if by_city:
        # Whole cities to blocks, the most projects first to the block holding fewest, so
        # that a city's rows (its PPP lines, government-pay lines, workers) stay in one block.
        region = model.figures["region_at"].to_numpy(int)
        city_of = {i: int(region[root(i)]) for i in active}
        sizes: dict[int, int] = {}
        for city in city_of.values():
            sizes[city] = sizes.get(city, 0) + 1
        count = min(count, len(sizes))
        held = [0] * count
        block_of_city: dict[int, int] = {}
        for city, projects in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
            b = min(range(count), key=lambda b: (held[b], b))
            block_of_city[city] = b
            held[b] += projects
        for i in active:
            out[i] = block_of_city[city_of[i]]
        return out
    block_of_root: dict[int, int] = {}
    for i in active:
        r = root(i)
        if r not in block_of_root:
            block_of_root[r] = len(block_of_root) % count
        out[i] = block_of_root[r]
    return out


def _column_blocks(model: SelectionModel, blocks: np.ndarray, columns: int) -> np.ndarray:
    """The block of each column (-1: shared)."""
    out = np.full(columns, -1, np.int64)
    for i, (options, chosen) in enumerate(zip(model.starts, model.chosen, strict=True)):
        for _, x in options:
            out[x.index] = blocks[i]
        if chosen is not None:
            out[chosen.index] = blocks[i]
    return out


@dataclasses.dataclass
class _Split:
    """Which rows are local to which block, and each block's bounds on every row."""

    local: np.ndarray  # per row: the block it is local to, -1 for a linking row
    lower: np.ndarray  # blocks × rows: each block's bounds (a local row's whole in its block)
    upper: np.ndarray


def _by_columns(arrays: _Arrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The matrix by columns: each column's start, and the entries' rows and values."""
    order = np.argsort(arrays.index, kind="stable")
    start = np.zeros(len(arrays.cost) + 1, np.int64)
    np.cumsum(np.bincount(arrays.index, minlength=len(arrays.cost)), out=start[1:])
    return start, arrays.row_of[order], arrays.value[order]


def _forced_chosen(model: SelectionModel) -> list[int]:
    """The chosen columns of the forced-in projects."""
    forced = model.instance.projects["forced_in"].to_numpy(bool)
    return [
        y.index for i, y in enumerate(model.chosen) if forced[i] and y is not None
    ]


def _committed(
    arrays: _Arrays,
    model: SelectionModel,
    column_block: np.ndarray,
    count: int,
    capped: np.ndarray,
) -> np.ndarray:
    """Blocks × rows: what each block's forced-in projects take of each capped row, each at
    the start year that takes least of the rows' bounds in all, so that a block is given
    room for its mandatory projects first."""
    out = np.zeros((count, arrays.rows))
    forced = np.flatnonzero(model.instance.projects["forced_in"].to_numpy(bool))
    if not len(forced):
        return out
    column_start, row_of, value = _by_columns(arrays)
    scale = np.where(capped & (arrays.row_upper > 0), arrays.row_upper, np.inf)

    def column(j: int) -> tuple[np.ndarray, np.ndarray]:
        span = slice(column_start[j], column_start[j + 1])
        return row_of[span], value[span]

    for i in forced:
        options, chosen = model.starts[i], model.chosen[i]
        if not options or chosen is None:
            continue
        parts = [column(x.index) for _, x in options]
        y_rows, y_values = column(chosen.index)
        rows = np.unique(np.concatenate([y_rows, *(r for r, _ in parts)]))
        rows = rows[capped[rows]]
        where = np.full(arrays.rows, -1, np.int64)
        where[rows] = np.arange(len(rows))
        use = np.zeros((len(parts), len(rows)))
        for o, (r, v) in enumerate(parts):
            keep = where[r] >= 0
            use[o, where[r[keep]]] += v[keep]
        keep = where[y_rows] >= 0
        use[:, where[y_rows[keep]]] += y_values[keep]
        use = np.maximum(use, 0.0)
        best = int(np.argmin((use / scale[rows]).sum(axis=1)))
        out[column_block[chosen.index], rows] += use[best]
    return out


def _fix_switches(arrays: _Arrays, model: SelectionModel, column_block: np.ndarray) -> _Arrays:
    """The arrays with every shared integer column (the government-pay switches) fixed and
    moved into the rows' bounds: at 1 where a forced-in project needs it (a row
    y_p − v ≤ 0), else at 0. A switch shared by the blocks cannot be split (one taken in two
    blocks would count its rows' term twice); fixing it costs at most the value of the
    government-pay PPPs not forced in (few after 财金〔2019〕10号) and the joined portfolio
    is solved with the switches free again. Their columns are marked -2 in column_block."""
    switches = np.flatnonzero(arrays.integer & (column_block < 0))
    if not len(switches):
        return arrays
    column_start, row_of, value = _by_columns(arrays)
    forced = np.zeros(len(arrays.cost), bool)
    forced[_forced_chosen(model)] = True
    needs_row = np.zeros(arrays.rows, bool)  # a row with a forced project's y at > 0
    entries = forced[arrays.index] & (arrays.value > 0)
    needs_row[arrays.row_of[entries]] = True
    fixed = np.zeros(len(arrays.cost))
    for j in switches:
        span = slice(column_start[j], column_start[j + 1])
        rows, values = row_of[span], value[span]
        gate = (values < 0) & (arrays.row_upper[rows] == 0) & needs_row[rows]
        fixed[j] = 1.0 if gate.any() else 0.0
    column_block[switches] = -2
    moved = np.bincount(
        arrays.row_of, weights=arrays.value * fixed[arrays.index], minlength=arrays.rows
    )
    keep = column_block[arrays.index] != -2
    lengths = np.bincount(arrays.row_of[keep], minlength=arrays.rows)
    start = np.zeros(arrays.rows + 1, np.int64)
    np.cumsum(lengths, out=start[1:])
    return dataclasses.replace(
        arrays,
        row_lower=arrays.row_lower - moved,
        row_upper=arrays.row_upper - moved,
        start=start,
        index=arrays.index[keep],
        value=arrays.value[keep],
        lower=np.where(column_block == -2, fixed, arrays.lower),
        upper=np.where(column_block == -2, fixed, arrays.upper),
    )


def _split(
    arrays: _Arrays, model: SelectionModel, column_block: np.ndarray, count: int
) -> _Split:
    rows = arrays.rows
    row_of = arrays.row_of
    entry_block = column_block[arrays.index]
    shared = np.bincount(row_of, weights=(entry_block == -1), minlength=rows) > 0
    low = np.full(rows, count + 1, np.int64)
    high = np.full(rows, -1, np.int64)
    projects = entry_block >= 0
    np.minimum.at(low, row_of[projects], entry_block[projects])
    np.maximum.at(high, row_of[projects], entry_block[projects])
    local = np.where(~shared & (low == high), low, -1)
    # A block's share of a linking row: its share of the row's project coefficients (|a|),
    # or an equal share for a row of shared columns alone.
    weight = np.zeros((count, rows))
    np.add.at(weight, (entry_block[projects], row_of[projects]), np.abs(arrays.value[projects]))
    total = weight.sum(axis=0)
    shares = np.where(total > 0, weight / np.where(total > 0, total, 1.0), 1.0 / count)
    _spread_shares(arrays, entry_block, total > 0, shares)
    mine = local[None, :] == np.arange(count)[:, None]
    linking = local < 0
    shares = np.where(linking[None, :], shares, mine.astype(float))
    lower = _times(arrays.row_lower[None, :], shares)
    upper = _times(arrays.row_upper[None, :], shares)
    # A row with an upper bound alone: each block gets first what its mandatory projects
    # must take of it, then its share of the rest (the sum is still the row's bound).
    capped = linking & np.isfinite(arrays.row_upper) & ~np.isfinite(arrays.row_lower)
    committed = _committed(arrays, model, column_block, count, capped)
    rest = arrays.row_upper[capped] - committed[:, capped].sum(axis=0)
    upper[:, capped] = committed[:, capped] + shares[:, capped] * rest[None, :]
    # Rows local to another block are left out of a block; mark them free.
    lower[~mine & ~linking[None, :]] = -np.inf
    upper[~mine & ~linking[None, :]] = np.inf
    return _Split(local, lower, upper)


def _spread_shares(
    arrays: _Arrays, entry_block: np.ndarray, known: np.ndarray, shares: np.ndarray
) -> None:
    """Shares for the rows of shared columns alone (a city's displaced workers, trainees),
    in place: a shared column's share for a block is the mean of its known rows' shares (a
    flow of workers into a city's jobs: the block's share of those jobs), and such a row's
    share the mean of its columns'. Spread a few steps (trainees reach jobs through the
    trained flows); a row out of reach keeps its equal share."""
    count, n = shares.shape[0], len(arrays.cost)
    row_of = arrays.row_of
    shared = entry_block == -1
    known = known.copy()
    for _ in range(3):
        seen = shared & known[row_of]
        columns = arrays.index[seen]
        per_column = np.bincount(columns, minlength=n)
        if not per_column.any():
            return
        spread = np.stack(
            [
                np.bincount(columns, weights=shares[b, row_of[seen]], minlength=n)
                for b in range(count)
            ]
        ) / np.maximum(per_column, 1)
        reach = shared & ~known[row_of] & (per_column > 0)[arrays.index]
        rows = row_of[reach]
        per_row = np.bincount(rows, minlength=len(known))
        new = per_row > 0
        if not new.any():
            return
        for b in range(count):
            mean = np.bincount(rows, weights=spread[b, arrays.index[reach]], minlength=len(known))
            shares[b, new] = mean[new] / per_row[new]
        known |= new


def _times(bound: np.ndarray, share: np.ndarray) -> np.ndarray:
    """bound × share, an infinite bound staying infinite (whatever the share)."""
    finite = np.isfinite(bound)
    return np.where(finite, np.where(finite, bound, 0.0) * share, bound)


@dataclasses.dataclass
class _Block:
    columns: np.ndarray  # the whole model's columns it holds, in order
    rows: np.ndarray  # the whole model's rows it holds, in order
    lp: BlockLp


def _block_model(arrays: _Arrays, column_block: np.ndarray, split: _Split, b: int) -> _Block:
    """Block b as its own model: its project columns and a copy of the shared ones; the
    linking rows with its share of their bounds, and its local rows whole."""
    columns = np.flatnonzero((column_block == b) | (column_block == -1))
    rows = np.flatnonzero((split.local == b) | (split.local < 0))
    lp = _restricted(
        arrays, columns, rows, arrays.cost[columns], split.lower[b, rows], split.upper[b, rows]
    )
    return _Block(columns, rows, lp)


def _restricted(
    arrays: _Arrays,
    columns: np.ndarray,
    rows: np.ndarray,
    cost: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    *,
    relaxed: bool = False,
) -> BlockLp:
    """The model on these columns and rows (the rows' entries in other columns dropped),
    with these costs and row bounds; integral where the model's columns are, unless
    `relaxed`."""
    new_column = np.full(len(arrays.cost), -1, np.int64)
    new_column[columns] = np.arange(len(columns))
    keep_row = np.zeros(arrays.rows, bool)
    keep_row[rows] = True
    row_of = arrays.row_of
    keep = keep_row[row_of] & (new_column[arrays.index] >= 0)
    new_row = np.full(arrays.rows, -1, np.int64)
    new_row[rows] = np.arange(len(rows))
    lengths = np.bincount(new_row[row_of[keep]], minlength=len(rows))
    start = np.zeros(len(rows) + 1, np.int32)
    np.cumsum(lengths, out=start[1:])
    return BlockLp(
        cost,
        arrays.lower[columns],
        arrays.upper[columns],
        np.zeros(len(columns), bool) if relaxed else arrays.integer[columns],
        row_lower,
        row_upper,
        start,
        new_column[arrays.index[keep]].astype(np.int32),
        arrays.value[keep],
    )


def _highs(options: dict) -> QuietHighs:
    highs = QuietHighs()  # no banner printed
    highs.setOptionValue("threads", 1)
    for name, value in options.items():
        highs.setOptionValue(name, value)
    return highs


def _open_rows(model: SelectionModel) -> np.ndarray:
    """The whole model's open-jobs rows (a start's coefficients there are the job-years it
    opens: its worth in the repair)."""
    rows = model.problem._constraints.items()
    return np.asarray([c.index for name, c in rows if name.startswith("open_jobs_")], np.int64)


@dataclasses.dataclass(frozen=True)
class BlockBudgets:
    """How a block is searched: the module's settings as they stand when the solve starts
    (a task carries them, since a worker process holds its own copy of this module)."""

    by_relaxation: bool
    price_window: float
    city_window: float
    city_free: int
    fixed_work: int
    city_work: int
    city_searches: int
    whole_work: int
    start_seconds: float

    @classmethod
    def now(cls, by_relaxation: bool | None = None) -> BlockBudgets:
        return cls(
            BY_RELAXATION if by_relaxation is None else by_relaxation,
            PRICE_WINDOW,
            CITY_WINDOW,
            CITY_FREE,
            FIXED_WORK,
            CITY_WORK,
            CITY_SEARCHES,
            WHOLE_WORK,
            START_SECONDS,
        )


@dataclasses.dataclass
class BlockTask:
    """Everything one block's solve needs, as plain arrays and numbers, so that it can run in
    this process or be sent to a worker (`solve_block`)."""

    lp: BlockLp
    starts: list[list[tuple[int, int]]]  # per project: (start year, column in the block)
    chosen: list[int | None]
    capex: np.ndarray  # per project
    mandatory: np.ndarray
    region: np.ndarray
    open_rows: list[int]  # the block's open-jobs rows (a start's worth in the repair)
    options: dict  # HiGHS's: the block's gap, the node limit
    budgets: BlockBudgets
    relax: bool  # solve its LP (to search by it, or for the bound's prices)
    want_prices: bool  # hand back its LP's row prices, for the bound
    deadline: float  # time.time() by which the scenario's time limit ends: the safety net


@dataclasses.dataclass
class BlockAnswer:
    """What a block's solve gives back."""

    solution: np.ndarray | None  # its columns' values; None: no portfolio
    relaxed: bool  # found by LP + sub-MIP (not by searching the whole block)
    clock: bool  # a run of it was ended by the time limit
    prices: np.ndarray | None  # its LP's row prices (its rows), when asked


def _block_task(
    model: SelectionModel,
    blocks: np.ndarray,
    b: int,
    block: _Block,
    columns: int,
    open_rows: np.ndarray,
    *,
    options: dict,
    budgets: BlockBudgets,
    relax: bool,
    want_prices: bool,
    deadline: float,
) -> BlockTask:
    """Block b's task: its model, and its projects by their columns there with the figures
    the repair needs (`solver.repair_columns`: no government-pay switches, which are fixed
    in a block); the keywords as BlockTask's fields."""
    positions = np.flatnonzero(blocks == b)
    new_column = np.full(columns, -1, np.int64)
    new_column[block.columns] = np.arange(len(block.columns))
    new_row = np.full(int(max(block.rows.max(initial=0), open_rows.max(initial=0))) + 1, -1)
    new_row[block.rows] = np.arange(len(block.rows))
    starts = [[(t, int(new_column[x.index])) for t, x in model.starts[i]] for i in positions]
    chosen = [
        None if model.chosen[i] is None else int(new_column[model.chosen[i].index])
        for i in positions
    ]
    figures = model.figures
    return BlockTask(
        block.lp,
        starts,
        chosen,
        figures["capex"].to_numpy(float)[positions],
        figures["forced_in"].to_numpy(bool)[positions],
        figures["region_at"].to_numpy(int)[positions],
        [int(r) for r in new_row[open_rows] if r >= 0],
        options,
        budgets,
        relax,
        want_prices,
        deadline,
    )


def solve_block(task: BlockTask) -> BlockAnswer:
    """One block solved alone: by LP + sub-MIP (`_by_relaxation`) or, without a portfolio
    from it, by HiGHS's search on the whole block (WHOLE_WORK). A pure function of the task,
    so its answer is the same in this process, in a pool's worker or on a Dask worker; every
    run ends on its gap or its work budget, the task's deadline only the safety net."""
    budgets = task.budgets
    highs = task.lp.highs(task.options)
    lp = relaxation.relax(highs, task.lp.integer) if task.relax else None
    prices = lp.duals if task.want_prices and lp is not None else None
    # The block's runs: on its gap against its LP, or its work budgets; the time left of the
    # whole limit is only their safety net.
    watch = submip.Watch()
    watch.gap = float(task.options["mip_rel_gap"])
    runner = submip.Runner(
        highs,
        watch,
        started=time.perf_counter(),
        time_limit_s=task.deadline - time.time(),
        least_s=budgets.start_seconds,
    )
    solution = None
    relaxed = False
    if budgets.by_relaxation and lp is not None:

        def repair(plan: dict[int, int]) -> dict[int, int] | None:
            return repair_columns(
                highs,
                task.starts,
                task.chosen,
                plan,
                open_rows=task.open_rows,
                capex=task.capex,
                mandatory=task.mandatory,
            )

        projects = submip.Projects(task.starts, task.chosen, task.region, repair)
        solution = _by_relaxation(runner, projects, lp, budgets)
        relaxed = solution is not None
    if solution is None and not runner.clock:
        # No LP optimum, or its sub-MIP had no portfolio (fixing can leave none): search
        # the whole block on its budget (not once the clock has ended a run: seconds at
        # 100,000 projects find nothing).
        watch.bound = None
        runner.run(budgets.whole_work)
        solution = runner.found()
    return BlockAnswer(solution, relaxed, runner.clock, prices)


def _by_relaxation(
    runner: submip.Runner,
    projects: submip.Projects,
    lp: relaxation.Relaxation,
    budgets: BlockBudgets,
) -> np.ndarray | None:
    """A block by LP + sub-MIP (`optimizer.submip`, the steps of strategies.lp_submip on the
    block's own columns, with the block's budgets): the projects its LP settles held, the
    rest searched from the LP's portfolio rounded and repaired, then city by city, until the
    portfolio lies within the watched gap of the block's LP or the budgets are spent. Its
    columns, None without a portfolio."""
    runner.watch.bound = lp.objective
    scale = max(abs(lp.objective), 1.0)
    fixed = submip.fixed_search(
        runner, projects, lp, budgets.price_window * scale, budgets.fixed_work
    )
    found = fixed.found if fixed.found is not None else fixed.start
    if found is None or fixed.reached or runner.clock:
        return found
    city = submip.CityBudgets(
        budgets.city_window * scale, budgets.city_work, budgets.city_searches, budgets.city_free
    )
    best, _, _, _ = submip.city_passes(runner, projects, lp, found, city)
    return best


def lagrangian_bound(
    arrays: _Arrays, local: np.ndarray, prices: np.ndarray, options: dict
) -> float | None:
    """A valid upper bound on the whole model's maximum, from prices on its linking rows.

    HiGHS holds the model minimised: min c·x over x in X (the column bounds and integrality
    and the local rows) with lo_r ≤ a_r·x ≤ up_r for each linking row r. Take any prices y
    with y_r ≥ 0 only where lo_r is finite and y_r ≤ 0 only where up_r is finite (prices of
    the wrong sign are set to 0). For every feasible x, y_r·(a_r·x) ≥ t_r, where t_r = y_r·lo_r
    if y_r > 0 and y_r·up_r if y_r < 0 (multiply the row's bounds by the price's sign). So

        c·x = (c − Σ_r y_r a_r)·x + Σ_r y_r·(a_r·x) ≥ (c − Σ_r y_r a_r)·x + Σ_r t_r
            ≥ min { (c − Σ_r y_r a_r)·z : z in X relaxed } + Σ_r t_r =: L(y),

    the last minimum taken over the column bounds and the local rows alone, integrality
    dropped (a larger set, so a smaller minimum). Every feasible x costs at least L(y), so
    the best one does, and the maximum of the planner's objective is at most −L(y) (plus
    the model's constant). The minimum over the local rows is an LP whose rows touch one
    block's projects each, so it is cheap; the prices are one block's LP duals, which are
    good prices for every block alike (the blocks are like slices of the whole). None when
    L(y) is −inf (a shared column left unbounded below by the prices) or the LP fails.
    """
    import highspy

    linking = local < 0
    y = np.where(linking, prices, 0.0)
    y = np.where((y > 0) & ~np.isfinite(arrays.row_lower), 0.0, y)
    y = np.where((y < 0) & ~np.isfinite(arrays.row_upper), 0.0, y)
    constant = float(
        np.where(y > 0, y * np.where(y > 0, arrays.row_lower, 0.0), 0.0).sum()
        + np.where(y < 0, y * np.where(y < 0, arrays.row_upper, 0.0), 0.0).sum()
    )
    priced = np.bincount(
        arrays.index, weights=arrays.value * y[arrays.row_of], minlength=len(arrays.cost)
    )
    reduced = arrays.cost - priced
    # The inner LP's parts, solved apart and added up (the same optimum, in fewer CPU s).
    ends = time.monotonic() + float(options.get("time_limit", math.inf))
    inner = 0.0
    for columns, rows in _inner_parts(arrays, local):
        bounds = arrays.row_lower[rows], arrays.row_upper[rows]
        part = _restricted(arrays, columns, rows, reduced[columns], *bounds, relaxed=True)
        left = {"time_limit": max(ends - time.monotonic(), 0.01)} if "time_limit" in options else {}
        highs = part.highs({**HIGHS_OPTIONS, **left})
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        inner += float(highs.getInfo().objective_function_value)
    return -(inner + constant + arrays.offset)


def _inner_parts(arrays: _Arrays, local: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The Lagrangian bound's inner LP (every column, the rows kept: local >= 0) in parts
    that share nothing: each block's columns with its rows, then the columns in no kept row
    (their bounds alone), as (columns, rows) in that order. A kept row touches one block's
    project columns, so the parts share no column unless a column (a government-pay switch,
    relaxed here) lies in two blocks' rows: then the LP is one part. At 100,000 projects in
    ten blocks of whole cities: 4.95 CPU s in parts against 8.1 whole, the same optimum to
    1e-9 (benchmarks/RESULTS.md, "Blocks on a pool")."""
    n = len(arrays.cost)
    kept = local >= 0
    entries = kept[arrays.row_of]
    columns, blocks = arrays.index[entries], local[arrays.row_of[entries]]
    owner = np.full(n, -1, np.int64)
    owner[columns] = blocks
    if (owner[columns] != blocks).any():
        return [(np.arange(n), np.flatnonzero(kept))]
    parts = [
        (np.flatnonzero(owner == b), np.flatnonzero(local == b))
        for b in range(int(local.max(initial=-1)) + 1)
    ]
    parts.append((np.flatnonzero(owner < 0), np.zeros(0, np.int64)))
    return [(c, r) for c, r in parts if len(c)]


def _slice_bound(
    arrays: _Arrays,
    model: SelectionModel,
    size: int,
    options: dict,
    left: Callable[[], float],
    local: np.ndarray,
) -> float | None:
    """The Lagrangian bound priced by the LP of the first of blocks of like slices (every
    city, sector and year alike in each), which price every block's rows alike: the least of
    the bound over the slices' local rows and over `local` (the blocks' own: rows kept whole
    in the inner LP rather than priced give a bound at least as tight; at 10,000 projects in
    4 blocks of whole cities, 3,386,450 against 3,438,230, the whole LP's being 3,385,933)."""
    blocks = project_blocks(model, size, by_city=False)
    count = int(blocks.max()) + 1 if (blocks >= 0).any() else 1
    column_block = _column_blocks(model, blocks, len(arrays.cost))
    parts = _fix_switches(arrays, model, column_block)
    split = _split(parts, model, column_block, count)
    block = _block_model(parts, column_block, split, 0)
    lp = relaxation.relax(block.lp.highs(options), block.lp.integer)
    if lp is None:
        return None
    prices = np.zeros(arrays.rows)
    prices[block.rows] = lp.duals
    bounds = [
        lagrangian_bound(arrays, rows, prices, {"time_limit": max(left(), 0.01)})
        for rows in (split.local, local)
    ]
    return min((b for b in bounds if b is not None), default=None)


def run_blocks(
    model: SelectionModel,
    *,
    time_limit_s: float,
    node_limit: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[dict[int, int], float], None] | None = None,
    size: int | None = None,
    by_relaxation: bool | None = None,
    by_city: bool | None = None,
    executor: Executor | None = None,
) -> SolverRun:
    """Solve the built model by blocks of `size` projects (None: BLOCK_SIZE; see the
    module's words); its gap is proven against the Lagrangian bound. `stop` is asked between
    blocks (on an executor: while this process waits for them, and a stop leaves the blocks
    already running to end on their budgets); `on_incumbent` is told of the joined portfolio.

    executor: where the blocks are solved (`solve_block`, one task each): None in this
    process, one after another; a process pool (`batch.process_pool(n)`) or a Dask
    cluster's `Client(...).get_executor()` side by side, while this process prices the
    bound. Every block ends on its work budgets, so the answer is the same on each."""
    size = BLOCK_SIZE if size is None else size
    budgets = BlockBudgets.now(by_relaxation)
    by_relaxation = budgets.by_relaxation
    import highspy
    import pulp

    started = time.perf_counter()
    sc = model.scenario
    gap = float(sc.mip_gap)
    problem = model.problem
    engine, whole = built_highs(model, time_limit_s, gap, node_limit)
    version = str(whole.version())
    arrays = _arrays(whole)
    by_city = BY_CITY if by_city is None else by_city
    blocks = project_blocks(model, size, by_city)
    count = int(blocks.max()) + 1 if (blocks >= 0).any() else 1
    column_block = _column_blocks(model, blocks, len(arrays.cost))
    parts = _fix_switches(arrays, model, column_block)
    split = _split(parts, model, column_block, count)

    def left() -> float:
        return time_limit_s - (time.perf_counter() - started)

    def failed(detail: str, status: Status = Status.ERROR) -> SolverRun:
        seconds = time.perf_counter() - started
        return SolverRun(status, None, None, None, "highs", version, seconds, detail,
                         strategy=BLOCKS)

    block_gap = gap * BLOCK_GAP_SHARE
    # Every option a block's HiGHS takes, this process's HIGHS_OPTIONS included: a task
    # carries them, so a block gives the same answer wherever it runs.
    block_options: dict = {**HIGHS_OPTIONS, "mip_rel_gap": block_gap}
    if node_limit is not None:
        block_options["mip_max_nodes"] = int(node_limit)
    values = np.zeros(len(arrays.cost))
    open_rows = _open_rows(model)
    clock = False  # a run ended by the time limit (the safety net) rather than its work

    def priced_bound(rows: np.ndarray, prices: np.ndarray) -> float | None:
        nonlocal clock
        out = lagrangian_bound(arrays, rows, prices, {"time_limit": max(left(), 0.01)})
        clock = clock or (out is None and left() <= 0)
        return out

    # Whole cities' blocks are not like slices: one block's prices are poor for another's
    # rows (at 10,000 projects in 4 blocks the least bound was 25 % above the whole LP's), so
    # the bound is priced by one block of like slices, made for it alone.
    priced_here = not by_city
    deadline = time.time() + left()  # the safety net, on a clock every worker shares

    def task(b: int) -> tuple[_Block, BlockTask]:
        block = _block_model(parts, column_block, split, b)
        job = _block_task(
            model,
            blocks,
            b,
            block,
            len(arrays.cost),
            open_rows,
            options=block_options,
            budgets=budgets,
            relax=b == 0 or by_relaxation,
            want_prices=priced_here and (b == 0 or BOUND_FROM_EVERY_BLOCK),
            deadline=deadline,
        )
        return block, job

    def slice_bound() -> float | None:
        nonlocal clock
        if priced_here:
            return None
        out = _slice_bound(arrays, model, size, block_options, left, split.local)
        clock = clock or (out is None and left() <= 0)
        return out

    # Each block's columns and rows in the whole model, and its answer, in block order.
    placed: list[tuple[np.ndarray, np.ndarray]] = []
    answers: list[BlockAnswer] = []
    if executor is None:
        bound = slice_bound()
        for b in range(count):
            if stop is not None and stop():
                return failed("stopped before every block was solved")
            block, job = task(b)
            placed.append((block.columns, block.rows))
            answers.append(solve_block(job))
            del block, job
    else:
        # The blocks go to the executor at once; this process prices the bound meanwhile.
        futures: list[Future] = []
        try:  # from the first task on: whatever ends this, no queued block is left to run
            for b in range(count):
                block, job = task(b)
                placed.append((block.columns, block.rows))
                futures.append(executor.submit(solve_block, job))
                del block, job
            bound = slice_bound()
            for future in futures:
                while True:  # asked at least once a block, as in this process
                    if stop is not None and stop():
                        return failed("stopped before every block was solved")
                    if future.done():
                        break
                    wait([future], timeout=0.1)
                answers.append(future.result())
        except BrokenExecutor:
            # A worker process died (the system ends the largest process when memory runs
            # out): the planner's to act on, not a fault of this program.
            raise SolverError(WORKERS_LOST, "workers_lost") from None
        finally:
            for future in futures:
                future.cancel()
    relaxed = 0  # blocks solved by LP + sub-MIP (the others searched whole)
    missing: list[int] = []  # blocks with no portfolio
    dual_sum = np.zeros(arrays.rows)
    # The answers taken in block order wherever they ran, so that the sums are the same.
    for b, ((columns, rows), answer) in enumerate(zip(placed, answers, strict=True)):
        if answer.prices is not None:
            # Every block's prices give a valid bound: the least is kept.
            full = np.zeros(arrays.rows)
            full[rows] = answer.prices
            dual_sum += full
            priced = priced_bound(split.local, full)
            if priced is not None and (bound is None or priced < bound):
                bound = priced
        relaxed += answer.relaxed
        clock = clock or answer.clock
        if answer.solution is None:
            # No portfolio within its share of the limits, or none in its time: its projects
            # are left out, and the join says whether the others' can do without them.
            missing.append(b + 1)
        else:
            # Its projects' columns are its own; the shared columns add up over the blocks.
            values[columns] += answer.solution
    if count > 1 and BOUND_FROM_EVERY_BLOCK and priced_here:
        # The blocks' mean prices too (like slices, each block's are near the others').
        priced = priced_bound(split.local, dual_sum / count)
        if priced is not None and (bound is None or priced < bound):
            bound = priced
    # Join. The blocks' answers added up (the switches as fixed) keep every row of the whole
    # model, with no solve; then, in the time left, the whole model with every project
    # column fixed to the union's is solved for the rest, and kept if it is better.
    switches = column_block == -2
    values[switches] = parts.lower[switches]
    projects = np.flatnonzero(column_block >= 0).astype(np.int32)
    values[projects] = np.round(values[projects])
    detail = f"{count} blocks of about {size:,} projects, {relaxed} by LP + sub-MIP"
    summed = float(arrays.cost @ values)
    lower, upper = arrays.lower[projects], arrays.upper[projects]
    whole.changeColsBounds(len(projects), projects, values[projects], values[projects])
    # The join's portfolio is the blocks' (its project columns held): it only completes it,
    # and the time left is its safety net.
    whole.setOptionValue("time_limit", max(left(), 0.01))
    whole.run()
    clock = clock or whole.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
    joined = whole.getInfo().primal_solution_status == 2 and (
        bool(missing) or float(whole.getInfo().objective_function_value) < summed
    )
    if missing:
        detail += f"; block{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))}"
        detail += " without a portfolio, its projects left out"
        if not joined:
            whole.changeColsBounds(len(projects), projects, lower, upper)
            return failed(detail + ", and the others' could not be completed without them")
    if joined:
        solved, solution_status = engine.findSolutionValues(problem)
        problem.assignStatus(solved, solution_status)
    else:
        detail += "; the blocks' answers added up"
        for var in problem.variables():
            var.varValue = float(values[var.index])
        problem.assignStatus(pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible)
    whole.changeColsBounds(len(projects), projects, lower, upper)
    objective = float(pulp.value(problem.objective))
    proven = None if bound is None else max(0.0, (bound - objective) / max(abs(objective), 1e-9))
    if proven is not None and proven <= gap * (1 + 1e-9):
        status = Status.OPTIMAL
    else:  # short of the gap: by the blocks' work budgets, or by the clock
        status = Status.TIME_LIMIT if clock else Status.WORK_LIMIT
    if on_incumbent is not None:
        on_incumbent(model.start_of(), math.inf if proven is None else proven)
    seconds = time.perf_counter() - started
    return SolverRun(
        status, objective, proven, bound, "highs", version, seconds, detail, strategy=BLOCKS
    )
