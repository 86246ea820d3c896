#!/usr/bin/env bash
# Submits a sharded scan: an array of N scan tasks and a merge job that starts when all of them
# succeeded (--dependency=afterok). Prints the two job ids.
#
#   deploy/slurm/submit.sh -n 16 -o /shared/audit [-p partition] [-a "--detector classifier"] INPUT...
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shards='' out='' extra='' sbatch_args=()
while getopts 'n:o:a:p:' opt; do
  case $opt in
    n) shards=$OPTARG ;;
    o) out=$OPTARG ;;
    a) extra=$OPTARG ;;
    p) sbatch_args+=(--partition "$OPTARG") ;;
    *) echo "usage: $0 -n SHARDS -o OUTDIR [-p PARTITION] [-a SCAN-FLAGS] INPUT..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "submit: -n SHARDS must be a positive integer" >&2; exit 2; }
[ -n "$out" ] || { echo "submit: -o OUTDIR is required" >&2; exit 2; }
[ $# -gt 0 ] || { echo "submit: name the WARC files or directories to scan" >&2; exit 2; }
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)
inputs=()
for p in "$@"; do inputs+=("$(realpath -m "$p")"); done
export CCAUDIT_REPO="$repo" CCAUDIT_OUT="$out" CCAUDIT_INPUTS="${inputs[*]}" CCAUDIT_SCAN_ARGS="$extra"
scan=$(sbatch --parsable "${sbatch_args[@]}" --array="0-$((shards - 1))" --export=ALL \
  --output="$out/logs/scan-%A_%a.log" "$here/scan-array.sbatch")
scan=${scan%%;*}
merge=$(sbatch --parsable "${sbatch_args[@]}" --dependency="afterok:$scan" --kill-on-invalid-dep=yes --export=ALL \
  --output="$out/logs/merge-%j.log" "$here/merge.sbatch")
echo "$scan ${merge%%;*}"
