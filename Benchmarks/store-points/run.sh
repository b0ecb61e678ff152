#!/usr/bin/env bash
# The store under a trainer that logs N metric points (default 1,000,000) as fast as it can write them:
# store bytes a point, the runner's peak RSS, and the longest time another process waited for the write lock
# while the cell ran (a probe takes BEGIN IMMEDIATE in a loop, so its longest wait bounds the longest hold).
# Any ablate binary works (a v1 store's one-row-a-point table is counted too), to compare builds.
#   Benchmarks/store-points/run.sh [POINTS] [ABLATE]
set -euo pipefail
bench=$(cd "$(dirname "$0")/.." && pwd)
points=${1:-1000000}
ablate=${2:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release/ablate}
dir=$(mktemp -d /tmp/ablate-store-points.XXXXXX)
trap 'kill "$probe" 2>/dev/null || true; rm -rf "$dir"' EXIT
cd "$dir"
cat > train.sh <<'SH'
#!/bin/sh
awk -v n="$POINTS" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"step\": %d, \"loss\": %.17g}\n", i, 1 / i }' >> "$ABLATE_METRICS"
SH
printf 'name: points\ntrainer: {command: [sh, train.sh]}\nbaseline: {x: 1}\nseeds: [1]\n' > spec.yaml
# An empty store first, so the probe has a file to open.
"$ablate" run spec.yaml --set 'seeds=[0]' >/dev/null 2>&1 || true
python3 "$bench/lock-probe.py" .ablate/ablate.db > probe.txt &
probe=$!
sleep 0.5
/usr/bin/time -f "%e %M" -o time.txt env POINTS="$points" "$ablate" run spec.yaml >/dev/null
kill -TERM "$probe"; wait "$probe" || true
python3 - .ablate/ablate.db <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
bytes=$(stat -c %s .ablate/ablate.db)
read -r seconds rss_kb < time.txt
stored=$(python3 -c "
import sqlite3; db = sqlite3.connect('.ablate/ablate.db')
tables = {r[0] for r in db.execute(\"SELECT name FROM sqlite_master WHERE type = 'table'\")}
sql = 'SELECT COALESCE(SUM(count), 0) FROM curve_chunks' if 'curve_chunks' in tables else 'SELECT COUNT(*) FROM metric_points'
print(db.execute(sql).fetchone()[0])")
echo "points=$points stored=$stored store_bytes=$bytes bytes_per_point=$(python3 -c "print(f'{$bytes / $points:.1f}')") run_seconds=$seconds runner_peak_rss_mb=$((rss_kb / 1024)) longest_lock_wait_ms=$(cat probe.txt)"
