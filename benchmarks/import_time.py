"""`import newsschema` against `import openai`, in fresh interpreters, one run.

Usage: python benchmarks/import_time.py [ROUNDS]

Prints the median wall time of each import over ROUNDS fresh interpreters
(alternating, so machine noise hits both alike) and their ratio. Only the
ratio is meaningful on a shared machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def _once(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    return time.perf_counter() - start


def main(rounds: int = 15) -> None:
    baseline = statistics.median(_once("sys") for _ in range(rounds))  # interpreter start-up
    times: dict[str, list[float]] = {"newsschema": [], "openai": []}
    for _ in range(rounds):
        for module, samples in times.items():
            samples.append(_once(module))
    ours = statistics.median(times["newsschema"]) - baseline
    theirs = statistics.median(times["openai"]) - baseline
    print(f"rounds: {rounds}; medians, minus interpreter start-up ({baseline * 1000:.0f} ms)")
    print(f"import newsschema: {ours * 1000:.0f} ms")
    print(f"import openai:     {theirs * 1000:.0f} ms")
    print(f"ratio newsschema/openai: {ours / theirs:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
