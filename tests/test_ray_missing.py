"""newsschema.ray without Ray installed: a ConfigurationError with the install hint."""

from __future__ import annotations

import subprocess
import sys


def test_importing_newsschema_ray_without_ray_names_the_extra() -> None:
    code = (
        "import sys\n"
        "sys.modules['ray'] = None  # as if Ray were not installed\n"
        "from newsschema import ConfigurationError\n"
        "try:\n"
        "    import newsschema.ray\n"
        "except ConfigurationError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'newsschema[ray]'" in done.stdout
