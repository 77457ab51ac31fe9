#!/usr/bin/env bash
# Restore the factcheck database from a dump made by ops/backup.sh: ops/restore.sh FILE
#
# Replaces the contents of the database named by DATABASE_URL with the dump: every object in
# the dump is dropped first (--clean --if-exists) and re-created, in one transaction, so a
# failed restore leaves the database as it was. Stop web, worker and beat first (they would
# write between the drop and the restore, or hold locks on the tables).
# Asks for confirmation on a terminal; set RESTORE_CONFIRM=yes to skip the question.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://user:password@host:5432/factcheck}"
file=${1:?usage: ops/restore.sh FILE}
[ -f "$file" ] || { echo "no such dump: $file" >&2; exit 1; }
pg_restore --list "$file" >/dev/null

if [ "${RESTORE_CONFIRM:-}" != "yes" ]; then
  if [ -t 0 ]; then
    read -r -p "Replace the contents of the database in DATABASE_URL with $file? [yes/N] " answer
    [ "$answer" = "yes" ] || { echo "aborted" >&2; exit 1; }
  else
    echo "refusing to restore without a terminal: set RESTORE_CONFIRM=yes" >&2
    exit 1
  fi
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --exit-on-error --dbname="$DATABASE_URL" "$file"
echo "restored $file"
