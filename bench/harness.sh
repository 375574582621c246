# Sourced by bench/ogc/run.sh and bench/tiles/peers.sh: the embedded cluster's connection
# (PGHOST, PGPORT, PGUSER, PGPASSWORD), the harness's settings with their defaults, and
# $HARNESS, a copy of the shared harness (../shared/bench, or $BENCH) under $WORK.
# The harness's pygeoapi and MapServer templates connect as `postgres` without a password,
# which the embedded cluster refuses: in the copy they take the cluster's role and password
# (nothing else differs; the harness itself is left as it is).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGDIR=$ROOT/var/postgres
export PGHOST=127.0.0.1 PGPORT=$(cat "$PGDIR/port") PGUSER=spass PGPASSWORD=$(cat "$PGDIR/password")
export SIZES=${SIZES:-"50k 2m"} REPS=${REPS:-1} DURATION=${DURATION:-10}
export FLOOR_DURATION=${FLOOR_DURATION:-10} WORKERS=${WORKERS:-2} CONC=${CONC:-16}
HARNESS=$WORK/harness
rm -rf "$HARNESS" && mkdir -p "$WORK" && cp -r "${BENCH:-$ROOT/../shared/bench}" "$HARNESS"
chmod -R u+w "$HARNESS"
sed -i "s/user: postgres, password: ''/user: $PGUSER, password: '$PGPASSWORD'/" \
  "$HARNESS/peers/pygeoapi-config.yml.tmpl"
sed -i "s/user=postgres\"/user=$PGUSER password=$PGPASSWORD\"/" "$HARNESS/peers/mapserver.map.tmpl"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
