"""newsschema against a real small model: Gemma 3 270M on llama.cpp's llama-server.

The server comes from ``python -m newsschema.local_llm`` (build, start). Three kinds
of test here:

- Replays (default, offline, fast): ``cassettes/local_gemma3_*.json`` were recorded
  from that server; each test asserts the exact typed outcome that was recorded.
- Live (``@pytest.mark.live``): talk to a running server, skipped unless
  ``NEWSSCHEMA_LIVE_BASE_URL`` is set and the server answers::

      python -m newsschema.local_llm build && python -m newsschema.local_llm start
      NEWSSCHEMA_LIVE_BASE_URL=http://127.0.0.1:8080/v1 \\
        python -m pytest -m live tests/test_local_model.py

- The ``local_llm`` command line, offline (each test runs it in a subprocess).

Re-record the cassettes (the expectations below then say what changed):

    NEWSSCHEMA_RECORD=1 NEWSSCHEMA_LIVE_BASE_URL=http://127.0.0.1:8080/v1 \\
      python -m pytest tests/test_local_model.py -k recorded

The model is a 270M-parameter *pretrained* (not instruction-tuned) checkpoint: the
recordings show how newsschema reports a model that cannot do the task, not what a
good extraction looks like.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import CASSETTES, SEED_ARTICLE

from newsschema import (
    ArticleSummary,
    ExtractionFailed,
    InvalidAnswerError,
    RetryPolicy,
    TruncatedOutputError,
    Usage,
    strict_json_schema,
    summarize,
)
from newsschema.testing import cassette, record_mode

# Read at import: the autouse fixture in conftest clears NEWSSCHEMA_* before each test.
LIVE_BASE_URL = os.environ.get("NEWSSCHEMA_LIVE_BASE_URL", "").strip() or None
MODEL = "gemma3-270m"  # the name `python -m newsschema.local_llm start` serves the GGUF as
# One slow CPU generation is not worth repeating: a single attempt with a long timeout.
# Not part of the request body, so replays do not depend on it.
LOCAL_RETRY = RetryPolicy(max_attempts=1, timeout=900.0, max_time=900.0)
UNREACHABLE = "http://127.0.0.1:9/v1"  # replays never connect; a leak would fail fast

# Voice of America, public domain (a US government work). Lisa Bryant, "UN Court Opens
# Maritime Dispute Hearing Without Kenya", 2021-03-15,
# https://www.voanews.com/a/africa_un-court-opens-maritime-dispute-hearing-without-kenya/6203336.html
ICJ_KENYA = (
    "Kenya has refused to attend a weeklong hearing by the United Nations' highest court "
    "over a long-running maritime dispute with Somalia. In a letter last week to The "
    "Hague-based International Court of Justice, or ICJ, the Kenyan government cited a mix "
    "of reasons for not participating, including the COVID-19 pandemic that it said made it "
    "hard to adequately prepare and make its case. The court's president, Judge Joan "
    "Donoghue, rejected Kenya's request to brief it before the start of Monday's opening. "
    '"The court regrets the decision of Kenya not to participate in the oral proceedings," '
    "she said. But she said the court had a raft of material previously filed by the "
    "country in arguing its side of the case. Kenya's dispute with Somalia centers on some "
    "100,000 square kilometers of Indian Ocean waters rich in fish, and possibly also oil "
    "and gas. Mogadishu argues its maritime border with Kenya should be extended along the "
    "same southeasterly line as its land border. Nairobi claims the frontier should head in "
    "a straight line east. Over the months, Kenya filed several requests for this hearing "
    "to be postponed, along with other demands. Presenting his country's opening arguments, "
    "Somalia's Deputy Prime Minister Mahdi Mohamed Guled described the dispute as of key "
    'national importance to his country. "We hoped that it would be possible to settle our '
    "dispute with Kenya bilaterally, through negotiations. Unfortunately, that proved "
    'impossible," Guled said. The maritime spat adds to mounting diplomatic friction '
    "between the East African neighbors. In December, Mogadishu announced it was cutting "
    "ties with Kenya for allegedly meddling in its internal political affairs. It may take "
    "years for the ICJ to rule on the maritime dispute. It has no power to enforce its "
    "rulings, and in the past, some countries have simply ignored them."
)

# Voice of America, public domain (a US government work). Narin Sun, "Cambodian journalist
# thanks supporters after release on bail", 2024-10-24,
# https://www.voanews.com/a/detained-cambodian-journalist-seeks-bail-after-apologizing-for-harmful-posts/7836916.html
CAMBODIA_JOURNALIST = (
    "Cambodian journalist Mech Dara thanked his supporters Thursday after being freed from "
    "prison. “I am delighted [to be out], but my health is weak,” he said. “I would like to "
    "thank everyone who supports me. I notice that my friends inside and outside the "
    "country do everything to help me [get] released.” The reporter, who is known for "
    "coverage that exposes corruption and human rights trafficking, had been in pretrial "
    'detention since September 30. He was accused of "incitement to disturb or provoke '
    'social chaos." A Phnom Penh court earlier alleged the journalist had posted '
    '“provocative" and "false" messages and pictures about the apparent destruction of the '
    "entrance to a religious site. On Wednesday, the country’s information minister shared "
    "a video of Mech Dara making an apology, along with images of a three-page letter the "
    "minister said the journalist had written. The journalist’s lawyer, Duch Piseth, told "
    "VOA that Mech Dara has been released on bail, but the charge has not been dropped. “I "
    "hope his charge will be dropped, and I will work with my client more to proceed [with] "
    "the case in accordance with his wish,” said Duch Piseth. He added that the journalist "
    "is not allowed to leave the country and is required to report to police every month. "
    'Media watchdog Reporters Without Borders welcomed the release and reiterated "its call '
    "to the authorities to immediately drop all charges against him.” Mech Dara’s arrest "
    "drew international condemnation. Last year, the journalist received a hero award from "
    "U.S. Secretary of State Antony Blinken for his work exposing mass scam centers staffed "
    "mostly by trafficked workers in Cambodia. Independent Cambodian media association "
    "CamboJA said Mech Dara was released after apologizing to Senate head Hun Sen and Prime "
    "Minister Hun Manet. Nop Vy, the association’s executive director, told VOA the release "
    "on bail was a “good sign.” He called for the charge to be dropped so that Mech Dara "
    "“has full freedom to continue working as a journalist.” The Cambodian League for the "
    "Promotion and Defense of Human Rights also issued a statement on the release of the "
    "award-winning journalist. “[Mech] Dara’s work includes investigations into scam "
    "operations including the use of transnational human trafficking and torture within "
    "these compounds,” the rights group said, noting that the journalist had worked for "
    "national and international media, including The Cambodia Daily , The Phnom Penh Post "
    "and Voice of Democracy."
)


# --------------------------------------------------------------------------------------
# Helpers


def _server_problem(base_url: str) -> str | None:
    """None when ``base_url`` lists its models, else what went wrong."""
    try:
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/models", timeout=5) as response:
            json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _live_url_or_skip() -> str:
    if LIVE_BASE_URL is None:
        pytest.skip(
            "no local model server configured: run `python -m newsschema.local_llm start` "
            "and set NEWSSCHEMA_LIVE_BASE_URL=http://127.0.0.1:8080/v1"
        )
    problem = _server_problem(LIVE_BASE_URL)
    if problem is not None:
        pytest.skip(
            f"no server answers at {LIVE_BASE_URL} ({problem}); "
            "start one with `python -m newsschema.local_llm start`"
        )
    return LIVE_BASE_URL


@pytest.fixture(scope="module")
def live_url() -> str:
    """The base URL of a running server, or the test is skipped saying why."""
    return _live_url_or_skip()


@contextmanager
def _client(base_url: str) -> Iterator[Any]:
    """An openai client for ``base_url``, closed afterwards (no socket left to warn about)."""
    import openai

    with openai.OpenAI(api_key="unused", base_url=base_url) as client:
        yield client


def _cassette_path(case: str) -> Path:
    return CASSETTES / f"local_gemma3_{case}.json"


def _recorded(
    case: str, article: str, *, published: str, mode: str, max_tokens: int
) -> ArticleSummary | ExtractionFailed:
    """Replay ``cassettes/local_gemma3_<case>.json``, or record it with NEWSSCHEMA_RECORD=1."""
    path = _cassette_path(case)
    if record_mode() == "none":
        assert path.is_file(), f"{path.name} is missing: record it (see this module's docstring)"
        base_url = UNREACHABLE
    else:
        base_url = _live_url_or_skip()
    with _client(base_url) as client, cassette(path):
        return _outcome(client, article, published=published, mode=mode, max_tokens=max_tokens)


def _outcome(
    client: Any, article: str, *, published: str, mode: str, max_tokens: int
) -> ArticleSummary | ExtractionFailed:
    """The summary, or the typed failure summarize raised."""
    try:
        return summarize(
            article, published=published, client=client, model=MODEL, mode=mode,
            max_tokens=max_tokens, retry=LOCAL_RETRY,
        )  # fmt: skip
    except ExtractionFailed as exc:
        return exc


def _exchanges(case: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(request body, response body) of each recorded exchange."""
    data = json.loads(_cassette_path(case).read_text(encoding="utf-8"))
    return [
        (i["request"]["body"]["json"], i["response"]["body"]["json"]) for i in data["interactions"]
    ]


def _answer(response: dict[str, Any]) -> str:
    return str(response["choices"][0]["message"]["content"])


# --------------------------------------------------------------------------------------
# Replays of recorded runs (offline)


def test_recorded_seed_article_in_json_schema_mode_loops_until_the_token_cap() -> None:
    outcome = _recorded(
        "seed_json_schema",
        SEED_ARTICLE,
        published="2023-09-18",
        mode="json_schema",
        max_tokens=2048,
    )
    assert isinstance(outcome, TruncatedOutputError), repr(outcome)
    [(request, response)] = _exchanges("seed_json_schema")
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    assert request["response_format"]["json_schema"]["schema"] == strict_json_schema()
    assert response["choices"][0]["finish_reason"] == "length"
    usage = response["usage"]
    assert (outcome.usage.prompt_tokens, outcome.usage.completion_tokens) == (
        usage["prompt_tokens"],
        2048,
    )
    assert outcome.usage.prompt_tokens > 1000  # the article was read
    assert outcome.usage.requests == 1  # a truncated answer is not re-asked
    # The grammar kept the answer valid JSON so far; the model kept repeating a record.
    answer = _answer(response)
    assert answer.lstrip().startswith("{")
    with pytest.raises(json.JSONDecodeError):
        json.loads(answer)
    lines = [line.strip() for line in answer.splitlines() if len(line.strip()) > 8]
    assert max(lines.count(line) for line in lines) >= 10
    # It copied no evidence at all, and its headline is not the article's.
    assert '"quote"' not in answer
    headline = re.search(r'"headline": "((?:[^"\\]|\\.)*)"', answer)
    assert headline is not None
    assert headline.group(1) not in SEED_ARTICLE


def test_recorded_small_max_tokens_is_a_truncation_with_its_usage() -> None:
    outcome = _recorded(
        "truncated", ICJ_KENYA, published="2021-03-15", mode="json_schema", max_tokens=32
    )
    assert isinstance(outcome, TruncatedOutputError), repr(outcome)
    assert "max_tokens" in str(outcome)
    [(request, response)] = _exchanges("truncated")
    assert request["max_tokens"] == 32
    assert response["choices"][0]["finish_reason"] == "length"
    assert outcome.usage.completion_tokens == 32
    assert outcome.usage.prompt_tokens == response["usage"]["prompt_tokens"] > 0
    assert outcome.usage.total_tokens == outcome.usage.prompt_tokens + 32
    assert outcome.usage.requests == 1


def test_recorded_json_mode_ends_in_an_extraction_error_after_three_answers() -> None:
    outcome = _recorded(
        "json_mode", ICJ_KENYA, published="2021-03-15", mode="json", max_tokens=1024
    )
    assert isinstance(outcome, InvalidAnswerError), repr(outcome)
    exchanges = _exchanges("json_mode")
    assert len(exchanges) == len(outcome.attempts) == 3
    assert [a.attempt for a in outcome.attempts] == [1, 2, 3]
    for (request, response), attempt in zip(exchanges, outcome.attempts, strict=True):
        # json mode: json_object, the schema only in the system prompt.
        assert request["response_format"] == {"type": "json_object"}
        assert "json_schema" in request["messages"][0]["content"]
        assert '"headline"' in request["messages"][0]["content"]
        assert "tools" not in request
        assert attempt.raw_output == _answer(response)
        # The model answered with a fragment of the schema instead of an answer.
        assert "headline: Field required" in attempt.errors
    # Each re-ask sends the previous answer and only its errors.
    for (request, _), previous in zip(exchanges[1:], outcome.attempts, strict=False):
        assert len(request["messages"]) == 4
        assert request["messages"][2] == {"role": "assistant", "content": previous.raw_output}
        assert all(error in request["messages"][3]["content"] for error in previous.errors)
    recorded = [response["usage"] for _, response in exchanges]
    assert outcome.usage.requests == 3
    assert outcome.usage.prompt_tokens == sum(u["prompt_tokens"] for u in recorded)
    assert outcome.usage.completion_tokens == sum(u["completion_tokens"] for u in recorded)
    assert outcome.usage.cached_tokens == sum(
        u["prompt_tokens_details"]["cached_tokens"] for u in recorded
    )
    assert outcome.usage.total_tokens > outcome.usage.prompt_tokens > 0
    assert outcome.last_raw_output == outcome.attempts[-1].raw_output


def test_recorded_short_story_in_json_schema_mode_validates_with_no_events() -> None:
    outcome = _recorded(
        "cambodia_json_schema",
        CAMBODIA_JOURNALIST,
        published="2024-10-24",
        mode="json_schema",
        max_tokens=1024,
    )
    assert isinstance(outcome, ArticleSummary), repr(outcome)
    [(request, response)] = _exchanges("cambodia_json_schema")
    assert request["response_format"]["json_schema"]["strict"] is True
    assert response["choices"][0]["finish_reason"] == "stop"
    recorded = response["usage"]
    assert outcome.provenance.usage == Usage(
        prompt_tokens=recorded["prompt_tokens"],
        completion_tokens=recorded["completion_tokens"],
        cached_tokens=recorded["prompt_tokens_details"]["cached_tokens"],
        total_tokens=recorded["total_tokens"],
        requests=1,
    )
    assert (outcome.provenance.model, outcome.provenance.mode) == (MODEL, "json_schema")
    assert outcome.provenance.validation_attempts == 1
    # Valid and grounded only because it claims nothing: no event, so no quote to check.
    assert (outcome.events, outcome.dropped, outcome.actors) == ([], [], [])
    assert outcome.summary.startswith("Cambodian journalist Mech Dara thanked his supporters")
    assert outcome.published is not None and outcome.published.isoformat() == "2024-10-24"


# --------------------------------------------------------------------------------------
# Live: a running server (skipped without NEWSSCHEMA_LIVE_BASE_URL)


def _usage_of(outcome: ArticleSummary | ExtractionFailed) -> Usage:
    return outcome.provenance.usage if isinstance(outcome, ArticleSummary) else outcome.usage


def _check_typed_outcome(outcome: ArticleSummary | ExtractionFailed) -> None:
    """A located summary, or a model failure newsschema reports with its usage."""
    if isinstance(outcome, ArticleSummary):
        for event in outcome.events:
            assert all(e.start is not None and e.end is not None for e in event.evidence)
        usage = outcome.provenance.usage
        assert usage.requests == outcome.provenance.validation_attempts
        assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
        return
    # Provider, transport or malformed-response errors mean the server did not serve
    # the request newsschema built: that fails the test.
    assert isinstance(outcome, InvalidAnswerError | TruncatedOutputError), repr(outcome)
    assert outcome.usage.requests >= 1
    assert outcome.usage.prompt_tokens > 0
    if isinstance(outcome, InvalidAnswerError):
        assert 1 <= len(outcome.attempts) <= 3
        assert all(attempt.errors for attempt in outcome.attempts)


@pytest.mark.live
@pytest.mark.parametrize("mode", ["json_schema", "json", "tools", "md_json"])
def test_live_each_mode_gives_a_summary_or_a_typed_failure(live_url: str, mode: str) -> None:
    with _client(live_url) as client:
        outcome = _outcome(
            client, CAMBODIA_JOURNALIST, published="2024-10-24", mode=mode, max_tokens=1024
        )
    print(f"{mode}: {outcome!r} usage={_usage_of(outcome)!r}")  # shown by pytest -rP
    _check_typed_outcome(outcome)


@pytest.mark.live
def test_live_seed_article_gives_a_summary_or_a_typed_failure(live_url: str) -> None:
    with _client(live_url) as client:
        outcome = _outcome(
            client, SEED_ARTICLE, published="2023-09-18", mode="json_schema", max_tokens=2048
        )
    print(f"seed: {outcome!r} usage={_usage_of(outcome)!r}")  # shown by pytest -rP
    _check_typed_outcome(outcome)


@pytest.mark.live
def test_live_tiny_max_tokens_is_a_truncation_with_usage(live_url: str) -> None:
    with _client(live_url) as client, pytest.raises(TruncatedOutputError) as caught:
        summarize(
            ICJ_KENYA,
            published="2021-03-15",
            client=client,
            model=MODEL,
            max_tokens=16,
            retry=LOCAL_RETRY,
        )
    usage = caught.value.usage
    assert (usage.completion_tokens, usage.requests) == (16, 1)
    assert usage.total_tokens == usage.prompt_tokens + 16 > 16


_SMALL_SCHEMA = {
    "type": "object",
    "properties": {"greeting": {"type": "string"}},
    "required": ["greeting"],
    "additionalProperties": False,
}


@pytest.mark.live
@pytest.mark.parametrize(
    "shape",
    [
        # What each newsschema mode puts in the request besides model and messages.
        {
            "response_format": {
                "type": "json_schema",
                "json_schema": {
                    "name": "ArticleDraft",
                    "schema": strict_json_schema(),
                    "strict": True,
                },
            }
        },
        {"response_format": {"type": "json_object"}},
        {
            "tools": [{"type": "function", "function": {"name": "G", "parameters": _SMALL_SCHEMA}}],
            "tool_choice": {"type": "function", "function": {"name": "G"}},
        },
        {},
    ],
    ids=["json_schema-strict", "json_object", "forced-tool", "plain"],
)
def test_live_server_accepts_each_request_shape_and_reports_usage(
    live_url: str, shape: dict[str, Any]
) -> None:
    with _client(live_url) as client:
        completion = client.with_options(max_retries=0).chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "Reply with a JSON object."}],
            max_tokens=8,
            temperature=0.0,
            **shape,
        )
    assert completion.choices[0].finish_reason in ("stop", "length", "tool_calls")
    assert completion.usage is not None
    assert completion.usage.prompt_tokens > 0
    assert 0 < completion.usage.completion_tokens <= 8


@pytest.mark.live
def test_live_server_speaks_in_gemma_turns(live_url: str) -> None:
    request = urllib.request.Request(
        live_url.removesuffix("/").removesuffix("/v1") + "/apply-template",
        data=json.dumps({"messages": _TURNS}).encode(),
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            prompt = json.loads(response.read())["prompt"]
    except urllib.error.HTTPError as exc:
        pytest.skip(f"the server has no llama.cpp /apply-template endpoint ({exc.code})")
    # llama-server adds the BOS token itself, so the rendered prompt starts after it.
    assert prompt == _GEMMA_PROMPT


# --------------------------------------------------------------------------------------
# The local_llm command line (offline; each run is a subprocess so this process never
# imports newsschema.local_llm)

_TURNS = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": " Who met? "},
    {"role": "assistant", "content": "{}"},
    {"role": "user", "content": "Again."},
]
_GEMMA_PROMPT = (
    "<start_of_turn>user\nBe brief.\n\nWho met?<end_of_turn>\n"
    "<start_of_turn>model\n{}<end_of_turn>\n"
    "<start_of_turn>user\nAgain.<end_of_turn>\n"
    "<start_of_turn>model\n"
)


def _cli(*args: str, cache: Path, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CC", "CXX")}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "newsschema.local_llm", "--cache-dir", str(cache), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def local_llm_constants() -> dict[str, str]:
    code = (
        "import json, newsschema.local_llm as m; "
        "print(json.dumps({'version': m.LLAMA_CPP_PYTHON_VERSION, 'template': m.GEMMA_TEMPLATE}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    constants: dict[str, str] = json.loads(out.stdout)
    return constants


def test_chat_template_folds_system_text_into_the_first_user_turn(
    local_llm_constants: dict[str, str],
) -> None:
    import jinja2

    template = jinja2.Environment().from_string(local_llm_constants["template"])
    prompt = template.render(messages=_TURNS, bos_token="<bos>", add_generation_prompt=True)
    assert prompt == "<bos>" + _GEMMA_PROMPT


def test_status_without_a_server_says_not_running(tmp_path: Path) -> None:
    result = _cli("status", cache=tmp_path)
    assert result.returncode == 1
    assert result.stdout.strip() == "not running"


def test_start_before_build_says_to_build_first(tmp_path: Path) -> None:
    result = _cli("start", "--port", "9", cache=tmp_path)
    assert result.returncode == 1
    assert "llama-server is missing: run `python -m newsschema.local_llm build` first" in (
        result.stderr
    )


def test_build_without_a_toolchain_names_what_is_missing(tmp_path: Path) -> None:
    empty = tmp_path / "empty-path"
    empty.mkdir()
    result = _cli("build", cache=tmp_path / "cache", path=str(empty))
    assert result.returncode == 1
    assert "missing cmake, a C compiler" in result.stderr
    assert "apt-get install cmake build-essential" in result.stderr
    assert not (tmp_path / "cache" / "sdist").exists()  # nothing was attempted


def _fake_tool(directory: Path, name: str, script: str) -> None:
    tool = directory / name
    tool.write_text(f"#!/bin/sh\n{script}\n")
    tool.chmod(0o755)


def test_a_failing_build_step_names_its_command_and_output_tail(
    tmp_path: Path, local_llm_constants: dict[str, str]
) -> None:
    version = local_llm_constants["version"]
    cache = tmp_path / "cache"
    (cache / "sdist").mkdir(parents=True)
    (cache / "sdist" / f"llama_cpp_python-{version}.tar.gz").write_bytes(b"")
    source = cache / "src" / f"llama.cpp-{version}"
    source.mkdir(parents=True)
    (source / "CMakeLists.txt").write_text("")
    tools = tmp_path / "bin"
    tools.mkdir()
    _fake_tool(tools, "cmake", 'echo "CMake Error: no C compiler works" >&2\nexit 3')
    _fake_tool(tools, "cc", "exit 0")
    _fake_tool(tools, "c++", "exit 0")
    result = _cli("build", cache=cache, path=str(tools))
    assert result.returncode == 1
    assert result.stdout.count("already done, skipped") == 2  # sdist and sources were there
    assert "step 'cmake configure' failed: `cmake -S " in result.stderr
    assert "exited with 3" in result.stderr
    assert "CMake Error: no C compiler works" in result.stderr
    assert str(cache / "logs" / "configure.log") in result.stderr


def test_stop_leaves_a_process_that_is_not_llama_server_alone(tmp_path: Path) -> None:
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "llama-server.pid").write_text(f"{other.pid}\n")
        (tmp_path / "llama-server.json").write_text(json.dumps({"pid": other.pid, "port": 9}))
        assert _cli("status", cache=tmp_path).stdout.strip() == "not running"
        result = _cli("stop", cache=tmp_path)
        assert (result.returncode, result.stdout.strip()) == (0, "[stop] no server was running")
        assert other.poll() is None  # still running
        assert not (tmp_path / "llama-server.pid").exists()
    finally:
        other.kill()
        other.wait()
