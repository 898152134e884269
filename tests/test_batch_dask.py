"""The dask executor on a LocalCluster writes the same rows as the local process pool."""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import make_corpus, make_pdf, numbered_rows
from typer.testing import CliRunner

from extractor.batch import BatchStore, LocalExecutor, run_batch
from extractor.batch.dask_executor import DaskExecutor
from extractor.normalise import AgencyRegistry

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        processes=True, n_workers=2, threads_per_worker=1, host="127.0.0.1",
        dashboard_address=None, silence_logs=40,
    ) as local:
        yield local


def _snapshot(store: BatchStore) -> dict[str, tuple]:
    out = {}
    for item in store.view():
        recs = [(r.id, r.text, r.page, tuple(r.addressed_to)) for r in item.report.recommendations]
        out[Path(item.path).name] = (item.status, item.error_kind, item.sha256, item.report.pages, recs)
    return out


def test_dask_run_writes_the_same_rows_as_the_local_run(tmp_path: Path, cluster) -> None:
    folder = tmp_path / "in"
    make_corpus(folder, 5)
    (folder / "broken.pdf").write_bytes(b"not a pdf at all, just words in a file\n" * 3)
    registry = AgencyRegistry.load()
    with BatchStore(tmp_path / "local.sqlite") as local_store:
        local = run_batch([folder], store=local_store, registry=registry,
                          executor=LocalExecutor(2, fn=numbered_rows))
        expected = _snapshot(local_store)
    with distributed.Client(cluster) as client, BatchStore(tmp_path / "dask.sqlite") as dask_store:
        remote = run_batch([folder], store=dask_store, registry=registry,
                           executor=DaskExecutor(client, fn=numbered_rows))
        got = _snapshot(dask_store)
        again = run_batch([folder], store=dask_store, registry=registry,
                          executor=DaskExecutor(client, fn=numbered_rows))
        assert dask_store.runs()[0]["executor"] == "dask"
    assert got == expected
    assert (remote.done, remote.failed, remote.rows) == (local.done, local.failed, local.rows) == (5, 1, local.rows)
    assert local.rows > 0
    assert again.skipped == 6 and again.done == 0


def test_cli_dask_executor_with_real_extractor(tmp_path: Path, cluster) -> None:
    from extractor.cli import app

    folder = tmp_path / "in"
    make_corpus(folder, 3)
    store = tmp_path / "s.sqlite"
    result = CliRunner().invoke(app, [
        "batch", str(folder), "--store", str(store), "--executor", "dask",
        "--scheduler", cluster.scheduler_address, "--timeout", "60",
    ])
    assert result.exit_code == 0, result.output
    with BatchStore(tmp_path / "local.sqlite") as local_store:
        run_batch([folder], store=local_store, executor=LocalExecutor(2))
        expected = _snapshot(local_store)
    with BatchStore(store) as opened:
        assert [r["done"] for r in opened.runs()] == [3]
        assert _snapshot(opened) == expected
    assert sum(len(v[4]) for v in expected.values()) == 3 + 4 + 5  # real rows, not just empty reports


def test_dask_limits_kill_the_document_not_the_worker(tmp_path: Path, cluster) -> None:
    """A hanging and a memory-hungry document fail with their kind; the rest succeed,
    on the same workers, and the next run finds those workers healthy."""
    folder = tmp_path / "in"
    make_corpus(folder, 3)
    make_pdf(folder / "hang.pdf")
    make_pdf(folder / "hog.pdf")
    with distributed.Client(cluster) as client, BatchStore(tmp_path / "s.sqlite") as store:
        workers_before = set(client.scheduler_info()["workers"])
        executor = DaskExecutor(client, fn=numbered_rows, timeout=3.0, max_memory_mb=300.0)
        summary = run_batch([folder], store=store, registry=AgencyRegistry.load(), executor=executor)
        kinds = {Path(e["path"]).name: e["kind"] for e in store.errors(summary.run_id)}
        make_pdf(folder / "late.pdf")
        again = run_batch([folder], store=store, registry=AgencyRegistry.load(), executor=executor)
        workers_after = set(client.scheduler_info()["workers"])
    assert kinds == {"hang.pdf": "timeout", "hog.pdf": "memory"}
    assert (summary.done, summary.failed) == (3, 2)
    # the new document is done; the limit failures are retried (the limits may have
    # changed) and fail the same way, on workers that are still the same
    assert (again.done, again.failed, again.skipped) == (1, 2, 3)
    assert workers_after == workers_before  # no worker had to be restarted


def test_cli_dask_needs_scheduler(tmp_path: Path) -> None:
    from extractor.cli import app

    make_pdf(tmp_path / "a.pdf")
    result = CliRunner().invoke(app, ["batch", str(tmp_path), "--executor", "dask",
                                      "--store", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 2
    assert "--scheduler" in result.output


def test_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    make_pdf(tmp_path / "in" / "a.pdf")
    executor = DaskExecutor(f"tcp://127.0.0.1:{port}", connect_timeout=1.0)
    with BatchStore(tmp_path / "s.sqlite") as store, pytest.raises(RuntimeError, match="cannot reach"):
        run_batch([tmp_path / "in"], store=store, executor=executor, registry=AgencyRegistry.load())
