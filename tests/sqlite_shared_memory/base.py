"""SQLite for the test run: Django's shared in-memory database, waiting for locks.

Django's tests keep SQLite in memory with a shared cache so that the live server thread sees the
test's rows. Threads the app starts itself (the live supervisor, the browser relay, an in-process
task worker) open their own connections to that cache, and a shared cache locks whole tables and
answers SQLITE_LOCKED at once, where production's file database waits out `busy_timeout`. On a
loaded machine two writers then collide and a request fails that production would have served.
This backend waits for the lock as `busy_timeout` does, and changes nothing else.
"""

import sqlite3
import time

from django.db.backends.sqlite3 import base
from django.db.backends.utils import debug_transaction

LOCK_WAIT_SECONDS = 20


def _table_locked(error):
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_LOCKED


def _waiting_for_locks(call):
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    pause = 0.001
    while True:
        try:
            return call()
        except sqlite3.OperationalError as error:
            if not _table_locked(error) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


class CursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        # A statement that met a table lock did nothing, so running it again is safe.
        execute = super().execute
        return _waiting_for_locks(lambda: execute(query, params))


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _commit(self):
        if self.connection is not None:
            with debug_transaction(self, "COMMIT"), self.wrap_database_errors:
                return _waiting_for_locks(self.connection.commit)
