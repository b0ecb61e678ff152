#!/usr/bin/env bash
# Chaos: issue 14's scenarios again and again with random timing, against the real binary, for a bounded time.
#   Tests/chaos/run.sh [ABLATE]         CHAOS_SECONDS (default 120), CHAOS_SEED (default random; printed)
# Each round picks a scenario: kill -9 of a runner at a random moment, two or three runners at once (one of
# them killed), SIGINT/SIGTERM, garbage in the metrics, a full disk (when a tmpfs can be mounted), readers
# during writes. After every round: no trainer descendant outlives its runner by more than 2 s, a re-run
# finishes every cell, each curve has exactly the points its trainer wrote, and `PRAGMA integrity_check` is ok.
set -euo pipefail
ablate=${1:-$(cd "$(dirname "$0")/../.." && pwd)/.build/release/ablate}
seconds=${CHAOS_SECONDS:-120}
seed=${CHAOS_SEED:-$RANDOM}
RANDOM=$seed
echo "chaos: seed $seed (CHAOS_SEED=$seed replays the choices), ${seconds}s"
work=$(mktemp -d /tmp/ablate-chaos.XXXXXX)
mounted=""
cleanup() {
  jobs -p | xargs -r kill -9 2>/dev/null || true
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "chaos: FAIL (seed $seed, round $round, $scenario): $*" >&2
  # The round's directory (store, cell outputs) is kept for a post-mortem; a full disk's ballast is not.
  local kept="/tmp/ablate-chaos-failed-$seed-r$round"
  rm -rf "$kept"; cp -a "$dir" "$kept" 2>/dev/null && rm -f "$kept/disk/ballast" && echo "chaos: kept $kept" >&2
  exit 1
}

points=40
cat > "$work/train.sh" <<'SH'
#!/bin/sh
# Leaves a background child and a setsid'd one behind, logs $POINTS points and a final value, maybe garbage.
sleep 60 & echo $! >> "$CHAOS_PIDS"
setsid sleep 60 & echo $! >> "$CHAOS_PIDS"
i=1
while [ "$i" -le "$POINTS" ]; do echo "{\"step\": $i, \"loss\": 0.$i}" >> "$ABLATE_METRICS"; i=$((i + 1)); done
if [ -n "$GARBAGE" ]; then head -c 4000 /dev/urandom >> "$ABLATE_METRICS"; echo >> "$ABLATE_METRICS"; fi
sleep "$(awk -v s="$$" 'BEGIN { srand(s); printf "%.2f", rand() * 0.4 }')"
echo '{"final": 1}' >> "$ABLATE_METRICS"
SH
spec() { # $1: directory, $2: cells
  local seeds; seeds=$(seq -s, 1 "$2")
  printf 'name: chaos\ntrainer: {command: [sh, %s/train.sh]}\nbaseline: {x: 1}\nseeds: [%s]\n' "$work" "$seeds" > "$1/spec.yaml"
}
rnd() { echo "$(( RANDOM % ($2 - $1 + 1) + $1 ))"; }           # integer in [$1, $2]
pause() { sleep "$(awk -v r="$RANDOM" -v lo="$1" -v hi="$2" 'BEGIN { printf "%.2f", lo + (hi - lo) * r / 32767 }')"; }

running() { # pids (from the pid file) that still run (a zombie has ended)
  local p; for p in $(cat "$1" 2>/dev/null); do
    [ -r "/proc/$p/stat" ] && ! awk '{ exit !($3 == "Z" || $3 == "X") }' "/proc/$p/stat" 2>/dev/null && echo "$p"
  done; true
}
no_orphans() { # $1: pid file; waits up to 2 s for every recorded descendant to be gone
  local t=0; while [ -n "$(running "$1")" ]; do
    t=$((t + 1)); [ "$t" -gt 40 ] && fail "still running 2 s after their runner ended: $(running "$1")"
    sleep 0.05
  done
  worst_orphan_ms=$(( worst_orphan_ms > t * 50 ? worst_orphan_ms : t * 50 ))
}
check_store() { # $1: directory, $2: cells
  python3 - "$1/.ablate/ablate.db" "$2" "$points" <<'PY' || fail "store check failed"
import sqlite3, struct, sys
path, cells, points = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check"
rows = db.execute("SELECT id, status FROM cells").fetchall()
assert len(rows) == cells and all(s == "done" for _, s in rows), rows
for cell, _ in rows:
    counts = dict(db.execute("SELECT name, SUM(count) FROM curve_chunks WHERE cell_id = ? GROUP BY name", (cell,)))
    assert counts == {"loss": points, "final": 1}, (cell, counts)
    steps = b"".join(b for (b,) in db.execute(
        "SELECT points FROM curve_chunks WHERE cell_id = ? AND name = 'loss' ORDER BY seq", (cell,)))
    got = [struct.unpack_from("<q", steps, 24 * i)[0] for i in range(points)]
    assert got == list(range(1, points + 1)), (cell, got)
PY
}
settled_cells() { # $1: store; fails, printing them, when any cell was settled as failed, diverged or timed out
  python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
bad = db.execute("SELECT id, status, error_text FROM cells WHERE status IN ('failed', 'diverged', 'timed-out')")
bad = bad.fetchall()
sys.exit(repr(bad) if bad else 0)
PY
}
finish() { # $1: directory, $2: cells -- a plain re-run settles everything
  local out; out=$(cd "$1" && CHAOS_PIDS="$1/pids" POINTS=$points "$ablate" run spec.yaml --jobs 2 2>&1) \
    || fail "re-run exited $?: $out"
  no_orphans "$1/pids"
  check_store "$1" "$2"
}

can_mount=""
if [ "$(id -u)" = 0 ] && mkdir -p "$work/probe" && mount -t tmpfs -o size=1m tmpfs "$work/probe" 2>/dev/null; then
  umount "$work/probe"; can_mount=yes
fi
scenarios=(kill9 concurrent signal garbage readers)
if [ -n "$can_mount" ]; then scenarios+=(fulldisk); else echo "chaos: no tmpfs mount here; the full-disk scenario is skipped"; fi

start=$SECONDS
round=0
worst_orphan_ms=0
filled=0
declare -A ran
while [ $((SECONDS - start)) -lt "$seconds" ]; do
  round=$((round + 1))
  scenario=${scenarios[$((RANDOM % ${#scenarios[@]}))]}
  ran[$scenario]=$(( ${ran[$scenario]:-0} + 1 ))
  dir="$work/r$round"; mkdir -p "$dir"
  cells=$(rnd 3 8)
  spec "$dir" "$cells"
  env_common=(env CHAOS_PIDS="$dir/pids" POINTS=$points ABLATE_LEASE_SECONDS=5)
  case $scenario in
    kill9)
      (cd "$dir" && exec "${env_common[@]}" "$ablate" run spec.yaml --jobs "$(rnd 1 3)" >/dev/null 2>&1) & pid=$!
      pause 0.1 1.5; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
      no_orphans "$dir/pids"
      ;;
    concurrent)
      pids=()
      for _ in $(seq "$(rnd 2 3)"); do
        (cd "$dir" && exec "${env_common[@]}" "$ablate" run spec.yaml --jobs "$(rnd 1 2)" >/dev/null 2>&1) & pids+=($!)
        pause 0 0.3
      done
      pause 0.1 1.0; kill -9 "${pids[0]}" 2>/dev/null || true
      for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
      no_orphans "$dir/pids"
      ;;
    signal)
      sig=$([ $((RANDOM % 2)) = 0 ] && echo INT || echo TERM)
      (cd "$dir" && exec "${env_common[@]}" "$ablate" run spec.yaml --jobs 2 >/dev/null 2>&1) & pid=$!
      pause 0.2 1.2; kill -"$sig" "$pid" 2>/dev/null || true
      set +e; wait "$pid"; code=$?; set -e
      case $code in 0 | 130 | 143) ;; *) fail "SIG$sig: exit $code" ;; esac
      no_orphans "$dir/pids"
      ;;
    garbage)
      out=$(cd "$dir" && GARBAGE=1 "${env_common[@]}" "$ablate" run spec.yaml --jobs 2 2>&1) \
        || fail "garbage metrics: exit $?: $out"
      no_orphans "$dir/pids"
      ;;
    readers)
      (cd "$dir" && exec "${env_common[@]}" "$ablate" run spec.yaml --jobs 2 >/dev/null 2>&1) & pid=$!
      while kill -0 "$pid" 2>/dev/null; do
        if [ -e "$dir/.ablate/ablate.db" ]; then
          out=$(cd "$dir" && "$ablate" status spec.yaml 2>&1) || fail "status during a run: exit $?: $out"
        fi
        pause 0 0.1
      done
      wait "$pid" || fail "run beside readers: exit $?"
      ;;
    fulldisk)
      mkdir -p "$dir/disk"; mount -t tmpfs -o size=2m tmpfs "$dir/disk"; mounted="$dir/disk"
      spec "$dir/disk" "$cells"
      head -c "$(rnd 1700 2000)000" /dev/zero > "$dir/disk/ballast" 2>/dev/null || true
      set +e; out=$(cd "$dir/disk" && CHAOS_PIDS="$dir/pids" POINTS=$points "$ablate" run spec.yaml --jobs 2 2>&1); code=$?; set -e
      case $code in 0) ;; 3) filled=$((filled + 1)) ;; *) fail "full disk: exit $code: $out" ;; esac
      no_orphans "$dir/pids"
      if [ -e "$dir/disk/.ablate/ablate.db" ]; then
        settled=$(settled_cells "$dir/disk/.ablate/ablate.db" 2>&1) \
          || fail "a full disk settled a cell: $settled (run: exit $code: $out)"
      fi
      rm -f "$dir/disk/ballast"
      finish "$dir/disk" "$cells"
      umount "$dir/disk"; mounted=""
      rm -rf "$dir"
      continue
      ;;
  esac
  finish "$dir" "$cells"
  rm -rf "$dir"
done
summary=""; for s in "${!ran[@]}"; do summary+="$s ${ran[$s]}, "; done
echo "chaos: ok, $round rounds in $((SECONDS - start))s (${summary%, }; the disk filled in $filled);" \
  "slowest orphan clean-up seen: ${worst_orphan_ms} ms (50 ms polls)"
