#!/usr/bin/env python3
"""Writes a TIFF production as review platforms export it, for
bench/audit.sh --tiff: VOL/IMAGES/NNNN/BEGBATES.tif single-page Group IV
TIFFs (letter size, 300 dpi, one per page), VOL/TEXT/NNNN/BEGBATES.txt,
DATA/VOL.dat (UTF-8 BOM, þ qualifiers, 0x14, CRLF; no link columns: files
are tied by name and by the cross-references), DATA/VOL.opt, DATA/VOL.lfp
and SHA256SUMS.

    python3 bench/make_tiff_production.py OUTDIR [--docs 10000] [--pages 5]

Needs Pillow. Deterministic: each page is the same scanned-looking page with
its own number drawn on it, so every file has its own bytes.
"""

import argparse
import hashlib
import io
import os
import random

from PIL import Image, ImageDraw

PREFIX = "TIFF-"
WIDTH = 7
VOL = "VOL001"


def bates(n):
    return f"{PREFIX}{n:0{WIDTH}d}"


def base_page():
    """A letter page at 300 dpi with lines of 'text' (black bars)."""
    rng = random.Random(7)
    im = Image.new("1", (2550, 3300), 1)
    d = ImageDraw.Draw(im)
    y = 300
    while y < 3000:
        x = 300
        while x < 2200:
            w = rng.randint(40, 220)
            d.rectangle([x, y, x + w, y + 28], fill=0)
            x += w + rng.randint(20, 40)
        y += rng.randint(55, 80)
    return im


def tiff(page, label):
    im = page.copy()
    ImageDraw.Draw(im).text((2000, 3150), label, fill=0)
    buf = io.BytesIO()
    im.save(buf, format="TIFF", compression="group4", dpi=(300, 300))
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--pages", type=int, default=5)
    args = ap.parse_args()
    root = os.path.join(args.out, VOL)
    page = base_page()
    sums = []
    dat = ["þBEGBATESþ\x14þENDBATESþ\x14þPGCOUNTþ\x14þDOCIDþ\x14þCUSTODIANþ"]
    opt, lfp = [], []
    n = 1
    for d in range(args.docs):
        first, last = n, n + args.pages - 1
        folder = f"{d // 1000 + 1:04d}"
        dat.append(f"þ{bates(first)}þ\x14þ{bates(last)}þ\x14þ{args.pages}þ\x14þDOC-{d + 1:06d}þ\x14þRuiz, Anaþ")
        for k in range(args.pages):
            key = bates(n)
            rel = f"IMAGES/{folder}/{key}.tif"
            data = tiff(page, key)
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {rel}")
            win = rel.replace("/", "\\")
            if k == 0:
                opt.append(f"{key},{VOL},{win},Y,,,{args.pages}")
                lfp.append(f"IM,{key},D,0,@{VOL};IMAGES\\{folder};{key}.tif;2")
            else:
                opt.append(f"{key},{VOL},{win},,,,")
                lfp.append(f"IM,{key},,0,@{VOL};IMAGES\\{folder};{key}.tif;2")
            n += 1
        text = f"Extracted text of {bates(first)}\n".encode()
        rel = f"TEXT/{folder}/{bates(first)}.txt"
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(text)
        sums.append(f"{hashlib.sha256(text).hexdigest()}  {rel}")
    os.makedirs(os.path.join(root, "DATA"), exist_ok=True)
    for name, lines, bom in [(f"{VOL}.dat", dat, True), (f"{VOL}.opt", opt, False), (f"{VOL}.lfp", lfp, False)]:
        data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
        if bom:
            data = b"\xef\xbb\xbf" + data
        with open(os.path.join(root, "DATA", name), "wb") as f:
            f.write(data)
        sums.append(f"{hashlib.sha256(data).hexdigest()}  DATA/{name}")
    with open(os.path.join(root, "SHA256SUMS"), "w") as f:
        f.write("\n".join(sorted(sums, key=lambda s: s.split("  ", 1)[1])) + "\n")


if __name__ == "__main__":
    main()
