"""Django's SQLite backend, with connections that notice when the file they opened is no longer the database.

The server keeps each thread's connection between requests (settings.py). A kept connection goes on
reading and writing the file it opened even after that file was replaced (a restore done while the server
runs) or deleted (a lost volume): its writes would land in a file nobody will read again. So a connection
is unusable once the database's path names another file, and Django opens a new one before the request
uses it (`CONN_HEALTH_CHECKS`): one `stat` a request.
"""

import os
from typing import Any

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    opened: tuple[int, int] | None = None  # (device, inode) of the file this connection opened

    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        self.opened = self._file()
        return connection

    def _file(self) -> tuple[int, int] | None:
        """The file at the database's path now; None for an in-memory database or a missing file."""
        name = self.settings_dict["NAME"]
        if self.creation.is_in_memory_db(name):
            return None
        try:
            found = os.stat(name)
        except OSError:
            return None
        return found.st_dev, found.st_ino

    def is_usable(self) -> bool:
        return self._file() == self.opened and super().is_usable()
