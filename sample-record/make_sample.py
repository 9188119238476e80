#!/usr/bin/env python3
"""Regenerate adrec's bundled sample record, deterministically.

    python3 sample-record/make_sample.py           # (re)write documents/, redacted/, tags.csv, README.md
    python3 sample-record/make_sample.py --check   # also run qpdf --check / pdftotext on every PDF
                                                   # and prove the redacted passages are gone

Everything here is FICTIONAL: the people, e-mail addresses (example.gov,
example.gob.mx), figures and the text of every memo, letter, agreement and
notice. Agency and program names (DHS, CBP, MPP, SRE, INM ...) are real.

The outputs are COMMITTED; CI and `adrec demo` never run this script. Running
it twice on the same toolchain gives byte-identical files: fixed dates, fixed
PDF /IDs, fixed ZIP timestamps, no randomness, no wall-clock time.

Requirements (the versions the committed files were made with; other versions
of zlib, libjpeg, Pillow or qpdf may produce different bytes, same facts):
  * Python 3.11
  * pip:  Pillow==13.0.0 (the scanned-style page images)
          python-docx==1.2.0  openpyxl==3.1.5  (the .docx and .xlsx)
  * apt:  qpdf (11.3.0; the owner-password-encrypted PDF)
          fonts-liberation (LiberationSerif, drawn into the scanned images)
          poppler-utils (only for --check: pdftotext)

Text PDFs are written byte-by-byte by the small writer below (standard
Helvetica fonts, WinAnsiEncoding, Flate-compressed page content), so every
page box, rotation, annotation and redaction box is exactly what this file
says. A redacted PDF is laid out from the same source as its original, with
the privileged paragraphs' text left out of the content stream entirely and a
black box labelled "REDACTED – <code>" drawn where they were: same pages,
same line positions, no /Redact annotations, nothing underneath the boxes.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import quopri
import re
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DOCS_DIR = ROOT / "documents"
RED_DIR = ROOT / "redacted"

# Registry of everything written: one entry per document (tags + README line).
DOCS: list[dict] = []
# Tag rows for e-mail attachments (child documents): in tags.csv, keyed by
# the e-mail's path plus the attachment's name, but not files of their own.
ATTACHMENT_TAGS: list[dict] = []
REDACTIONS: dict[str, list[str]] = {}  # redacted file -> probe phrases that must be gone
ORIGINAL_OF: dict[str, str] = {}       # redacted file -> original path


def write(path: Path, data: bytes) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def register(rel: str, readme: str, tg: dict) -> None:
    DOCS.append({"path": rel, "readme": readme, "tags": tg})


# ---------------------------------------------------------------------------
# Helvetica metrics (per 1000 em, WinAnsi codes 32..255; metric-compatible
# with Liberation Sans). Used only to wrap lines.
# ---------------------------------------------------------------------------

_W_REG = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
    "556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 556 556 278 556 556 "
    "222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 334 260 334 584 365 556 0 "
    "222 556 333 1000 556 556 333 1000 667 333 1000 0 611 0 0 222 222 333 333 350 556 1000 333 1000 500 "
    "333 944 0 500 667 278 333 556 556 556 556 260 556 333 737 370 556 584 0 737 552 400 549 333 333 333 "
    "576 537 278 333 333 365 556 834 834 834 611 667 667 667 667 667 667 1000 722 667 667 667 667 278 "
    "278 278 278 722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 556 556 556 556 556 556 "
    "889 500 556 556 556 556 278 278 278 278 556 556 556 556 556 556 556 549 611 556 556 556 556 500 556 500"
)
_W_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 556 "
    "556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 833 722 778 "
    "667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 611 556 333 611 611 "
    "278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 389 280 389 584 365 556 0 "
    "278 556 500 1000 556 556 333 1000 667 333 1000 0 611 0 0 278 278 500 500 350 556 1000 333 1000 556 "
    "333 944 0 500 667 278 333 556 556 556 556 280 556 333 737 370 556 584 0 737 552 400 549 333 333 333 "
    "576 556 278 333 333 365 556 834 834 834 611 722 722 722 722 722 722 1000 722 667 667 667 667 278 "
    "278 278 278 722 722 778 778 778 778 778 584 778 722 722 722 722 667 667 611 556 556 556 556 556 556 "
    "889 556 556 556 556 556 278 278 278 278 611 611 611 611 611 611 611 549 611 611 611 611 611 556 611 556"
)
WIDTHS = {"R": [int(v) for v in _W_REG.split()], "B": [int(v) for v in _W_BOLD.split()]}
WIDTHS["I"] = WIDTHS["R"]
FONT_RES = {"R": "F1", "B": "F2", "I": "F3"}
FONT_DICTS = [
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Oblique /Encoding /WinAnsiEncoding >>",
]


def enc(s: str) -> bytes:
    return s.encode("cp1252")  # raises on any character WinAnsi cannot show


def text_width(s: str, font: str = "R", size: float = 11) -> float:
    w = WIDTHS[font]
    return sum(w[b - 32] for b in enc(s) if b >= 32) * size / 1000


def pdf_lit(s: str) -> str:
    out = []
    for b in enc(s):
        c = chr(b)
        if c in "()\\":
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append("\\%03o" % b)
    return "(" + "".join(out) + ")"


def pdf_text_string(s: str) -> str:
    """A PDF text string: literal if printable ASCII, else UTF-16BE hex with BOM."""
    if all(32 <= ord(c) < 127 for c in s):
        return pdf_lit(s)
    return "<" + (b"\xfe\xff" + s.encode("utf-16-be")).hex().upper() + ">"


def wrap(text: str, width: float, font: str = "R", size: float = 11) -> list[str]:
    lines, cur = [], ""
    for word in text.split(" "):
        trial = word if not cur else cur + " " + word
        if text_width(trial, font, size) <= width or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    lines.append(cur)
    return lines


def num(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


# ---------------------------------------------------------------------------
# Layout: blocks -> pages of drawing operations in display coordinates
# ---------------------------------------------------------------------------

LETTER = (612, 792)
LANDSCAPE = (792, 612)


class Page:
    def __init__(self, media, rotate=0, crop=None):
        self.media = media          # (w, h) of the MediaBox as stored
        self.rotate = rotate        # 0 or 90
        self.crop = crop            # CropBox [x0 y0 x1 y1] or None
        self.w, self.h = (media[1], media[0]) if rotate == 90 else media
        self.ops: list[tuple] = []  # ("t", font, size, x, y, text, gray, red) / ("r", x, y, w, h, gray, red) / ("l", x1, y1, x2, y2, lw)


class Layout:
    LEAD = 1.38

    def __init__(self, size=LETTER, marking=None, crop=None, margin=72, footer=True, base=11):
        self.size, self.marking, self.crop, self.margin = size, marking, crop, margin
        self.footer, self.base = footer, base
        self.pages: list[Page] = []
        self.reds = 0
        self.red_codes: dict[int, str] = {}
        self.red_texts: dict[int, str] = {}
        self.new_page()

    # -- pages ------------------------------------------------------------
    def new_page(self, rotate=0):
        p = Page(self.size, rotate, self.crop)  # a /Rotate 90 page keeps the portrait MediaBox
        self.pages.append(p)
        self.page = p
        self.y = p.h - self.margin - 6
        self.x0 = self.margin
        self.x1 = p.w - self.margin

    def need(self, h):
        if self.y - h < self.margin + 4:
            self.new_page()

    def text(self, x, y, s, font="R", size=None, gray=0, red=None):
        self.page.ops.append(("t", font, size or self.base, x, y, s, gray, red))

    # -- blocks -----------------------------------------------------------
    def space(self, pts):
        self.y -= pts

    def rule(self, lw=0.75):
        self.need(10)
        self.page.ops.append(("l", self.x0, self.y - 3, self.x1, self.y - 3, lw))
        self.y -= 12

    def line(self, s, font="R", size=None, align="l", gray=0, red=None, indent=0):
        size = size or self.base
        self.need(size * self.LEAD)
        if align == "c":
            x = (self.x0 + self.x1 - text_width(s, font, size)) / 2
        elif align == "r":
            x = self.x1 - text_width(s, font, size)
        else:
            x = self.x0 + indent
        self.text(x, self.y - size, s, font, size, gray, red)
        self.y -= size * self.LEAD

    def new_red(self, code, text):
        self.reds += 1
        self.red_codes[self.reds] = code
        self.red_texts[self.reds] = text
        return self.reds

    def para(self, s, font="R", size=None, indent=0, after=7, red=None, bullet=None, hang=0):
        size = size or self.base
        gid = self.new_red(red, s) if red else None
        width = self.x1 - self.x0 - indent - hang
        for i, ln in enumerate(wrap(s, width, font, size)):
            self.need(size * self.LEAD)
            if i == 0 and bullet:
                self.text(self.x0 + indent, self.y - size, bullet, font, size, 0, gid)
            self.text(self.x0 + indent + hang, self.y - size, ln, font, size, 0, gid)
            self.y -= size * self.LEAD
        self.y -= after

    def heading(self, s, size=None, before=6):
        size = size or self.base + 0.5
        self.need(size * self.LEAD * 3 + before)
        self.y -= before
        self.line(s, "B", size)
        self.y -= 2

    def title(self, s, size=14, after=8):
        for ln in wrap(s, self.x1 - self.x0, "B", size):
            self.line(ln, "B", size, align="c")
        self.y -= after

    def fields(self, pairs, label_w=78, after=6):
        for label, value in pairs:
            lines = wrap(value, self.x1 - self.x0 - label_w, "R", self.base)
            for i, ln in enumerate(lines):
                self.need(self.base * self.LEAD)
                if i == 0:
                    self.text(self.x0, self.y - self.base, label, "B")
                self.text(self.x0 + label_w, self.y - self.base, ln)
                self.y -= self.base * self.LEAD
        self.y -= after

    def bullets(self, items, red=None, numbered=False, after=3):
        for i, it in enumerate(items, 1):
            self.para(it, bullet=(f"{i}." if numbered else "\u2022"), indent=12, hang=16, after=after, red=red)
        self.y -= 4

    def table(self, cols, rows, size=None, header=True, aligns=None, after=10):
        size = size or self.base - 1.5
        lead = size * 1.3
        aligns = aligns or ["l"] * len(cols)
        for r, row in enumerate(rows):
            font = "B" if header and r == 0 else "R"
            cells = [wrap(str(c), cols[i] - 6, font, size) for i, c in enumerate(row)]
            hgt = max(len(c) for c in cells) * lead + 4
            self.need(hgt + 2)
            x = self.x0
            for i, cell in enumerate(cells):
                for k, ln in enumerate(cell):
                    if aligns[i] == "r":
                        tx = x + cols[i] - 3 - text_width(ln, font, size)
                    else:
                        tx = x + 3
                    self.text(tx, self.y - size - k * lead, ln, font, size)
                x += cols[i]
            self.y -= hgt
            lw = 0.9 if header and r == 0 else 0.3
            self.page.ops.append(("l", self.x0, self.y + 2, self.x0 + sum(cols), self.y + 2, lw))
        self.y -= after

    def signature(self, lines, before=28):
        self.need(before + len(lines) * self.base * self.LEAD)
        self.y -= before
        self.page.ops.append(("l", self.x0, self.y + 2, self.x0 + 200, self.y + 2, 0.5))
        for ln in lines:
            self.line(ln)

    def run(self, blocks):
        for b in blocks:
            kind, args = b[0], b[1:]
            kw = args[-1] if args and isinstance(args[-1], dict) else {}
            if kw:
                args = args[:-1]
            if kind == "break":
                self.new_page(**kw)
            else:
                getattr(self, {"p": "para", "h": "heading", "t": "title", "f": "fields", "ul": "bullets",
                               "tab": "table", "sig": "signature", "sp": "space", "rule": "rule",
                               "ln": "line"}[kind])(*args, **kw)
        return self

    def finish(self):
        n = len(self.pages)
        for i, p in enumerate(self.pages, 1):
            self.page = p
            self.text(self.margin, p.h - 26, "Fictional document \u2013 adrec sample record", "I", 6.5, 0.45)
            if self.marking:
                s = self.marking
                self.text((p.w - text_width(s, "B", 8.5)) / 2, p.h - 44, s, "B", 8.5)
            if self.footer:
                s = f"Page {i} of {n}"
                self.text((p.w - text_width(s, "R", 9)) / 2, 44, s, "R", 9)
        return self


# ---------------------------------------------------------------------------
# Rendering and PDF assembly
# ---------------------------------------------------------------------------

def to_user(p: Page, x, y):
    """Display coordinates -> user space (only /Rotate 90 needs a transform)."""
    if p.rotate == 90:
        return p.media[0] - y, x
    return x, y


def render(p: Page, layout: Layout, redacted: bool, boxed: bool = False) -> bytes:
    """The page's content; `redacted` boxes the privileged paragraphs and
    leaves their text out, `boxed` (the failed redaction) draws the same
    boxes over text that is still there."""
    out = []
    boxes: dict[int, list[float]] = {}
    for op in p.ops:
        red = op[-1] if op[0] in ("t", "r") else None
        if op[0] == "t":
            _, font, size, x, y, s, gray, red = op
            if redacted and red:
                b = boxes.setdefault(red, [1e9, 1e9, -1e9, -1e9])
                b[1], b[3] = min(b[1], y - size * 0.3), max(b[3], y + size * 0.95)
                if not boxed:
                    continue
            ux, uy = to_user(p, x, y)
            m = "0 1 -1 0" if p.rotate == 90 else "1 0 0 1"
            t = f"BT /{FONT_RES[font]} {num(size)} Tf {m} {num(ux)} {num(uy)} Tm {pdf_lit(s)} Tj ET"
            out.append(f"q {num(gray)} g {t} Q" if gray else t)
        elif op[0] == "l":
            _, x1, y1, x2, y2, lw = op
            a, b = to_user(p, x1, y1), to_user(p, x2, y2)
            out.append(f"{num(lw)} w {num(a[0])} {num(a[1])} m {num(b[0])} {num(b[1])} l S")
    for gid, (_, y0, _, y1) in sorted(boxes.items()):
        x0, x1 = layout.x0_for(p), layout.x1_for(p)
        if y1 - y0 < 13:
            c = (y0 + y1) / 2
            y0, y1 = c - 6.5, c + 6.5
        label = f"REDACTED \u2013 {layout.red_codes[gid]}"
        lx = (x0 + x1 - text_width(label, "B", 9)) / 2
        ly = (y0 + y1) / 2 - 3.2
        out.append(f"0 g {num(x0 - 2)} {num(y0)} {num(x1 - x0 + 4)} {num(y1 - y0)} re f")
        out.append(f"BT 1 g /F2 9 Tf 1 0 0 1 {num(lx)} {num(ly)} Tm {pdf_lit(label)} Tj ET 0 g")
    return ("\n".join(out) + "\n").encode("latin-1")


Layout.x0_for = lambda self, p: self.margin
Layout.x1_for = lambda self, p: p.w - self.margin


def file_id(name: str) -> str:
    return hashlib.md5(("adrec-sample:" + name).encode()).hexdigest().upper()


class PdfObjs:
    def __init__(self):
        self.objs: list[bytes | None] = []

    def alloc(self) -> int:
        self.objs.append(None)
        return len(self.objs)

    def set(self, n, body):
        self.objs[n - 1] = body.encode("latin-1") if isinstance(body, str) else body
        return n

    def add(self, body) -> int:
        return self.set(self.alloc(), body)

    def stream(self, data: bytes, extra="", compress=True) -> int:
        if compress:
            data = zlib.compress(data, 9)
            extra = (extra + " /Filter /FlateDecode").strip()
        d = f"<< {extra} /Length {len(data)} >>" if extra else f"<< /Length {len(data)} >>"
        return self.add(d.encode("latin-1") + b"\nstream\n" + data + b"\nendstream")

    def serialize(self, root, info, name, version="1.4") -> bytes:
        out = bytearray(b"%PDF-" + version.encode() + b"\n%\xe2\xe3\xcf\xd3\n")
        offs = []
        for i, body in enumerate(self.objs, 1):
            offs.append(len(out))
            out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objs) + 1}\n0000000000 65535 f \n".encode()
        for o in offs:
            out += f"{o:010d} 00000 n \n".encode()
        fid = file_id(name)
        tr = f"<< /Size {len(self.objs) + 1} /Root {root} 0 R"
        if info:
            tr += f" /Info {info} 0 R"
        tr += f" /ID [<{fid}> <{fid}>] >>"
        out += f"trailer\n{tr}\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def info_dict(pdf: PdfObjs, title=None, author=None, created=None, subject=None, creator=None) -> int:
    parts = []
    if title:
        parts.append(f"/Title {pdf_text_string(title)}")
    if author:
        parts.append(f"/Author {pdf_text_string(author)}")
    if subject:
        parts.append(f"/Subject {pdf_text_string(subject)}")
    if created:
        parts.append(f"/CreationDate ({created}) /ModDate ({created})")
    if creator:
        parts.append(f"/Creator {pdf_lit(creator)}")
    parts.append("/Producer (adrec sample-record generator)")
    return pdf.add("<< " + " ".join(parts) + " >>")


def assemble(name: str, layout: Layout, redacted=False, info=None, annots=None, boxed=False) -> bytes:
    pdf = PdfObjs()
    catalog, pages = pdf.alloc(), pdf.alloc()
    fonts = [pdf.add(f) for f in FONT_DICTS]
    res = "<< /Font << " + " ".join(f"/F{i + 1} {n} 0 R" for i, n in enumerate(fonts)) + " >> >>"
    kids = []
    for i, p in enumerate(layout.pages):
        c = pdf.stream(render(p, layout, redacted, boxed))
        pg = pdf.alloc()
        d = f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {p.media[0]} {p.media[1]}]"
        if p.crop:
            d += " /CropBox [" + " ".join(str(v) for v in p.crop) + "]"
        if p.rotate:
            d += f" /Rotate {p.rotate}"
        d += f" /Resources {res} /Contents {c} 0 R"
        if annots and i in annots and not redacted:
            refs = [pdf.add(a) for a in annots[i]]
            d += " /Annots [" + " ".join(f"{r} 0 R" for r in refs) + "]"
        pdf.set(pg, d + " >>")
        kids.append(pg)
    pdf.set(pages, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>")
    pdf.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>")
    inf = info_dict(pdf, **info) if info else None
    return pdf.serialize(catalog, inf, name + (":boxed" if boxed else ":redacted" if redacted else ""))


def make_pdf(rel: str, blocks, *, title=None, author=None, created=None, subject=None, marking=None,
             size=LETTER, crop=None, annots=None, redacted_as=None, failed_as=None, readme="", tg=None) -> bytes:
    lay = Layout(size=size, marking=marking, crop=crop).run(blocks).finish()
    info = dict(title=title, author=author, created=created, subject=subject) if (title or author or created) else None
    data = write(DOCS_DIR / rel, assemble(rel, lay, False, info, annots))
    if redacted_as:
        assert lay.reds, rel
        write(ROOT / redacted_as, assemble(rel, lay, True, None))
        ORIGINAL_OF[redacted_as] = rel
        tg["redacted-file"] = redacted_as
    if failed_as:
        # A failed redaction to learn from: black boxes drawn over text that
        # is still in the file. tags.csv names the proper file, not this one.
        write(ROOT / failed_as, assemble(rel, lay, True, None, boxed=True))
    register(rel, readme + f" ({len(lay.pages)} pages)", tg)
    return data


# ---------------------------------------------------------------------------
# Scanned-style PDFs (pages that are JPEG images) and the damaged file
# ---------------------------------------------------------------------------

def scan_page_jpeg(lines, tilt=0.35, dpi=100) -> tuple[bytes, int, int]:
    from PIL import Image, ImageDraw, ImageFont

    w, h = int(8.5 * dpi), int(11 * dpi)
    img = Image.new("L", (w, h), 252)
    d = ImageDraw.Draw(img)
    serif = "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"
    bold = "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf"
    fonts = {k: ImageFont.truetype(bold if k.startswith("B") else serif, int(k[1:])) for k in ("R16", "B18", "B22", "R14")}
    y = 80
    for item in lines:
        kind, s = item[0], item[1]
        if kind == "gap":
            y += s
            continue
        if kind == "box":  # a form box: ("box", height)
            d.rectangle([70, y, w - 70, y + s], outline=40, width=2)
            y += 10
            continue
        f = fonts[{"h": "B22", "b": "B18", "t": "R16", "s": "R14"}[kind]]
        x = 85
        if kind == "h":
            x = (w - d.textlength(s, font=f)) / 2
        d.text((x, y), s, font=f, fill=30)
        y += int(f.size * 1.45)
    img = img.rotate(tilt, resample=Image.BICUBIC, fillcolor=236)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 5, h], fill=200)  # scanner-bed shadow on the left edge
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=50, optimize=False, progressive=False, subsampling=0)
    return buf.getvalue(), w, h


def scanned_pdf(name: str, page_images, info=None) -> bytes:
    """Image objects first (so a truncated copy holds no page tree)."""
    pdf = PdfObjs()
    imgs = []
    for jpg, w, h in page_images:
        imgs.append(pdf.stream(jpg, f"/Type /XObject /Subtype /Image /Width {w} /Height {h} "
                                    f"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", compress=False))
    catalog, pages = pdf.alloc(), pdf.alloc()
    kids = []
    for im in imgs:
        c = pdf.stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q\n")
        kids.append(pdf.add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 612 792] "
                            f"/Resources << /XObject << /Im0 {im} 0 R >> >> /Contents {c} 0 R >>"))
    pdf.set(pages, f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>")
    pdf.set(catalog, f"<< /Type /Catalog /Pages {pages} 0 R >>")
    inf = info_dict(pdf, **info) if info else pdf.add("<< /Producer (ScanStation 4200 Firmware 2.1) >>")
    return pdf.serialize(catalog, inf, name)


# ---------------------------------------------------------------------------
# qpdf (owner-password encryption)
# ---------------------------------------------------------------------------

def qpdf_encrypt_owner(src: bytes, owner_pw: str) -> bytes:
    with tempfile.TemporaryDirectory() as td:
        i, o = Path(td, "in.pdf"), Path(td, "out.pdf")
        i.write_bytes(src)
        r = subprocess.run(["qpdf", "--static-id", "--static-aes-iv", "--encrypt", "", owner_pw, "128",
                            "--use-aes=y", "--modify=none", "--", str(i), str(o)], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"qpdf failed: {r.stdout}{r.stderr}")
        return o.read_bytes()


# ---------------------------------------------------------------------------
# E-mail (RFC 5322, CRLF, 7-bit on the wire)
# ---------------------------------------------------------------------------

def b64_lines(data: bytes) -> list[str]:
    s = base64.b64encode(data).decode()
    return [s[i:i + 76] for i in range(0, len(s), 76)]


def qp_lines(text: str) -> list[str]:
    enc_ = quopri.encodestring(text.encode("utf-8")).decode("ascii")
    return enc_.replace("\r\n", "\n").rstrip("\n").split("\n")


def rfc2047(s: str) -> str:
    return "=?UTF-8?B?" + base64.b64encode(s.encode("utf-8")).decode() + "?="


def make_eml(rel: str, headers: list[str], body: str, attachment: tuple[str, bytes] | None = None,
             readme="", tg=None, attachments: list[tuple[str, str, bytes, dict]] | None = None) -> None:
    """`attachment`: one PDF (name, bytes). `attachments`: (name, MIME type,
    bytes, tags) each, tagged as child documents in tags.csv."""
    ascii_body = all(ord(c) < 128 for c in body)
    if ascii_body:
        part_hdr = ["Content-Type: text/plain; charset=us-ascii", "Content-Transfer-Encoding: 7bit"]
        part_body = body.rstrip("\n").split("\n")
    else:
        part_hdr = ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable"]
        part_body = qp_lines(body)
    lines = list(headers) + ["MIME-Version: 1.0"]
    parts = [(attachment[0], "application/pdf", attachment[1])] if attachment else []
    for fname, mime, data, child_tags in attachments or []:
        parts.append((fname, mime, data))
        ATTACHMENT_TAGS.append({"path": f"{rel}/{fname}", "tags": child_tags})
    if not parts:
        lines += part_hdr + [""] + part_body
    else:
        bnd = "=_adrec_sample_" + hashlib.md5(rel.encode()).hexdigest()[:16]
        lines += [f'Content-Type: multipart/mixed; boundary="{bnd}"', "", "This is a multi-part message in MIME format.",
                  "", f"--{bnd}"] + part_hdr + [""] + part_body
        for fname, mime, data in parts:
            lines += ["", f"--{bnd}", f'Content-Type: {mime}; name="{fname}"',
                      f'Content-Disposition: attachment; filename="{fname}"', "Content-Transfer-Encoding: base64", ""
                      ] + b64_lines(data)
        lines += ["", f"--{bnd}--"]
    text = "\r\n".join(lines) + "\r\n"
    write(DOCS_DIR / rel, text.encode("ascii"))
    register(rel, readme, tg)


# ---------------------------------------------------------------------------
# Office files (python-docx / openpyxl), ZIPs normalised for reproducibility
# ---------------------------------------------------------------------------

ZIP_TIME = (2019, 1, 1, 0, 0, 0)


def normalize_zip(data: bytes, modified_iso: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in items:
            if name == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + modified_iso.encode() + rb"\g<2>", body)
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 0
            zi.external_attr = 0
            z.writestr(zi, body)
    return buf.getvalue()


def set_core(cp, title, author, created: dt.datetime) -> None:
    cp.title = title
    cp.author = author
    cp.created = created
    cp.modified = created
    cp.last_modified_by = author
    cp.revision = 1


# ---------------------------------------------------------------------------
# Block helpers for the document texts
# ---------------------------------------------------------------------------

def P(s, **k):
    return ("p", s, k) if k else ("p", s)


def H(s):
    return ("h", s)


def T(s, **k):
    return ("t", s, k) if k else ("t", s)


def F(*pairs, **k):
    return ("f", list(pairs), k) if k else ("f", list(pairs))


def UL(*items, **k):
    return ("ul", list(items), k) if k else ("ul", list(items))


def OL(*items, **k):
    return ("ul", list(items), dict(k, numbered=True))


def L(s, **k):
    return ("ln", s, k) if k else ("ln", s)


def SP(n=8):
    return ("sp", n)


def BR(**k):
    return ("break", k) if k else ("break",)


def TAB(cols, rows, **k):
    return ("tab", cols, rows, k) if k else ("tab", cols, rows)


def SIG(*lines):
    return ("sig", list(lines))


RULE = ("rule",)


def tags(status, category="", **kw):
    t = {"status": status, "category": category}
    for k, v in kw.items():
        t[k.replace("_", "-")] = v
    return t


FOUO = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
PREDEC = "DRAFT \u2013 PRE-DECISIONAL AND DELIBERATIVE"
ACP = "PRIVILEGED AND CONFIDENTIAL \u2013 ATTORNEY-CLIENT COMMUNICATION"


def dhs_letterhead(office):
    return [L("U.S. Department of Homeland Security", font="B", size=13, align="c"),
            L(office, align="c"), L("Washington, DC 20528", align="c", size=9.5), RULE, SP(4)]


def sre_letterhead(area="Dirección General para América del Norte"):
    return [L("SECRETARÍA DE RELACIONES EXTERIORES", font="B", size=13, align="c"),
            L("Estados Unidos Mexicanos", align="c", size=9.5), L(area, align="c"), RULE, SP(4)]


# ---------------------------------------------------------------------------
# international-affairs/
# ---------------------------------------------------------------------------

NOTA_ES = [
    "La Secretaría de Relaciones Exteriores de los Estados Unidos Mexicanos saluda atentamente a la Embajada de "
    "los Estados Unidos de América y se refiere a la decisión del Gobierno de los Estados Unidos de América de "
    "aplicar la Sección 235(b)(2)(C) de su Ley de Inmigración y Nacionalidad, comunicada a esta Secretaría el "
    "20 de diciembre de 2018.",
    "Al respecto, la Secretaría informa que el Gobierno de México, por razones humanitarias y de manera "
    "temporal, autorizará la entrada de ciertas personas extranjeras no mexicanas provenientes de los Estados "
    "Unidos que hayan ingresado a ese país por un puerto de entrada o que hayan sido aprehendidas entre puertos "
    "de entrada, que hayan recibido un citatorio para comparecer ante un juez de inmigración y que se encuentren "
    "en espera de su audiencia.",
    "El Gobierno de México velará por que dichas personas gocen de los derechos y libertades reconocidos en la "
    "Constitución, en los tratados internacionales de los que México es parte y en su Ley de Migración, incluido "
    "el acceso a un permiso de trabajo y a servicios de salud y educación, en los términos de la legislación "
    "aplicable.",
    "La Secretaría solicita que el Gobierno de los Estados Unidos: (a) no aplique esta medida a menores no "
    "acompañados ni a personas en situación de vulnerabilidad; (b) notifique con la debida anticipación el "
    "número de personas que serán devueltas por cada puerto de entrada y los horarios de entrega; y (c) facilite "
    "el traslado seguro de las personas a sus audiencias en territorio estadounidense.",
    "La Secretaría de Relaciones Exteriores aprovecha la oportunidad para renovar a la Embajada de los Estados "
    "Unidos de América las seguridades de su más alta y distinguida consideración.",
]
NOTA_EN = [
    "The Secretariat of Foreign Affairs of the United Mexican States presents its compliments to the Embassy of "
    "the United States of America and refers to the decision of the Government of the United States of America "
    "to apply Section 235(b)(2)(C) of its Immigration and Nationality Act, communicated to this Secretariat on "
    "December 20, 2018.",
    "In this regard, the Secretariat informs that the Government of Mexico, for humanitarian reasons and on a "
    "temporary basis, will authorize the entry of certain non-Mexican foreign persons coming from the United "
    "States who entered that country at a port of entry or were apprehended between ports of entry, who have "
    "received a notice to appear before an immigration judge, and who are awaiting their hearing.",
    "The Government of Mexico will ensure that such persons enjoy the rights and freedoms recognized in the "
    "Constitution, in the international treaties to which Mexico is a party, and in its Migration Law, including "
    "access to a work permit and to health and education services, under the applicable legislation.",
    "The Secretariat requests that the Government of the United States: (a) not apply this measure to "
    "unaccompanied minors or to persons in vulnerable situations; (b) give due advance notice of the number of "
    "persons to be returned at each port of entry and of the hand-over times; and (c) facilitate the safe travel "
    "of those persons to their hearings in United States territory.",
    "The Secretariat of Foreign Affairs avails itself of this opportunity to renew to the Embassy of the United "
    "States of America the assurances of its highest and most distinguished consideration.",
]


def make_nota_diplomatica() -> bytes:
    blocks = sre_letterhead() + [
        L("Nota No. DGAN/0412/2019", font="B", align="r"), SP(6),
        *[P(s) for s in NOTA_ES],
        SP(6), L("Ciudad de México, a 24 de enero de 2019", align="r"), SP(10),
        L("A la Honorable Embajada de los Estados Unidos de América"), L("Ciudad de México"),
        BR(),
        T("Unofficial English Translation"),
        P("Prepared by the DHS Office of International Affairs for internal reference. The Spanish text is "
          "authoritative.", font="I", size=9.5),
        L("Note No. DGAN/0412/2019", font="B", align="r"), SP(4),
        *[P(s) for s in NOTA_EN],
        SP(6), L("Mexico City, January 24, 2019", align="r"), SP(10),
        L("To the Honorable Embassy of the United States of America"), L("Mexico City"),
        BR(),
        T("Anexo \u2013 Puertos de entrada y horarios de entrega propuestos"),
        P("Las cifras siguientes son propuestas iniciales del Gobierno de México y se revisarán semanalmente en el "
          "grupo de trabajo bilateral. Los horarios corresponden a la hora local de la ciudad receptora."),
        TAB([120, 140, 110, 98], [
            ["Puerto de entrada (EE.UU.)", "Ciudad receptora", "Horario de entrega", "Personas por día"],
            ["San Ysidro, California", "Tijuana, Baja California", "09:00\u201315:00", "20"],
            ["Calexico, California", "Mexicali, Baja California", "10:00\u201314:00", "10"],
            ["El Paso, Texas", "Ciudad Juárez, Chihuahua", "09:00\u201316:00", "por definir"],
        ], aligns=["l", "l", "l", "r"]),
        P("Cualquier modificación a los horarios o a las cifras se comunicará por la vía diplomática o mediante el "
          "grupo de trabajo, con al menos 72 horas de anticipación."),
    ]
    lay = Layout(marking=None).run(blocks).finish()
    info = dict(title="Nota diplomática DGAN/0412/2019 \u2013 Aplicación de la Sección 235(b)(2)(C)",
                author="Secretaría de Relaciones Exteriores", created="D:20190124183000-06'00'")
    return assemble("nota-diplomatica-sre", lay, False, info), len(lay.pages)


def make_international_affairs(nota: bytes, nota_pages: int) -> None:
    cat1 = dict(status="produce", category="1")

    # 1. diplomatic note (duplicate of policy-office/ copy)
    rel = "international-affairs/2019-01-24-nota-diplomatica-sre.pdf"
    write(DOCS_DIR / rel, nota)
    register(rel, "Diplomatic note from Mexico's Secretariat of Foreign Affairs (Spanish, with an unofficial English "
                  "translation and an annex of ports and hand-over times); Info Title/Author are non-ASCII UTF-16 strings; "
                  f"CreationDate 18:30 -06:00 (the next day in UTC) ({nota_pages} pages). "
                  "Byte-identical to policy-office/2019-01-24-nota-diplomatica-sre.pdf.",
             tg=tags("produce", "1", doc_type="Diplomatic Note",
                    note="Exact duplicate collected from international-affairs and policy-office"))

    # 2. joint declaration
    make_pdf("international-affairs/2019-06-07-joint-declaration.pdf", [
        T("JOINT DECLARATION OF THE UNITED STATES OF AMERICA AND THE UNITED MEXICAN STATES ON MIGRATION", size=13),
        L("Washington, D.C., June 7, 2019", align="c"), SP(10),
        P("Delegations of the United States of America and the United Mexican States (the Participants) met in "
          "Washington, D.C., from June 5 to June 7, 2019, to address the sharp rise in irregular migration through "
          "Mexico toward the United States and the humanitarian and security challenges it creates for both "
          "countries. The Participants recognize that the problem is shared and that a durable response requires "
          "coordinated action by both Governments."),
        H("1. Mexican enforcement measures"),
        P("Mexico will increase its migration enforcement presence throughout its territory, giving priority to its "
          "southern border, and will take steps to disrupt the smuggling and trafficking organizations that profit "
          "from irregular migration, including their financial and transportation networks."),
        H("2. Expansion of the Migrant Protection Protocols"),
        P("The United States will expand the implementation of the Migrant Protection Protocols (MPP) across its "
          "entire southern border. Under the MPP, persons who cross the southern border of the United States to seek "
          "asylum will be returned to Mexico without delay, where they may await the adjudication of their claims."),
        P("Mexico, in keeping with its international obligations and for humanitarian reasons, will authorize the "
          "entry of those persons for the duration of their United States immigration proceedings and will offer "
          "them employment, health care and education in accordance with its laws and principles."),
        P("The United States will work to accelerate the adjudication of claims and to conclude removal proceedings "
          "as expeditiously as possible."),
        H("3. Regional development"),
        P("The Participants reaffirm their commitment to promote development, economic growth and security in "
          "southern Mexico and Central America in order to address the root causes of migration, and they welcome "
          "the contributions of other partners to that effort."),
        H("4. Further actions"),
        P("Should the measures described above not produce the expected results, the Participants will take further "
          "actions. To that end they will continue their discussions on additional understandings to address "
          "irregular migration flows and asylum issues, to be concluded and announced within 90 days, as necessary."),
        H("5. Review"),
        P("The Participants will meet at least monthly to review the implementation of this Declaration. A working "
          "group of officials from both Governments will meet regularly to coordinate operational matters, including "
          "the return of persons under the MPP at each port of entry."),
        H("6. Nature of this Declaration"),
        P("This Declaration records political commitments of the Participants. It is not intended to create legally "
          "binding obligations under domestic or international law."),
        BR(),
        L("Signed at Washington, D.C., on June 7, 2019, in duplicate, in the English and Spanish languages.", size=10),
        SP(10),
        L("For the United States of America:", font="B"),
        SIG("J. Ambler", "Senior Official, Department of State"),
        SP(16),
        L("For the United Mexican States:", font="B"),
        SIG("M. Treviño", "Subsecretario para América del Norte, Secretaría de Relaciones Exteriores"),
        SP(24),
        H("Annex \u2013 Working-group points of contact"),
        TAB([160, 150, 158], [
            ["Function", "United States", "Mexico"],
            ["Working-group lead", "S. Patel, DHS/OIA", "E. Vargas, SRE"],
            ["Port operations", "T. Nguyen, CBP/OFO", "R. Castillo, INM"],
            ["Data exchange", "M. Chen, DHS/PLCY", "L. Martínez, SRE"],
        ]),
    ], title="U.S.-Mexico Joint Declaration on Migration", author="Office of International Affairs",
        created="D:20190607233000-04'00'",
        readme="Joint declaration with Mexico on migration and the expansion of MPP, with signature page and "
               "points of contact; CreationDate is 23:30 -04:00 (the next day in UTC)",
        tg=tags("produce", "1", doc_type="Agreement"))

    # 3. bilateral working-group readout (redacted DP)
    make_pdf("international-affairs/2019-06-14-bilateral-meeting-readout.pdf", [
        T("READOUT: U.S.\u2013MEXICO BILATERAL WORKING GROUP ON MPP IMPLEMENTATION", size=13),
        F(("Date:", "June 14, 2019"), ("Location:", "Ciudad Juárez, Chihuahua"),
          ("Prepared by:", "S. Patel, Office of International Affairs"),
          ("Distribution:", "A. Reyes (PLCY); T. Nguyen (CBP/OFO); Executive Secretariat")),
        H("Participants"),
        UL("United States: S. Patel (DHS/OIA); T. Nguyen (CBP/OFO); C. Alvarado (CBP, El Paso Field Office); a "
           "representative of the U.S. Consulate General in Ciudad Juárez.",
           "Mexico: E. Vargas (SRE, Dirección General para América del Norte); R. Castillo (INM, Chihuahua); "
           "representatives of the Chihuahua state population council and of the municipal government of "
           "Ciudad Juárez."),
        H("Summary of discussion"),
        P("Shelter capacity. The Mexican delegation reported that shelters in Ciudad Juárez were operating at or above "
          "capacity and that the state government had opened a temporary facility with room for about 700 people. "
          "The delegation asked that daily returns be coordinated at least 24 hours in advance and capped at the "
          "figures agreed for each port."),
        P("Transportation on hearing days. Both sides agreed that persons with hearings scheduled before 9:00 a.m. "
          "will present at the Paso del Norte bridge at 5:00 a.m. and that CBP will provide an escort from the limit "
          "line to the processing area. INM will post notices at the shelters describing the reporting procedure."),
        P("Information sharing. CBP will share, each Friday, the number of persons returned under MPP at each port "
          "during the preceding week, broken down by adults and family units. SRE asked that the data also include "
          "the hearing dates assigned, so that the state government can plan transportation. The United States side "
          "agreed to consider the request."),
        P("Vulnerable persons. The Mexican delegation raised cases of persons with serious medical conditions who had "
          "been returned. CBP explained the existing guidance that excludes persons with known physical or mental "
          "health issues and agreed to circulate a point of contact for referrals."),
        H("Commitments"),
        OL("CBP will provide 24-hour advance notice of daily returns at El Paso and will not exceed the agreed daily "
           "figure without prior consultation.",
           "INM will designate a liaison at each receiving port and share a contact list by June 21, 2019.",
           "OIA will circulate a draft data-sharing template to SRE by June 28, 2019.",
           "The working group will meet again in Tijuana in July 2019."),
        H("Assessment"),
        P("Our assessment is that the Mexican delegation will resist any expansion to Nuevo Laredo before shelter "
          "capacity improves, and that the state-level officials present were more skeptical of the program than "
          "their federal counterparts. We believe the request for hearing-date data is a first step toward a broader "
          "request for case-level information, which would raise privacy and operational concerns.", red="DP"),
        P("The tone of the meeting suggests that cooperation on daily caps is negotiable if the United States offers "
          "additional support for shelter operations; staff have not yet evaluated the cost of, or the legal "
          "authority for, such support.", red="DP"),
        H("Recommended next steps"),
        UL("Recommend that PLCY and CBP develop options for a phased Nuevo Laredo start tied to verified shelter "
           "capacity before the July meeting.",
           "Recommend that OIA ask the Office of the General Counsel whether aggregate hearing-date data may be "
           "shared under the existing arrangements.", red="DP"),
        BR(),
        T("Attachment \u2013 Action items agreed on June 14, 2019"),
        TAB([30, 250, 110, 78], [
            ["No.", "Action", "Owner", "Due"],
            ["1", "Advance notice of daily returns at El Paso (24 hours)", "CBP/OFO", "Ongoing"],
            ["2", "List of INM liaisons at each receiving port", "INM", "June 21, 2019"],
            ["3", "Draft data-sharing template", "DHS/OIA", "June 28, 2019"],
            ["4", "Point of contact for medical referrals", "CBP, El Paso", "June 21, 2019"],
            ["5", "Next working-group meeting (Tijuana)", "SRE / DHS/OIA", "July 2019"],
        ]),
        P("Next meeting: Tijuana, Baja California, week of July 15, 2019 (date to be confirmed by SRE)."),
    ], title="Readout - US-Mexico Bilateral Working Group on MPP Implementation", author="S. Patel",
        created="D:20190614171500-06'00'", marking=FOUO,
        redacted_as="redacted/2019-06-14-bilateral-meeting-readout-redacted.pdf",
        failed_as="redacted/2019-06-14-bilateral-meeting-readout-boxes-only.pdf",
        readme="Readout of a bilateral working-group meeting with Mexican officials; its Assessment and Recommended "
               "next steps are redacted (DP) in redacted/2019-06-14-bilateral-meeting-readout-redacted.pdf",
        tg=tags("redact", "1", privilege="DP",
               description="Readout of a bilateral working-group meeting with Government of Mexico officials, redacted "
                           "to remove staff assessments of the meeting and recommendations for next steps prepared for "
                           "DHS decision-makers.",
               doc_date="2019-06-14", doc_type="Notes", author="S. Patel (DHS Office of International Affairs)",
               recipients="A. Reyes (DHS PLCY); T. Nguyen (CBP/OFO); DHS Executive Secretariat"))
    REDACTIONS["redacted/2019-06-14-bilateral-meeting-readout-redacted.pdf"] = [
        "resist any expansion", "cooperation on daily caps is negotiable", "phased Nuevo Laredo start"]

    # 4. e-mail with an RFC 2047 (non-ASCII) subject
    make_eml("international-affairs/2019-06-10-reunion-bilateral-seguimiento.eml", [
        "Message-ID: <20190611004200.4711@correo.sre.example.gob.mx>",
        "Date: Mon, 10 Jun 2019 19:42:00 -0500",
        f"From: {rfc2047('Lucía Martínez')} <l.martinez@sre.example.gob.mx>",
        "To: Sofia Patel <s.patel@oia.example.gov>",
        "Cc: Ana Reyes <a.reyes@hq.example.gov>, Eduardo Vargas <e.vargas@sre.example.gob.mx>",
        f"Subject: {rfc2047('Reunión bilateral – seguimiento del acuerdo')}",
    ], "Estimada Sofia:\n\n"
       "Gracias por la reunión del viernes. Como acordamos, le comparto los puntos de seguimiento del acuerdo "
       "del 7 de junio:\n\n"
       "1. La SRE confirmará esta semana los enlaces del INM en Tijuana, Mexicali y Ciudad Juárez.\n"
       "2. Solicitamos que el aviso de entregas diarias se envíe con 24 horas de anticipación al correo del grupo "
       "de trabajo.\n"
       "3. Proponemos que la próxima reunión del grupo de trabajo se celebre en Ciudad Juárez el 14 de junio.\n\n"
       "Quedo atenta a sus comentarios.\n\n"
       "Saludos cordiales,\n\n"
       "Lucía Martínez\n"
       "Directora de Asuntos Migratorios\n"
       "Dirección General para América del Norte\n"
       "Secretaría de Relaciones Exteriores\n",
       readme="E-mail from an SRE official (Spanish, quoted-printable UTF-8) with an RFC 2047 encoded subject "
              "\"Reunión bilateral – seguimiento del acuerdo\" and encoded From name; Date -05:00",
       tg=tags("produce", "1"))

    # 5. e-mail with a PDF attachment
    att = Layout().run([
        T("SUPPLEMENTARY ARRANGEMENT ON THE RETURN OF PERSONS UNDER THE MPP"),
        L("June 7, 2019", align="c"), SP(8),
        P("Further to the Joint Declaration of June 7, 2019, the Participants arrange as follows: (1) returns will take "
          "place only at the ports of entry listed by the working group and during the agreed hand-over hours; "
          "(2) CBP will give 24 hours' advance notice of the number of persons to be returned; (3) INM will receive "
          "returned persons at the limit line and issue the appropriate migration documents; (4) the working group "
          "will review daily figures weekly."),
        P("This arrangement records political commitments and creates no legally binding obligations."),
    ]).finish()
    att_pdf = assemble("supplementary-arrangement-attachment", att, False,
                       dict(title="Supplementary Arrangement", author="Office of International Affairs",
                            created="D:20190607220000-04'00'"))
    make_eml("international-affairs/2019-06-08-transmittal-supplementary-arrangement.eml", [
        "Message-ID: <20190608150500.2231@mail.oia.example.gov>",
        "Date: Sat, 08 Jun 2019 11:05:00 -0400",
        "From: Sofia Patel <s.patel@oia.example.gov>",
        "To: Eduardo Vargas <e.vargas@sre.example.gob.mx>",
        "Cc: Ana Reyes <a.reyes@hq.example.gov>, Tomas Nguyen <t.nguyen@cbp.example.gov>",
        "Subject: Transmittal: Supplementary Arrangement (June 7, 2019)",
    ], "Eduardo,\n\n"
       "Attached is the text of the Supplementary Arrangement on the return of persons under the MPP, as agreed by\n"
       "our delegations yesterday. The Spanish text will follow from your side through the usual channel.\n\n"
       "We propose to hold the first working-group meeting under the arrangement in Ciudad Juarez on June 14.\n"
       "Please let me know whether the date works for SRE and INM.\n\n"
       "Best regards,\n\n"
       "Sofia Patel\n"
       "Office of International Affairs\n"
       "U.S. Department of Homeland Security\n",
       attachment=("Supplementary-Arrangement-2019-06-07.pdf", att_pdf),
       readme="E-mail to an SRE official transmitting the Supplementary Arrangement; multipart/mixed with one PDF "
              "attachment named Supplementary-Arrangement-2019-06-07.pdf",
       tg=tags("produce", "1"))
    ATTACHMENT_TAGS.append({
        "path": "international-affairs/2019-06-08-transmittal-supplementary-arrangement.eml/"
                "Supplementary-Arrangement-2019-06-07.pdf",
        "tags": tags("produce", doc_type="Agreement")})

    # 6. letter from SRE on shelter capacity (Spanish)
    make_pdf("international-affairs/2019-07-22-oficio-sre-capacidad-albergues.pdf", sre_letterhead() + [
        L("Oficio No. DGAN/1187/2019", font="B", align="r"),
        L("Ciudad de México, 22 de julio de 2019", align="r"), SP(8),
        L("Sra. Sofia Patel"), L("Oficina de Asuntos Internacionales"),
        L("Departamento de Seguridad Nacional de los Estados Unidos de América"), L("Presente"), SP(8),
        P("Me refiero a los compromisos adoptados en la reunión del grupo de trabajo bilateral celebrada en Ciudad "
          "Juárez el 14 de junio de 2019, en particular al intercambio de información sobre la capacidad de los "
          "albergues en las ciudades que reciben a personas devueltas conforme a los Protocolos de Protección a "
          "Migrantes."),
        P("Con base en la información proporcionada por los gobiernos estatales, la capacidad disponible en Tijuana, "
          "Mexicali y Ciudad Juárez se encuentra cerca de su límite, como se detalla en el anexo. El Gobierno de "
          "México continúa habilitando espacios temporales, pero solicita que las entregas diarias no excedan las "
          "cifras acordadas por el grupo de trabajo mientras esa capacidad no aumente."),
        P("Asimismo, la Secretaría reitera su solicitud de que no sean devueltas personas con necesidades médicas "
          "graves, mujeres embarazadas en etapa avanzada ni personas que hayan manifestado temor de permanecer en "
          "México, sin que antes se haya concluido la evaluación correspondiente."),
        P("Finalmente, le informo que el INM designó enlaces en cada punto de recepción; sus datos de contacto se "
          "comunicarán al grupo de trabajo por correo electrónico."),
        P("Sin otro particular, le envío un cordial saludo."),
        SP(6), L("Atentamente,"),
        SIG("Lucía Martínez", "Directora de Asuntos Migratorios", "Dirección General para América del Norte"),
        BR(),
        T("Anexo: Capacidad de albergues reportada por los gobiernos estatales"),
        L("Corte al 19 de julio de 2019", align="c", size=10), SP(6),
        TAB([110, 120, 80, 80, 78], [
            ["Ciudad", "Albergues registrados", "Capacidad", "Ocupación", "% ocupado"],
            ["Tijuana", "24", "3,150", "2,890", "92%"],
            ["Mexicali", "9", "980", "905", "92%"],
            ["Ciudad Juárez", "17", "2,400", "2,465", "103%"],
            ["Total", "50", "6,530", "6,260", "96%"],
        ], aligns=["l", "r", "r", "r", "r"]),
        P("Fuente: consejos estatales de población de Baja California y Chihuahua. Las cifras incluyen espacios "
          "temporales habilitados por los gobiernos estatales y municipales.", size=9.5),
    ], title="Oficio DGAN/1187/2019 \u2013 Capacidad de albergues", author="Lucía Martínez",
        created="D:20190722101500-05'00'",
        readme="Letter (Spanish) from SRE to DHS on shelter capacity in Tijuana, Mexicali and Ciudad Juárez, with an "
               "annex table",
        tg=tags("produce", "1", doc_type="Letter"))

    # 7. landscape table
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
    data = [
        ("San Ysidro, CA", "Tijuana", [18, 232, 611, 720, 904, 1120, 1390, 1262, 1015, 876, 702]),
        ("Calexico, CA", "Mexicali", [0, 0, 96, 305, 411, 462, 498, 470, 402, 377, 318]),
        ("El Paso, TX", "Ciudad Juárez", [0, 0, 168, 1210, 2415, 3190, 3802, 3355, 2714, 2230, 1901]),
        ("Laredo, TX", "Nuevo Laredo", [0, 0, 0, 0, 0, 0, 1180, 2204, 2019, 1604, 1322]),
        ("Brownsville, TX", "Matamoros", [0, 0, 0, 0, 0, 0, 510, 1840, 2377, 2011, 1766]),
        ("Eagle Pass, TX", "Piedras Negras", [0, 0, 0, 0, 0, 0, 0, 0, 0, 96, 214]),
        ("Nogales, AZ", "Nogales", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 188]),
    ]
    rows = [["Port of entry", "Receiving city"] + months + ["Total"]]
    for port, city, vals in data:
        rows.append([port, city] + [f"{v:,}" if v else "\u2013" for v in vals] + [f"{sum(vals):,}"])
    col_tot = [sum(d[2][i] for d in data) for i in range(len(months))]
    rows.append(["All ports", ""] + [f"{v:,}" for v in col_tot] + [f"{sum(col_tot):,}"])
    make_pdf("international-affairs/2019-12-03-monthly-returns-by-port.pdf", [
        T("MPP Returns to Mexico by Port of Entry, January\u2013November 2019"),
        L("Monthly summary shared with the Government of Mexico under the June 7, 2019 arrangement", align="c", size=10),
        SP(10),
        TAB([84, 78] + [38] * 11 + [50], rows, size=8.5, aligns=["l", "l"] + ["r"] * 12),
        P("Figures count individuals returned to Mexico after processing under MPP, by the month in which the return "
          "took place. They do not count persons later removed from MPP or persons who returned to the United States "
          "for a hearing and were released.", size=9.5),
        BR(),
        H("Notes and definitions"),
        UL("Return: the hand-over of a person enrolled in MPP to INM officials at the limit line of the port listed.",
           "Receiving city: the Mexican city in which INM receives the person; it is not necessarily where the person "
           "resides while awaiting a hearing.",
           "Ports with no figures had not begun MPP returns in that month.",
           "November 2019 figures are preliminary and will be revised in the December summary."),
        H("Returns by population type, January\u2013November 2019"),
        TAB([160, 120, 120, 100], [
            ["Population", "Individuals", "Share", "Ports"],
            ["Single adults", "27,544", "51%", "7"],
            ["Members of family units", "26,465", "49%", "7"],
        ], aligns=["l", "r", "r", "r"]),
        P("Prepared by the CBP Office of Field Operations, Planning and Analysis Branch, December 3, 2019. Distribution "
          "to the Government of Mexico is limited to the members of the bilateral working group.", size=9.5),
    ], size=LANDSCAPE, title="MPP Returns by Port of Entry - Monthly Summary (Jan-Nov 2019)",
        author="CBP Office of Field Operations", created="D:20191203093000-05'00'", marking=FOUO,
        readme="Landscape (MediaBox 792x612) table of monthly MPP returns by port, shared with Mexico; tagged "
               "CONFIDENTIAL",
        tg=tags("produce", "1", doc_type="Report", confidentiality="CONFIDENTIAL"))

    # 8. owner-password-encrypted letter to INM
    lay = Layout().run(dhs_letterhead("Office of International Affairs") + [
        L("March 19, 2020", align="r"), SP(6),
        L("Mr. Ramón Castillo"), L("Coordinador de Control y Verificación Migratoria"),
        L("Instituto Nacional de Migración"), L("Ciudad de México"), SP(8),
        L("Dear Mr. Castillo:"), SP(4),
        P("In light of the public health emergency caused by COVID-19, the Department of Homeland Security and the "
          "Department of Justice have decided to postpone all MPP hearings scheduled through April 22, 2020. No "
          "person enrolled in MPP will be ordered removed for failing to appear at a hearing that has been postponed."),
        P("Persons with a hearing date through April 22, 2020 should still present at their designated port of entry "
          "on their scheduled date and time. There they will receive a notice, in English and Spanish, with a new "
          "hearing date, and they will be returned to Mexico the same day without entering the United States "
          "interior."),
        P("We would be grateful for INM's help in making this information known in the shelters and at the INM "
          "offices in the receiving cities. A copy of the notice is enclosed for that purpose. CBP will continue to "
          "share weekly figures through the bilateral working group and will inform INM of any change in the hours "
          "at which persons may present at each port."),
        P("Thank you for your continued cooperation."),
        SP(4), L("Sincerely,"),
        SIG("Sofia Patel", "Director for Western Hemisphere Affairs", "Office of International Affairs"),
        SP(8), L("Enclosure: Notice of postponed MPP hearings (English/Spanish)", size=9.5),
        BR(),
        T("Traducción de cortesía"),
        P("A la luz de la emergencia de salud pública causada por el COVID-19, el Departamento de Seguridad Nacional y "
          "el Departamento de Justicia decidieron posponer todas las audiencias del MPP programadas hasta el 22 de "
          "abril de 2020. Ninguna persona inscrita en el MPP será objeto de una orden de expulsión por no comparecer a "
          "una audiencia que haya sido pospuesta."),
        P("Las personas con audiencia programada hasta el 22 de abril de 2020 deben presentarse en su puerto de "
          "entrada en la fecha y hora previstas, donde recibirán un aviso en inglés y en español con su nueva fecha de "
          "audiencia, y serán devueltas a México el mismo día."),
        P("Agradeceremos el apoyo del INM para difundir esta información en los albergues y en las oficinas del INM en "
          "las ciudades receptoras."),
    ]).finish()
    src = assemble("letter-to-inm", lay, False, dict(title="Letter to INM - Postponement of MPP Hearings",
                                                       author="Sofia Patel", created="D:20200319160000-04'00'"))
    rel = "international-affairs/2020-03-19-letter-to-inm-hearing-postponement.pdf"
    write(DOCS_DIR / rel, qpdf_encrypt_owner(src, "owner"))
    register(rel, "Letter to INM on the COVID-19 postponement of MPP hearings, with a Spanish courtesy translation; "
                  "encrypted by qpdf with an OWNER password only (AES-128, empty user password, owner password "
                  f"'owner'): it opens without a password ({len(lay.pages)} pages)",
             tg=tags("produce", "1", doc_type="Letter"))

    # 9. e-mail from INM (Spanish)
    make_eml("international-affairs/2020-03-20-inm-difusion-aviso-audiencias.eml", [
        "Message-ID: <20200320151200.8810@correo.inm.example.gob.mx>",
        "Date: Fri, 20 Mar 2020 09:12:00 -0600",
        f"From: {rfc2047('Ramón Castillo')} <r.castillo@inm.example.gob.mx>",
        "To: Sofia Patel <s.patel@oia.example.gov>",
        f"Cc: {rfc2047('Lucía Martínez')} <l.martinez@sre.example.gob.mx>",
        "Subject: RE: Postponement of MPP hearings / Aplazamiento de audiencias",
    ], "Estimada Sra. Patel:\n\n"
       "Acuso recibo de su carta del 19 de marzo. El INM difundirá el aviso en los albergues de Tijuana, Mexicali,\n"
       "Ciudad Juárez, Nuevo Laredo y Matamoros a partir del lunes 23 de marzo, y colocará copias impresas en las\n"
       "oficinas de atención a migrantes.\n\n"
       "Le pido que nos confirme si los horarios de presentación en cada puerto se mantienen sin cambios durante la\n"
       "contingencia, para incluirlos en el aviso.\n\n"
       "Atentamente,\n\n"
       "Ramón Castillo\n"
       "Coordinador de Control y Verificación Migratoria\n"
       "Instituto Nacional de Migración\n",
       readme="Reply (Spanish) from an INM official agreeing to post the hearing-postponement notice in shelters; "
              "RFC 2047 encoded From/Cc names; tagged CONFIDENTIAL",
       tg=tags("produce", "1", confidentiality="CONFIDENTIAL"))


# ---------------------------------------------------------------------------
# front-office/
# ---------------------------------------------------------------------------

def make_front_office() -> None:
    # 1. White House meeting notes (withheld PC; DP)
    make_pdf("front-office/2019-01-18-white-house-meeting-notes.pdf", [
        T("NOTES: MEETING WITH WHITE HOUSE STAFF ON MIGRANT PROTECTION PROTOCOLS"),
        F(("Date:", "January 18, 2019, 2:00\u20133:15 p.m."), ("Place:", "Eisenhower Executive Office Building"),
          ("Attendees:", "Domestic Policy Council staff (J. Hollis and others); National Security Council staff; "
                         "DHS Chief of Staff; A. Reyes (PLCY); P. Brennan (Executive Secretariat)"),
          ("Notes by:", "P. Brennan")),
        H("Purpose"),
        P("White House staff asked for a briefing on the status of MPP implementation ahead of the planned start at "
          "the San Ysidro port of entry and for options to present to senior advisers to the President."),
        H("Discussion"),
        P("DHS described the sequence of steps before the first returns: issuance of the Secretary's guidance, the CBP "
          "muster, USCIS procedures for fear-of-return assessments, and the confirmation from the Government of "
          "Mexico that it will accept returned persons. DPC staff asked whether the start date could be advanced by "
          "one week. DHS explained the dependencies on training and on the diplomatic note expected from Mexico."),
        P("NSC staff asked how DHS would measure the program's effect on flows at the border and what data could be "
          "reported each week. DHS agreed to propose a set of weekly metrics. DPC staff asked for a short paper "
          "comparing a San Ysidro-only start with a simultaneous start at two ports, for discussion with senior "
          "advisers."),
        P("Participants discussed the public announcement and agreed that the White House would be consulted on the "
          "timing of any statement about expansion to additional ports."),
        H("Follow-up"),
        OL("PLCY to draft the options paper requested by DPC staff (due January 22).",
           "Executive Secretariat to circulate a proposed list of weekly metrics (due January 24).",
           "Chief of Staff to confirm the start date with CBP after the diplomatic note is received."),
        BR(),
        H("Attachment \u2013 Questions raised by White House staff"),
        UL("Can the start date at San Ysidro be advanced by one week?",
           "What is the expected daily number of returns in the first month?",
           "How will persons who state a fear of return to Mexico be handled, and how long will the assessments take?",
           "Which ports could follow San Ysidro, and on what timeline?",
           "What will the Government of Mexico announce, and when?"),
    ], title="Notes - Meeting with White House Staff on MPP", author="P. Brennan",
        created="D:20190118170000-05'00'", marking="PRE-DECISIONAL AND DELIBERATIVE \u2013 PRESIDENTIAL COMMUNICATIONS",
        readme="Notes of a meeting with White House DPC and NSC staff; WITHHELD (PC; DP)",
        tg=tags("withhold", "2", privilege="PC;DP",
               description="Notes of a meeting between DHS senior staff and White House Domestic Policy Council and "
                           "National Security Council staff, prepared to inform presidential advisers' deliberations "
                           "on the timing and sequencing of MPP implementation.",
               doc_date="2019-01-18", doc_type="Notes", author="P. Brennan (DHS Executive Secretariat)",
               recipients="DHS Chief of Staff; A. Reyes (DHS PLCY)"))

    # 2. e-mail from White House staff
    make_eml("front-office/2019-05-30-white-house-request-mpp-metrics.eml", [
        "Message-ID: <20190530222000.5520@mail.eop.example.gov>",
        "Date: Thu, 30 May 2019 18:20:00 -0400",
        "From: Jordan Hollis <j.hollis@eop.example.gov>",
        "To: Patrick Brennan <p.brennan@hq.example.gov>",
        "Cc: Ana Reyes <a.reyes@hq.example.gov>",
        "Subject: Request: MPP weekly metrics",
    ], "Patrick,\n\n"
       "Following up on today's call: starting next week, please send us each Thursday the following MPP figures\n"
       "for the preceding seven days, by port of entry:\n\n"
       "  - individuals enrolled and returned to Mexico;\n"
       "  - individuals referred for a fear-of-return assessment, and outcomes;\n"
       "  - hearings scheduled and hearings held;\n"
       "  - persons removed from MPP and the reason.\n\n"
       "A short narrative on coordination with Mexico would also be helpful. Cumulative totals are fine in a\n"
       "separate table.\n\n"
       "Thanks,\n"
       "Jordan\n\n"
       "Jordan Hollis\n"
       "Domestic Policy Council\n",
       readme="E-mail from White House Domestic Policy Council staff requesting weekly MPP metrics",
       tg=tags("produce", "2"))

    # 3. weekly update for the White House (redacted DP)
    make_pdf("front-office/2019-08-15-weekly-mpp-update-dpc.pdf", [
        T("WEEKLY MIGRANT PROTECTION PROTOCOLS UPDATE"),
        F(("Prepared for:", "White House Domestic Policy Council"),
          ("Prepared by:", "DHS Office of Strategy, Policy, and Plans"),
          ("Period:", "August 8\u201314, 2019"), ("Date:", "August 15, 2019"), label_w=86),
        H("1. Enrollment"),
        P("During the reporting period CBP enrolled 2,914 individuals in MPP at six ports of entry, bringing the "
          "cumulative total since January 28, 2019 to 36,512. Enrollments at Laredo and Brownsville, which began in "
          "July, accounted for 58 percent of the week's total."),
        H("2. Immigration court hearings"),
        P("Hearings continued in San Diego and El Paso. The temporary hearing facilities at the Laredo and Brownsville "
          "ports are expected to open in mid-September; until then persons returned at those ports are scheduled for "
          "hearings at the existing courts. Appearance rates for first hearings remain above 85 percent in San Diego "
          "and El Paso."),
        H("3. Coordination with Mexico"),
        P("The bilateral working group met on August 12 in Matamoros. Mexico confirmed the opening of a second "
          "temporary shelter in Ciudad Juárez and asked for earlier notice of returns at Brownsville. CBP began "
          "sending daily notices to INM at 3:00 p.m. for the following day."),
        H("4. Fear-of-return assessments"),
        P("USCIS completed 611 assessments during the period; 79 resulted in a positive finding and the persons "
          "concerned were removed from MPP. The average time from referral to decision was 2.1 days."),
        H("5. Issues for decision"),
        P("Whether to ask the Government of Mexico to accept returns of Portuguese-speaking nationals at Nuevo "
          "Laredo, given the limited interpretation capacity at that port. PLCY and CBP have not reached a common "
          "view: PLCY favors a limited pilot, while CBP prefers to wait until the Laredo hearing facility opens.",
          red="DP"),
        H("6. Staff recommendations"),
        P("Staff recommend that the Acting Secretary defer any decision on Portuguese-speaking nationals until after "
          "the September working-group meeting, and that DHS not commit to new weekly reporting fields until CBP "
          "confirms that it can produce them reliably.", red="DP"),
        BR(),
        T("Cumulative MPP enrollments by port through August 14, 2019"),
        TAB([150, 110, 110, 98], [
            ["Port of entry", "Start date", "This week", "Cumulative"],
            ["San Ysidro, CA", "Jan 28, 2019", "402", "7,842"],
            ["Calexico, CA", "Mar 12, 2019", "118", "2,367"],
            ["El Paso, TX", "Mar 12, 2019", "712", "15,811"],
            ["Laredo, TX", "Jul 9, 2019", "884", "4,120"],
            ["Brownsville, TX", "Jul 19, 2019", "798", "6,372"],
            ["All ports", "", "2,914", "36,512"],
        ], aligns=["l", "l", "r", "r"]),
        P("Source: CBP Office of Field Operations, preliminary data as of August 15, 2019, 8:00 a.m. Eastern.",
          size=9.5),
    ], title="Weekly MPP Update - August 15, 2019", author="DHS Office of Strategy, Policy, and Plans",
        created="D:20190815170500-04'00'", marking=FOUO,
        redacted_as="redacted/2019-08-15-weekly-mpp-update-dpc-redacted.pdf",
        readme="Weekly MPP status report prepared for the White House DPC; sections 5 (issues for decision) and 6 (staff "
               "recommendations) redacted (DP) in redacted/2019-08-15-weekly-mpp-update-dpc-redacted.pdf",
        tg=tags("redact", "2", privilege="DP",
               description="Weekly status report on MPP implementation prepared for White House Domestic Policy "
                           "Council staff, redacted to remove a description of issues pending decision and staff "
                           "recommendations to the Acting Secretary.",
               doc_date="2019-08-15", doc_type="Report", author="DHS Office of Strategy, Policy, and Plans",
               recipients="White House Domestic Policy Council staff"))
    REDACTIONS["redacted/2019-08-15-weekly-mpp-update-dpc-redacted.pdf"] = [
        "limited interpretation capacity", "defer any decision on Portuguese", "PLCY favors a limited pilot"]

    # 4. interagency agenda (CONFIDENTIAL)
    make_pdf("front-office/2019-10-28-interagency-meeting-agenda.pdf", [
        T("INTERAGENCY POLICY COMMITTEE ON SOUTHWEST BORDER SECURITY"),
        L("Agenda \u2013 Monday, October 28, 2019, 10:00\u201311:30 a.m.", align="c"),
        L("Eisenhower Executive Office Building, Room 208 (secure video available)", align="c", size=10), SP(10),
        H("1. Opening and objectives (NSC staff, 5 minutes)"),
        P("Review of actions from the September 30 meeting and of the objectives for this session."),
        H("2. Status of the Migrant Protection Protocols (DHS, 20 minutes)"),
        UL("Enrollments and returns by port; start of returns at Eagle Pass and planned start at Nogales.",
           "Operation of the temporary hearing facilities at Laredo and Brownsville.",
           "Coordination with the Government of Mexico through the bilateral working group."),
        H("3. Immigration court capacity (20 minutes)"),
        UL("Hearing schedules and video-teleconference capacity at the temporary facilities.",
           "Interpretation for speakers of languages other than Spanish."),
        H("4. Security conditions in receiving cities (State, 15 minutes)"),
        P("Update on the security environment in Nuevo Laredo and Matamoros and on travel advisories."),
        H("5. Public communications (DPC and NSC staff, 15 minutes)"),
        P("Coordination of statements on program metrics and on the next phase of expansion."),
        H("6. Taskings and next meeting (NSC staff, 5 minutes)"),
        BR(),
        H("Participating departments and offices"),
        UL("National Security Council staff (chair)", "Domestic Policy Council staff", "Department of State",
           "Department of Homeland Security (PLCY, CBP, ICE, USCIS)", "Department of Justice",
           "Department of Health and Human Services"),
        H("Background materials (circulated separately)"),
        OL("Weekly MPP update, October 24, 2019 (DHS)", "Hearing facility operations summary",
           "Security conditions summary (State)"),
        P("Please confirm attendance and secure-video requirements to the NSC Executive Secretariat by 5:00 p.m. on "
          "Friday, October 25.", size=10),
    ], title="IPC Agenda - Southwest Border Security (October 28, 2019)", author="National Security Council Staff",
        created="D:20191025150000-04'00'", marking=FOUO,
        readme="Agenda of a White House-convened interagency meeting on MPP; tagged CONFIDENTIAL",
        tg=tags("produce", "2", doc_type="Agenda", confidentiality="CONFIDENTIAL"))

    # 5. not responsive e-mail
    make_eml("front-office/2019-12-20-holiday-coverage-schedule.eml", [
        "Message-ID: <20191220150300.9901@mail.hq.example.gov>",
        "Date: Fri, 20 Dec 2019 10:03:00 -0500",
        "From: Beatrice Lindqvist <b.lindqvist@hq.example.gov>",
        "To: Front Office Staff <fo-staff@hq.example.gov>",
        "Subject: Holiday coverage schedule, Dec 23 - Jan 3",
    ], "All,\n\n"
       "Here is the front-office coverage schedule for the holidays. Please tell me by Monday noon if you need\n"
       "to swap a day.\n\n"
       "  Dec 23  P. Brennan\n"
       "  Dec 24  B. Lindqvist (until 1 p.m.)\n"
       "  Dec 26  A. Reyes\n"
       "  Dec 27  M. Chen\n"
       "  Dec 30  P. Brennan\n"
       "  Dec 31  B. Lindqvist (until 1 p.m.)\n"
       "  Jan 2   M. Chen\n"
       "  Jan 3   A. Reyes\n\n"
       "The duty phone will be forwarded to the person on coverage each morning at 8:00.\n\n"
       "Thanks,\n"
       "Beatrice\n",
       readme="Front-office holiday coverage schedule; NOT RESPONSIVE",
       tg=tags("not-responsive", note="Administrative scheduling; no MPP content"))

    # 6. suspension memo (2021)
    make_pdf("front-office/2021-01-20-suspension-of-new-enrollments.pdf", dhs_letterhead("Office of the Secretary") + [
        L("January 20, 2021", align="r"), SP(4),
        T("MEMORANDUM", size=12),
        F(("TO:", "Commissioner, U.S. Customs and Border Protection; Director, U.S. Immigration and Customs "
                  "Enforcement; Director, U.S. Citizenship and Immigration Services"),
          ("FROM:", "Acting Secretary"),
          ("SUBJECT:", "Suspension of New Enrollments in the Migrant Protection Protocols Program")),
        RULE,
        P("The Department of Homeland Security is reviewing its policies on the Migrant Protection Protocols (MPP). "
          "Pending the completion of that review, and effective January 21, 2021, the Department will suspend new "
          "enrollments in MPP."),
        P("During the review, all current MPP guidance remains in effect except as it concerns new enrollments. "
          "Individuals currently enrolled in MPP should remain where they are and should continue to follow the "
          "instructions on the documents they received, including the date and place of any scheduled hearing, "
          "until they receive further information from official United States Government sources."),
        P("Noncitizens who are not already enrolled in MPP and who are encountered at or between ports of entry are "
          "to be processed under other existing authorities."),
        BR(),
        H("Implementation"),
        OL("CBP will cease issuing Notices to Appear with MPP hearing information to newly encountered noncitizens as "
           "of 12:01 a.m. Eastern on January 21, 2021, and will notify the Government of Mexico through the usual "
           "channels.",
           "CBP, ICE and USCIS will each designate a point of contact for the review and will provide, within 30 "
           "days, a summary of their current MPP procedures and caseloads.",
           "The Office of Strategy, Policy, and Plans will coordinate the review and report to the Secretary.",
           "Public statements on the suspension will be coordinated through the Office of Public Affairs."),
        P("This memorandum is not intended to, does not, and may not be relied upon to create any right or benefit, "
          "substantive or procedural, enforceable at law by any party in any administrative, civil, or criminal "
          "matter."),
        SIG("Acting Secretary"),
    ], title="Suspension of New Enrollments in the Migrant Protection Protocols Program",
        author="Office of the Secretary", created="D:20210120190000-05'00'",
        readme="Memorandum suspending new MPP enrollments (January 20, 2021)",
        tg=tags("produce", "5", doc_type="Memorandum"))


# ---------------------------------------------------------------------------
# policy-office/
# ---------------------------------------------------------------------------

def make_policy_office(nota: bytes, nota_pages: int) -> None:
    # 1. duplicate of the diplomatic note
    rel = "policy-office/2019-01-24-nota-diplomatica-sre.pdf"
    write(DOCS_DIR / rel, nota)
    register(rel, "Byte-identical copy of international-affairs/2019-01-24-nota-diplomatica-sre.pdf, collected from "
                  f"a second custodian ({nota_pages} pages)",
             tg=tags("produce", "1", doc_type="Diplomatic Note",
                    note="Exact duplicate collected from international-affairs and policy-office"))

    # 2. guiding principles
    make_pdf("policy-office/2019-01-25-mpp-guiding-principles.pdf", [
        T("MIGRANT PROTECTION PROTOCOLS: GUIDING PRINCIPLES"),
        L("January 25, 2019", align="c"), SP(8),
        H("Purpose"),
        P("These principles describe how the Department of Homeland Security will apply Section 235(b)(2)(C) of the "
          "Immigration and Nationality Act to certain aliens arriving on land from Mexico who are not clearly and "
          "beyond a doubt entitled to be admitted. Under the Migrant Protection Protocols (MPP), such aliens may be "
          "returned to Mexico for the duration of their removal proceedings under Section 240 of the Act."),
        H("Who may be processed under MPP"),
        P("Aliens arriving in the United States on land from Mexico, whether or not at a designated port of entry, who "
          "are placed in removal proceedings under Section 240 may be considered for MPP, subject to the exclusions "
          "below and to the discretion of the processing officer and supervisor."),
        H("Who is not amenable to MPP"),
        UL("Unaccompanied alien children.", "Citizens or nationals of Mexico.",
           "Aliens processed for expedited removal.", "Aliens in special circumstances, such as returning lawful "
           "permanent residents seeking admission or aliens with an advance parole document or in parole status.",
           "Aliens with known physical or mental health issues.",
           "Aliens with criminal histories or a history of violence.",
           "Government of Mexico or United States Government interest.",
           "Any alien who is more likely than not to face persecution or torture in Mexico.",
           "Other aliens at the discretion of the Port Director or Chief Patrol Agent."),
        BR(),
        H("Fear of return to Mexico"),
        P("An alien who affirmatively states a fear of return to Mexico at any point during processing will be referred "
          "to a USCIS asylum officer for an assessment. If the officer determines that the alien is more likely than "
          "not to face persecution on account of a protected ground, or torture, in Mexico, the alien will not be "
          "returned to Mexico under MPP."),
        H("Documents and return"),
        P("Each alien processed under MPP will receive a Notice to Appear with the date, time and place of the first "
          "hearing, and an information sheet explaining when and where to report to the port of entry on the hearing "
          "date. Aliens will be returned to Mexico at the port designated for their case."),
        H("Access to counsel"),
        P("Aliens processed under MPP will receive a list of free or low-cost legal service providers. Aliens returned "
          "to Mexico may contact counsel by telephone or in person in Mexico and may meet counsel at the hearing "
          "location before their hearing."),
        BR(),
        H("Coordination with the Government of Mexico"),
        P("The Department will coordinate the number and timing of returns at each port with the Government of Mexico "
          "and will share information necessary for the safe hand-over of returned persons."),
        H("Review"),
        P("These principles will be reviewed as implementation proceeds and as additional ports of entry begin "
          "processing under MPP. Questions should be directed to the Office of Strategy, Policy, and Plans."),
    ], title="MPP Guiding Principles", author="DHS Office of Strategy, Policy, and Plans",
        created="D:20190125120000-05'00'",
        readme="MPP guiding principles (amenability, exclusions, fear claims, documents)",
        tg=tags("produce", "5", doc_type="Guidance"))

    # 3. implementation guidance, with a sticky-note annotation on page 1
    note = ("<< /Type /Annot /Subtype /Text /Rect [556 712 576 732] /F 4 /Name /Comment /Open false "
            "/C [1 0.85 0.2] /T (A. Reyes) /M (D:20190129091500-05'00') "
            "/Contents (Confirm the port list matches the January 28 CBP muster before this is posted.) >>")
    make_pdf("policy-office/2019-01-28-implementation-policy-guidance.pdf", dhs_letterhead("Office of the Secretary") + [
        L("January 28, 2019", align="r"), SP(4),
        T("MEMORANDUM", size=12),
        F(("TO:", "Commissioner, U.S. Customs and Border Protection; Director, U.S. Immigration and Customs "
                  "Enforcement; Director, U.S. Citizenship and Immigration Services"),
          ("FROM:", "Secretary"),
          ("SUBJECT:", "Policy Guidance for Implementation of the Migrant Protection Protocols")),
        RULE,
        H("I. Background"),
        P("On December 20, 2018, the Department announced that it would implement Section 235(b)(2)(C) of the "
          "Immigration and Nationality Act with respect to certain aliens arriving on land from Mexico. This "
          "memorandum provides guidance for that implementation, known as the Migrant Protection Protocols (MPP), "
          "beginning at the San Ysidro port of entry on January 28, 2019."),
        H("II. Applicability"),
        P("This guidance applies to aliens arriving on land from Mexico who are not clearly and beyond a doubt entitled "
          "to be admitted and who are placed in removal proceedings under Section 240 of the Act. It does not apply to "
          "the categories listed in the MPP Guiding Principles of January 25, 2019."),
        BR(),
        H("III. Processing at ports of entry"),
        P("Officers will process amenable aliens for a Notice to Appear, record the processing in the appropriate "
          "system, and provide the alien with the documents listed in Attachment B. Supervisors will review each case "
          "before the alien is returned to Mexico."),
        H("IV. Fear-of-return assessments"),
        P("If an alien affirmatively states a fear of return to Mexico, the officer will refer the alien to USCIS for an "
          "assessment before any return. USCIS will conduct the assessment in a language the alien understands and "
          "will record the outcome. An alien found more likely than not to face persecution or torture in Mexico will "
          "not be returned under MPP."),
        H("V. Return to Mexico and hearing days"),
        P("Returns will take place at the designated port during hours coordinated with the Government of Mexico. On the "
          "hearing date, the alien will present at the port at the time stated on the information sheet and will be "
          "transported to and from the immigration court."),
        BR(),
        H("VI. Recordkeeping"),
        P("Components will keep records sufficient to identify each alien processed under MPP, the port of return, the "
          "documents issued, any fear-of-return assessment and its outcome, and each hearing date. Weekly summaries "
          "will be provided to the Office of Strategy, Policy, and Plans."),
        H("VII. No private right of action"),
        P("This guidance is not intended to, does not, and may not be relied upon to create any right or benefit, "
          "substantive or procedural, enforceable at law by any party in any administrative, civil, or criminal "
          "matter."),
        SIG("Secretary"),
        BR(),
        T("Attachment A \u2013 Processing steps"),
        OL("Confirm that the alien arrived on land from Mexico and is not in an excluded category.",
           "Conduct record checks and document any health concerns.",
           "Ask whether the alien has any questions or concerns about return to Mexico, and refer any affirmative "
           "statement of fear to USCIS.",
           "Issue the Notice to Appear with the hearing date, time and location.",
           "Issue the information sheet and the list of legal service providers.",
           "Obtain supervisory review.", "Return the alien at the designated port and record the return."),
        BR(),
        T("Attachment B \u2013 Documents issued to each alien"),
        TAB([190, 278], [
            ["Document", "Purpose"],
            ["Form I-862, Notice to Appear", "Charges and first hearing date, time and location"],
            ["MPP information sheet (English/Spanish)", "When and where to report on the hearing date"],
            ["List of legal service providers", "Free or low-cost legal services near the hearing location"],
            ["Property receipt (if applicable)", "Record of property returned to the alien"],
        ]),
    ], title="Policy Guidance for Implementation of the Migrant Protection Protocols",
        author="Office of the Secretary", created="D:20190128093000-05'00'", annots={0: [note]},
        readme="Secretary's implementation guidance memorandum with two attachments; page 1 carries ONE sticky-note "
               "(/Text) annotation by A. Reyes, so its row sets hidden-reviewed = yes",
        tg=tags("produce", "5", doc_type="Memorandum", hidden_reviewed="yes",
               note="Page 1 sticky note (A. Reyes) reviewed: not privileged; produced as is"))

    # 4. draft decision memo (withheld DP)
    make_pdf("policy-office/2019-03-12-draft-expansion-options-memo.pdf", [
        T("DECISION MEMORANDUM FOR THE SECRETARY (DRAFT)"),
        F(("FROM:", "Office of Strategy, Policy, and Plans"), ("DRAFTED BY:", "M. Chen"),
          ("SUBJECT:", "Options for expanding the Migrant Protection Protocols to additional ports of entry"),
          ("DATE:", "March 12, 2019 (draft 3)"), label_w=92),
        RULE,
        H("Purpose"),
        P("To seek your decision on the sequence and timing of expanding MPP beyond the San Ysidro port of entry."),
        H("Background"),
        P("Since January 28, 2019, CBP has processed individuals under MPP at San Ysidro. Staff have assessed the "
          "readiness of the Calexico and El Paso ports, taking into account processing space, transportation on "
          "hearing days, court capacity and the capacity of receiving cities in Mexico."),
        H("Option A: Calexico only, then reassess"),
        P("Pros: small initial numbers; receiving city with stable shelter capacity. Cons: limited effect on overall "
          "flows; would require a separate decision for El Paso."),
        H("Option B: Calexico and El Paso together"),
        P("Pros: addresses the sector with the largest increase in arrivals. Cons: court capacity in El Paso is not yet "
          "confirmed; Mexico has asked for more notice before returns to Ciudad Juárez."),
        BR(),
        H("Option C: All southern ports within 90 days"),
        P("Pros: consistent application across the border. Cons: significant resource requirements; coordination "
          "with Mexico not yet begun for most receiving cities; transportation contracts would be needed."),
        H("Staff views"),
        P("[To be completed after CBP and OGC comments are received. PLCY staff currently lean toward Option B with a "
          "two-week interval between the two ports.]"),
        H("Decision"),
        P("Option A ____     Option B ____     Option C ____     Discuss ____"),
        BR(),
        H("Attachment \u2013 Readiness factors by port (staff working estimates)"),
        TAB([110, 120, 120, 118], [
            ["Port", "Processing space", "Court capacity", "Receiving city"],
            ["Calexico", "Adequate", "Shared with San Diego", "Stable"],
            ["El Paso", "Requires reallocation", "To be confirmed", "Near capacity"],
            ["Laredo", "Not assessed", "Not available", "Not assessed"],
            ["Brownsville", "Not assessed", "Not available", "Not assessed"],
        ]),
    ], title="DRAFT Decision Memo - MPP Expansion Options", author="M. Chen", created="D:20190312181000-04'00'",
        marking=PREDEC,
        readme="Draft decision memorandum on expansion options; WITHHELD (DP)",
        tg=tags("withhold", "5", privilege="DP",
               description="Draft decision memorandum prepared by policy staff for the Secretary analysing options for "
                           "expanding MPP to additional ports of entry; predecisional and not adopted in this form.",
               doc_date="2019-03-12", doc_type="Draft", author="M. Chen (DHS PLCY)", recipients="A. Reyes (DHS PLCY)"))

    # 5. supplemental guidance with a CropBox smaller than the MediaBox
    make_pdf("policy-office/2019-07-02-supplemental-guidance-health-issues.pdf", [
        T("SUPPLEMENTAL GUIDANCE: PROCESSING OF INDIVIDUALS WITH KNOWN PHYSICAL OR MENTAL HEALTH ISSUES"),
        L("Office of Strategy, Policy, and Plans \u2013 July 2, 2019", align="c"), SP(8),
        H("1. Purpose"),
        P("This guidance supplements the MPP Guiding Principles of January 25, 2019 and the implementation guidance of "
          "January 28, 2019. It describes how officers identify individuals with known physical or mental health "
          "issues, who are not amenable to MPP, and how such determinations are recorded."),
        H("2. Identification"),
        P("Officers should consider information provided by the individual, observations during processing, medical "
          "screening results, and documents presented. A known health issue includes a condition that requires "
          "ongoing treatment, a recent hospitalization, an advanced pregnancy, or a condition that would make travel "
          "to and from hearings unsafe."),
        P("Where the information is incomplete, officers should request a medical assessment before the individual is "
          "processed under MPP."),
        BR(),
        H("3. Supervisory review"),
        P("A supervisor will review each determination that an individual is or is not amenable to MPP because of a "
          "health issue. The supervisor's decision and its basis are to be recorded in the case notes."),
        H("4. Individuals already returned"),
        P("If information about a known health issue is received after an individual has been returned to Mexico, the "
          "port will review the case at the individual's next presentation or earlier on referral from the Government "
          "of Mexico, and may remove the individual from MPP."),
        H("5. Records and reporting"),
        P("Ports will report weekly the number of individuals found not amenable because of a health issue and the "
          "number removed from MPP after return."),
        BR(),
        H("Annex \u2013 Examples"),
        UL("An individual receiving dialysis: not amenable.",
           "An individual in the third trimester of pregnancy: not amenable.",
           "An individual reporting a past illness that has resolved and requires no treatment: amenable, subject to "
           "supervisory review.",
           "An individual with a diagnosed psychiatric condition requiring medication: not amenable."),
        P("These examples are illustrative; each determination depends on the facts of the case."),
    ], title="Supplemental Guidance - Individuals with Known Health Issues",
        author="DHS Office of Strategy, Policy, and Plans", created="D:20190702140000-04'00'",
        crop=[36, 36, 576, 756],
        readme="Supplemental guidance on individuals with known health issues; every page has CropBox [36 36 576 756] "
               "inside a Letter MediaBox",
        tg=tags("produce", "5", doc_type="Guidance"))

    # 6. e-mail with comments on a draft (withheld DP)
    make_eml("policy-office/2019-09-12-comments-on-draft-exclusion-guidance.eml", [
        "Message-ID: <20190912204800.3344@mail.hq.example.gov>",
        "Date: Thu, 12 Sep 2019 16:48:00 -0400",
        "From: Min Chen <m.chen@hq.example.gov>",
        "To: Ana Reyes <a.reyes@hq.example.gov>",
        "Cc: Tomas Nguyen <t.nguyen@cbp.example.gov>",
        "Subject: Comments on draft exclusion-categories guidance",
    ], "Ana,\n\n"
       "My comments on draft 2 of the exclusion-categories guidance:\n\n"
       "1. Section 2 should say who decides when the Port Director's discretion is exercised; as drafted it is\n"
       "   unclear whether a supervisor can decide alone.\n"
       "2. I would move the examples into an annex so the body stays short.\n"
       "3. Tomas suggests a table listing the documentation needed for each category; I agree.\n"
       "4. We should decide whether the guidance applies to persons already returned before it issues.\n\n"
       "Happy to discuss tomorrow.\n\n"
       "Min\n",
       readme="E-mail with staff comments on a draft of the exclusion-categories guidance; WITHHELD (DP)",
       tg=tags("withhold", "5", privilege="DP",
              description="Email among DHS policy and CBP staff providing comments and proposed changes on a draft of "
                          "MPP exclusion-categories guidance before the guidance was issued.",
              doc_date="2019-09-12", doc_type="Email", author="M. Chen (DHS PLCY)",
              recipients="To: A. Reyes (DHS PLCY) | Cc: T. Nguyen (CBP/OFO)"))

    # 7. guidance with a /Rotate 90 annex page
    make_pdf("policy-office/2020-01-07-guidance-exclusion-categories.pdf", [
        T("GUIDANCE ON MPP EXCLUSION CATEGORIES"),
        L("Office of Strategy, Policy, and Plans \u2013 January 7, 2020", align="c"), SP(8),
        H("1. Purpose"),
        P("This guidance consolidates the categories of individuals who are not amenable to the Migrant Protection "
          "Protocols and states who makes each determination and what documentation is required. It replaces the "
          "exclusion lists in earlier field guidance, which remain otherwise in effect."),
        H("2. Determinations"),
        P("The processing officer makes the initial determination. Where a category depends on the exercise of "
          "discretion, the decision rests with the Port Director or the Chief Patrol Agent, or a designee at the "
          "supervisory level. Each determination is recorded in the case notes with its basis."),
        H("3. Individuals already returned"),
        P("This guidance applies to individuals processed on or after January 7, 2020. Cases of individuals returned "
          "earlier are reviewed under this guidance when the individual next presents at a port of entry or on "
          "referral."),
        H("4. Documentation"),
        P("Annex A (next page, landscape) lists the categories, the official who decides, and the documentation "
          "required. Where documentation is unavailable, officers record what was requested and why it could not be "
          "obtained."),
        BR(),
        H("5. Questions"),
        P("Questions about this guidance should be directed to the Office of Strategy, Policy, and Plans through the "
          "component MPP coordinators."),
        BR(rotate=90),
        T("Annex A \u2013 Exclusion categories, decision-makers and documentation"),
        TAB([150, 250, 110, 138], [
            ["Category", "Description", "Decided by", "Documentation"],
            ["Unaccompanied children", "Individuals under 18 without a parent or legal guardian", "Officer",
             "Age evidence; case notes"],
            ["Mexican nationals", "Citizens or nationals of Mexico", "Officer", "Identity documents; record checks"],
            ["Known health issues", "Physical or mental health issues as described in the July 2, 2019 guidance",
             "Supervisor", "Medical assessment; case notes"],
            ["Criminal history or violence", "Criminal history or a history of violence", "Supervisor",
             "Record checks"],
            ["Government interest", "Individuals of interest to the Government of Mexico or the United States",
             "Port Director", "Referral record"],
            ["Fear of return", "Individuals found more likely than not to face persecution or torture in Mexico",
             "USCIS", "Assessment record"],
            ["Other", "Other individuals at the discretion of the Port Director or Chief Patrol Agent",
             "Port Director", "Written justification"],
        ], size=9),
    ], title="Guidance on MPP Exclusion Categories", author="DHS Office of Strategy, Policy, and Plans",
        created="D:20200107110000-05'00'",
        readme="Guidance on exclusion categories; page 3 is a landscape annex stored as a portrait page with /Rotate 90",
        tg=tags("produce", "5", doc_type="Guidance"))

    # 8. COVID-19 processing guidance
    make_pdf("policy-office/2020-04-30-covid-processing-guidance.pdf", [
        T("MPP PROCESSING DURING THE COVID-19 PUBLIC HEALTH EMERGENCY"),
        L("Office of Strategy, Policy, and Plans \u2013 April 30, 2020", align="c"), SP(8),
        H("1. Hearings"),
        P("MPP hearings remain postponed through June 1, 2020. Individuals with a postponed hearing who present at a "
          "port of entry on their original date will receive a tear sheet with a new date and will be returned to "
          "Mexico the same day."),
        H("2. Presentation at ports"),
        P("Ports will limit the number of individuals in processing areas, provide face coverings, and conduct "
          "temperature screening. Individuals with symptoms will be referred for medical evaluation before any "
          "further processing."),
        H("3. Notices"),
        P("Ports will post the bilingual notice of postponed hearings at the pedestrian entrance and provide copies to "
          "INM for distribution in shelters. Updated notices will be posted within 24 hours of any change."),
        BR(),
        H("4. Fear-of-return assessments"),
        P("USCIS will continue to conduct assessments by telephone. Individuals awaiting an assessment will be held in "
          "areas that allow physical distancing."),
        H("5. Reporting"),
        P("Ports will report daily the number of individuals who presented for postponed hearings and the number of "
          "tear sheets issued."),
    ], title="MPP Processing during the COVID-19 Public Health Emergency",
        author="DHS Office of Strategy, Policy, and Plans", created="D:20200430153000-04'00'",
        readme="Guidance on MPP processing during the COVID-19 emergency",
        tg=tags("produce", "5", doc_type="Guidance"))

    # 9. .docx (no hidden content)
    import docx
    d = docx.Document()
    set_core(d.core_properties, "MPP Field Reference Guide - Frequently Asked Questions", "Min Chen",
             dt.datetime(2019, 5, 10, 14, 0, 0))
    d.core_properties.comments = ""
    d.add_heading("MPP Field Reference Guide: Frequently Asked Questions", level=1)
    d.add_paragraph("Office of Strategy, Policy, and Plans. May 10, 2019. Fictional document, adrec sample record.")
    qa = [
        ("Who may be processed under MPP?",
         "Aliens arriving on land from Mexico who are placed in removal proceedings under Section 240 and who are not "
         "in an excluded category."),
        ("What documents does the alien receive?",
         "A Notice to Appear, the MPP information sheet in English and Spanish, and a list of legal service providers."),
        ("What happens if the alien states a fear of return to Mexico?",
         "The officer refers the alien to USCIS for an assessment before any return."),
        ("How does the alien attend the hearing?",
         "The alien presents at the designated port at the time on the information sheet and is transported to and "
         "from the immigration court."),
        ("Whom should field staff contact with questions?",
         "The component MPP coordinator, who will consult the Office of Strategy, Policy, and Plans as needed."),
    ]
    for q, a in qa:
        d.add_heading(q, level=2)
        d.add_paragraph(a)
    t = d.add_table(rows=1, cols=2)
    t.rows[0].cells[0].text, t.rows[0].cells[1].text = "Port", "MPP start date"
    for port, start in [("San Ysidro", "January 28, 2019"), ("Calexico", "March 12, 2019"), ("El Paso", "March 12, 2019")]:
        r = t.add_row()
        r.cells[0].text, r.cells[1].text = port, start
    buf = io.BytesIO()
    d.save(buf)
    rel = "policy-office/2019-05-10-mpp-field-reference-faq.docx"
    write(DOCS_DIR / rel, normalize_zip(buf.getvalue(), "2019-05-10T14:00:00Z"))
    register(rel, "Word document (python-docx): field FAQ with a table; core properties title/creator/created; no "
                  "comments, tracked changes or embedded objects",
             tg=tags("produce", "5", doc_type="Guidance"))

    # 10. .xlsx (no hidden sheets/rows/columns, no comments)
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    wb.properties.title = "MPP Processing Checklist by Port"
    wb.properties.creator = "Tomas Nguyen"
    wb.properties.lastModifiedBy = "Tomas Nguyen"
    wb.properties.created = wb.properties.modified = dt.datetime(2019, 11, 15, 16, 30, 0)
    ws = wb.active
    ws.title = "Checklist"
    rows = [
        ["Step", "Action", "Responsible", "Form or system", "San Ysidro", "El Paso", "Laredo", "Brownsville"],
        [1, "Confirm arrival on land from Mexico; check exclusions", "Processing officer", "Case notes", "Y", "Y", "Y", "Y"],
        [2, "Record checks; document health concerns", "Processing officer", "Record systems", "Y", "Y", "Y", "Y"],
        [3, "Refer any statement of fear to USCIS", "Processing officer", "Referral log", "Y", "Y", "Y", "Y"],
        [4, "Issue Notice to Appear with hearing information", "Processing officer", "I-862", "Y", "Y", "Y", "Y"],
        [5, "Issue information sheet and legal services list", "Processing officer", "Tear sheet", "Y", "Y", "Y", "Y"],
        [6, "Supervisory review", "Supervisor", "Case notes", "Y", "Y", "Y", "Y"],
        [7, "Notify INM of next-day returns by 3:00 p.m.", "Port liaison", "Daily notice", "Y", "Y", "Y", "Y"],
        [8, "Return at designated port; record return", "Escort officer", "Return log", "Y", "Y", "Y", "Y"],
    ]
    for r in rows:
        ws.append(r)
    for c in ws[1]:
        c.font = Font(bold=True)
    for col, w in zip("ABCDEFGH", [6, 52, 20, 16, 11, 9, 9, 12]):
        ws.column_dimensions[col].width = w
    buf = io.BytesIO()
    wb.save(buf)
    rel = "policy-office/2019-11-15-mpp-processing-checklist.xlsx"
    write(DOCS_DIR / rel, normalize_zip(buf.getvalue(), "2019-11-15T16:30:00Z"))
    register(rel, "Excel workbook (openpyxl): one visible sheet, processing checklist by port; core properties; no hidden "
                  "sheets, rows, columns or comments; tagged CONFIDENTIAL",
             tg=tags("produce", "5", doc_type="Checklist", confidentiality="CONFIDENTIAL"))


# ---------------------------------------------------------------------------
# general-counsel/
# ---------------------------------------------------------------------------

def make_general_counsel() -> None:
    make_pdf("general-counsel/2019-02-20-legal-analysis-fear-assessments.pdf", [
        T("MEMORANDUM"),
        F(("TO:", "A. Reyes, Office of Strategy, Policy, and Plans"), ("FROM:", "D. Okafor, Office of the General Counsel"),
          ("DATE:", "February 20, 2019"),
          ("SUBJECT:", "Legal questions on fear-of-return assessments under MPP (your request of February 11)")),
        RULE,
        H("Questions presented"),
        OL("Whether the standard applied in MPP fear-of-return assessments must be the same as the standard used in "
           "credible fear screenings.",
           "Whether an alien is entitled to consult counsel before or during an assessment.",
           "Whether a negative assessment may be reconsidered."),
        H("Short answers"),
        P("In our view the statute and regulations leave the Department discretion to set the standard and procedure "
          "for these assessments, provided that the procedure is consistent with the United States' non-refoulement "
          "obligations. Our reasoning, and the litigation considerations that bear on each question, follow."),
        BR(),
        H("Analysis"),
        P("1. Standard. The assessments are not credible fear screenings under Section 235(b)(1)(B) and are not "
          "governed by the regulations for those screenings. The more-likely-than-not standard used in the guiding "
          "principles is drawn from the withholding of removal context and is, in our view, defensible, though it is "
          "likely to be challenged as too demanding for a screening."),
        P("2. Counsel. No statute or regulation provides a right to consult counsel before an assessment of this kind. "
          "Allowing consultation would reduce litigation risk but has operational consequences that PLCY should "
          "weigh with CBP and USCIS."),
        P("3. Reconsideration. Nothing prevents USCIS from reconsidering a negative assessment when new information is "
          "presented. We recommend that any reconsideration practice be written down to ensure consistency."),
        BR(),
        H("Recommendations"),
        UL("Keep the current standard, and document the reasons for choosing it in the administrative record.",
           "Ask USCIS to document the procedure used in each assessment, including the language used.",
           "Consult OGC before any public statement describing the standard."),
        P("Please contact me with any questions. This memorandum is provided at your request for the purpose of giving "
          "legal advice and should not be distributed outside the offices copied."),
    ], title="Legal Analysis - Fear-of-Return Assessments under MPP", author="D. Okafor",
        created="D:20190220190000-05'00'", marking=ACP,
        readme="OGC legal-advice memorandum on fear-of-return assessments; WITHHELD (AC)",
        tg=tags("withhold", "5", privilege="AC",
               description="Memorandum from an attorney in the Office of the General Counsel to a policy official, "
                           "providing legal advice that the official requested on procedures for fear-of-return "
                           "assessments under MPP.",
               doc_date="2019-02-20", doc_type="Memorandum", author="D. Okafor (DHS OGC)",
               recipients="A. Reyes (DHS PLCY)"))

    make_pdf("general-counsel/2019-02-14-legal-authorities-fact-sheet.pdf", [
        T("FACT SHEET: LEGAL AUTHORITIES FOR THE MIGRANT PROTECTION PROTOCOLS"),
        L("February 14, 2019", align="c"), SP(8),
        H("Statutory basis"),
        P("Section 235(b)(2)(C) of the Immigration and Nationality Act provides that, in the case of an alien who is "
          "arriving on land from a foreign territory contiguous to the United States, the Secretary may return the "
          "alien to that territory pending a proceeding under Section 240."),
        H("Who is covered"),
        P("The authority applies to aliens who are applicants for admission, who arrive on land from Mexico, and who "
          "are placed in removal proceedings under Section 240. It does not apply to aliens processed for expedited "
          "removal."),
        H("Proceedings"),
        P("Aliens returned under this authority remain in removal proceedings before an immigration judge. They may "
          "apply for asylum and other forms of relief or protection in those proceedings and may be represented by "
          "counsel at no expense to the Government."),
        BR(),
        H("International obligations"),
        P("The Department implements MPP consistent with the United States' non-refoulement obligations. Aliens who "
          "affirmatively state a fear of return to Mexico are referred for an assessment and are not returned if "
          "they are found more likely than not to face persecution or torture there."),
        H("Further information"),
        P("The MPP Guiding Principles (January 25, 2019) and the Secretary's implementation guidance (January 28, 2019) "
          "describe how the authority is applied."),
    ], title="Fact Sheet - Legal Authorities for MPP", author="DHS Office of the General Counsel",
        created="D:20190214100000-05'00'",
        readme="Public fact sheet on the legal authorities for MPP",
        tg=tags("produce", "5", doc_type="Fact Sheet"))


# ---------------------------------------------------------------------------
# field-operations/
# ---------------------------------------------------------------------------

def make_field_operations() -> None:
    make_pdf("field-operations/2019-01-28-cbp-muster-mpp-processing.pdf", [
        T("MUSTER: MIGRANT PROTECTION PROTOCOLS \u2013 PROCESSING AT SAN YSIDRO"),
        F(("Effective:", "January 28, 2019"), ("Audience:", "CBP officers and supervisors, San Diego Field Office"),
          ("Issued by:", "Office of Field Operations, MPP Implementation Team"), label_w=82),
        H("Overview"),
        P("Beginning January 28, 2019, certain aliens arriving at the San Ysidro port of entry from Mexico who are placed "
          "in removal proceedings under Section 240 of the Immigration and Nationality Act will be returned to Mexico "
          "to await their hearings. This muster describes the processing steps."),
        H("Amenability"),
        P("Review the MPP Guiding Principles before processing. Do not process under MPP any alien in an excluded "
          "category. When in doubt, consult the on-duty supervisor."),
        H("Processing steps"),
        OL("Complete record checks and the standard inspection.",
           "Ask the alien whether he or she has any concerns about return to Mexico. Refer any affirmative statement "
           "of fear to USCIS through the on-duty supervisor.",
           "Prepare the Notice to Appear. Enter the hearing date, time and location provided by the scheduling system.",
           "Give the alien the MPP information sheet (English/Spanish) and the list of legal service providers. "
           "Explain the date and time to report to the port.",
           "Obtain supervisory review and record the processing.",
           "Escort the alien to the return point at the designated time."),
        BR(),
        H("Forms and records"),
        TAB([180, 288], [
            ["Item", "Notes"],
            ["Form I-862, Notice to Appear", "Annotate per the instructions in the scheduling system"],
            ["Record of inspection", "Note the MPP processing and any health observations"],
            ["MPP information sheet", "English and Spanish versions; give both"],
            ["Legal service providers list", "Current list for the San Diego immigration court"],
            ["Return log", "Time of return and INM receiving officer"],
        ]),
        H("Hearing days"),
        P("Aliens report to the pedestrian entrance at the time on their information sheet. Officers verify identity "
          "against the hearing list, conduct a security screening, and transfer custody for transport to the court. "
          "Aliens return through the same port after the hearing unless the immigration judge orders otherwise."),
        BR(),
        H("Contacts"),
        UL("MPP Implementation Team, Office of Field Operations: mpp-field@cbp.example.gov",
           "San Ysidro on-duty supervisor: extension 4410",
           "USCIS fear-assessment coordinator: through the on-duty supervisor"),
        P("This muster is for internal CBP use. Direct questions to the MPP Implementation Team."),
    ], title="Muster - MPP Processing at San Ysidro", author="CBP Office of Field Operations",
        created="D:20190128060000-08'00'", marking=FOUO,
        readme="CBP muster on MPP processing at San Ysidro (Date offset -08:00)",
        tg=tags("produce", "5", doc_type="Muster"))

    # The transmittal carries the guidance memo, the field FAQ and counsel's
    # privileged notes: a family that goes out whole, the notes withheld.
    ogc = Layout(marking=ACP).run([
        T("NOTES ON THE FIELD ROLLOUT OF MPP GUIDANCE"),
        L("Office of the General Counsel - January 28, 2019", align="c"), SP(8),
        P("At CBP's request we reviewed the draft field guidance before distribution. Our advice: the muster should "
          "state that officers refer any affirmative fear claim to USCIS before return, and supervisors should record "
          "each referral. We see litigation risk if the categories of excluded persons are applied inconsistently "
          "between ports."),
        P("This note is legal advice to CBP and is not for distribution to the field."),
    ]).finish()
    ogc_pdf = assemble("ogc-rollout-notes-attachment", ogc, False,
                       dict(title="Notes on the field rollout of MPP guidance", author="Office of the General Counsel",
                            created="D:20190128180000-05'00'"))
    make_eml("field-operations/2019-01-29-transmittal-of-mpp-guidance.eml", [
        "Message-ID: <20190129123000.1180@mail.cbp.example.gov>",
        "Date: Tue, 29 Jan 2019 07:30:00 -0500",
        "From: Karen Moreno <k.moreno@cbp.example.gov>",
        "To: MPP Field Leads <mpp-field@cbp.example.gov>",
        "Cc: Tomas Nguyen <t.nguyen@cbp.example.gov>",
        "Subject: MPP guidance and muster for field distribution",
    ], "Field leads,\n\n"
       "Please distribute to all officers and supervisors who will process under MPP:\n\n"
       "  1. Policy Guidance for Implementation of the Migrant Protection Protocols (Jan 28, 2019)\n"
       "  2. MPP Guiding Principles (Jan 25, 2019)\n"
       "  3. Muster: MPP Processing at San Ysidro (Jan 28, 2019)\n\n"
       "All three are on the OFO shared drive under MPP/Guidance. Each officer must read the muster before his or\n"
       "her first MPP shift; supervisors will record completion in the training log.\n\n"
       "Karen Moreno\n"
       "MPP Implementation Team, Office of Field Operations\n",
       readme="E-mail from CBP headquarters transmitting MPP guidance to field leads, with three attachments that "
              "become its family: the implementation memo (PDF), the field FAQ (DOCX) and OGC's rollout notes (PDF, "
              "withheld as attorney-client privileged)",
       tg=tags("produce", "5"),
       attachments=[
           ("Policy Guidance for Implementation of MPP.pdf", "application/pdf",
            (DOCS_DIR / "policy-office/2019-01-28-implementation-policy-guidance.pdf").read_bytes(),
            tags("produce", doc_type="Memorandum", hidden_reviewed="yes",
                 note="Page 1 sticky note reviewed with the standalone copy: not privileged")),
           ("MPP Field Reference FAQ.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (DOCS_DIR / "policy-office/2019-05-10-mpp-field-reference-faq.docx").read_bytes(),
            tags("produce", doc_type="Guidance")),
           ("OGC notes on field rollout.pdf", "application/pdf", ogc_pdf,
            tags("withhold", privilege="AC",
                 description="Legal advice from agency counsel to CBP on the field rollout of MPP guidance, attached "
                             "to the transmittal e-mail.",
                 doc_date="2019-01-28", doc_type="Memorandum", author="Office of the General Counsel",
                 recipients="To: K. Moreno (CBP/OFO)")),
       ])

    make_pdf("field-operations/2019-02-01-information-sheet-returned-persons.pdf", [
        T("INFORMATION FOR PERSONS RETURNED TO MEXICO UNDER THE MIGRANT PROTECTION PROTOCOLS"),
        P("You have been placed in removal proceedings and will be returned to Mexico while you wait for your hearing "
          "before an immigration judge in the United States. Please read this information carefully and keep it with "
          "your Notice to Appear."),
        H("Your hearing"),
        UL("The date, time and place of your first hearing are on your Notice to Appear.",
           "You must report to the port of entry listed below at the time shown, on the date of your hearing. Do not "
           "go directly to the immigration court.",
           "If you do not appear, the immigration judge may order you removed in your absence."),
        H("Where and when to report"),
        F(("Port:", "San Ysidro, PedWest pedestrian entrance"), ("Time:", "Four hours before your hearing time"),
          ("Bring:", "Your Notice to Appear, this sheet, and any identity documents")),
        H("Legal help"),
        P("You may be represented by a lawyer at no expense to the United States Government. A list of free or "
          "low-cost legal service providers is attached to your Notice to Appear."),
        H("Change of address"),
        P("If your address in Mexico changes, you must tell the immigration court within five days using the change "
          "of address form. Ask the officer at the port if you need a form."),
        BR(),
        T("INFORMACIÓN PARA PERSONAS DEVUELTAS A MÉXICO CONFORME A LOS PROTOCOLOS DE PROTECCIÓN A MIGRANTES"),
        P("Usted ha sido puesto en un procedimiento de expulsión y será devuelto a México mientras espera su audiencia "
          "ante un juez de inmigración en los Estados Unidos. Lea esta información con atención y consérvela junto con "
          "su Aviso de Comparecencia."),
        H("Su audiencia"),
        UL("La fecha, la hora y el lugar de su primera audiencia aparecen en su Aviso de Comparecencia.",
           "Debe presentarse en el puerto de entrada indicado abajo, a la hora señalada, el día de su audiencia. No "
           "acuda directamente a la corte de inmigración.",
           "Si no se presenta, el juez de inmigración puede ordenar su expulsión en su ausencia."),
        H("Dónde y cuándo presentarse"),
        F(("Puerto:", "San Ysidro, entrada peatonal PedWest"), ("Hora:", "Cuatro horas antes de su audiencia"),
          ("Traiga:", "Su Aviso de Comparecencia, esta hoja y sus documentos de identidad")),
        H("Ayuda legal"),
        P("Usted puede ser representado por un abogado sin costo para el Gobierno de los Estados Unidos. La lista de "
          "proveedores de servicios legales gratuitos o de bajo costo se adjunta a su Aviso de Comparecencia."),
        H("Cambio de domicilio"),
        P("Si cambia su domicilio en México, debe informarlo a la corte de inmigración dentro de los cinco días "
          "siguientes mediante el formulario de cambio de domicilio."),
    ], title="MPP Information Sheet for Returned Persons (English/Spanish)", author="CBP Office of Field Operations",
        created="D:20190201080000-08'00'",
        readme="Information sheet issued to persons returned under MPP (English page, Spanish page)",
        tg=tags("produce", "4", doc_type="Notice"))

    make_pdf("field-operations/2019-03-15-hearing-instructions-tear-sheet.pdf", [
        T("INSTRUCTIONS FOR YOUR IMMIGRATION COURT HEARING"),
        F(("Name:", "______________________________"), ("A-Number:", "______________________________"),
          ("Hearing date:", "______________  Hearing time: __________"),
          ("Report to:", "______________________________ port of entry"),
          ("Report at:", "______________ (local time)"), label_w=90),
        OL("Arrive at the port of entry at the time written above. You will not be admitted to the hearing if you "
           "arrive late.", "Bring this sheet, your Notice to Appear and any documents you want the judge to see.",
           "You will be screened and transported to the immigration court, and returned to the port after your "
           "hearing.", "If you have a lawyer, tell your lawyer the date and time of your hearing.",
           "If you are ill on the day of your hearing, still report to the port and tell the officer."),
        P("Keep this sheet in a safe place. It does not give you permission to enter the United States on any other "
          "day.", font="B"),
        BR(),
        T("INSTRUCCIONES PARA SU AUDIENCIA EN LA CORTE DE INMIGRACIÓN"),
        F(("Nombre:", "______________________________"), ("Número A:", "______________________________"),
          ("Fecha:", "______________  Hora de la audiencia: __________"),
          ("Preséntese en:", "puerto de entrada ______________________"),
          ("Hora:", "______________ (hora local)"), label_w=90),
        OL("Llegue al puerto de entrada a la hora indicada arriba. No podrá asistir a la audiencia si llega tarde.",
           "Traiga esta hoja, su Aviso de Comparecencia y los documentos que quiera mostrar al juez.",
           "Será revisado y trasladado a la corte de inmigración, y regresado al puerto después de su audiencia.",
           "Si tiene abogado, infórmele la fecha y la hora de su audiencia.",
           "Si está enfermo el día de su audiencia, preséntese de todos modos en el puerto e infórmelo al oficial."),
        P("Guarde esta hoja en un lugar seguro. No le autoriza a entrar a los Estados Unidos en ningún otro día.",
          font="B"),
    ], title="MPP Hearing Instructions Tear Sheet (English/Spanish)", author="CBP Office of Field Operations",
        created="D:20190315090000-07'00'",
        readme="Blank bilingual tear sheet with hearing-day instructions issued to MPP enrollees",
        tg=tags("produce", "4", doc_type="Notice"))

    # scanned-style acknowledgment (JPEG page images, no text layer)
    p1 = [("h", "ACKNOWLEDGMENT OF MPP PROCESSING"), ("h", "ACUSE DE RECIBO \u2013 PROCESAMIENTO MPP"), ("gap", 20),
          ("t", "Name / Nombre:  EXAMPLE, PERSONA A."), ("t", "A-Number / Número A:  A000-000-101  (fictional)"),
          ("t", "Port of entry / Puerto de entrada:  San Ysidro, CA"), ("t", "Date / Fecha:  04/02/2019"),
          ("gap", 16), ("b", "I received the following documents / Recibí los siguientes documentos:"),
          ("t", "[X]  Notice to Appear (Form I-862) / Aviso de Comparecencia"),
          ("t", "[X]  MPP information sheet / Hoja de información MPP"),
          ("t", "[X]  List of legal service providers / Lista de servicios legales"),
          ("t", "[X]  Hearing instructions tear sheet / Instrucciones para la audiencia"),
          ("gap", 16), ("b", "Hearing / Audiencia:"),
          ("t", "Date / Fecha: 05/14/2019     Time / Hora: 08:30     Report at / Presentarse: 04:30"),
          ("gap", 40), ("t", "Signature / Firma:  ______ P. A. Example ______"),
          ("t", "Officer / Oficial:  CBPO #4471            Supervisor:  SCBPO #2208"),
          ("gap", 30), ("s", "Form MPP-ACK-1 (01/2019). Original to A-file; copy to the alien."),
          ("s", "Fictional document - adrec sample record.")]
    p2 = [("h", "LEGAL SERVICE PROVIDERS / SERVICIOS LEGALES"), ("gap", 8),
          ("s", "San Diego Immigration Court area - list provided with MPP processing (fictional organizations)"),
          ("gap", 14),
          ("b", "Border Legal Aid Project (example)"), ("t", "Tel. +1 619 555 0142   -   Spanish, English"), ("gap", 8),
          ("b", "Clínica Jurídica Fronteriza (ejemplo)"), ("t", "Tel. +52 664 555 0199   -   Español"), ("gap", 8),
          ("b", "Pacific Immigrant Rights Center (example)"), ("t", "Tel. +1 619 555 0177   -   Spanish, English, K'iche'"),
          ("gap", 8), ("b", "Asylum Pro Bono Network (example)"), ("t", "Tel. +1 858 555 0120   -   English, Spanish"),
          ("gap", 24), ("t", "These organizations are not part of the U.S. Government."),
          ("t", "Estas organizaciones no forman parte del Gobierno de los Estados Unidos."), ("gap", 30),
          ("s", "Page 2 of 2 - received by the alien on 04/02/2019 - initials: P.A.E.")]
    pages = [scan_page_jpeg(p1, tilt=0.35), scan_page_jpeg(p2, tilt=-0.25)]
    rel = "field-operations/2019-04-02-signed-acknowledgment-scan.pdf"
    write(DOCS_DIR / rel, scanned_pdf(rel, pages))
    register(rel, "Scanned-style PDF: two pages that are grayscale JPEG images (DCTDecode, "
                  f"{max(len(p[0]) for p in pages) // 1024} KB max per page) of a signed acknowledgment and a legal "
                  "services list; no text layer and no Info Title/Author/CreationDate (only a scanner Producer), so "
                  "its row gives doc-date and author",
             tg=tags("produce", "4", doc_date="2019-04-02", doc_type="Form", author="CBP, San Ysidro port of entry"))

    # redacted AC: field Q&A memo
    make_pdf("field-operations/2019-05-20-field-questions-and-answers.pdf", [
        T("MEMORANDUM"),
        F(("TO:", "Directors, Field Operations (San Diego, El Paso, Laredo)"),
          ("FROM:", "K. Moreno, MPP Implementation Team, Office of Field Operations"),
          ("DATE:", "May 20, 2019"), ("SUBJECT:", "Field questions and answers on MPP processing")),
        RULE,
        P("The following answers respond to questions received from the field since the start of MPP processing. They "
          "supplement the muster of January 28, 2019 and should be shared with supervisors."),
        H("1. May an alien who arrived between ports of entry be processed under MPP?"),
        P("Yes. MPP applies to aliens arriving on land from Mexico, whether at or between ports of entry, who are placed "
          "in removal proceedings under Section 240."),
        H("2. What if an alien states a fear of return to Mexico after the Notice to Appear has been issued?"),
        P("Refer the alien to USCIS for an assessment before the return, as for any other affirmative statement of "
          "fear. Record the time of the statement in the case notes."),
        P("OGC has advised that a statement of fear made at any point before the physical return must be referred, "
          "and that a failure to refer in these circumstances is the issue most likely to be raised in litigation "
          "challenging individual returns.", red="AC"),
        H("3. May family members be returned through different ports?"),
        P("No. Members of a family unit processed together are returned together at the same port and receive hearing "
          "dates on the same day."),
        BR(),
        H("4. What should officers do when an alien presents without the information sheet on a hearing day?"),
        P("Verify identity against the hearing list. If the alien is on the list, process as usual and issue a new "
          "information sheet. If not, contact the scheduling liaison before taking further action."),
        H("5. May a returned alien be removed from MPP on humanitarian grounds after return?"),
        P("A Port Director may remove an alien from MPP at any time on the basis of new information, including "
          "information about a known health issue. Record the basis for the decision."),
        P("OGC's view is that removals from MPP after return should be documented with the same level of detail as "
          "initial exclusion decisions, because inconsistent documentation would weaken the Department's position if "
          "these decisions are reviewed by a court.", red="AC"),
        H("6. Whom should supervisors contact with new questions?"),
        P("The MPP Implementation Team at mpp-field@cbp.example.gov. Answers to common questions will be added to this "
          "memorandum as they are issued."),
        BR(),
        T("Distribution list"),
        TAB([200, 268], [
            ["Office", "Contact"],
            ["San Diego Field Office", "Director, Field Operations"],
            ["El Paso Field Office", "Director, Field Operations"],
            ["Laredo Field Office", "Director, Field Operations"],
            ["MPP Implementation Team", "mpp-field@cbp.example.gov"],
        ]),
    ], title="Field Questions and Answers on MPP Processing", author="K. Moreno", created="D:20190520113000-04'00'",
        marking=FOUO, redacted_as="redacted/2019-05-20-field-questions-and-answers-redacted.pdf",
        readme="CBP field Q&A memorandum; two passages conveying OGC legal advice redacted (AC) in "
               "redacted/2019-05-20-field-questions-and-answers-redacted.pdf",
        tg=tags("redact", "5", privilege="AC",
               description="Guidance memorandum to field offices answering processing questions, redacted to remove "
                           "two passages conveying legal advice from the Office of the General Counsel.",
               doc_date="2019-05-20", doc_type="Memorandum", author="K. Moreno (CBP/OFO)",
               recipients="Directors, Field Operations (San Diego, El Paso, Laredo)"))
    REDACTIONS["redacted/2019-05-20-field-questions-and-answers-redacted.pdf"] = [
        "OGC has advised", "most likely to be raised in litigation", "weaken the Department's position"]

    make_pdf("field-operations/2019-06-03-ofo-muster-family-units.pdf", [
        T("MUSTER UPDATE: FAMILY UNITS AND HEARING-DAY RE-ENTRY"),
        F(("Effective:", "June 3, 2019"), ("Audience:", "CBP officers and supervisors, all MPP ports"), label_w=82),
        H("Family units"),
        P("Members of a family unit processed together must be processed under MPP together or not at all. If any member "
          "is not amenable, for example because of a known health issue, no member of the family unit is returned "
          "under MPP. Record each member's A-number in the case notes of the others."),
        H("Hearing-day re-entry"),
        P("On hearing days, officers process aliens reporting for hearings in the order of their hearing times. Aliens "
          "are screened for prohibited items and their property is held at the port until their return. Children "
          "remain with their parents throughout."),
        BR(),
        H("Return after the hearing"),
        P("Aliens whose proceedings continue are returned the same day through the port at which they reported. Aliens "
          "granted relief, or whose cases are terminated, are not returned to Mexico; contact the supervisor for "
          "further processing."),
        H("Records"),
        P("Record the time of arrival, the time of transfer for transport, and the time of return for each alien. These "
          "times are reported weekly to the MPP Implementation Team."),
    ], title="Muster Update - Family Units and Hearing-Day Re-entry", author="CBP Office of Field Operations",
        created="D:20190603070000-06'00'", marking=FOUO,
        readme="CBP muster update on family units and hearing-day re-entry",
        tg=tags("produce", "5", doc_type="Muster"))

    # corrupt: a scanned muster truncated mid-image (no page tree, no xref, no %%EOF)
    lines = [("h", "MUSTER: MPP PROCESSING AT LAREDO"), ("gap", 16),
             ("t", "Effective August 9, 2019. Audience: CBP officers, Laredo Field Office."), ("gap", 10),
             ("t", "Processing follows the January 28, 2019 muster with these local instructions:"),
             ("t", "1. Returns at Gateway to the Americas Bridge (Bridge I) only."),
             ("t", "2. Notify INM of next-day returns by 3:00 p.m."),
             ("t", "3. Hearing-day reporting at 04:00 for all morning hearings."),
             ("gap", 30), ("s", "Fictional document - adrec sample record.")]
    whole = scanned_pdf("damaged", [scan_page_jpeg(lines, tilt=0.5)],
                        info=dict(title="Muster - MPP Processing at Laredo", author="CBP Office of Field Operations",
                                  created="D:20190809080000-05'00'"))
    cut = whole[: len(whole) * 2 // 5]
    rel = "field-operations/2019-08-09-laredo-muster-scan-damaged.pdf"
    write(DOCS_DIR / rel, cut)
    register(rel, f"CORRUPT: the first {len(cut):,} of {len(whole):,} bytes of a one-page scanned PDF (an interrupted "
                  "transfer). It starts with a %PDF-1.4 header but ends inside the first image stream: no page tree, "
                  "no cross-reference table, no trailer, no %%EOF. Ingest must list it as unparseable; its row sets "
                  "as-native = yes",
             tg=tags("produce", "5", doc_date="2019-08-09", doc_type="Muster", author="CBP Office of Field Operations",
                    as_native="yes",
                    filename="Laredo muster \u2013 T. Nguy\u1ec5n (CBP OFO).pdf",
                    note="File truncated during collection; no complete copy exists. Produced natively with a slip sheet"))

    make_pdf("field-operations/2019-09-16-hearing-location-notice-laredo.pdf", [
        T("NOTICE OF IMMIGRATION HEARING LOCATION \u2013 LAREDO"),
        P("Beginning September 16, 2019, hearings for persons enrolled in the Migrant Protection Protocols who were "
          "returned to Mexico through the Laredo port of entry will be held at the temporary immigration hearing "
          "facility at the port of entry, not at the immigration court in San Antonio."),
        H("What you must do"),
        UL("Report to the Laredo port of entry (Bridge I) at the time written on your hearing instructions.",
           "Bring your Notice to Appear, your hearing instructions and this notice.",
           "Your hearing will take place at the facility at the port. Your lawyer may attend in person or by video."),
        P("If you received a hearing notice listing San Antonio, your hearing will take place at the Laredo facility "
          "on the same date and at the same time unless you receive a new notice."),
        BR(),
        T("AVISO SOBRE EL LUGAR DE LAS AUDIENCIAS DE INMIGRACIÓN \u2013 LAREDO"),
        P("A partir del 16 de septiembre de 2019, las audiencias de las personas inscritas en los Protocolos de "
          "Protección a Migrantes que fueron devueltas a México por el puerto de entrada de Laredo se celebrarán en "
          "las instalaciones temporales de audiencias ubicadas en el puerto de entrada, y no en la corte de "
          "inmigración de San Antonio."),
        H("Lo que debe hacer"),
        UL("Preséntese en el puerto de entrada de Laredo (Puente I) a la hora indicada en sus instrucciones.",
           "Traiga su Aviso de Comparecencia, sus instrucciones para la audiencia y este aviso.",
           "Su audiencia se celebrará en las instalaciones del puerto. Su abogado puede asistir en persona o por "
           "video."),
        P("Si recibió un aviso de audiencia que indica San Antonio, su audiencia se celebrará en las instalaciones de "
          "Laredo en la misma fecha y a la misma hora, salvo que reciba un nuevo aviso."),
    ], title="Notice of Immigration Hearing Location - Laredo (English/Spanish)",
        author="CBP Office of Field Operations", created="D:20190913120000-05'00'",
        readme="Bilingual notice to MPP enrollees of the new hearing location at Laredo",
        tg=tags("produce", "4", doc_type="Notice"))

    make_pdf("field-operations/2019-11-04-parking-lot-closure-notice.pdf", [
        T("NOTICE: EMPLOYEE PARKING LOT CLOSURE"),
        L("San Ysidro Port of Entry \u2013 Facilities Management", align="c"), SP(8),
        P("The north employee parking lot will be closed from Monday, November 18 through Friday, December 6, 2019 for "
          "resurfacing and restriping. During the closure, employees should use the overflow lot on the east side of "
          "the administration building."),
        P("Shuttle service from the overflow lot to the administration building will run every 15 minutes from 5:00 "
          "a.m. to 11:00 p.m. Employees working overnight shifts may park in the visitor lot with a temporary permit "
          "available from the facilities office."),
        BR(),
        H("Temporary permits"),
        P("Temporary permits are issued at the facilities office, Room 112, Monday to Friday, 7:00 a.m. to 3:30 p.m. "
          "Bring your badge. Permits expire on December 6, 2019."),
        H("Questions"),
        P("Contact Facilities Management at extension 2290."),
    ], title="Notice - Employee Parking Lot Closure", author="Facilities Management",
        created="D:20191104080000-08'00'",
        readme="Facilities notice about a parking-lot closure; NOT RESPONSIVE",
        tg=tags("not-responsive", note="Facilities notice; no MPP content"))

    make_pdf("field-operations/2020-03-23-covid-hearing-postponement-notice.pdf", [
        T("NOTICE: YOUR MPP HEARING HAS BEEN POSTPONED"),
        P("Because of the COVID-19 public health emergency, all hearings for persons enrolled in the Migrant Protection "
          "Protocols scheduled through April 22, 2020 have been postponed."),
        UL("If your hearing was scheduled on or before April 22, 2020, you must still report to your port of entry on "
           "your scheduled date and time. You will receive a tear sheet with your new hearing date.",
           "You will not be ordered removed for missing a hearing that has been postponed.",
           "Keep all your documents. Check this notice again for updates posted at the port and in the shelters."),
        P("This notice does not give you permission to enter the United States.", font="B"),
        BR(),
        T("AVISO: SU AUDIENCIA DEL MPP HA SIDO POSPUESTA"),
        P("Debido a la emergencia de salud pública por COVID-19, se pospusieron todas las audiencias de las personas "
          "inscritas en los Protocolos de Protección a Migrantes programadas hasta el 22 de abril de 2020."),
        UL("Si su audiencia estaba programada para el 22 de abril de 2020 o antes, debe presentarse de todos modos en su "
           "puerto de entrada en la fecha y hora previstas. Recibirá una hoja con su nueva fecha de audiencia.",
           "No se le ordenará la expulsión por no asistir a una audiencia que fue pospuesta.",
           "Conserve todos sus documentos. Consulte las actualizaciones de este aviso en el puerto y en los albergues."),
        P("Este aviso no le autoriza a entrar a los Estados Unidos.", font="B"),
    ], title="Notice - MPP Hearings Postponed (English/Spanish)", author="CBP Office of Field Operations",
        created="D:20200323070000-07'00'",
        readme="Bilingual notice to MPP enrollees that hearings are postponed (COVID-19)",
        tg=tags("produce", "4", doc_type="Notice"))

    make_eml("field-operations/2020-03-24-distribution-of-covid-notice.eml", [
        "Message-ID: <20200324140500.6612@mail.cbp.example.gov>",
        "Date: Tue, 24 Mar 2020 07:05:00 -0700",
        "From: Tomas Nguyen <t.nguyen@cbp.example.gov>",
        "To: MPP Field Leads <mpp-field@cbp.example.gov>",
        "Cc: Karen Moreno <k.moreno@cbp.example.gov>, Sofia Patel <s.patel@oia.example.gov>",
        "Subject: Distribution of the postponed-hearing notice to MPP enrollees",
    ], "Field leads,\n\n"
       "Effective immediately, give the attached bilingual notice (\"Your MPP hearing has been postponed\") to every\n"
       "MPP enrollee who presents for a hearing scheduled on or before April 22, together with the tear sheet\n"
       "showing the new hearing date. Post the notice at the pedestrian entrance of each MPP port.\n\n"
       "INM has agreed to post the notice in the shelters in each receiving city; OIA is coordinating.\n\n"
       "Report the number of enrollees who presented and the number of tear sheets issued each day by 6:00 p.m.\n"
       "local time.\n\n"
       "Tomas Nguyen\n"
       "Office of Field Operations\n",
       readme="E-mail instructing field leads to issue the postponed-hearing notice to enrollees; in categories 4 and 5",
       tg=tags("produce", "4;5"))


# ---------------------------------------------------------------------------
# tags.csv, README.md, checks
# ---------------------------------------------------------------------------

COLUMNS = ["path", "status", "category", "privilege", "description", "doc-date", "doc-type", "author", "recipients",
           "confidentiality", "redacted-file", "as-native", "hidden-reviewed", "note", "filename"]


def write_tags() -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS)
    for d in sorted(DOCS + ATTACHMENT_TAGS, key=lambda d: d["path"].encode()):
        row = dict(d["tags"], path=d["path"])
        unknown = set(row) - set(COLUMNS)
        assert not unknown, (d["path"], unknown)
        w.writerow([row.get(c, "") for c in COLUMNS])
    (ROOT / "tags.csv").write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


CATEGORY_NAMES = {
    "1": "Communications and agreements with the Mexican government",
    "2": "Communications from, agreements with, and records of meetings with the White House",
    "3": "Communications from, agreements with, and records of meetings with DOJ and EOIR",
    "4": "Documents issued to migrants enrolled in MPP 1.0",
    "5": "MPP implementation guidance documents sufficiently similar to those in the initial CAR",
}


def summary() -> tuple[dict, dict]:
    by_status, by_cat = {}, {c: 0 for c in CATEGORY_NAMES}
    for d in DOCS:
        t = d["tags"]
        by_status[t["status"]] = by_status.get(t["status"], 0) + 1
        for c in filter(None, t.get("category", "").split(";")):
            by_cat[c] += 1
    return by_status, by_cat


def write_readme() -> None:
    by_status, by_cat = summary()
    groups: dict[str, list[dict]] = {}
    for d in sorted(DOCS, key=lambda d: d["path"].encode()):
        groups.setdefault(d["path"].split("/")[0], []).append(d)
    out = [
        "# adrec sample record (fictional)",
        "",
        "A small administrative record that `adrec demo` runs end to end: a matter made from the `mpp-order` "
        "template, ingest of `documents/`, the reviewers' decisions in `tags.csv`, a produced volume, the index and "
        "privilege log, an audit of that volume and the status page.",
        "",
        "**Everything here is fictional.** It imitates a supplement to the Certified Administrative Record for the "
        "Migrant Protection Protocols (MPP) ordered in five categories, but every person, e-mail address "
        "(`example.gov`, `example.gob.mx`), figure, signature and sentence is made up; agency and program names "
        "(DHS, CBP, SRE, INM, MPP ...) are real. No document is a copy of a real one.",
        "",
        "Regenerate with `python3 sample-record/make_sample.py` (requirements at the top of that file; "
        "`--check` also runs `qpdf --check` and `pdftotext` on every PDF and proves the redacted text is gone). The "
        "files are committed; CI and `adrec demo` never run the generator. Two runs give byte-identical files.",
        "",
        "## Layout",
        "",
        "- `documents/` - the collected files, one folder per custodian/office (ingest them as one PATH; `tags.csv` "
        "paths are relative to this folder, with `/` separators).",
        "- `redacted/` - the redacted PDFs that replace the three `redact` documents (same page count; the privileged "
        "paragraphs' text is not in the content stream at all, a black box labelled `REDACTED – <code>` is drawn "
        "where it was; no `/Redact` annotations). `2019-06-14-bilateral-meeting-readout-boxes-only.pdf` is a failed "
        "redaction to learn from: the same boxes drawn over text that is still in the file. Tag it as the readout's "
        "redacted file and `adrec produce --dry-run` blocks it (covered text, by page); `tags.csv` names the proper file.",
        "- `tags.csv` - the reviewers' decisions, for `adrec tag --from sample-record/tags.csv` (UTF-8 with BOM, "
        "CRLF; `redacted-file` is relative to the sheet's folder).",
        "- `make_sample.py` - the deterministic generator.",
        "",
        "## Documents",
        "",
    ]
    for folder, docs in groups.items():
        out.append(f"### `{folder}/`")
        out.append("")
        for d in docs:
            t = d["tags"]
            dec = t["status"]
            if t.get("category"):
                dec += f", category {t['category']}"
            if t.get("privilege"):
                dec += f", {t['privilege']}"
            if t.get("confidentiality"):
                dec += f", {t['confidentiality']}"
            out.append(f"- `{d['path'].split('/', 1)[1]}` - {d['readme'].rstrip('.')}. *[{dec}]*")
        out.append("")
    st = ", ".join(f"{k} {by_status.get(k, 0)}" for k in ("produce", "redact", "withhold", "not-responsive"))
    out += [
        "## Decisions recorded in `tags.csv`",
        "",
        f"{len(DOCS)} documents, every one tagged: {st}.",
        "",
        "Documents per court-ordered category (a document may be in several):",
        "",
        "| id | category | documents |",
        "|---|---|---|",
        *[f"| {c} | {n} | {by_cat[c]} |" for c, n in CATEGORY_NAMES.items()],
        "",
        "- **Category 3 (DOJ and EOIR) is deliberately empty**: no row uses it, so `produce --dry-run`, `status` and "
        "`audit --categories` have an empty court-ordered category to report (`EMPTY_CATEGORY`).",
        "- **Redacted (3)**: the bilateral readout (DP, category 1), the weekly update prepared for the White House "
        "(DP, category 2) and the field Q&A memorandum (AC, category 5); each row names its file under `redacted/`.",
        "- **Withheld (4)**: White House meeting notes (PC; DP, category 2), a draft decision memorandum (DP), an "
        "e-mail with comments on draft guidance (DP) and an OGC legal memorandum (AC), all category 5 except the first. "
        "Every redact/withhold row has a privilege, a Rule 26(b)(5)(A) description that reveals nothing privileged, "
        "doc-date, doc-type (Email, Memorandum, Notes, Draft, Report), author and recipients.",
        "- **Not responsive (2)**: a holiday coverage e-mail and a parking-lot notice (no category).",
        "- **Corrupt file**: `field-operations/2019-08-09-laredo-muster-scan-damaged.pdf` is the first 40% of a scanned "
        "PDF, cut off inside its first image stream (no page tree, xref, trailer or `%%EOF`), as if a transfer was "
        "interrupted. Ingest must list it as unparseable; it is tagged `produce` with `as-native` = `yes`, so it goes "
        "out as a native with a slip sheet.",
        "- **Duplicates**: `international-affairs/` and `policy-office/` both hold "
        "`2019-01-24-nota-diplomatica-sre.pdf`, byte-identical; both rows carry the same decisions, so "
        "`dedupe = \"global\"` produces it once and lists the other DOCID under DUPLICATES.",
        "- **Hidden content**: only `policy-office/2019-01-28-implementation-policy-guidance.pdf` has any (one "
        "sticky-note annotation); its row sets `hidden-reviewed` = `yes`. No other PDF has annotations, form fields, "
        "embedded files or layers, and the .docx/.xlsx have no comments, tracked changes, hidden sheets/rows/columns, "
        "notes or embedded objects.",
        "- **CONFIDENTIAL**: four produced documents (the landscape returns table, the INM e-mail, the interagency "
        "agenda and the processing checklist) carry the level `CONFIDENTIAL`; the others have none.",
        "- PDF page features worth seeing in the produced volume: a `/Rotate 90` page "
        "(`policy-office/2020-01-07-guidance-exclusion-categories.pdf`, page 3), a landscape MediaBox "
        "(`international-affairs/2019-12-03-monthly-returns-by-port.pdf`), a CropBox inside the MediaBox "
        "(`policy-office/2019-07-02-supplemental-guidance-health-issues.pdf`), image-only scanned pages "
        "(`field-operations/2019-04-02-signed-acknowledgment-scan.pdf`) and an owner-password-only encrypted PDF "
        "(`international-affairs/2020-03-19-letter-to-inm-hearing-postponement.pdf`, written decrypted on produce).",
        "",
    ]
    (ROOT / "README.md").write_text("\n".join(out), encoding="utf-8")


def run(cmd) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True)


def check() -> int:
    bad = 0
    corrupt = "field-operations/2019-08-09-laredo-muster-scan-damaged.pdf"
    pdfs = sorted(p for p in list(DOCS_DIR.rglob("*.pdf")) + list(RED_DIR.rglob("*.pdf")))
    for p in pdfs:
        rel = p.relative_to(ROOT).as_posix()
        c = run(["qpdf", "--check", str(p)])
        n = run(["qpdf", "--show-npages", str(p)])
        t = run(["pdftotext", "-layout", str(p), "-"])
        words = len(t.stdout.split())
        ok = c.returncode == 0 and "No syntax or stream encoding errors" in c.stdout
        if rel.endswith(corrupt):
            status = "unparseable as intended" if not ok else "UNEXPECTEDLY PARSEABLE"
            bad += ok
        else:
            status = "ok" if ok else "QPDF FAILED"
            bad += not ok
        print(f"{status:24} pages={n.stdout.strip() or '-':>3} words={words:>5}  {rel}")
    for red, probes in REDACTIONS.items():
        orig = " ".join(run(["pdftotext", str(DOCS_DIR / ORIGINAL_OF[red]), "-"]).stdout.split())
        txt = " ".join(run(["pdftotext", str(ROOT / red), "-"]).stdout.split())
        po = run(["qpdf", "--show-npages", str(DOCS_DIR / ORIGINAL_OF[red])]).stdout.strip()
        pr = run(["qpdf", "--show-npages", str(ROOT / red)]).stdout.strip()
        for probe in probes:
            in_o, in_r = probe in orig, probe in txt
            verdict = "ok" if in_o and not in_r else "FAIL"
            bad += verdict != "ok"
            print(f"redaction {verdict}: '{probe}' original={in_o} redacted={in_r}  {red}")
        raw = (ROOT / red).read_bytes()
        if b"/Redact" in raw or po != pr or "REDACTED" not in txt:
            bad += 1
            print(f"redaction FAIL: pages {po} vs {pr}, /Redact or label problem in {red}")
    return bad


def main() -> None:
    import shutil
    for d in (DOCS_DIR, RED_DIR):
        if d.exists():
            shutil.rmtree(d)
    nota, nota_pages = make_nota_diplomatica()
    make_international_affairs(nota, nota_pages)
    make_front_office()
    make_policy_office(nota, nota_pages)
    make_general_counsel()
    make_field_operations()
    write_tags()
    write_readme()
    by_status, by_cat = summary()
    print(f"{len(DOCS)} documents; status {by_status}; per category {by_cat}")
    if "--check" in sys.argv:
        bad = check()
        print("check:", "all good" if not bad else f"{bad} problem(s)")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
