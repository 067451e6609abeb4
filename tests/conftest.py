"""Shared fixtures: paths to the bundled examples and to ../shared (present in CI), and the
test markers.

Markers are given here, by what a test uses, rather than by hand in each module: a test that
needs the PostgreSQL server is `postgres`, one that drives Chromium is `browser`, one that
runs the whole pipeline (the CLI in a subprocess, a live server, a module fixture that
ingests a corpus) is `e2e`; the rest are `unit`. `make test` runs them all; `make check`
runs the unit tests only (under two minutes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock
from ingest.helpers import server  # noqa: F401 - the local HTTP server fixture

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
SHARED = Path(os.environ.get("PRESSTRACE_SHARED", ROOT.parent / "shared"))


# The environment the session started with: a store made once for the session must not
# depend on what the first test that asked for it had monkeypatched.
SESSION_ENV = dict(os.environ)


def cli_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "presstrace", "--db", str(db), *args]


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every pytest-xdist worker sees: the parent of the
    workers' own base folders (`make test` runs the suite in two workers), else the base."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def made_once(folder: Path, make: Callable[[Path], None]) -> Path:
    """`folder`, filled by `make(folder)` once per test run, whichever worker asks first (the
    others wait on a file lock and reuse it). Why: what the session fixtures make (an ingest
    through the CLI, the web corpus) costs seconds to minutes of CPU, and two workers making
    the same thing would spend the time the workers were meant to save."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{folder}.lock"):
        if not (folder / ".made").exists():
            shutil.rmtree(folder, ignore_errors=True)  # a make that failed half-way
            folder.mkdir()
            make(folder)
            (folder / ".made").touch()
    return folder


class IngestedStores:
    """Stores exactly as `presstrace ingest ARGS` leaves them, each made once per test run
    (across the xdist workers) by the CLI in a subprocess; a test gets a copy of the file.
    Why: a CLI ingest of the five examples costs ~14 s of CPU (spaCy, the corpus steps) and
    a dozen tests only read or extend such a store, while copying the SQLite file takes
    milliseconds."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def copy(self, db: Path, *args: str) -> subprocess.CompletedProcess:
        """Copy the store of `presstrace ingest ARGS` to `db`; the ingest's own result."""
        key = hashlib.sha256(json.dumps(args).encode()).hexdigest()[:16]
        folder = made_once(self.root / f"store-{key}", lambda folder: _ingest(folder, args))
        source = folder / "store.db"
        assert not Path(f"{source}-wal").exists(), "the ingest left its write-ahead log"
        shutil.copyfile(source, db)
        done = json.loads((folder / "done.json").read_text(encoding="utf-8"))
        return subprocess.CompletedProcess(
            done["args"], done["returncode"],
            (folder / "stdout").read_bytes(), (folder / "stderr").read_bytes(),
        )  # fmt: skip


def _ingest(folder: Path, args: tuple[str, ...]) -> None:
    done = subprocess.run(
        cli_command(folder / "store.db", "ingest", *args),
        capture_output=True, timeout=600, cwd=folder, env=SESSION_ENV,
    )  # fmt: skip
    (folder / "stdout").write_bytes(done.stdout)
    (folder / "stderr").write_bytes(done.stderr)
    (folder / "done.json").write_text(
        json.dumps({"args": done.args, "returncode": done.returncode}), encoding="utf-8"
    )


@pytest.fixture(scope="session")
def ingested_stores(tmp_path_factory) -> IngestedStores:
    return IngestedStores(run_folder(tmp_path_factory) / "ingested")


@pytest.fixture
def run_cli(tmp_path, ingested_stores):
    """Run `python -m presstrace --db <tmp>/store.db ARGS` as a user would, in a subprocess.
    `run_cli.ingested(*ARGS)` puts a copy of the store `ingest ARGS` made (once per session)
    at that path instead, and returns that ingest's result."""
    db = tmp_path / "store.db"

    def run(*args: str, stdin: bytes | None = None, db_path: Path | None = None):
        return subprocess.run(
            cli_command(db_path or db, *args),
            input=stdin,
            capture_output=True,
            timeout=300,
            cwd=tmp_path,
        )

    run.db = db
    run.ingested = lambda *args: ingested_stores.copy(db, *args)
    return run


# Fixtures whose use makes a test end-to-end (a real ingest through the CLI or a live server).
E2E_FIXTURES = {"run_cli", "live", "http", "corpus", "mixed", "seeds_store", "server_url"}
POSTGRES_FIXTURES = {"pg_server", "pg_url", "pg_live"}
BROWSER_FIXTURES = {"browser", "page"}
HAND_KINDS = {"e2e", "postgres", "browser"}
# Modules whose fixtures ingest a whole corpus in process (minutes each, not seconds).
E2E_MODULES = {
    "test_cli.py", "test_seed_score.py", "test_engines.py", "test_pipeline.py",
    "test_timeline.py", "test_sources.py", "test_large.py", "test_stories.py",
    "test_threads.py", "test_threads_corpus.py", "test_narratives_cli.py",
    "test_extract_step.py", "test_dedup_cli.py", "test_dedup_step.py", "test_cli_web.py",
    "test_api.py", "test_browser.py",
    "test_embed.py",  # distils the embedding model when the cache is cold (about 2 minutes)
}  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give every test its kind (see the module docstring); `unit` when it is none of the
    others, so `-m unit` is the fast loop."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        kinds = set()
        if used & POSTGRES_FIXTURES or "postgresql" in params.values():
            kinds.add("postgres")
        if used & BROWSER_FIXTURES or item.path.name == "test_browser.py":
            kinds.add("browser")
        if used & E2E_FIXTURES or item.path.name in E2E_MODULES:
            kinds.add("e2e")
        # a kind the test module gave by hand (the stock-pip install, the whole-corpus name
        # merges) counts too: without this those tests were `unit` as well, and `make check`
        # ran the fresh-venv install
        kinds |= {mark.name for mark in item.iter_markers() if mark.name in HAND_KINDS}
        for kind in kinds or {"unit"}:
            item.add_marker(getattr(pytest.mark, kind))


def needs_shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (it is beside the checkout in CI)")
    return path


def score_seed_export(run_cli, tmp_path: Path) -> dict:
    """Ingest ../shared/seeds with the CLI into run_cli's store (a copy of the session's
    ingest), export it, and score the export with ../shared/tools/score_seeds.py: its JSON
    result (figures, misses)."""
    seeds = needs_shared("seeds")
    scorer = needs_shared("tools", "score_seeds.py")
    assert run_cli.ingested(str(seeds)).returncode == 0
    export = tmp_path / "export.jsonl"
    assert run_cli("export", "--format", "jsonl", "-o", str(export)).returncode == 0
    scored = subprocess.run(
        [sys.executable, str(scorer), str(export), "--json"], capture_output=True, check=True
    )
    return json.loads(scored.stdout)
