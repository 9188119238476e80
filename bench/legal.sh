#!/usr/bin/env bash
# Benchmark for the legal workflows (issue 16): on a matter of N documents
# (default 100,000) produced as 5 volumes, every tenth document withheld
# (spread over four privilege sets, five categories and five document types):
#   - `certify --all` to PDF, Markdown and CSV (aim: under 1 s each);
#   - `export privlog` itemized and categorical (aim: categorical under 1 s).
#   - an overlay volume of 100 clawed-back documents (`clawback` then
#     `produce --overlay`) against an ordinary 100-document volume on the same
#     matter (aim: within ± 20 %).
# Not a test: it prints times.
#
# Usage: bench/legal.sh   (N=100000; BENCH_WORK=bench/work/legal; ADREC_BIN to
# use another binary than a release build)
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
VOLUMES=5
WORK=${BENCH_WORK:-$PWD/bench/work/legal}

if [ -n "${ADREC_BIN:-}" ]; then
  BIN=$ADREC_BIN
else
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/adrec
fi

rm -rf "$WORK"
mkdir -p "$WORK"
echo "writing $N files and $VOLUMES review sheets in $WORK ..."
python3 - "$WORK" "$N" "$VOLUMES" <<'PY'
import os, sys
work, n, volumes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = n // volumes
types = ["Memorandum", "Email", "Draft", "Notes", "Letter"]
privileges = ["DP", "AC", "WP", "DP;AC"]
for i in range(n):
    d = os.path.join(work, "files", f"{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}.txt"), "w") as f:
        f.write(f"document {i}\n")
header = "docid,status,category,privilege,description,doc-date,doc-type,author,recipients\n"
for v in range(volumes):
    with open(os.path.join(work, f"vol{v + 1}.csv"), "w") as sheet:
        sheet.write(header)
        for i in range(v * per + 1, (v + 1) * per + 1):
            category = 1 + i % 5
            if i % 10 == 0:
                j = i // 10  # every combination of privilege, category and type
                sheet.write(
                    f"DOC-{i:06d},withhold,{1 + j % 5},{privileges[j % 4]},"
                    f"Pre-decisional analysis {j % 7},2019-{1 + j % 12:02d}-{1 + j % 28:02d},"
                    f"{types[(j // 20) % 5]},Policy Office,\"Doe, John; Office of the General Counsel\"\n"
                )
            else:
                sheet.write(f"DOC-{i:06d},produce,{category},,,,,,\n")
PY

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
M=$WORK/matter
"$BIN" init "$M" --template mpp-order >/dev/null
cat >> "$M/adrec.toml" <<'TOML'

[certification]
declarant = "Dana Ruiz"
title = "Deputy Chief of Staff"
agency = "U.S. Department of Homeland Security"
record_description = "the termination of the program"

[[person]]
name = "Office of the General Counsel"
role = "Agency counsel"
attorney = true
TOML
t0=$(now); (cd "$M" && "$BIN" ingest --custodian "Policy Office" ../files >/dev/null); t1=$(now)
echo "ingest of $N documents: $(secs "$t0" "$t1") s"
for v in $(seq 1 $VOLUMES); do
  (cd "$M" && "$BIN" tag --from "../vol$v.csv" >/dev/null)
  t0=$(now)
  (cd "$M" && "$BIN" produce "VOL00$v" --date 2024-0$v-01 >/dev/null)
  t1=$(now)
  echo "produce VOL00$v ($((N / VOLUMES)) documents): $(secs "$t0" "$t1") s"
done

time_cmd() { local a b; a=$(now); (cd "$M" && "$BIN" "$@" >/dev/null 2>&1); b=$(now); secs "$a" "$b"; }
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
run3() { median3 "$(time_cmd "$@")" "$(time_cmd "$@")" "$(time_cmd "$@")"; }

printf '%-52s %8s\n' "command (median of 3)" "seconds"
printf '%-52s %8s\n' "certify --all -o cert.pdf" "$(run3 certify --all -o "$WORK/cert.pdf")"
printf '%-52s %8s\n' "certify --all -o cert.md" "$(run3 certify --all -o "$WORK/cert.md")"
printf '%-52s %8s\n' "certify --all -o cert.csv" "$(run3 certify --all -o "$WORK/cert.csv")"
printf '%-52s %8s\n' "export privlog (itemized) -o log.csv" "$(run3 export privlog -o "$WORK/itemized.csv")"
printf '%s\n[privilege_log]\nprofile = "categorical"\nnames_legend = true\n' "$(cat "$M/adrec.toml")" > "$M/adrec.toml"
printf '%-52s %8s\n' "export privlog (categorical + legend) -o log.csv" "$(run3 export privlog -o "$WORK/categorical.csv")"
printf '%-52s %8s\n' "export privlog (categorical + legend) --format xlsx" "$(run3 export privlog --format xlsx -o "$WORK/categorical.xlsx")"
echo "itemized rows: $(($(wc -l < "$WORK/itemized.csv") - 1)); categorical rows: $(($(wc -l < "$WORK/categorical.csv") - 1))"

# Clawback: an ordinary 100-document volume, then an overlay replacing 100.
mkdir -p "$WORK/more"
for i in $(seq 1 100); do echo "later document $i" > "$WORK/more/later$i.txt"; done
(cd "$M" && "$BIN" ingest --custodian "Policy Office" ../more >/dev/null)
first_new=$((N + 1))
ids_new=$(python3 -c "print(' '.join(f'DOC-{i:06d}' for i in range($first_new, $first_new + 100)))")
# shellcheck disable=SC2086
(cd "$M" && "$BIN" tag $ids_new --status produce --category 1 >/dev/null)
t0=$(now); (cd "$M" && "$BIN" produce VOL006 --date 2024-07-01 >/dev/null); t1=$(now)
ordinary=$(secs "$t0" "$t1")
# 100 produced documents of VOL001 (not the withheld tenth ones).
recall=$(python3 -c "print(' '.join([f'DOC-{i:06d}' for i in range(1, 200) if i % 10][:100]))")
# shellcheck disable=SC2086
(cd "$M" && "$BIN" clawback $recall --privilege DP --description "Pre-decisional draft" --date 2024-07-02 >/dev/null)
{
  echo "docid,doc-date,doc-type,author,recipients"
  for id in $recall; do echo "$id,2019-03-01,Draft,Policy Office,Office of the General Counsel"; done
} > "$WORK/recall.csv"
(cd "$M" && "$BIN" tag --from ../recall.csv >/dev/null)
t0=$(now); (cd "$M" && "$BIN" produce OVL001 --overlay --date 2024-07-03 >/dev/null); t1=$(now)
overlay=$(secs "$t0" "$t1")
printf '%-52s %8s\n' "produce VOL006 (100 documents)" "$ordinary"
printf '%-52s %8s\n' "produce OVL001 --overlay (100 replacements)" "$overlay"
echo "overlay / ordinary: $(awk -v a="$overlay" -v b="$ordinary" 'BEGIN { printf "%.2f", a / b }')"
