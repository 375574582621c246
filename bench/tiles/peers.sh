#!/usr/bin/env bash
# Vector tiles of S-PASS ("ours") against the raw SQL floor and the peers, in one run of the
# shared harness (../shared/bench, read its README): z6, z10, z14 over Paris and Lille, 16
# connections (wrk), the floor by pgbench; tipg, pygeoapi's MVT provider and MapServer on the
# harness's table, ours on the same rows.
#
#   bench/tiles/peers.sh [load] [bench]        (default: both; embedded PostGIS running)
#   SIZES="50k 2m" REPS=1 DURATION=10 bench/tiles/peers.sh
#
# load:  bench_<size>_tiles, a copy of the OGC bench's database (bench/ogc/run.sh load: same
#        rows, same ids) where every row is public and validated, so that an anonymous tile
#        holds every row, as the floor's and the peers' tiles do. Done once per size.
# bench: the harness's floor (pgbench), then the peers, then ours twice, served by granian
#        with 2 workers (the harness's WORKERS) through config.wsgi (its WSGI fast path
#        included): "ours-cold" with the tile cache off (SPASS_TILES_CACHE=0: each request
#        renders its tile), "ours-warm" with the cache on (filled by the harness's warm-up).
#        Results go to $RESULTS (bench/results/tiles-peers/results.jsonl) and the summary
#        table next to it. Wrap the whole command in `flock /tmp/spass-bench.lock`.
set -euo pipefail
PORT=${PORT:-8103}
export WORK=${WORK:-/tmp/bench-tiles-work}
source "$(dirname "$0")/../harness.sh"
export RESULTS=${RESULTS:-$ROOT/bench/results/tiles-peers/results.jsonl}
PEERS=${PEERS:-"tipg pygeoapi mapserver"}
STEPS=${*:-load bench}
mkdir -p "$(dirname "$RESULTS")"

step_load() {
  for s in $SIZES; do
    db=bench_${s}_tiles
    if [ "$(psql -qXtA -d "$db" -c "select count(*) filter (where level <> 'public' or validated_at is null) = 0 and count(*) > 0 from observatoire_resource" 2>/dev/null)" = t ]; then
      continue
    fi
    psql -qX -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE bench_${s}_ours"
    DATABASE_URL="postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$db" "$ROOT/.venv/bin/python" \
      "$ROOT/manage.py" migrate --noinput -v0
    psql -qX -v ON_ERROR_STOP=1 -d "$db" \
      -c "UPDATE observatoire_resource SET level = 'public', validated_at = coalesce(validated_at, created_at)" \
      -c "VACUUM (FULL, ANALYZE) observatoire_resource" -c "VACUUM ANALYZE tiles_clustercell"
  done
}

# ours under one name: start granian on $BENCH_DB with the cache on or off, measure, rename.
run_ours() { # run_ours SIZE NAME CACHE(0|1)
  local s=$1 name=$2 cache=$3 part=$WORK/$2.jsonl
  rm -f "$part"
  SIZES=$s SERVERS=ours ENDPOINTS="z6 z10 z14" RESULTS=$part OURS_URL=http://127.0.0.1:$PORT \
    OURS_ITEMS=/ogc/collections/observatoire/items OURS_TILE='/tiles/observatoire/{z}/{x}/{y}.pbf' \
    OURS_START="cd '$ROOT' && DATABASE_URL='postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/bench_${s}_tiles' \
      SPASS_TILES_CACHE=$cache SPASS_VAR_DIR='$WORK/var-$s' exec .venv/bin/granian --interface wsgi \
      config.wsgi:application --host 127.0.0.1 --port $PORT --workers $WORKERS --blocking-threads 1 \
      --no-ws --log-level warning" \
    "$HARNESS/run_peers.sh" http
  sed "s/\"server\": \"ours\"/\"server\": \"$name\"/" "$part" >>"$RESULTS"
}

step_bench() {
  uptime | sed 's/^/load before: /' >"$WORK/uptime"
  for s in $SIZES; do
    SIZES=$s "$HARNESS/run_peers.sh" floor
    SIZES=$s SERVERS=$PEERS ENDPOINTS="z6 z10 z14" "$HARNESS/run_peers.sh" http
    rm -rf "$WORK/var-$s"
    run_ours "$s" ours-cold 0
    run_ours "$s" ours-warm 1
  done
  uptime | sed 's/^/load after: /' >>"$WORK/uptime"
  cat "$WORK/uptime" >>"$(dirname "$RESULTS")/env.txt"
  python3 "$HARNESS/summarize.py" "$RESULTS" | tee "$(dirname "$RESULTS")/summary.md"
}

for st in $STEPS; do "step_$st"; done
