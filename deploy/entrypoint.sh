#!/bin/sh
# The container's entrypoint.
#   serve [ARGS]   (the default) bring the database up to this version (`reciprocity upgrade`: keys checked,
#                  a backup taken, migrations applied and verified), then serve on 0.0.0.0:$PORT
#   worker [ARGS]  the background worker (search indexing, reminders); it waits for `serve` to upgrade
#   anything else  a reciprocity command, e.g. `createuser ana --role director`, `keys export -o FILE`
set -eu

command="${1:-serve}"
[ "$#" -gt 0 ] && shift

case "$command" in
  serve)
    reciprocity upgrade
    exec reciprocity serve --host "${HOST:-0.0.0.0}" --port "${PORT:-8000}" "$@"
    ;;
  worker)
    exec reciprocity worker "$@"
    ;;
  *)
    exec reciprocity "$command" "$@"
    ;;
esac
