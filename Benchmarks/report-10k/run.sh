#!/bin/sh
# Benchmark: `ablate report` on a store holding 10,000 done cells (issue 6's target: under 1 s).
# Fills a store in a temporary directory with a 100 x 100 grid of a one-line shell trainer (two metrics and a
# three-point curve per cell), then times the report ROUNDS times.
# Usage: Benchmarks/report-10k/run.sh [ABLATE=.build/release/ablate] [ROUNDS=5]
set -eu
ablate=$(cd "$(dirname "${1:-.build/release/ablate}")" && pwd)/$(basename "${1:-.build/release/ablate}")
rounds=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
cat > train.sh <<'SH'
#!/bin/sh
a=$(sed 's/.*"a":\([0-9]*\).*/\1/' "$ABLATE_CONFIG")
printf '{"step": 1, "loss": 3}\n{"step": 2, "loss": 2}\n{"step": 3, "loss": 1, "acc": %s}\n' "$a" >> "$ABLATE_METRICS"
SH
{
  echo "name: big"
  echo "trainer: {command: [sh, train.sh]}"
  echo "baseline: {a: 0, b: 0}"
  printf 'grid: {a: [%s], b: [%s]}\n' "$(seq -s, 0 99)" "$(seq -s, 0 99)"
  echo "seeds: [1]"
  echo "report: {columns: [{metric: acc}, {metric: loss}]}"
} > big.yaml
start=$(date +%s)
"$ablate" run big.yaml --jobs 2 > /dev/null
echo "filled 10,000 cells in $(( $(date +%s) - start )) s"
for i in $(seq "$rounds"); do
  /usr/bin/time -f "report round $i: %e s wall, %M KB peak" "$ablate" report big.yaml > report.md
done
echo "rows in the report: $(grep -c '^| ' report.md)"
