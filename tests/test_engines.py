"""The same ingest on every engine: in process, a process pool, a local Dask cluster, and a
Dask scheduler + worker started as separate processes, as a team would run them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES

from presstrace.engines import EngineError, make_engine
from presstrace.pipeline import ingest
from presstrace.store import open_store


def export_of(db) -> list[str]:
    return sorted(d.to_json() for d in open_store(str(db)).iter_documents())


def run_ingest(tmp_path, name, **engine):
    db = tmp_path / f"{name}.db"
    report = ingest([str(EXAMPLES)], open_store(str(db)), **engine)
    assert report.added == 5 and not report.failures
    return export_of(db)


@pytest.fixture(scope="module")
def in_process(tmp_path_factory) -> tuple[list[str], Path]:
    """The reference both engine tests compare with, ingested once: (export, its store)."""
    folder = tmp_path_factory.mktemp("engines")
    return run_ingest(folder, "in-process"), folder / "in-process.db"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_scheduler():
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--dashboard-address", ":0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
         "--nthreads", "1", "--dashboard-address", ":0", "--host", "127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        from dask.distributed import Client

        deadline = time.time() + 60
        while True:
            try:
                with Client(address, timeout="2s") as client:
                    client.wait_for_workers(1, timeout=30)
                break
            except (OSError, TimeoutError):
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        yield address
    finally:
        for proc in (worker, scheduler):
            proc.terminate()
            proc.wait(timeout=30)


def test_every_engine_stores_the_same_documents(tmp_path, dask_scheduler, in_process):
    reference, _ = in_process
    assert run_ingest(tmp_path, "pool", jobs=2) == reference
    assert run_ingest(tmp_path, "dask-local", jobs=2, dask="local") == reference
    assert run_ingest(tmp_path, "dask-cluster", dask=dask_scheduler) == reference


def test_an_unreachable_scheduler_is_a_one_line_error():
    with pytest.raises(EngineError) as info:
        make_engine(dask=f"tcp://127.0.0.1:{free_port()}")
    assert "cannot reach the Dask scheduler" in str(info.value)
    assert "\n" not in str(info.value)


def _tables(db) -> list:
    store = open_store(str(db))
    try:
        return [
            store.sql(f"SELECT * FROM {table} ORDER BY 1, 2")
            for table in ("entities", "surface_map", "entity_mentions", "quotes", "claims")
        ]
    finally:
        store.close()


def test_extraction_runs_on_the_dask_engine_and_stores_the_same(tmp_path, monkeypatch, in_process):
    """`--dask` reaches the extract step: its per-document part is mapped on the cluster,
    and the store (exported documents and the extraction tables) is the in-process one."""
    import presstrace.pipeline as pipeline

    reference, reference_db = in_process
    mapped: list[str] = []

    def recording(jobs: int = 1, dask: str | None = None):
        engine = make_engine(jobs, dask)
        plain = engine.map

        def map_and_record(fn, items):
            mapped.append(fn.__name__)
            return plain(fn, items)

        engine.map = map_and_record
        return engine

    monkeypatch.setattr(pipeline, "make_engine", recording)
    assert run_ingest(tmp_path, "dask-local", jobs=2, dask="local") == reference
    assert "extract_batch" in mapped
    assert _tables(tmp_path / "dask-local.db") == _tables(reference_db)
