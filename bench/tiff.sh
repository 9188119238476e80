#!/usr/bin/env bash
# Issue 17 benchmark (not a timed test): adrec's whole TIFF produce
# (`[production] images = "tiff"`: stamping, rasterising every page at 300
# dpi, Group IV coding, load files, SHA256SUMS) against Ghostscript's tiffg4
# device at 300 dpi on the same stamped PDFs (the matter produced once with
# images = "pdf", not timed), two gs processes on the two cores, in the same
# run. Prints both times, pages per second and the ratio (the bar is at most
# 1.5, aiming at parity).
#
#   bench/tiff.sh [WORKDIR]   (default bench/work/tiff; needs gs, python3 with
#                              Pillow, reportlab and pymupdf)
#
# Env: ADREC_BIN uses that binary instead of a release build; SCAN_PAGES
# (default 300) scanned-looking pages; TEXT_FILES (default all 48 files of 50
# pages of bench/make_text_corpus.py, 2,400 pages) limits the text corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-bench/work/tiff}
scan_pages=${SCAN_PAGES:-300}
mkdir -p "$work"
work=$(cd "$work" && pwd)
command -v gs >/dev/null || { echo "needs Ghostscript (gs)"; exit 2; }

if [ -n "${ADREC_BIN:-}" ]; then
  adrec=$ADREC_BIN
else
  CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release --locked --quiet
  adrec=${CARGO_TARGET_DIR:-$PWD/target}/release/adrec
fi
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
calc() { python3 -c "print(f'{$1:.2f}')"; }

echo "== corpus in $work"
[ -d "$work/corpus" ] || python3 bench/make_text_corpus.py "$work/corpus" 2>/dev/null
mkdir -p "$work/text" "$work/scans"
if [ -z "$(ls "$work/text")" ]; then
  # shellcheck disable=SC2012
  ls "$work/corpus"/*.pdf | head -n "${TEXT_FILES:-48}" | xargs -I{} cp {} "$work/text/"
fi
if [ -z "$(ls "$work/scans")" ]; then
  # Scanned-looking pages: 300-dpi greyscale JPEGs of lines of "text" on a
  # slightly noisy grey paper, 10 pages a file, each page its own bytes.
  python3 - "$work/scans" "$scan_pages" <<'PY'
import io, os, sys, random
from PIL import Image, ImageDraw
out, total = sys.argv[1], int(sys.argv[2])
rng = random.Random(11)
noise = Image.effect_noise((2550, 3300), 12).point(lambda v: 232 + (v - 128) // 8)
def page(n):
    im = noise.copy()
    d = ImageDraw.Draw(im)
    y = 300 + n % 7
    while y < 3000:
        x = 300
        while x < 2200:
            w = rng.randint(40, 220)
            d.rectangle([x, y, x + w, y + 28], fill=rng.randint(20, 70))
            x += w + rng.randint(20, 40)
        y += rng.randint(55, 80)
    d.text((2000, 3150), f"scan page {n}", fill=0)
    b = io.BytesIO(); im.save(b, "JPEG", quality=75); return b.getvalue()
n = 0
f = 0
while n < total:
    count = min(10, total - n)
    jpgs = [page(n + i) for i in range(count)]
    n += count
    data = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offs = []
    def obj(num, payload):
        offs.append((num, len(data)))
        data.extend(f"{num} 0 obj\n".encode()); data.extend(payload); data.extend(b"\nendobj\n")
    kids = " ".join(f"{3 + 3*i} 0 R" for i in range(count))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    for i, jpg in enumerate(jpgs):
        pg, ct, im = 3 + 3*i, 4 + 3*i, 5 + 3*i
        obj(pg, f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 {im} 0 R >> >> /Contents {ct} 0 R >>".encode())
        c = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
        obj(ct, f"<< /Length {len(c)} >>\nstream\n".encode() + c + b"\nendstream")
        obj(im, f"<< /Type /XObject /Subtype /Image /Width 2550 /Height 3300 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpg)} >>\nstream\n".encode() + jpg + b"\nendstream")
    xref = len(data)
    offs.sort()
    data.extend(f"xref\n0 {2 + 3 * count + 1}\n0000000000 65535 f \n".encode())
    for _, o in offs:
        data.extend(f"{o:010d} 00000 n \n".encode())
    data.extend(f"trailer\n<< /Size {2 + 3 * count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    open(os.path.join(out, f"scan-{f:03d}.pdf"), "wb").write(data)
    f += 1
PY
fi

matter() { # $1 = folder, $2 = images setting; a fresh matter, ingested and tagged
  local m="$work/matter-$1-$2"
  rm -rf "$m"
  "$adrec" init "$m" >/dev/null
  # Every page counts: the corpus has byte-identical files that dedupe would drop.
  sed -i "s/^dedupe = \"global\"/dedupe = \"none\"\nimages = \"$2\"/" "$m/adrec.toml"
  "$adrec" --matter "$m" ingest "$work/$1" >/dev/null
  local ids
  ids=$("$adrec" --matter "$m" docs --format csv | tail -n +2 | cut -d, -f1)
  # shellcheck disable=SC2086
  "$adrec" --matter "$m" tag $ids --status produce --category 1 >/dev/null
  echo "$m"
}

run() { # $1 = folder
  local pdfm tiffm pages s t_gs t_adrec
  pdfm=$(matter "$1" pdf)
  "$adrec" --matter "$pdfm" produce VOL001 --date 2024-04-19 >/dev/null
  tiffm=$(matter "$1" tiff)
  local stamped="$pdfm/productions/VOL001/IMAGES"
  pages=$(grep -c . "$pdfm/productions/VOL001/DATA/VOL001.opt")
  rm -rf "$work/gs-$1"; mkdir -p "$work/gs-$1"
  cat "$stamped"/*/*.pdf >/dev/null
  s=$(now)
  find "$stamped" -name '*.pdf' | sort | xargs -P2 -I{} sh -c \
    'gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r300 -sOutputFile="$1/$(basename "$2" .pdf)-%04d.tif" "$2"' sh "$work/gs-$1" {}
  t_gs=$(secs "$s" "$(now)")
  s=$(now)
  "$adrec" --matter "$tiffm" produce VOL001 --date 2024-04-19 >/dev/null
  t_adrec=$(secs "$s" "$(now)")
  local images
  images=$(find "$tiffm/productions/VOL001/IMAGES" -type f | wc -l)
  echo "== $1: $pages pages ($images images written by adrec, $(find "$work/gs-$1" -type f | wc -l) by gs)"
  echo "gs tiffg4 -r300 (2 processes)  : ${t_gs} s  ($(calc "$pages / $t_gs") pages/s)"
  echo "adrec produce, images = tiff   : ${t_adrec} s  ($(calc "$pages / $t_adrec") pages/s)"
  echo "ratio adrec / gs               : $(calc "$t_adrec / $t_gs")   (bar <= 1.5, aiming at 1.0)"
}

run text
run scans
