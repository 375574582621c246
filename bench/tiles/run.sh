#!/usr/bin/env bash
# Tiles benchmark on a database of its own in the embedded cluster (never on real data):
#   bench/tiles/run.sh [ROWS] [REPS]      e.g. bench/tiles/run.sh 50000 3
# Needs the shared harness next to the repository (../shared/bench, or HARNESS=…). Same
# database tuning as the harness (PG_TUNING=1): no JIT, no parallel gather.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-50000}; REPS=${2:-3}; DB=spass_bench_tiles
HARNESS=${HARNESS:-../shared/bench}
URL=$(bin/spass-db url | sed "s/^postgis:/postgresql:/")
psql "$URL" -qXtAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
  || psql "$URL" -qXc "CREATE DATABASE $DB"
psql "${URL%/*}/$DB" -qX -c "CREATE EXTENSION IF NOT EXISTS postgis" \
  -c "CREATE EXTENSION IF NOT EXISTS unaccent" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" \
  -c "ALTER DATABASE $DB SET jit = off" -c "ALTER DATABASE $DB SET max_parallel_workers_per_gather = 0"
export DATABASE_URL="${URL%/*}/$DB"
.venv/bin/python manage.py migrate --noinput -v0
SPASS_VAR_DIR=${SPASS_VAR_DIR:-var/bench} .venv/bin/python bench/tiles/bench_tiles.py \
  --rows "$ROWS" --reps "$REPS" --harness "$HARNESS"
