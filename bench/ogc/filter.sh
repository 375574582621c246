#!/usr/bin/env bash
# `filter` for ours, called by run.sh (SIZE DB KEY PORT OURS_SERVE CONC DURATION REPS WORK
# RESULTS BENCH ROOT in the environment): the harness's 200 seeded filter requests
# (type=T&group_id=G&bbox=…, limit=100) rewritten as kind=K&group=groupe-G&bbox=… (K: the
# kind load_ours.sql gave type T), measured with the harness's wrk script and settings and
# appended to RESULTS like run_peers.sh does.
set -euo pipefail
url=http://127.0.0.1:$PORT
out=$WORK/$SIZE/ours-filter; mkdir -p "$out"
python3 "$BENCH/make_workload.py" http --rows 1 --out "$out" \
  --items /ogc/collections/observatoire/items --tile '/{z}/{x}/{y}' --query "key=$KEY"
sed -E -e 's/type=(marqueur|media)&/kind=marqueur\&/' -e 's/type=(projet|acteur)&/kind=projet\&/' \
  -e 's/type=realisation&/kind=realisation\&/' -e 's/type=(action|activite|evenement)&/kind=action\&/' \
  -e 's/group_id=([0-9]+)/group=groupe-\1/' "$out/filter.txt" >"$out/ours.txt"
grep -q 'type=\|group_id=' "$out/ours.txt" && { echo "unmapped filter request" >&2; exit 1; }
gpid=$WORK/ours-filter.pid
(cd "$ROOT" && { DATABASE_URL="postgis://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$DB" \
  bash -c "$OURS_SERVE" >"$WORK/ours-filter.log" 2>&1 & echo $! >"$gpid"; })
stop() { # the port must be free before the next server starts
  [ -f "$gpid" ] && kill "$(cat "$gpid")" 2>/dev/null
  for _ in $(seq 30); do curl -s -o /dev/null "$url/" || return 0; sleep 1; done
}
trap stop EXIT
for _ in $(seq 60); do curl -sf -o /dev/null "$url$(head -1 "$out/ours.txt")" && break; sleep 1; done
PATHS=$out/ours.txt wrk -t1 -c"$CONC" -d3s --timeout 60s -s "$BENCH/wrk_paths.lua" "$url" >/dev/null 2>&1
for rep in $(seq "$REPS"); do
  j=$(PATHS=$out/ours.txt wrk -t1 -c"$CONC" -d"${DURATION}s" --timeout 60s -s "$BENCH/wrk_paths.lua" "$url" 2>&1 \
    | sed -n 's/^JSON //p')
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); d["errors"]=sum(v for k,v in d.items() if k.startswith("err_")); d["bytes_per_req"]=d["bytes"]/max(1,d["requests"]); d.update(size=sys.argv[2], server="ours", endpoint="filter", rep=int(sys.argv[3]), kind="wrk"); print(json.dumps(d))' \
    "$j" "$SIZE" "$rep" >>"$RESULTS"
  echo "[$(date +%H:%M:%S)] $SIZE ours filter rep$rep $j" >&2
done
