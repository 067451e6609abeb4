"""The corpus steps' order follows from what each needs and assigns."""

from __future__ import annotations

import pytest

from presstrace.steps import DECLARED, STEP_MODULES, StepSpec, ordered, step_names


def spec(name: str, needs: set[str], assigns: set[str]) -> StepSpec:
    return StepSpec(name, f"m.{name}", frozenset(needs), frozenset(assigns))


def test_shipped_steps_run_after_what_they_need():
    assert step_names() == ["copies", "extract", "stories", "narratives", "threads"]
    position = {s.name: i for i, s in enumerate(ordered(DECLARED))}
    for s in DECLARED:
        for other in DECLARED:
            if s.needs & other.assigns:
                assert position[other.name] < position[s.name], (other.name, s.name)
    assert len(STEP_MODULES) == len(DECLARED)


def test_declaration_order_does_not_decide_dependencies():
    late = spec("late", {"text", "x"}, {"y"})
    early = spec("early", {"text"}, {"x"})
    free = spec("free", {"text"}, {"z"})
    assert [s.name for s in ordered([late, free, early])] == ["free", "early", "late"]


def test_missing_need_double_assignment_and_cycle_are_refused():
    with pytest.raises(ValueError, match="needs nowhere: no step assigns it"):
        ordered([spec("a", {"nowhere"}, {"x"})])
    with pytest.raises(ValueError, match="already assigned"):
        ordered([spec("a", {"text"}, {"x"}), spec("b", {"text"}, {"x"})])
    with pytest.raises(ValueError, match="depend on each other"):
        ordered([spec("a", {"y"}, {"x"}), spec("b", {"x"}, {"y"})])
