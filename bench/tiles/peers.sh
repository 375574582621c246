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
# z14:   the closest target (z14 cold <= 1.3x the floor) again, REPS times, floor and ours-cold
#        in turn (pgbench's z14 script, then wrk on ours-cold), after `bench` for the same
#        sizes: one JSON line per size and rep in $(dirname $RESULTS)/z14-reps.jsonl.
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
      -c "VACUUM (FULL, ANALYZE) observatoire_resource" -c "VACUUM ANALYZE observatoire_clustercell"
  done
}

# ours on SIZE with the tile cache on or off, through the harness's http step (ENDPOINTS).
run_ours_http() { # run_ours_http SIZE CACHE(0|1) ENDPOINTS   (RESULTS: where the lines go)
  SIZES=$1 SERVERS=ours ENDPOINTS=$3 OURS_URL=http://127.0.0.1:$PORT \
    OURS_ITEMS=/ogc/collections/observatoire/items OURS_TILE='/tiles/observatoire/{z}/{x}/{y}.pbf' \
    OURS_START="cd '$ROOT' && DATABASE_URL='postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/bench_${1}_tiles' \
      SPASS_TILES_CACHE=$2 SPASS_VAR_DIR='$WORK/var-$1' exec .venv/bin/granian --interface wsgi \
      config.wsgi:application --host 127.0.0.1 --port $PORT --workers $WORKERS --blocking-threads 1 \
      --no-ws --log-level warning" \
    "$HARNESS/run_peers.sh" http
}

# ours under one name: granian on bench_<size>_tiles with the cache on or off, measured, renamed.
run_ours() { # run_ours SIZE NAME CACHE(0|1)
  local part=$WORK/$2.jsonl
  rm -f "$part"
  RESULTS=$part run_ours_http "$1" "$3" "z6 z10 z14"
  sed "s/\"server\": \"ours\"/\"server\": \"$2\"/" "$part" >>"$RESULTS"
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

step_z14() {
  local out part
  out=$(dirname "$RESULTS")/z14-reps.jsonl part=$WORK/z14-ours.jsonl
  for s in $SIZES; do
    for rep in $(seq "$REPS"); do
      floor=$(cd "$WORK/$s/pgbench" && pgbench -n -c "$CONC" -j 1 -T "$FLOOR_DURATION" -f z14.sql \
        "bench_$s" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')
      RESULTS=$part REPS=1 run_ours_http "$s" 0 z14
      ours=$(grep '"endpoint": "z14"' "$part" | tail -1 | python3 -c 'import json, sys; print(json.load(sys.stdin)["rps"])')
      python3 -c 'import json, sys; f, o = map(float, sys.argv[3:]); print(json.dumps({"size": sys.argv[1],
        "rep": int(sys.argv[2]), "floor_rps": f, "ours_cold_rps": o, "ratio": round(f / o, 3)}))' \
        "$s" "$rep" "$floor" "$ours" | tee -a "$out"
    done
  done
}

for st in $STEPS; do "step_$st"; done
