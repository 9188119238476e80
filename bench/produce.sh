#!/usr/bin/env bash
# Produce benchmark (issue 5): adrec's whole produce (stamping, slip sheets,
# read-back, load files, index, log, SHA256SUMS) against stamping the same
# PDFs with `qpdf --overlay` of a per-page stamp PDF, in the same run.
# Not a test: it prints times and ratios.
#
#   bench/produce.sh [WORKDIR]   (default bench/work/produce; needs qpdf, python3 with Pillow and reportlab)
#
# The legend is Unicode (issue 12): Latin, Vietnamese, Cyrillic and Chinese, so the
# bundled font and an installed CJK font are both subset (once per volume).
# Env: LEGEND overrides it; ADREC_BIN uses that binary instead of a release build; TEXT_FILES (default 40) x TEXT_COPIES (default 20 copies of a 3-page PDF = 60 pages each);
#      SCAN_FILES (default 12) x SCAN_PAGES (default 20) pages of ~1.3 MB noise JPEG.
#
# With NATIVES=N (issue 19: 100000, then 1000000), it runs the scale case
# instead: N small natives (each gets a native file and a stamped slip sheet)
# against `cp -r` of the same files followed by `sync`, with adrec's peak
# memory (produce, and the audit of the volume), then deletes the files.
# WITHHELD=1 with NATIVES=N tags every native withheld (the privilege log's memory);
# LOG_PROFILE=metadata-only or categorical with it writes the log under that profile.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${NATIVES:-}" ]; then
  exec bash bench/natives.sh "${1:-bench/work/natives}"
fi
work=${1:-bench/work/produce}
text_files=${TEXT_FILES:-40}
text_copies=${TEXT_COPIES:-20}
scan_files=${SCAN_FILES:-12}
scan_pages=${SCAN_PAGES:-20}
legend=${LEGEND:-"CONFIDENTIAL – BẢO MẬT – КОНФИДЕНЦИАЛЬНО – 机密"}
mkdir -p "$work"
work=$(cd "$work" && pwd)
python3 -c "import PIL, reportlab" 2>/dev/null || pip install -q pillow reportlab

if [ -n "${ADREC_BIN:-}" ]; then
  adrec=$ADREC_BIN   # e.g. a debug build, when a release build is not wanted
else
  cargo build --release --quiet
  adrec=${CARGO_TARGET_DIR:-$PWD/target}/release/adrec
fi
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
calc() { python3 -c "print(f'{$1:.2f}')"; }

echo "== corpus in $work"
mkdir -p "$work/text" "$work/scans" "$work/stamps" "$work/qpdf-out"
if [ -z "$(ls "$work/text")" ]; then
  pages=()
  for _ in $(seq 1 "$text_copies"); do pages+=(tests/fixtures/pdf/classic-3p.pdf); done
  qpdf --empty --pages "${pages[@]}" -- "$work/base.pdf"
  for i in $(seq -w 1 "$text_files"); do
    cp "$work/base.pdf" "$work/text/text-$i.pdf"
    printf '\n%% copy %s\n' "$i" >>"$work/text/text-$i.pdf"   # distinct bytes, same PDF
  done
fi
if [ -z "$(ls "$work/scans")" ]; then
  python3 - "$work/scans" "$scan_files" "$scan_pages" <<'PY'
import io, os, sys, random
from PIL import Image
out, files, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
for f in range(files):
    objs, kids = [], []
    def add(b):
        objs.append(b); return len(objs)
    pages_id = 1 + 0  # placeholder, fixed below
    body = []
    jpgs = []
    for p in range(pages):
        img = Image.frombytes("L", (1275, 1650), bytes(rng.getrandbits(8) for _ in range(1275 * 1650)))
        b = io.BytesIO(); img.save(b, "JPEG", quality=75); jpgs.append(b.getvalue())
    # objects: 1 catalog, 2 pages, then per page: page, contents, image
    n = 2 + 3 * pages
    offs = []
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    def obj(num, payload):
        offs.append((num, len(data)))
        data.extend(f"{num} 0 obj\n".encode()); data.extend(payload); data.extend(b"\nendobj\n")
    kids = " ".join(f"{3 + 3*i} 0 R" for i in range(pages))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode())
    for i, jpg in enumerate(jpgs):
        pg, ct, im = 3 + 3*i, 4 + 3*i, 5 + 3*i
        obj(pg, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 {im} 0 R >> >> /Contents {ct} 0 R >>".encode())
        c = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
        obj(ct, f"<< /Length {len(c)} >>\nstream\n".encode() + c + b"\nendstream")
        obj(im, f"<< /Type /XObject /Subtype /Image /Width 1275 /Height 1650 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>\nstream\n".encode() + jpg + b"\nendstream")
    xref = len(data)
    offs.sort()
    data.extend(f"xref\n0 {n + 1}\n0000000000 65535 f \n".encode())
    for _, o in offs:
        data.extend(f"{o:010d} 00000 n \n".encode())
    data.extend(f"trailer\n<< /Size {n + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    open(os.path.join(out, f"scan-{f:02d}.pdf"), "wb").write(data)
PY
fi
text_pages=$((text_files * text_copies * 3))
scan_total=$((scan_files * scan_pages))
scan_bytes=$(du -cb "$work"/scans/*.pdf | tail -1 | cut -f1)

echo "== stamp PDFs for qpdf (one per input, page i stamped with its own Bates number; not timed)"
python3 - "$work" <<'PY'
import os, sys, subprocess
from reportlab.pdfgen import canvas
work = sys.argv[1]
n = 1
for folder in ("text", "scans"):
    for name in sorted(os.listdir(os.path.join(work, folder))):
        src = os.path.join(work, folder, name)
        pages = int(subprocess.check_output(["qpdf", "--show-npages", src]).decode())
        c = canvas.Canvas(os.path.join(work, "stamps", name), pagesize=(612, 792))
        for _ in range(pages):
            c.setFont("Helvetica", 10)
            c.drawRightString(576, 18, f"DHS-MPP-{n:06d}"); c.drawString(36, 18, "CONFIDENTIAL")
            c.showPage(); n += 1
        c.save()
PY

qpdf_stamp() { # $1 = folder; two processes, both cores busy
  (cd "$work/$1" && ls *.pdf) | xargs -P2 -I{} qpdf "$work/$1/{}" --overlay "$work/stamps/{}" -- "$work/qpdf-out/{}"
}

adrec_produce() { # $1 = folder; prints elapsed seconds of produce alone
  local m="$work/matter-$1"
  rm -rf "$m"
  "$adrec" init "$m" >/dev/null
  sed -i -e 's/^default = ""/default = "CONFIDENTIAL"/; s/^# \[\[confidentiality.level\]\]/[[confidentiality.level]]/; s/^# name = "CONFIDENTIAL"/name = "CONFIDENTIAL"/' \
    -e "s/^# legend = .*/legend = \"$legend\"/" "$m/adrec.toml"
  "$adrec" --matter "$m" ingest "$work/$1" >/dev/null
  local ids
  ids=$("$adrec" --matter "$m" docs --format csv | tail -n +2 | cut -d, -f1)
  # shellcheck disable=SC2086
  "$adrec" --matter "$m" tag $ids --status produce --category 1 >/dev/null
  local s
  s=$(now)
  "$adrec" --matter "$m" produce VOL001 --date 2024-04-19 >/dev/null
  secs "$s" "$(now)"
}

cat "$work"/text/*.pdf "$work"/scans/*.pdf >/dev/null
echo "== text PDFs: $text_files files, $text_pages pages"
s=$(now); qpdf_stamp text; t_qpdf_text=$(secs "$s" "$(now)")
t_adrec_text=$(adrec_produce text)
echo "qpdf --overlay (2 processes)   : ${t_qpdf_text} s  ($(calc "$text_pages / $t_qpdf_text") pages/s)"
echo "adrec produce (whole volume)   : ${t_adrec_text} s  ($(calc "$text_pages / $t_adrec_text") pages/s)"
echo "ratio adrec / qpdf             : $(calc "$t_adrec_text / $t_qpdf_text")   (target <= 0.25; issue 12 asks <= 0.05 with the Unicode legend)"

echo "== scanned PDFs: $scan_files files, $scan_total pages, $((scan_bytes / 1048576)) MiB"
s=$(now); qpdf_stamp scans; t_qpdf_scan=$(secs "$s" "$(now)")
t_adrec_scan=$(adrec_produce scans)
echo "qpdf --overlay (2 processes)   : ${t_qpdf_scan} s  ($(calc "$scan_bytes / $t_qpdf_scan / 1e9") GB/s)"
echo "adrec produce (whole volume)   : ${t_adrec_scan} s  ($(calc "$scan_bytes / $t_adrec_scan / 1e9") GB/s)   (target >= 0.3 GB/s)"
echo "ratio adrec / qpdf             : $(calc "$t_adrec_scan / $t_qpdf_scan")"
