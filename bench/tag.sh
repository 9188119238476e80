#!/usr/bin/env bash
# Benchmark for `adrec tag --from` (issue #4): a 100,000-document matter
# (tiny text files), tagged from 10,000- and 100,000-row sheets, as CSV and as
# XLSX (written by openpyxl). Every run starts from the same freshly ingested,
# unreviewed matter (a copy), and every row changes status, category,
# description and adds a note: 4 history rows + a category set per document.
#
# Prints the time of each run and the 100k/10k ratio. The target: the ratio
# stays under 12 (the cost grows linearly) and 100,000 rows apply in seconds.
#
# Usage: bench/tag.sh            (N=100000 documents; BENCH_WORK=bench/work/tag)
# Needs: python3 with openpyxl (pip install openpyxl).
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
SMALL=$((N / 10))
WORK=${BENCH_WORK:-$PWD/bench/work/tag}

cargo build --release --quiet
BIN=$PWD/target/release/adrec

rm -rf "$WORK"
mkdir -p "$WORK"
echo "writing $N files and the sheets in $WORK ..."
python3 - "$WORK" "$N" "$SMALL" <<'PY'
import csv, os, sys
import openpyxl

work, n, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = os.path.join(work, "files")
for i in range(n):
    d = os.path.join(files, f"{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.txt"), "w") as f:
        f.write(f"document {i}\n")

header = ["docid", "status", "category", "description", "note"]
def rows(count, label):
    for i in range(1, count + 1):
        yield [f"DOC-{i:06d}", "produce", "1", f"{label} row {i}", f"bench {label}"]

for count in (small, n):
    with open(os.path.join(work, f"sheet_{count}.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows(count, "csv"))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Tags")
    ws.append(header)
    for r in rows(count, "xlsx"):
        ws.append(r)
    wb.save(os.path.join(work, f"sheet_{count}.xlsx"))
PY

"$BIN" init "$WORK/matter" --template mpp-order >/dev/null
start=$(date +%s.%N)
(cd "$WORK/matter" && "$BIN" ingest ../files >/dev/null 2>&1)
end=$(date +%s.%N)
printf 'ingest of %d files: %.2f s\n' "$N" "$(echo "$end - $start" | bc)"
cp -a "$WORK/matter" "$WORK/pristine"

declare -A SECONDS_FOR
for fmt in csv xlsx; do
  for count in "$SMALL" "$N"; do
    rm -rf "$WORK/matter"
    cp -a "$WORK/pristine" "$WORK/matter"
    sync
    start=$(date +%s.%N)
    (cd "$WORK/matter" && "$BIN" tag --from "../sheet_${count}.${fmt}" --reviewer bench >/dev/null)
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    SECONDS_FOR["$fmt-$count"]=$t
    printf 'tag --from %-6s %7d rows: %6.2f s\n' "$fmt" "$count" "$t"
  done
done

echo
for fmt in csv xlsx; do
  small=${SECONDS_FOR["$fmt-$SMALL"]}
  big=${SECONDS_FOR["$fmt-$N"]}
  printf '%-4s %d rows / %d rows: %.1fx (target: at most 12x)\n' "$fmt" "$N" "$SMALL" "$(echo "$big / $small" | bc -l)"
done
