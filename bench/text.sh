#!/usr/bin/env bash
# Issue 14 benchmark (not a timed test): adrec's text extraction against
# pdftotext on the same 2,400 pages, one process on one core each, in the
# same run. Prints both times and the ratio (the bar is at most 0.5).
# Usage: bench/text.sh [WORKDIR]   (needs reportlab, pymupdf, gs, pdftotext)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-$(mktemp -d)}
corpus="$work/corpus"
[ -d "$corpus" ] || python3 bench/make_text_corpus.py "$corpus"
CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release --example pdftext >/dev/null
bin=target/release/examples/pdftext
files=("$corpus"/*.pdf)
pages=$(for f in "${files[@]}"; do pdfinfo "$f" | awk '/^Pages:/{print $2}'; done | paste -sd+ | bc)
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
ours=$(t taskset -c 0 "$bin" "${files[@]}")
theirs=$(t taskset -c 0 sh -c 'for f; do pdftotext -layout "$f" - ; done' sh "${files[@]}")
echo "pages: $pages in ${#files[@]} files"
echo "adrec text: ${ours}s   pdftotext -layout: ${theirs}s   ratio: $(echo "scale=3; $ours / $theirs" | bc)"
