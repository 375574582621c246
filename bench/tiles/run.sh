#!/usr/bin/env bash
# Tiles benchmark on a database of its own per size in the embedded cluster (never on real data):
#   bench/tiles/run.sh load ROWS          create spass_bench_tiles_ROWS and load the seeded rows
#   bench/tiles/run.sh measure ROWS [REPS] [extra bench_tiles.py args]   time the tiles
#   bench/tiles/run.sh env ROWS           print the DATABASE_URL of that database
# Needs the shared harness next to the repository (../shared/bench, or HARNESS=…). Same
# database tuning as the harness: no JIT, no parallel gather. Wrap in flock (see README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
ACTION=$1; ROWS=$2; DB=spass_bench_tiles_$ROWS
HARNESS=${HARNESS:-../shared/bench}
URL=$(bin/spass-db url | sed "s/^postgis:/postgresql:/")
export DATABASE_URL="${URL%/*}/$DB"
export SPASS_VAR_DIR=${SPASS_VAR_DIR:-var/bench-$ROWS}
case "$ACTION" in
  env) echo "$DATABASE_URL"; exit 0;;
  load)
    psql "$URL" -qXtAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
      || psql "$URL" -qXc "CREATE DATABASE $DB"
    psql "$DATABASE_URL" -qX -c "CREATE EXTENSION IF NOT EXISTS postgis" \
      -c "CREATE EXTENSION IF NOT EXISTS unaccent" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" \
      -c "ALTER DATABASE $DB SET jit = off" \
      -c "ALTER DATABASE $DB SET max_parallel_workers_per_gather = 0"
    .venv/bin/python manage.py migrate --noinput -v0
    .venv/bin/python bench/tiles/bench_tiles.py load --rows "$ROWS" --harness "$HARNESS";;
  measure)
    shift 2
    command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
    .venv/bin/python bench/tiles/bench_tiles.py measure --rows "$ROWS" --reps "${1:-3}" \
      --harness "$HARNESS" "${@:2}";;
  *) echo "usage: $0 load|measure|env ROWS [REPS]" >&2; exit 2;;
esac
