#!/usr/bin/env bash
# OGC API Features of S-PASS ("ours") against the raw SQL floor, with the shared harness
# (../shared/bench), at 50k rows only: `items` (first page, limit=100) and `item` (by id).
#
#   bench/ogc/run.sh            (from the worktree, with the embedded PostGIS running)
#
# - the harness loads bench_50k (its observatoire_feature table) for the floor;
# - load_ours.sql copies the same rows, same ids, into a migrated copy of our schema
#   (bench_50k_ours): type -> base/kind, group_id -> one of 50 groups, visibility -> level;
#   every row is authored by one account whose feed key the requests carry, so each request
#   runs the whole visibility rule and every id answers 200;
# - gunicorn serves it on $PORT; the harness measures it (SERVERS=ours).
# `filter` is not measured: the harness sends type=…&group_id=…, which are not properties of
# ours (unknown parameters are a 400, as OGC API requires). Peers and 2M are not run here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=${BENCH:-$ROOT/../shared/bench}
PORT=${PORT:-8102}
PGDIR=$ROOT/var/postgres
export PGHOST=127.0.0.1 PGPORT=$(cat "$PGDIR/port") PGUSER=spass PGPASSWORD=$(cat "$PGDIR/password")
export SIZES=50k REPS=${REPS:-1} DURATION=${DURATION:-10} FLOOR_DURATION=${FLOOR_DURATION:-10}
export ENDPOINTS="items item" WORKERS=${WORKERS:-2} WORK=${WORK:-/tmp/bench-ogc-work}
export RESULTS=${RESULTS:-$ROOT/bench/results/results.jsonl}
OURS_DB=bench_50k_ours
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }

"$BENCH/run_peers.sh" data

if [ "$(psql -qXtA -d "$OURS_DB" -c 'select count(*) from observatoire_resource' 2>/dev/null)" != 50000 ]; then
  psql -qX -d postgres -c "DROP DATABASE IF EXISTS $OURS_DB" -c "CREATE DATABASE $OURS_DB"
  psql -qX -d "$OURS_DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
  DATABASE_URL="postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$OURS_DB" \
    "$ROOT/.venv/bin/python" "$ROOT/manage.py" migrate --noinput -v0
  DATABASE_URL="postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$OURS_DB" \
    "$ROOT/.venv/bin/python" "$ROOT/manage.py" shell -c "$(cat "$ROOT/bench/ogc/make_people.py")"
  psql -qX -d bench_50k -c "\copy (SELECT * FROM observatoire_feature ORDER BY id) TO STDOUT" \
    | psql -qX -v ON_ERROR_STOP=1 -d "$OURS_DB" -f "$ROOT/bench/ogc/load_ours.sql"
  psql -qX -d postgres -c "ALTER DATABASE $OURS_DB SET jit = off" \
    -c "ALTER DATABASE $OURS_DB SET max_parallel_workers_per_gather = 0"
fi
KEY=$(psql -qXtA -d "$OURS_DB" -c "select key from workgroups_feedkey order by id limit 1")

export SERVERS=ours OURS_URL=http://127.0.0.1:$PORT OURS_ITEMS=/ogc/collections/observatoire/items
export OURS_QUERY="key=$KEY" OURS_TILE=/none/{z}/{x}/{y}
export OURS_START="cd '$ROOT' && DATABASE_URL='postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$OURS_DB' \
  exec .venv/bin/gunicorn config.wsgi:application --bind 127.0.0.1:$PORT --workers $WORKERS"
"$BENCH/run_peers.sh" floor http summary
