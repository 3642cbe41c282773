"""newsschema.ray on a local Ray (2 CPUs) against the loopback latency server (about 60 s)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install 'newsschema[ray]'")
pytest.importorskip("pandas", reason="Ray Data needs pandas: pip install 'newsschema[ray]'")

import ray
import ray.data
from batch_server import BatchServer

import newsschema.ray as nsray

pytestmark = [
    pytest.mark.ray,
    # Ray's own deprecation notices about its settings, raised inside ray.*.
    pytest.mark.filterwarnings("ignore::DeprecationWarning:ray"),
    pytest.mark.filterwarnings("ignore::FutureWarning:ray"),
]
MODEL = "newsschema-scripted-batch"


def article(i: int) -> dict[str, Any]:
    lead = f"Minister {i} met the delegation in Oslo on Monday, report {i} said."
    return {"id": f"art-{i:04d}", "text": f"{lead} The talks covered trade.", "published": None}


@pytest.fixture(scope="module")
def local_ray() -> Any:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    yield ray
    ray.shutdown()


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-ray")


def ids_in(folder: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted(folder.glob("*.json*")):
        ids += [json.loads(line)["id"] for line in path.read_text().splitlines() if line.strip()]
    return ids


def test_200_articles_each_id_once_within_the_cluster_wide_limit(
    local_ray: Any, tmp_path: Path
) -> None:
    # The server allows 20 requests a second; the limit given is the same, for 4 actors.
    server = BatchServer(latency=0.05, limit=(20, 1.0))
    rows = [article(i) for i in range(200)]
    rows[7]["text"] = ""  # a failing article: a failed row, not a failed batch
    with server.serve() as url:
        ds = ray.data.from_items(rows)
        out = nsray.summarize_dataset(
            ds, model=MODEL, base_url=url, rpm=20, window=1.0, actors=4, batch_size=25,
            concurrency=8,
        )  # fmt: skip
        out.write_json(str(tmp_path / "out"))
        stats = server.counters()
    ids = ids_in(tmp_path / "out")
    assert sorted(ids) == sorted(r["id"] for r in rows)
    written = [
        json.loads(line)
        for p in (tmp_path / "out").glob("*.json*")
        for line in p.read_text().splitlines()
    ]
    by_id = {r["id"]: r for r in written}
    assert by_id["art-0007"]["ok"] is False
    assert by_id["art-0007"]["error_type"] == "InputError"
    good = by_id["art-0001"]
    assert good["ok"] is True
    assert good["n_statements"] == 1
    assert good["summary"].startswith("Minister 1 met")
    assert json.loads(good["summary_json"])["summary"] == good["summary"]
    assert good["total_tokens"] > 0
    # Rate: the server's own count of accepted requests over the time they spanned.
    assert stats["completions"] == 199
    span = stats["last_accepted"] - stats["first_accepted"]
    rate = (stats["completions"] - 1) / span
    print(f"achieved {rate:.2f} req/s against a limit of 20 req/s, 429s: {stats['rejected']}")
    assert rate <= 20 * 1.02
    assert rate >= 20 * 0.85


def test_a_killed_worker_s_batch_is_retried_without_duplicates(
    local_ray: Any, tmp_path: Path
) -> None:
    marker = tmp_path / "died-once"

    class DiesOnce(nsray.Summarizer):
        def __call__(self, batch: Any) -> Any:
            if not marker.exists():
                marker.write_text("x")
                os._exit(1)  # the worker process dies mid-batch, once
            return super().__call__(batch)

    server = BatchServer(latency=0.01)
    rows = [article(i) for i in range(40)]
    with server.serve() as url:
        out = ray.data.from_items(rows).map_batches(
            DiesOnce,
            fn_constructor_kwargs={"model": MODEL, "base_url": url},
            batch_size=10, batch_format="pandas", compute=ray.data.ActorPoolStrategy(size=2),
            num_cpus=0.25,
        )  # fmt: skip
        out.write_json(str(tmp_path / "out"))
    assert marker.exists()
    ids = ids_in(tmp_path / "out")
    assert len(ids) == len(set(ids)) == 40
