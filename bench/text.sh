#!/usr/bin/env bash
# Issue 14 benchmark (not a timed test), in one run:
#  1. adrec's text extraction against pdftotext on the same 2,400 pages, one
#     process on one core each (the bar is at most 0.5);
#  2. the whole produce of those files with TEXT/ and the covered-text check
#     against the produce without them (a build with --features
#     bench-no-text), both cores (the bar is at most 1.3). Ingest extracts
#     each PDF's text once into the matter's text cache, so produce reads it;
#     the cold figure (cache emptied first) is printed too.
# Usage: bench/text.sh [WORKDIR]   (needs reportlab, pymupdf, gs, pdftotext)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
corpus="$work/corpus"
[ -d "$corpus" ] || python3 bench/make_text_corpus.py "$corpus"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
target=${CARGO_TARGET_DIR:-$PWD/target}
cargo build --release --quiet --features bench-no-text
cp "$target/release/adrec" "$work/adrec-no-text"
cargo build --release --quiet --bin adrec --example pdftext
adrec=$target/release/adrec
bin=$target/release/examples/pdftext
files=("$corpus"/*.pdf)
pages=$(for f in "${files[@]}"; do pdfinfo "$f" | awk '/^Pages:/{print $2}'; done | paste -sd+ | bc)
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
ours=$(t taskset -c 0 "$bin" "${files[@]}")
theirs=$(t taskset -c 0 sh -c 'for f; do pdftotext -layout "$f" - ; done' sh "${files[@]}")
echo "pages: $pages in ${#files[@]} files"
echo "adrec text: ${ours}s   pdftotext -layout: ${theirs}s   ratio: $(echo "scale=3; $ours / $theirs" | bc)   (bar <= 0.5)"

matter() { # $1 = binary, $2 = matter folder: ingested and tagged, not produced
  rm -rf "$2"
  "$1" init "$2" >/dev/null
  "$1" --matter "$2" ingest "$corpus" >/dev/null
  local ids
  ids=$("$1" --matter "$2" docs --format csv | tail -n +2 | cut -d, -f1)
  # shellcheck disable=SC2086
  "$1" --matter "$2" tag $ids --status produce --category 1 >/dev/null
}
produce() { # $1 = binary, $2 = matter, $3 = "cold" to empty the text cache first; best of 3
  local best=""
  for _ in 1 2 3; do
    rm -rf "$2.run" && cp -a "$2" "$2.run"
    [ "${3:-}" = cold ] && rm -rf "$2.run/.adrec/text"
    local s
    s=$(t "$1" --matter "$2.run" produce VOL001 --date 2024-04-19)
    best=$(python3 -c "print(min(x for x in [$s, ${best:-1e9}]))")
  done
  echo "$best"
}
matter "$work/adrec-no-text" "$work/matter-no-text"
matter "$adrec" "$work/matter-text"
without=$(produce "$work/adrec-no-text" "$work/matter-no-text")
with=$(produce "$adrec" "$work/matter-text")
cold=$(produce "$adrec" "$work/matter-text" cold)
echo "produce without TEXT: ${without}s   with TEXT and covered check: ${with}s   ratio: $(echo "scale=3; $with / $without" | bc)   (bar <= 1.3)"
echo "   with the text cache emptied first (text extracted during produce): ${cold}s   ratio: $(echo "scale=3; $cold / $without" | bc)"
