#!/usr/bin/env bash
# Installs (from Debian) and starts a local PostgreSQL server for the test suite, and lets the
# current user connect over the Unix socket. Prints the admin URL the tests use.
# Usage: eval "$(bash scripts/start-postgres.sh)"   -> exports PROTESTWATCH_TEST_POSTGRES
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
for _ in $(seq 1 30); do
    pg_isready -q -h /var/run/postgresql && break
    sleep 1
done
me=$(id -un)
if [ "$me" != postgres ]; then
    su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1 ||
        su postgres -c "psql -qc 'CREATE ROLE \"$me\" SUPERUSER LOGIN'" >&2
fi
echo "export PROTESTWATCH_TEST_POSTGRES='postgresql+psycopg:///postgres?host=/var/run/postgresql'"
