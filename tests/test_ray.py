"""newsschema.ray on a local Ray (2 CPUs) against the loopback latency server (about 60 s)."""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("ray", reason="Ray is not installed: pip install 'newsschema[ray]'")
pytest.importorskip("pandas", reason="Ray Data needs pandas: pip install 'newsschema[ray]'")

import pyarrow.parquet as pq
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
ROOT = Path(__file__).resolve().parents[1]


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
    # The server allows 40 requests per 2 s (429 beyond); the limit given is the same,
    # for all 4 actors together.
    server = BatchServer(latency=0.05, limit=(40, 2.0))
    rows = [article(i) for i in range(200)]
    rows[7]["text"] = ""  # failing articles: failed rows, not failed batches
    rows[9]["published"] = "the other day"
    page = "<html><head><title>Oslo talks</title></head><body><nav>Home | World</nav>"
    page += "<article><h1>Oslo talks</h1><p>" + "</p><p>".join([rows[11]["text"]] * 4)
    rows[11]["text"] = page + "</p></article><footer>Cookies</footer></body></html>"
    with server.serve() as url:
        ds = ray.data.from_items(rows)
        out = nsray.summarize_dataset(
            ds, model=MODEL, base_url=url, rpm=40, window=2.0, actors=4, batch_size=25,
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
    assert by_id["art-0009"]["ok"] is False
    assert "published" in by_id["art-0009"]["error_message"]
    assert by_id["art-0008"]["ok"] is by_id["art-0010"]["ok"] is True  # same batch as 7 and 9
    good = by_id["art-0001"]
    assert good["ok"] is True
    assert good["n_statements"] == 1
    assert good["summary"].startswith("Minister 1 met")
    assert json.loads(good["summary_json"])["summary"] == good["summary"]
    page_row = by_id["art-0011"]  # an HTML page: its main text summarised
    assert page_row["ok"] is True
    assert "Minister 11 met the delegation" in page_row["summary"]  # the page's main text
    assert "<" not in page_row["summary"] and "Home | World" not in page_row["summary"]
    assert good["total_tokens"] > 0
    # Rate: the server's own count of accepted requests over the time they spanned.
    assert stats["completions"] == 198
    span = stats["last_accepted"] - stats["first_accepted"]
    rate = (stats["completions"] - 1) / span
    print(f"achieved {rate:.2f} req/s against a limit of 20 req/s, 429s: {stats['rejected']}")
    # Within the limit, and with few 429s: 4 actors each keeping the limit on its own
    # would send 4 times as many (hundreds of 429s). How close to the limit the rate
    # comes depends on the machine's load, so it is measured in benchmarks/RAY.md,
    # not asserted here.
    assert rate <= 20 * 1.02
    assert stats["rejected"] <= 0.1 * stats["completions"]


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
    # Ray restarts the actor and runs the lost batch again; only a finished task's
    # output is written, so every id is there exactly once.
    assert sorted(ids) == sorted(r["id"] for r in rows)


def test_the_example_writes_parquet_and_a_node_cache_saves_the_second_run(
    local_ray: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    example = runpy.run_path(str(ROOT / "examples" / "ray_corpus.py"))
    server = BatchServer(latency=0.01)
    cache = tmp_path / "node-cache.sqlite"
    common = ["--synthetic", "20", "--model", MODEL, "--format", "parquet", "--actors", "2"]
    with server.serve() as url:
        first = example["main"]([*common, "--base-url", url, "--cache", str(cache),
                                 "--out", str(tmp_path / "first")])  # fmt: skip
        calls = server.counters()["completions"]
        again = example["main"]([*common, "--base-url", url, "--cache", str(cache),
                                 "--out", str(tmp_path / "again")])  # fmt: skip
        assert server.counters()["completions"] == calls == 20  # the second run: no call
    assert first == again == 0
    printed = capsys.readouterr().out
    assert "rows written: 20, ids: 20 distinct" in printed
    table = pq.read_table(tmp_path / "again").to_pandas()
    assert sorted(table["id"]) == [f"art-{i:06d}" for i in range(20)]
    assert table["cached"].all() and table["ok"].all()
    # Writing into a folder that holds a run already is refused, not mixed in.
    with server.serve() as url:
        code = example["main"]([*common, "--base-url", url, "--out", str(tmp_path / "again")])
    assert code == 2
    assert "--overwrite" in capsys.readouterr().err
