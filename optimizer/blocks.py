"""The `blocks` solve strategy for tens of thousands of projects (issue 19, item 2): split the
built model into blocks of about BLOCK_SIZE projects, solve each block alone, join their
portfolios, and prove the gap against a Lagrangian bound.

It works on the model's own arrays, as they reach HiGHS (`solver._HiGHS.buildSolverModel`),
so there is one model definition: a block is the same rows restricted to its columns.

- **Columns.** A project's columns (start years, chosen) belong to its block; every other
  continuous column (workers' flows, training, paced layoffs) is shared, and each block gets
  its own copy. The government-pay switches are fixed first (`_fix_switches`).
- **Blocks.** Exclusive groups and prerequisite pairs stay in one block (their projects are
  joined first), and the joined groups are dealt to the blocks in turn, so that every block
  holds a like slice of every city, sector and year.
- **Rows.** A row whose columns are all one block's project columns (a project starts once,
  prerequisites, exclusive groups, mandatory projects) is *local*: that block keeps it whole.
  Every other row *links* the blocks: each block gets the row on its own columns with its
  share of the row's bounds, the shares summing to 1 (a block's share of the row's project
  coefficients, |a| summed; 1/blocks for a row of shared columns only, such as a city's
  displaced workers or a layoff batch); a row with an upper bound alone first gives each
  block what its mandatory projects take of it. The sum of the blocks' answers then keeps
  every row, so the union of the block portfolios is a portfolio of the whole model.
- **Joining.** The whole model with every project column fixed to the union's is solved for
  the rest (flows, training, layoffs, switches): it gives the union's true objective, at
  least the blocks' sum.
- **Bound.** See `lagrangian_bound`: prices from one block's LP relaxation, valid for any
  prices of the right sign.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

import numpy as np

from .model import SelectionModel
from .solver import HIGHS_OPTIONS, SolverRun, Status, built_highs

BLOCKS = "blocks"

# Projects per block: the size at which one block's search still proves its share of the gap
# in seconds (issue 19's measurement on model version 2: blocks of about 10,000).
BLOCK_SIZE = 10_000
# Each block is searched to this share of the scenario's gap: the joining loses a little of
# the rest (the shares of the linking rows are not the best ones).
BLOCK_GAP_SHARE = 0.5
# Whether each block is searched on the projects its LP relaxation leaves undecided (the rest
# fixed as the LP decides them) rather than whole. Off: at 10,000 projects in blocks of 2,500
# (model version 3) every fixed block had no portfolio and was searched whole after all, so
# its LP was spent for nothing (benchmarks/RESULTS.md).
FIX_BY_RELAXATION = False
# The share of the time limit kept for joining the blocks' portfolios (an LP and the
# switches on the whole model: seconds at 100,000 projects).
JOIN_TIME_SHARE = 0.1
# A column the LP leaves within this of 0 or 1 counts as decided.
INTEGRAL = 1e-6


@dataclasses.dataclass
class _Arrays:
    """The whole model as HiGHS holds it (minimised), its matrix by rows."""

    cost: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    start: np.ndarray  # CSR
    index: np.ndarray
    value: np.ndarray
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


def project_blocks(model: SelectionModel, size: int) -> np.ndarray:
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
    block_of_root: dict[int, int] = {}
    out = np.full(n, -1, np.int64)
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
    highs: object  # highspy.Highs


def _block_model(
    arrays: _Arrays, column_block: np.ndarray, split: _Split, b: int, options: dict
) -> _Block:
    """Block b as its own HiGHS model: its project columns and a copy of the shared ones; the
    linking rows with its share of their bounds, and its local rows whole."""
    import highspy

    columns = np.flatnonzero((column_block == b) | (column_block == -1))
    new_column = np.full(len(column_block), -1, np.int64)
    new_column[columns] = np.arange(len(columns))
    rows = np.flatnonzero((split.local == b) | (split.local < 0))
    keep_row = np.zeros(arrays.rows, bool)
    keep_row[rows] = True
    row_of = arrays.row_of
    keep = keep_row[row_of] & (new_column[arrays.index] >= 0)
    new_row = np.full(arrays.rows, -1, np.int64)
    new_row[rows] = np.arange(len(rows))
    lengths = np.bincount(new_row[row_of[keep]], minlength=len(rows))
    start = np.zeros(len(rows) + 1, np.int32)
    np.cumsum(lengths, out=start[1:])
    row_lower, row_upper = split.lower[b, rows], split.upper[b, rows]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(columns), len(rows)
    lp.col_cost_ = arrays.cost[columns]
    lp.col_lower_, lp.col_upper_ = arrays.lower[columns], arrays.upper[columns]
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = len(columns), len(rows)
    matrix.start_ = start
    matrix.index_ = new_column[arrays.index[keep]].astype(np.int32)
    matrix.value_ = arrays.value[keep]
    integer = arrays.integer[columns]
    if integer.any():
        kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
        lp.integrality_ = [kinds[k] for k in integer.tolist()]
    highs = _highs(options)
    highs.passModel(lp)
    return _Block(columns, rows, highs)


def _highs(options: dict):  # noqa: ANN202 (highspy.Highs)
    import highspy

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", 1)
    for name, value in {**HIGHS_OPTIONS, **options}.items():
        highs.setOptionValue(name, value)
    return highs


@dataclasses.dataclass
class _Relaxed:
    duals: np.ndarray  # row prices, HiGHS's minimised sense
    values: np.ndarray
    prices: np.ndarray  # reduced costs


def _relax(block: _Block, integer: np.ndarray) -> _Relaxed | None:
    """The block's LP relaxation (dual simplex), None when it has no optimum. Integrality is
    put back after."""
    import highspy

    highs = block.highs
    columns = np.flatnonzero(integer).astype(np.int32)
    highs.changeColsIntegrality(
        len(columns), columns, np.full(len(columns), highspy.HighsVarType.kContinuous)
    )
    highs.setOptionValue("solver", "simplex")
    highs.setOptionValue("simplex_strategy", 1)  # dual simplex
    try:
        highs.run()
        answer = None
        if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
            solution = highs.getSolution()
            answer = _Relaxed(
                np.asarray(solution.row_dual, float),
                np.asarray(solution.col_value, float),
                np.asarray(solution.col_dual, float),
            )
    finally:
        highs.setOptionValue("solver", "choose")
        highs.setOptionValue("simplex_strategy", 0)
        highs.changeColsIntegrality(
            len(columns), columns, np.full(len(columns), highspy.HighsVarType.kInteger)
        )
        highs.clearSolver()
    return answer


def _fix_decided(block: _Block, integer: np.ndarray, lp: _Relaxed) -> tuple:
    """Fix every integer column the relaxation leaves at 0 or 1, except one at 0 that it
    prices at about nothing (it is indifferent to it): the search is then on the rest."""
    at = lp.values
    decided = integer & (np.minimum(np.abs(at), np.abs(1.0 - at)) <= INTEGRAL)
    indifferent = (at < 0.5) & (lp.prices <= INTEGRAL * max(1.0, float(np.abs(lp.prices).max())))
    columns = np.flatnonzero(decided & ~indifferent).astype(np.int32)
    value = np.round(at[columns])
    lp_model = block.highs.getLp()
    lower = np.asarray(lp_model.col_lower_, float)[columns]
    upper = np.asarray(lp_model.col_upper_, float)[columns]
    block.highs.changeColsBounds(len(columns), columns, value, value)
    return columns, lower, upper


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
    rows = np.flatnonzero(~linking)
    keep_row = ~linking
    row_of = arrays.row_of
    keep = keep_row[row_of]
    new_row = np.full(arrays.rows, -1, np.int64)
    new_row[rows] = np.arange(len(rows))
    lengths = np.bincount(new_row[row_of[keep]], minlength=len(rows))
    start = np.zeros(len(rows) + 1, np.int32)
    np.cumsum(lengths, out=start[1:])
    n = len(arrays.cost)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(rows)
    lp.col_cost_ = reduced
    lp.col_lower_, lp.col_upper_ = arrays.lower, arrays.upper
    lp.row_lower_, lp.row_upper_ = arrays.row_lower[rows], arrays.row_upper[rows]
    matrix = lp.a_matrix_
    matrix.format_ = highspy.MatrixFormat.kRowwise
    matrix.num_col_, matrix.num_row_ = n, len(rows)
    matrix.start_ = start
    matrix.index_ = arrays.index[keep].astype(np.int32)
    matrix.value_ = arrays.value[keep]
    highs = _highs({k: v for k, v in options.items() if k == "time_limit"})
    highs.passModel(lp)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    inner = float(highs.getInfo().objective_function_value)
    return -(inner + constant + arrays.offset)


def run_blocks(
    model: SelectionModel,
    *,
    time_limit_s: float,
    node_limit: int | None = None,
    stop: Callable[[], bool] | None = None,
    on_incumbent: Callable[[dict[int, int], float], None] | None = None,
    size: int | None = None,
    fix: bool | None = None,
) -> SolverRun:
    """Solve the built model by blocks of `size` projects (None: BLOCK_SIZE; see the
    module's words); its gap is proven against the Lagrangian bound. `stop` is asked between
    blocks; `on_incumbent` is told of the joined portfolio."""
    size = BLOCK_SIZE if size is None else size
    fix = FIX_BY_RELAXATION if fix is None else fix
    import highspy
    import pulp

    started = time.perf_counter()
    sc = model.scenario
    gap = float(sc.mip_gap)
    problem = model.problem
    engine, whole = built_highs(model, time_limit_s, gap, node_limit)
    version = str(whole.version())
    arrays = _arrays(whole)
    blocks = project_blocks(model, size)
    count = int(blocks.max()) + 1 if (blocks >= 0).any() else 1
    column_block = _column_blocks(model, blocks, len(arrays.cost))
    parts = _fix_switches(arrays, model, column_block)
    split = _split(parts, model, column_block, count)

    def left() -> float:
        return time_limit_s - (time.perf_counter() - started)

    def share_of_time(b: int) -> float:
        # The blocks left share the time left alike, but for a tenth kept for the join.
        return left() * (1.0 - JOIN_TIME_SHARE) / (count - b)

    def failed(detail: str, status: Status = Status.ERROR) -> SolverRun:
        seconds = time.perf_counter() - started
        return SolverRun(status, None, None, None, "highs", version, seconds, detail,
                         strategy=BLOCKS)

    block_options: dict = {"mip_rel_gap": gap * BLOCK_GAP_SHARE}
    if node_limit is not None:
        block_options["mip_max_nodes"] = int(node_limit)
    values = np.zeros(len(arrays.cost))
    bound: float | None = None
    clock = False  # a block stopped by its time rather than its gap or node limit
    for b in range(count):
        if stop is not None and stop():
            return failed("stopped before every block was solved")
        block = _block_model(parts, column_block, split, b, block_options)
        highs = block.highs
        integer = parts.integer[block.columns]
        lp = _relax(block, integer) if b == 0 or fix else None
        if b == 0 and lp is not None:
            full = np.zeros(arrays.rows)
            full[block.rows] = lp.duals
            bound = lagrangian_bound(arrays, split.local, full, {"time_limit": max(left(), 0.01)})
        unfix = _fix_decided(block, integer, lp) if fix and lp is not None else None
        highs.setOptionValue("time_limit", max(share_of_time(b), 0.01))
        highs.run()
        if unfix is not None and highs.getInfo().primal_solution_status != 2:
            # Fixing can leave no portfolio (a share row the LP met with split projects):
            # search the whole block instead.
            highs.changeColsBounds(len(unfix[0]), *unfix)
            highs.setOptionValue("time_limit", max(share_of_time(b), 0.01))
            highs.run()
        clock = clock or highs.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
        if highs.getInfo().primal_solution_status != 2:
            status = highs.getModelStatus()
            infeasible = status == highspy.HighsModelStatus.kInfeasible
            return failed(
                f"block {b + 1} of {count} has "
                + ("no portfolio within its share of the limits" if infeasible else
                   "no portfolio in its time"),
            )
        solution = np.asarray(highs.getSolution().col_value, float)
        # Its projects' columns are its own; the shared columns add up over the blocks.
        values[block.columns] += solution
        del block, highs
    # Join. The blocks' answers added up (the switches as fixed) keep every row of the whole
    # model, with no solve; then, in the time left, the whole model with every project
    # column fixed to the union's is solved for the rest, and kept if it is better.
    switches = column_block == -2
    values[switches] = parts.lower[switches]
    projects = np.flatnonzero(column_block >= 0).astype(np.int32)
    values[projects] = np.round(values[projects])
    detail = f"{count} blocks of about {size:,} projects"
    summed = float(arrays.cost @ values)
    lower, upper = arrays.lower[projects], arrays.upper[projects]
    whole.changeColsBounds(len(projects), projects, values[projects], values[projects])
    whole.setOptionValue("time_limit", max(left(), 0.01))
    whole.run()
    joined = whole.getInfo().primal_solution_status == 2 and (
        float(whole.getInfo().objective_function_value) < summed
    )
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
    else:  # short of the gap: by the blocks' gap and node limits, or by the clock
        status = Status.TIME_LIMIT if clock else Status.WORK_LIMIT
    if on_incumbent is not None:
        on_incumbent(model.start_of(), math.inf if proven is None else proven)
    seconds = time.perf_counter() - started
    return SolverRun(
        status, objective, proven, bound, "highs", version, seconds, detail, strategy=BLOCKS
    )
