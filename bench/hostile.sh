#!/usr/bin/env bash
# Issue 11's speed benchmark (not a test, not run in CI). For growing sizes
# (x2 steps) it prints the time of `ingest` for a Subject of N RFC 2047
# encoded words and of `audit` for a DAT index followed by N blank lines,
# with the ratio to the step before (linear: <= 2.3), and the peak RSS of
# `ingest` for 256 MB / 512 MB / 1 GB PDFs against the file
# (bound: 1.2 x file + 100 MB).
#
#   cargo build --release && bench/hostile.sh            # full sizes
#   ADREC=target/debug/adrec STEPS=3 bench/hostile.sh    # quicker
#   PDF_SIZES="64 128" bench/hostile.sh                  # MB
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
ADREC=$(realpath "${ADREC:-$here/target/release/adrec}")
STEPS=${STEPS:-5}
PDF_SIZES=${PDF_SIZES:-"256 512 1024"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export USER=${USER:-bench}
unset ADREC_MATTER

# seconds and peak RSS (KiB) of a command
measure() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true; cat "$work/time" | tail -1; }
ratio() { if [ -n "$1" ]; then echo "scale=2; $2 / $1" | bc 2>/dev/null || echo "-"; else echo "-"; fi; }
fresh() { rm -rf "$work/m" "$work/in"; mkdir -p "$work/in"; "$ADREC" init "$work/m" --template generic >/dev/null; }

echo "ingest: Subject of N encoded words"
printf "%10s %8s %6s\n" words seconds ratio
n=50000; prev=""
for _ in $(seq "$STEPS"); do
  fresh
  python3 - "$n" "$work/in/m.eml" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
subject = "=?UTF-8?B?YQ==?= " * n
open(out, "w").write(f"From: a@example.gov\r\nTo: b@example.gov\r\nSubject: {subject}\r\nDate: Wed, 31 Jan 2024 22:30:00 -0500\r\n\r\nbody\r\n")
PY
  read -r secs _ < <(cd "$work/m" && measure "$ADREC" ingest "$work/in")
  printf "%10s %8s %6s\n" "$n" "$secs" "$(ratio "$prev" "$secs")"
  prev=$secs; n=$((n * 2))
done

echo
echo "audit: DAT index followed by N blank lines"
printf "%10s %8s %6s\n" lines seconds ratio
n=640000; prev=""
for _ in $(seq "$STEPS"); do
  rm -rf "$work/vol"; mkdir -p "$work/vol"
  python3 - "$n" "$work/vol/index.dat" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
with open(out, "wb") as f:
    f.write("þBEGBATESþ\x14þENDBATESþ\r\nþABC-000001þ\x14þABC-000001þ\r\n".encode("cp1252"))
    f.write(b"\r\n" * n)
PY
  read -r secs _ < <(measure "$ADREC" audit "$work/vol" --index "$work/vol/index.dat")
  printf "%10s %8s %6s\n" "$n" "$secs" "$(ratio "$prev" "$secs")"
  prev=$secs; n=$((n * 2))
done

echo
echo "ingest: peak RSS for one large PDF"
printf "%8s %8s %10s %10s %s\n" file_MB seconds peak_MB bound_MB within
for mb in $PDF_SIZES; do
  fresh
  python3 - "$mb" "$work/in/big.pdf" <<'PY'
import sys
mb, out = int(sys.argv[1]), sys.argv[2]
size = mb * 1024 * 1024
with open(out, "wb") as f:
    head = b"%PDF-1.4\n"
    offs = []
    def obj(n, body):
        offs.append(f.tell()); f.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    f.write(head)
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>")
    n = size - 400
    offs.append(f.tell()); f.write(f"4 0 obj\n<< /Length {n} >>\nstream\n".encode())
    chunk = b"% filler\n" * 100000
    left = n
    while left > 0:
        f.write(chunk[:left]); left -= min(left, len(chunk))
    f.write(b"\nendstream\nendobj\n")
    x = f.tell()
    f.write(f"xref\n0 5\n0000000000 65535 f \n".encode())
    for o in offs: f.write(f"{o:010d} 00000 n \n".encode())
    f.write(f"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n".encode())
PY
  read -r secs kib < <(cd "$work/m" && measure "$ADREC" ingest "$work/in")
  peak=$((kib / 1024)); bound=$(( (mb * 12 / 10) + 100 ))
  within=$([ "$peak" -le "$bound" ] && echo yes || echo NO)
  printf "%8s %8s %10s %10s %s\n" "$mb" "$secs" "$peak" "$bound" "$within"
done
