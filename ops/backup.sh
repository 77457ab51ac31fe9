#!/usr/bin/env bash
# Back up the factcheck database: ops/backup.sh [FILE]
#
# Dumps the PostgreSQL database named by DATABASE_URL in pg_dump's custom format (compressed,
# restorable table by table with pg_restore) to FILE, by default
# backups/factcheck-<UTC timestamp>.dump. The dump is written to FILE.partial, checked to be
# readable, then renamed: a FILE that exists is a complete dump. Prints FILE.
# pg_dump must be at least as new as the server (with compose, run it in the db container:
# see the README's "Backups" section).
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://user:password@host:5432/factcheck}"
out=${1:-backups/factcheck-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$out")"
partial="$out.partial"
trap 'rm -f "$partial"' EXIT

# --no-owner/--no-privileges: the dump restores under whatever role runs the restore.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial"
pg_restore --list "$partial" >/dev/null
mv "$partial" "$out"
echo "$out"
