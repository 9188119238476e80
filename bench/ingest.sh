#!/usr/bin/env bash
# Ingest benchmark: adrec against reference commands over the same files, in
# the same run, printing the ratios (issue 3). Not a test: nothing asserts.
#
#   bench/ingest.sh [WORKDIR]     (default bench/work; needs ~4 GiB free)
#
# Env: LARGE_FILES (default 6) x LARGE_MB (default 512); SMALL_FILES (default 100000).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-bench/work}
large_n=${LARGE_FILES:-6}
large_mb=${LARGE_MB:-512}
small_n=${SMALL_FILES:-100000}
mkdir -p "$work"
work=$(cd "$work" && pwd)

cargo build --release --quiet
adrec=$PWD/target/release/adrec

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
timed() { local s; s=$(now); "$@" >/dev/null 2>&1 || true; secs "$s" "$(now)"; }

echo "== corpus in $work"
if [ ! -d "$work/large" ]; then
  mkdir -p "$work/large"
  for i in $(seq 1 "$large_n"); do
    head -c "$((large_mb * 1024 * 1024))" /dev/urandom >"$work/large/big-$i.bin"
  done
fi
if [ ! -d "$work/small" ]; then
  python3 - "$work/small" "$small_n" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"d{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.txt"), "wb") as f:
        f.write((f"document {i}\n" * 300).encode()[:4096])
PY
fi
mapfile -t large < <(find "$work/large" -type f | sort)
half=$(( ${#large[@]} / 2 ))
first=("${large[@]:0:$half}")
second=("${large[@]:$half}")
cat "${large[@]}" >/dev/null   # warm the page cache for every contender

matter() { rm -rf "$work/matter-$1"; "$adrec" init "$work/matter-$1" >/dev/null; echo "$work/matter-$1"; }

echo "== large files: ${#large[@]} x ${large_mb} MiB"
t_md5=$(timed sh -c "openssl dgst -md5 ${first[*]} & openssl dgst -md5 ${second[*]} & wait")
t_sha256sum=$(timed sha256sum "${large[@]}")
m=$(matter large)
t_adrec_large=$(timed "$adrec" --matter "$m" ingest "$work/large")
echo "openssl dgst -md5, 2 processes : ${t_md5} s"
echo "sha256sum (1 process)          : ${t_sha256sum} s"
echo "adrec ingest (SHA-256 + MD5)   : ${t_adrec_large} s"
echo "ratio adrec / openssl-md5 x2   : $(ratio "$t_adrec_large" "$t_md5")   (target <= 1.4)"
echo "ratio sha256sum / adrec        : $(ratio "$t_sha256sum" "$t_adrec_large")   (target >= 2)"

t_re=$(timed "$adrec" --matter "$m" ingest "$work/large")
echo "re-ingest unchanged            : ${t_re} s; first/re-ingest = $(ratio "$t_adrec_large" "$t_re")   (target >= 50)"

echo "== small files: $small_n x 4 KiB"
find "$work/small" -type f -print0 | xargs -0 cat >/dev/null
t_find=$(timed sh -c "find '$work/small' -type f -print0 | xargs -0 sha256sum")
m=$(matter small)
t_adrec_small=$(timed "$adrec" --matter "$m" ingest "$work/small")
echo "find | xargs sha256sum         : ${t_find} s"
echo "adrec ingest                   : ${t_adrec_small} s"
echo "ratio adrec / find+sha256sum   : $(ratio "$t_adrec_small" "$t_find")   (target <= 1.5)"
t_re=$(timed "$adrec" --matter "$m" ingest "$work/small")
echo "re-ingest unchanged            : ${t_re} s; first/re-ingest = $(ratio "$t_adrec_small" "$t_re")   (target >= 50)"

echo "== docs --format csv on a 200,000-document matter"
if [ ! -d "$work/small2" ]; then
  cp -r "$work/small" "$work/small2"
  find "$work/small2" -type f -exec sh -c 'for f; do printf "copy\n" >>"$f"; done' _ {} +
fi
"$adrec" --matter "$m" ingest "$work/small2" >/dev/null 2>&1 || true
count=$("$adrec" --matter "$m" docs --format csv | tail -n +2 | wc -l)
t_docs=$(timed "$adrec" --matter "$m" docs --format csv)
echo "docs --format csv ($count documents): ${t_docs} s   (target: a few seconds)"
