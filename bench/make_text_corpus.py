#!/usr/bin/env python3
"""The corpus of bench/text.sh: 2,400 text pages from four producers
(reportlab standard fonts, reportlab embedded TrueType, PyMuPDF Type0
Identity-H, Ghostscript re-distilled), 12 files of 50 pages each per
producer. Needs reportlab, pymupdf and gs. Usage: make_text_corpus.py DIR"""
import os, subprocess, sys
import fitz
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
WORDS = ("agency record comment rule notice final review counsel memorandum "
         "privilege deliberative advice migration protocol enforcement policy").split()

def line(p, i):
    return " ".join(WORDS[(p * 7 + i * 3 + k) % len(WORDS)] for k in range(12))

def reportlab(path, font, ttf=None):
    if ttf:
        pdfmetrics.registerFont(TTFont(font, ttf))
    c = canvas.Canvas(path, pagesize=letter, invariant=1)
    for p in range(50):
        c.setFont(font, 10)
        for i in range(48):
            c.drawString(54, 740 - i * 14.5, f"{p}.{i} " + line(p, i))
        c.showPage()
    c.save()

def pymupdf(path):
    doc = fitz.open()
    for p in range(50):
        page = doc.new_page(width=612, height=792)
        page.insert_font(fontname="dv", fontfile="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
        text = "\n".join(f"{p}.{i} " + line(p, i) for i in range(48))
        page.insert_text((54, 54), text, fontname="dv", fontsize=10, lineheight=1.45)
    doc.subset_fonts()
    doc.save(path, garbage=4, deflate=True)

for n in range(12):
    reportlab(f"{out}/rl-std-{n:02}.pdf", "Times-Roman")
    reportlab(f"{out}/rl-ttf-{n:02}.pdf", "DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pymupdf(f"{out}/mu-cid-{n:02}.pdf")
    subprocess.run(["gs", "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={out}/gs-{n:02}.pdf", f"{out}/rl-std-{n:02}.pdf"], check=True)
