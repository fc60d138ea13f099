"""The app's session, behind one object: what a Streamlit session keeps between reruns.

`AppState(st.session_state)` names every entry the app keeps (the workbook, the sidebar's
defaults, the last good scenario, the headline shown before, saved scenarios), so no page
code reads the session's dict by string. Analyses (frontier, heat map, break-even,
robustness) go in a bounded cache: the most recent ANALYSES_KEPT results, the oldest
dropped first (before, a dict that only grew). Plain Python over any mutable mapping (a
test gives it a dict), so it sits beside the controls, below the app's package.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, MutableMapping
from typing import Any

from .controls import CONTROL_KEYS

ANALYSES_KEPT = 12
ANSWERS_KEPT = 32
SAVED_KEPT = 20

__all__ = ["ANALYSES_KEPT", "AppState", "BoundedCache"]


class BoundedCache:
    """At most `size` entries; reading an entry makes it the most recent; adding beyond
    `size` drops the least recent."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, default: Any = None) -> Any:
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: Hashable, value: Any) -> Any:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def items(self) -> list[tuple[Hashable, Any]]:
        """Every entry, the least recent first (reading them makes none more recent)."""
        return list(self._items.items())

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()


class AppState:
    """Typed access to the session's entries."""

    def __init__(self, session: MutableMapping[str, Any]) -> None:
        self.session = session

    # ------------------------------------------------------------------ simple entries

    def get(self, key: str, default: Any = None) -> Any:
        return self.session.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.session[key] = value

    def pop(self, key: str, default: Any = None) -> Any:
        return self.session.pop(key, default)

    def __contains__(self, key: str) -> bool:
        return key in self.session

    @property
    def language(self) -> str:
        return self.session.get("language", "en")

    @property
    def defaults(self) -> dict[str, Any]:
        return self.session["defaults"]

    @property
    def table_version(self) -> int:
        return self.session.get("table_version", 0)

    def reset_sidebar(self, values: dict[str, Any]) -> None:
        """Make `values` the sidebar's: widgets refill from them, tables are drawn anew."""
        for key in CONTROL_KEYS:
            self.session.pop(key, None)
        self.session["defaults"] = values
        self.session["table_version"] = self.table_version + 1

    def fill_controls(self) -> None:
        """Widgets take their values from the session only (set here from the defaults), so a
        loaded scenario can fill them without Streamlit's "default and state both set"
        warning."""
        for key in CONTROL_KEYS:
            self.session.setdefault(key, self.defaults[key])

    # ------------------------------------------------------------------ kept results

    @property
    def analyses(self) -> BoundedCache:
        """Analysis results by (kind, workbook fingerprint, scenario JSON), bounded."""
        if "analyses" not in self.session:
            self.session["analyses"] = BoundedCache(ANALYSES_KEPT)
        return self.session["analyses"]

    @property
    def saved(self) -> dict[str, Any]:
        """Saved scenarios' solutions by name (at most SAVED_KEPT, the oldest dropped)."""
        return self.session.setdefault("saved", {})

    def save(self, name: str, solution: Any) -> None:
        saved = self.saved
        saved.pop(name, None)
        saved[name] = solution
        while len(saved) > SAVED_KEPT:
            saved.pop(next(iter(saved)))

    def as_now(self, solution: Any) -> Any:
        """A saved answer as this session has it now: the plan its scenario adopted since
        (`answers`) replaces it; else the answer as saved."""
        for _, known in self.answers.items():
            if (
                known is not solution
                and known.fingerprint == solution.fingerprint
                and known.scenario == solution.scenario
            ):
                return known
        return solution

    @property
    def answer_log(self) -> list[tuple[str, float, float]]:
        """What this run drew as the answer, in order: ("provisional" | "final",
        time.perf_counter() when drawn, worker-years). For tests and bench_app, which see a
        script run only once it has ended."""
        return self.session.setdefault("answer_log", [])

    def new_answer_log(self) -> list[tuple[str, float, float]]:
        self.session["answer_log"] = []
        return self.session["answer_log"]

    def headline_change(self, scenario_json: str, solution: Any) -> Any:
        """The solution shown before this one (None at first): the headline's deltas compare
        against it. Updated only when the scenario shown changes. The previous scenario's
        answer as it stands now: a plan it adopted since (`answers`) replaces the one shown."""
        if self.session.get("shown_scenario") != scenario_json:
            self.session["previous_solution"] = self.session.get("shown_solution")
            self.session["previous_scenario"] = self.session.get("shown_scenario")
            self.session["shown_scenario"] = scenario_json
            self.session["shown_solution"] = solution
        previous = self.session.get("previous_solution")
        if previous is None:
            return None
        return self.answers.get((previous.fingerprint, self.session["previous_scenario"]), previous)

    # ------------------------------------------------------------------ one scenario, one plan

    @property
    def answers(self) -> BoundedCache:
        """This session's final answers by (workbook fingerprint, scenario JSON): read before
        any other kept answer, so a scenario shows one plan however the planner came back to
        it, and the plans a new scenario's solve may start near."""
        if "answers" not in self.session:
            self.session["answers"] = BoundedCache(ANSWERS_KEPT)
        return self.session["answers"]
