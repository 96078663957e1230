"""archiver's Datasette plugin (Datasette 0.65 hooks), registered by ``archiver serve``.

- Search input is words. Datasette's escaped search mode (the table search box, ``searchmode:
  escaped`` in the metadata) and the canned search queries call the SQL function ``escape_fts``;
  this plugin replaces Datasette's own (which keeps ``"phrases"`` and leaves an FTS syntax error for
  input such as a lone ``"``) with :func:`match_words`, the query ``archiver search`` builds. Raw
  FTS5 syntax stays available with ``?_searchmode=raw``.
- One line on stderr per failed request (status, method, path, message) instead of Datasette's
  rich traceback with every local variable, 200 lines or more a request.
- Query results show a ``body`` whole, as the thread of ``article_comments`` is there to be read;
  table pages cut long cells (the ``truncate_cells_html`` setting, see :mod:`archiver.datasette.server`) and an
  article's own page shows everything.
"""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

import datasette.handle_exception as datasette_exception_handler
from datasette import hookimpl
from datasette.database import Database
from datasette.plugins import pm
from datasette.views.base import DatasetteError
from markupsafe import Markup

from archiver.archive.queries import fts_query

#: The query for input that holds no word: it parses, and matches no row.
NOTHING = '""'


def match_words(text: object) -> str:
    """What was typed as an FTS5 query of its words, all of them required; quotes and operators are text.

    A NUL ends the query for SQLite (it would cut a quoted word open), so it separates words here.
    """
    typed = "" if text is None else str(text)  # SQL can pass a number or a blob as well
    return fts_query(typed.replace("\x00", " ")) or NOTHING


def register() -> None:
    """Add this plugin to Datasette's plugin manager (once per process)."""
    plugin = sys.modules[__name__]
    if not pm.is_registered(plugin):
        pm.register(plugin, name="archiver")
    # Datasette's own handler (it stays registered: it builds the error page) prints a rich
    # traceback of every failed request when rich is installed; without it, only the traceback of
    # an error of Datasette's own (status 500). handle_exception below writes the one line.
    datasette_exception_handler.rich = None


class ArchiveDatabase(Database):
    """The archive as Datasette reads it, writing Datasette's stderr line for an SQL error only when asked.

    A table page's failed search is reported by :func:`handle_exception` in one line; Datasette
    would write another before it (the connection, the whole SQL and its parameters). A query page
    (``?sql=``, canned queries) asks for that line: it shows the error in the page, and the line
    is then the request's only one.
    """

    async def execute(
        self,
        sql: str,
        params: Any = None,
        truncate: bool = False,
        custom_time_limit: int | None = None,
        page_size: int | None = None,
        log_sql_errors: bool = False,
    ) -> Any:
        return await super().execute(
            sql,
            params,
            truncate=truncate,
            custom_time_limit=custom_time_limit,
            page_size=page_size,
            log_sql_errors=log_sql_errors,
        )


@hookimpl(trylast=True)  # after Datasette's own escape_fts, to replace it
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("escape_fts", 1, match_words, deterministic=True)


@hookimpl
def handle_exception(request: Any, exception: Exception) -> None:
    """Log the failed request in one line; Datasette's handler then answers it (error page or JSON)."""
    status = getattr(exception, "status", 500)
    if isinstance(exception, DatasetteError):
        message = Markup(exception.message).striptags() if exception.message_is_html else str(exception.message)
    else:
        message = str(exception.args[0]) if exception.args else type(exception).__name__
    target = request.path + (f"?{request.query_string}" if request.query_string else "")
    line = f"archiver serve: {status} {request.method} {target}: {' '.join(message.split())}"
    print(line, file=sys.stderr, flush=True)


@hookimpl
def render_cell(value: Any, column: str, table: str | None) -> str | None:
    """A ``body`` in query results (``table`` is None there) whole, not cut at ``truncate_cells_html``."""
    if table is None and column == "body" and isinstance(value, str) and value:
        return value
    return None
