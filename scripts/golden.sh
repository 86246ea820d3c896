#!/usr/bin/env bash
# Writes the golden outputs the restructuring must keep byte-identical: reports (JSON, CSV) for
# the bundled sample store and for a baseline + AI-references store, and a seeded collapse run.
# Usage: scripts/golden.sh OUTDIR   (needs ../shared for the reference texts; takes ~1 minute)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/golden.sh OUTDIR}"
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# From the TypeScript sources, so the check never reads a stale dist/.
cli() { node --import tsx tests/support/ccaudit-cli.ts "$@"; }

cli scan samples/ --db "$tmp/sample.db" --threads 0 >/dev/null
cli report --db "$tmp/sample.db" --format json --replicates 200 > "$out/sample-report.json"
cli report --db "$tmp/sample.db" --format csv --replicates 200 > "$out/sample-report.csv"

# Baseline + references: the sample store plus 80 real AI texts from DetectRL as references.
cp "$tmp/sample.db" "$tmp/baseline.db"
node -e '
const fs = require("fs");
const rows = fs.readFileSync("../shared/corpora/labeled/detectrl.jsonl", "utf8").split("\n").filter(Boolean).map(JSON.parse);
const ai = rows.filter((r) => r.label === "ai" && r.lang === "eng").slice(0, 80);
fs.writeFileSync(process.argv[1], ai.map((r) => JSON.stringify(r)).join("\n") + "\n");
' "$tmp/ai.jsonl"
cli references import "$tmp/ai.jsonl" --db "$tmp/baseline.db" --set detectrl-ai >/dev/null
common=(--db "$tmp/baseline.db" --date crawl --min-docs 5 --replicates 200 --min-baseline 10 --min-ai 10)
cli report "${common[@]}" --format json > "$out/baseline-report.json"
cli report "${common[@]}" --format csv > "$out/baseline-report.csv"

cli collapse --db "$tmp/sample.db" --min-docs 5 --seed 7 --runs 20 --bootstrap 50 --generations 8 --format json > "$out/collapse.json"

# Wall-clock fields, the temporary paths and the checkout's own path differ between runs and
# machines; everything else must not.
for f in "$out"/*; do
  sed -i -E -e "s#$tmp#<tmp>#g" -e "s#$PWD/#<repo>/#g" -e 's/"generatedAt": "[^"]*"/"generatedAt": "<time>"/' -e 's/"elapsedMs": [0-9.e+-]+/"elapsedMs": 0/' "$f"
done
