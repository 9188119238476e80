#!/usr/bin/env bash
# Benchmark for e-mail families (issue 13): 2,000 messages written by
# Python's email package carrying 3,000 attachments (the sample record's PDF
# memo, DOCX, XLSX and a PNG), half with plain bodies, half HTML-only.
#   - ingest (hash, type, read every message and attachment) against
#     `sha256sum` over the same files, in the same run: aim, adrec's rate at
#     least 0.5 x sha256sum's;
#   - produce (render every e-mail, stamp, write, with its attachments)
#     against headless Chromium printing the same messages' HTML to PDF one by
#     one, the way other tools render e-mail: 50 timed and scaled; aim,
#     adrec at least 50 x faster per message.
# Not a test: it prints times and ratios.
#
# Usage: bench/emails.sh   (M=2000 messages; BENCH_WORK=bench/work/emails;
# ADREC_BIN to use another binary than a release build)
set -euo pipefail
cd "$(dirname "$0")/.."

M=${M:-2000}
WORK=${BENCH_WORK:-$PWD/bench/work/emails}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}

if [ -n "${ADREC_BIN:-}" ]; then
  BIN=$ADREC_BIN
else
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/adrec
fi

rm -rf "$WORK"
mkdir -p "$WORK/mail" "$WORK/html"
echo "writing $M messages (and their HTML for Chromium) in $WORK ..."
python3 - "$WORK" "$M" <<'PY'
import email.policy, html, os, sys
from email.message import EmailMessage
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

work, m = sys.argv[1], int(sys.argv[2])
docs = "sample-record/documents/policy-office"
files = {
    "memo.pdf": (open(f"{docs}/2019-03-12-draft-expansion-options-memo.pdf", "rb").read(), "application", "pdf"),
    "faq.docx": (open(f"{docs}/2019-05-10-mpp-field-reference-faq.docx", "rb").read(), "application",
                 "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "checklist.xlsx": (open(f"{docs}/2019-11-15-mpp-processing-checklist.xlsx", "rb").read(), "application",
                       "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "chart.png": (bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"), "image", "png"),
}
names = list(files)
zone = timezone(timedelta(hours=-5))
paragraph = ("The field offices report the week's MPP processing figures below; the policy office asks for "
             "comments on the draft guidance by Friday, and counsel will review the revised muster. ")
total = 0
for i in range(m):
    msg = EmailMessage()
    msg["From"] = f"Sender {i % 37} <sender{i % 37}@example.gov>"
    msg["To"] = f"Field Leads <field{i % 11}@example.gov>, Policy Office <policy@example.gov>"
    msg["Cc"] = "Counsel <ogc@example.gov>"
    msg["Subject"] = f"MPP weekly update {i}"
    msg["Date"] = format_datetime(datetime(2019, 1, 1, 9, 0, tzinfo=zone) + timedelta(hours=i))
    msg["Message-ID"] = f"<{i}@bench.example.gov>"
    body = (paragraph * (1 + i % 6)).strip()
    if i % 2:
        msg.set_content(f"<html><body><h1>Update {i}</h1><p>{html.escape(body)}</p>"
                        f"<ul><li>Returns</li><li>Hearings</li></ul></body></html>", subtype="html")
    else:
        msg.set_content(f"Team,\n\n{body}\n\nRegards\n")
    count = 2 if i % 2 == 0 else 1  # 1,000 x 2 + 1,000 x 1 = 3,000
    attached = []
    for k in range(count):
        name = names[(i + k) % len(names)]
        data, main, sub = files[name]
        msg.add_attachment(data, maintype=main, subtype=sub, filename=f"{i}-{name}")
        attached.append(f"{i}-{name}")
        total += 1
    with open(os.path.join(work, "mail", f"{i:05d}.eml"), "wb") as f:
        f.write(msg.as_bytes(policy=email.policy.SMTP))
    # The same message as a browser would be given it by another tool.
    head = "".join(f"<tr><th>{k}</th><td>{html.escape(str(msg[k]))}</td></tr>" for k in ("From", "Date", "To", "Cc", "Subject"))
    head += f"<tr><th>Attachments</th><td>{html.escape('; '.join(attached))}</td></tr>"
    page = (f"<!doctype html><html><head><meta charset='utf-8'><style>body{{font-family:sans-serif;font-size:10pt}}"
            f"th{{text-align:left;padding-right:1em}}</style></head><body><table>{head}</table><hr>"
            f"<p>{html.escape(body)}</p></body></html>")
    with open(os.path.join(work, "html", f"{i:05d}.html"), "w") as f:
        f.write(page)
print(f"{m} messages, {total} attachments")
PY

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
sync

t0=$(now)
find "$WORK/mail" -type f -print0 | xargs -0 cat | sha256sum >/dev/null
t1=$(now)
sha=$(secs "$t0" "$t1")

"$BIN" init "$WORK/matter" --template mpp-order >/dev/null
t0=$(now)
"$BIN" --matter "$WORK/matter" ingest "$WORK/mail" >/dev/null
t1=$(now)
ingest=$(secs "$t0" "$t1")

# Every document produced: tops and attachments, keyed by DOCID.
"$BIN" --matter "$WORK/matter" docs --format csv |
  python3 -c "
import csv, sys
rows = list(csv.DictReader(sys.stdin))
print('docid,status,category')
for r in rows:
    print(f\"{r['docid']},produce,1\")
" > "$WORK/tags.csv"
"$BIN" --matter "$WORK/matter" tag --from "$WORK/tags.csv" >/dev/null
t0=$(now)
"$BIN" --matter "$WORK/matter" produce VOL001 --date 2024-04-19 >/dev/null
t1=$(now)
produce=$(secs "$t0" "$t1")
docs=$(find "$WORK/matter/productions/VOL001/IMAGES" "$WORK/matter/productions/VOL001/NATIVES" -type f 2>/dev/null | wc -l)

chrome=""
if [ -n "$CHROMIUM" ]; then
  profile=$(mktemp -d)
  t0=$(now)
  for i in $(seq 0 49); do
    f=$(printf "%05d" "$i")
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
      --user-data-dir="$profile" --no-pdf-header-footer --print-to-pdf="$WORK/html/$f.pdf" \
      "file://$WORK/html/$f.html" >/dev/null 2>&1
  done
  t1=$(now)
  chrome=$(secs "$t0" "$t1")
  rm -rf "$profile"
fi

python3 - "$M" "$sha" "$ingest" "$produce" "$chrome" "$docs" <<'PY'
import sys
m, sha, ingest, produce = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
chrome = float(sys.argv[5]) if sys.argv[5] else None
print(f"sha256sum over the messages: {sha:.2f} s; adrec ingest: {ingest:.2f} s "
      f"-> adrec's rate is {sha / ingest:.2f} x sha256sum's (aim >= 0.5)")
per_adrec = produce / m
print(f"adrec produce: {produce:.2f} s for {m} messages and their attachments ({sys.argv[6]} files) "
      f"= {per_adrec * 1000:.1f} ms per message")
if chrome is not None:
    per_chrome = chrome / 50
    print(f"Chromium --print-to-pdf: {chrome:.2f} s for 50 messages = {per_chrome * 1000:.1f} ms per message "
          f"-> adrec is {per_chrome / per_adrec:.0f} x faster per message (aim >= 50)")
else:
    print("Chromium not found: install chromium for the rendering comparison")
PY
