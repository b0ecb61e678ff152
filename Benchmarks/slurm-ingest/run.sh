#!/usr/bin/env bash
# Collecting TASKS Slurm results at once (issue 15): one array of TASKS cells, each logging POINTS points, runs
# to the end; then, REPEATS times from the same copy of the store, the `ablate run` that ingests every result
# file is timed: wall seconds, peak RSS, and the longest time another process waited for the store's write lock
# meanwhile (a probe takes BEGIN IMMEDIATE in a loop, as in Benchmarks/store-points). Needs a cluster whose
# nodes share /tmp with this machine: the one-node test cluster, SLURM_CONF set, e.g.
#   eval "$(SLURM_CI_CPUS=16 bash ../shared/slurm/start-slurm.sh)"
#   Benchmarks/slurm-ingest/run.sh [TASKS] [POINTS] [REPEATS] [ABLATE]
set -euo pipefail
bench=$(cd "$(dirname "$0")/.." && pwd)
tasks=${1:-1000}
points=${2:-100}
repeats=${3:-3}
ablate=${4:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release/ablate}
[ -n "${SLURM_CONF:-}" ] || { echo "slurm-ingest: SLURM_CONF is not set; start a cluster first" >&2; exit 2; }
dir=$(mktemp -d /tmp/ablate-slurm-ingest.XXXXXX)
probe=""
job=""
trap '[ -n "$probe" ] && kill "$probe" 2>/dev/null; [ -n "$job" ] && scancel --name="$job" 2>/dev/null; rm -rf "$dir"' EXIT
cd "$dir"
cat > train.sh <<'SH'
#!/bin/sh
awk -v n="$POINTS" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"step\": %d, \"loss\": %.17g}\n", i, 1 / i }' >> "$ABLATE_METRICS"
echo '{"final": 1}' >> "$ABLATE_METRICS"
SH
printf 'name: ingest\ntrainer: {command: [sh, %s/train.sh]}\nbaseline: {x: 1}\nseeds: [%s]\nrun: {executor: slurm}\n' \
  "$dir" "$(seq -s, 1 "$tasks")" > spec.yaml

# Submit (POINTS travels in the job's environment), then wait for the array to leave the queue.
submitted=$(date +%s.%N)
POINTS=$points "$ablate" run spec.yaml > submit.txt
submit_seconds=$(python3 -c "import time; print(f'{time.time() - $submitted:.2f}')")
job=$(grep -o 'job name [^ )]*' submit.txt | head -1 | cut -d' ' -f3)
[ -n "$job" ] || { cat submit.txt >&2; echo "slurm-ingest: no job name in the submit's output" >&2; exit 1; }
while [ -n "$(squeue -h --name="$job" -o %i 2>/dev/null | head -1)" ]; do sleep 2; done
array_seconds=$(python3 -c "import time; print(f'{time.time() - $submitted:.0f}')")
job=""
results=$(find .ablate/cells -name result.json | wc -l)
[ "$results" = "$tasks" ] || { echo "slurm-ingest: $results result files, not $tasks" >&2; exit 1; }
python3 - .ablate/ablate.db store.copy <<'PY'
import sqlite3, sys
src = sqlite3.connect(sys.argv[1]); dst = sqlite3.connect(sys.argv[2])
src.backup(dst); dst.execute("PRAGMA journal_mode = WAL"); dst.close()
PY
echo "tasks=$tasks points_per_task=$points submit_seconds=$submit_seconds array_seconds=$array_seconds"

for run in $(seq "$repeats"); do
  rm -f .ablate/ablate.db .ablate/ablate.db-wal .ablate/ablate.db-shm
  cp store.copy .ablate/ablate.db
  python3 "$bench/lock-probe.py" .ablate/ablate.db > probe.txt &
  probe=$!
  sleep 0.5
  /usr/bin/time -f "%e %M" -o time.txt "$ablate" run spec.yaml > collect.txt
  kill -TERM "$probe"; wait "$probe" || true; probe=""
  read -r seconds rss_kb < time.txt
  stored=$(python3 -c "
import sqlite3; db = sqlite3.connect('.ablate/ablate.db')
done = db.execute(\"SELECT COUNT(*) FROM cells WHERE status = 'done'\").fetchone()[0]
points = db.execute(\"SELECT COALESCE(SUM(count), 0) FROM curve_chunks WHERE name = 'loss'\").fetchone()[0]
print(done, points)")
  read -r done stored_points <<< "$stored"
  [ "$done" = "$tasks" ] && [ "$stored_points" = $((tasks * points)) ] \
    || { cat collect.txt >&2; echo "slurm-ingest: $done cells done, $stored_points points" >&2; exit 1; }
  echo "run=$run collect_seconds=$seconds collect_peak_rss_mb=$((rss_kb / 1024)) longest_lock_wait_ms=$(cat probe.txt) $(head -1 collect.txt)"
done
