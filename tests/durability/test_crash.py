"""A handful of runs of the crash harness (tests/durability/crash.py): the real
app in a pseudo-terminal, killed with SIGKILL while a scripted patient checks
in, journals, writes the intention and marks moments. Everything the screen
showed more than 2 s before the kill is in the database afterwards. The
benchmark suite runs it a few hundred times (tests/benchmarks/bench_crash.py)."""

from __future__ import annotations

import pytest

from tests.durability.crash import one_run


@pytest.mark.parametrize(("seed", "kill_between"), [
    (11, (2.5, 4.5)),   # in the check-in or the journal page
    (12, (5.0, 7.0)),   # the journal page or the intention
    (13, (8.0, 11.0)),  # the intention or the music
])
@pytest.mark.slow
def test_nothing_acknowledged_is_lost_to_a_sigkill(tmp_path, seed, kill_between):
    run = one_run(tmp_path / "home", seed, kill_between, from_home=True)
    assert not run.script_error, run.script_error
    assert run.checked >= 1, "the kill came before anything was acknowledged"
    assert run.problems == []
