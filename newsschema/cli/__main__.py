"""``python -m newsschema.cli``: the ``newsschema`` command."""

from newsschema.cli import main

main()
