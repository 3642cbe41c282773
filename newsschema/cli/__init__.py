"""The ``newsschema`` command.

Commands: ``summarize`` (articles to records), ``batch`` (many articles,
resumable), ``export`` (JSON Lines to SQLite and CSV), ``report`` (JSON Lines
to an HTML review page), ``link`` (records of many articles grouped into
events), ``eval`` (scores against a gold set), ``schema`` (the
JSON schema sent to the model) and ``demo`` (an offline replay of the seed
article).

Exit codes:

- 0: success.
- 1: an article failed, or newsschema reported an error (setup, input, provider).
- 2: usage error: unknown option, missing file, bad option value.

An error prints one line, and a hint line when there is one, on standard error;
``newsschema --debug COMMAND ...`` shows the traceback instead. Transport retries
print one line each on standard error as they happen.

Article ids, the same in every command and output: a text file given by itself
is its stem (``articles/a.txt`` is ``a``; standard input is ``stdin``); a ``.txt``
file in a folder given is its path relative to that folder without the suffix
(``sub/b``); a JSON Lines row is its ``--id-field`` value (default ``id``), else
``<file stem>:<line>`` (``feed:3``); a gold article is its gold file's ``id``.

Event types: ``--events`` on ``summarize``, ``batch``, ``eval`` and ``schema``
takes registered type names and ``module:Class`` paths of a user's Event
subclasses; the default is the built-in types. Nothing here names a type: the
tables and messages read every type from the registry.

Text that came from an article, a model or a provider is shown on a terminal
without escape sequences or control characters (``newsschema._io.neutralise``).

Modules: ``_app`` (the typer app, global options), ``_options`` (call options and
``--events``), ``_messages`` (errors and warnings), ``_tables`` (terminal tables),
one module per command (``_summarize``, ``_batch_command`` with ``_batch``,
``_data`` for export and report, ``_eval``, ``_link``, ``_reprocess``, ``_schema``,
``_demo``).
"""

from __future__ import annotations

# Each command module adds its command to the app as it is imported.
from . import _batch_command, _data, _demo, _eval, _link, _reprocess, _schema, _summarize
from ._app import app

__all__ = ["app", "main"]

_COMMANDS = (_batch_command, _data, _demo, _eval, _link, _reprocess, _schema, _summarize)


def main() -> None:
    """Entry point of the ``newsschema`` script."""
    app()


if __name__ == "__main__":
    main()
