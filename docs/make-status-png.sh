#!/usr/bin/env bash
# Renders docs/status.png from the real status page of a half-reviewed copy
# of the sample record, with deadlines 12 and 40 days out. Needs chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
adrec=$PWD/target/debug/adrec
tmp=$(mktemp -d)
"$adrec" init "$tmp/m" --template mpp-order >/dev/null
d1=$(date -d '+12 days' +%F); d2=$(date -d '+40 days' +%F)
python3 - "$tmp/m/adrec.toml" "$d1" "$d2" <<'PY'
import re, sys
path, d1, d2 = sys.argv[1:]
text = open(path).read()
text = text[: text.index("[[deadline]]")]
text += f'[[deadline]]\nname = "Complete the certified administrative record"\ndate = "{d1}"\n\n'
text += f'[[deadline]]\nname = "Serve the privilege log"\ndate = "{d2}"\n'
open(path, "w").write(text)
PY
"$adrec" --matter "$tmp/m" ingest sample-record/documents >/dev/null || true
head -n 23 sample-record/tags.csv >"$tmp/first-half.csv"
mkdir -p "$tmp/redacted" && cp sample-record/redacted/* "$tmp/redacted/"
"$adrec" --matter "$tmp/m" tag --from "$tmp/first-half.csv" >/dev/null
"$adrec" --matter "$tmp/m" status --html "$tmp/status.html"
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$tmp/profile" --window-size=820,1400 --hide-scrollbars \
  --screenshot="$PWD/docs/status.png" "file://$tmp/status.html" 2>/dev/null
rm -rf "$tmp"
echo "wrote docs/status.png"
