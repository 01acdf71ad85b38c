"""Django's SQLite backend, for connections kept between requests (`CONN_MAX_AGE`): base.py."""
