#!/usr/bin/env bash
# Benchmark (not a timed test): `adrec audit` over a production of at least
# 2 GiB and 20,000 files, against `openssl dgst -sha256` run as two parallel
# processes over two halves (of equal bytes) of the same files: this
# machine's two-core SHA-256 limit. Prints both times and the ratio.
#
#   bench/audit.sh [--with-md5] [make_production.py options]
#   bench/audit.sh --tiff [make_tiff_production.py options]
#   ROUNDS=5 bench/audit.sh
#   bench/audit.sh --natives [N]
#
# With --natives the volume is that of the scale benchmark (issue 19): N small
# natives (default 100,000), each with a slip sheet and a text file, produced
# by `NATIVES=N bench/produce.sh`, whose last line is the audit's time and
# peak memory (target: at most 300 MB at 100,000).
#
# With --tiff the production is a TIFF one (10,000 documents, 50,000
# single-page Group IV TIFFs with a DAT, an OPT and an IPRO LFP; Pillow
# needed), held to the same 1.2 x target; it must have 50,000 files.
#
# Both are timed hot (the files are read once before the first round), in
# alternating rounds; the medians are compared. The production is written to
# a temporary folder ($TMPDIR) and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--natives" ]; then
  export NATIVES=${2:-100000}
  exec bash bench/natives.sh "${TMPDIR:-/tmp}/adrec-bench-natives"
fi
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/adrec-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/adrec

echo "== writing the production to $WORK"
TIFF=0
if [ "${1:-}" = "--tiff" ]; then
  TIFF=1
  shift
  python3 bench/make_tiff_production.py "$WORK" "$@"
else
  python3 bench/make_production.py "$WORK" "$@"
fi
VOL="$WORK/VOL001"
FILES=$(find "$VOL" -type f | wc -l)
BYTES=$(find "$VOL" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
echo "   $FILES files, $(awk -v b="$BYTES" 'BEGIN { printf "%.2f GiB", b / 1073741824 }')"
if [ "$TIFF" = 1 ]; then
  if [ "$FILES" -lt 50000 ]; then
    echo "error: the TIFF production has fewer than 50,000 files" >&2
    exit 2
  fi
elif [ "$FILES" -lt 20000 ] || awk -v b="$BYTES" 'BEGIN { exit !(b < 2147483648) }'; then
  echo "error: the production is smaller than 2 GiB / 20,000 files" >&2
  exit 2
fi

# Two halves of equal bytes: largest first, each file to the lighter half.
find "$VOL" -type f -printf '%s\t%p\n' | sort -rn |
  awk -F'\t' -v a="$WORK/half1" -v b="$WORK/half2" \
    '{ if (sa <= sb) { print $2 > a; sa += $1 } else { print $2 > b; sb += $1 } }'

echo "== warming the page cache"
find "$VOL" -type f -print0 | xargs -0 cat > /dev/null

now() { date +%s.%N; }
reference() {
  tr '\n' '\0' < "$WORK/half1" | xargs -0 openssl dgst -sha256 > /dev/null &
  tr '\n' '\0' < "$WORK/half2" | xargs -0 openssl dgst -sha256 > /dev/null &
  wait
}

REFS=()
AUDITS=()
for round in $(seq 1 "$ROUNDS"); do
  t0=$(now); reference; t1=$(now)
  code=0
  t2=$(now); "$BIN" audit "$VOL" > "$WORK/audit.out" 2>&1 || code=$?; t3=$(now)
  ref=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  aud=$(awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.3f", b - a }')
  REFS+=("$ref")
  AUDITS+=("$aud")
  echo "   round $round: openssl x2 ${ref} s, adrec audit ${aud} s (exit $code)"
  if [ "$code" -ne 0 ]; then
    echo "error: the audit did not come out clean:" >&2
    tail -30 "$WORK/audit.out" >&2
    exit 1
  fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
REF=$(median "${REFS[@]}")
AUD=$(median "${AUDITS[@]}")
echo "== adrec's own summary"
tail -1 "$WORK/audit.out"
echo "== result (medians of $ROUNDS rounds)"
echo "reference: openssl dgst -sha256, 2 processes: ${REF} s"
echo "adrec audit:                             ${AUD} s"
awk -v a="$AUD" -v r="$REF" 'BEGIN { printf "ratio: %.2f (target <= 1.20)\n", a / r }'
