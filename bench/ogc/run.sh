#!/usr/bin/env bash
# OGC API Features of S-PASS ("ours") against the raw SQL floor, with the shared harness
# (../shared/bench, read its README): `items` (first page, limit=100), `filter` and `item`.
#
#   bench/ogc/run.sh [load] [bench]          (default: both; embedded PostGIS running)
#   SIZES="50k 2m" REPS=3 DURATION=10 bench/ogc/run.sh
#
# load:  the harness loads bench_<size> (its observatoire_feature table) for the floor, then
#        load_ours.sql copies the same rows, same ids, into a migrated copy of our schema
#        (bench_<size>_ours): type -> kind, group_id -> one of 50 groups, visibility -> level;
#        every row is authored by one account whose feed key the requests carry, so each
#        request runs the whole visibility rule and every id answers 200. Done once per size.
# bench: floor (pgbench) then ours measured by wrk, served by $SERVER with $WORKERS processes:
#        granian (default, the server of `make run`) or gunicorn (sync workers); PEERS="pygeoapi
#        tipg" adds the harness's peers to the same run (after `run_peers.sh setup`). Wrap the
#        whole command in `flock /tmp/spass-bench.lock` so that no other benchmark overlaps.
# `filter`: the harness asks type=T&group_id=G&bbox=…; ours has no `type`/`group_id`
# properties (unknown parameters are a 400, as OGC API requires), so filter.sh rewrites the
# same 200 requests as kind=K&group=groupe-G&bbox=… (K: the kind T was loaded as; two
# types share each kind, so ours matches at least the floor's rows) and measures them with
# the harness's wrk script and settings.
set -euo pipefail
PORT=${PORT:-8101}
export WORK=${WORK:-/tmp/bench-ogc-work}
source "$(dirname "$0")/../harness.sh"
BENCH=$HARNESS
export SERVER=${SERVER:-granian} PEERS=${PEERS:-}
export RESULTS=${RESULTS:-$ROOT/bench/results/results.jsonl}
STEPS=${*:-load bench}
rows_of() { case $1 in 50k) echo 50000;; 500k) echo 500000;; 2m) echo 2000000;; *) echo "$1";; esac; }
ours_url() { echo "postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$1"; }
# The command serving ours on $PORT (run from $ROOT, DATABASE_URL set), for run_peers.sh and filter.sh.
case $SERVER in
  granian) export OURS_SERVE="exec .venv/bin/granian --interface wsgi config.wsgi:application \
    --host 127.0.0.1 --port $PORT --workers $WORKERS --blocking-threads 1 --no-ws --log-level warning";;
  gunicorn) export OURS_SERVE="exec .venv/bin/gunicorn config.wsgi:application \
    --bind 127.0.0.1:$PORT --workers $WORKERS";;
  *) echo "SERVER: granian or gunicorn" >&2; exit 2;;
esac

step_load() {
  "$BENCH/run_peers.sh" data
  for s in $SIZES; do
    db=bench_${s}_ours
    [ "$(psql -qXtA -d "$db" -c 'select count(*) from observatoire_resource' 2>/dev/null)" = "$(rows_of "$s")" ] && continue
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    psql -qX -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis"
    DATABASE_URL=$(ours_url "$db") "$ROOT/.venv/bin/python" "$ROOT/manage.py" migrate --noinput -v0
    DATABASE_URL=$(ours_url "$db") "$ROOT/.venv/bin/python" "$ROOT/manage.py" shell \
      -c "$(cat "$ROOT/bench/ogc/make_people.py")"
    psql -qX -d "bench_$s" -c "\copy (SELECT * FROM observatoire_feature ORDER BY id) TO STDOUT" \
      | psql -qX -v ON_ERROR_STOP=1 -d "$db" -f "$ROOT/bench/ogc/load_ours.sql"
    psql -qX -d postgres -c "ALTER DATABASE $db SET jit = off" \
      -c "ALTER DATABASE $db SET max_parallel_workers_per_gather = 0" \
      -c "ALTER DATABASE $db SET statement_timeout = '60s'"
  done
}

step_bench() {
  uptime | sed 's/^/load before: /' >"$WORK.uptime"
  for s in $SIZES; do  # floor then ours, size by size: the machine's load drifts
    SIZES=$s "$BENCH/run_peers.sh" floor
    db=bench_${s}_ours
    KEY=$(psql -qXtA -d "$db" -c "select key from workgroups_feedkey order by id limit 1")
    [ -n "$PEERS" ] && SIZES=$s SERVERS=$PEERS ENDPOINTS="items filter item" "$BENCH/run_peers.sh" http
    SIZES=$s SERVERS=ours OURS_URL=http://127.0.0.1:$PORT OURS_ITEMS=/ogc/collections/observatoire/items \
      OURS_QUERY="key=$KEY" OURS_TILE=/none/{z}/{x}/{y} ENDPOINTS="items item" \
      OURS_START="cd '$ROOT' && DATABASE_URL='$(ours_url "$db")' $OURS_SERVE" \
      "$BENCH/run_peers.sh" http
    SIZE=$s DB=$db KEY=$KEY BENCH=$BENCH ROOT=$ROOT PORT=$PORT "$ROOT/bench/ogc/filter.sh"
  done
  uptime | sed 's/^/load after: /' >>"$WORK.uptime"
  { cat "$(dirname "$RESULTS")/env.txt"; cat "$WORK.uptime"; } >"$WORK.env" && mv "$WORK.env" "$(dirname "$RESULTS")/env.txt"
  python3 "$BENCH/summarize.py" "$RESULTS" | tee "$(dirname "$RESULTS")/summary.md"
}

mkdir -p "$WORK" "$(dirname "$RESULTS")"
for st in $STEPS; do "step_$st"; done
