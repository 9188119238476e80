#!/usr/bin/env python3
"""Writes a large production in the layout of the SPEC's `produce` section,
for bench/audit.sh: VOL/IMAGES/000N/BEGBATES.pdf, VOL/NATIVES/000N/BEGBATES.ext,
DATA/VOL.dat (UTF-8 BOM, þ qualifiers, 0x14, CRLF), DATA/VOL.opt,
DATA/VOL_privilege_log.csv and SHA256SUMS.

    python3 bench/make_production.py OUTDIR [--docs 20000] [--big-natives 6]
        [--big-native-mib 200] [--big-pdfs 2] [--big-pdf-mib 100] [--with-md5]

Deterministic (seeded). Without --with-md5 the DAT's SOURCE_MD5 column is
left empty, so the audit computes SHA-256 only (the reference the benchmark
compares with is SHA-256 only); with it, every native's MD5 is filled in and
the audit must compute MD5 for the natives too.
"""

import argparse
import hashlib
import os
import random

PREFIX = "BENCH-"
WIDTH = 7
VOL = "VOL001"


def bates(n):
    return f"{PREFIX}{n:0{WIDTH}d}"


def pdf(pages, label, payload):
    """A real PDF: `pages` pages of text, plus one binary stream of `payload`
    bytes per page (an uncompressed image-like XObject) to give it weight."""
    objs = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for i in range(pages):
        page_id = len(objs) + 1
        kids.append(page_id)
        content_id, image_id = page_id + 1, page_id + 2
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
            f"/XObject << /Im1 {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
        )
        text = f"q 200 0 0 200 72 400 cm /Im1 Do Q BT /F1 12 Tf 72 720 Td ({label} page {i + 1}) Tj ET"
        objs.append(f"<< /Length {len(text)} >>\nstream\n{text}\nendstream")
        objs.append(payload[i])
    objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {pages} >>"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n".encode()
        out += body if isinstance(body, (bytes, bytearray)) else body.encode()
        out += b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def image(rng, size, side=64):
    data = rng.randbytes(size)
    head = f"<< /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length {size} >>\nstream\n"
    return head.encode() + data + b"\nendstream"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=20000)
    ap.add_argument("--big-natives", type=int, default=6)
    ap.add_argument("--big-native-mib", type=int, default=200)
    ap.add_argument("--big-pdfs", type=int, default=2)
    ap.add_argument("--big-pdf-mib", type=int, default=100)
    ap.add_argument("--with-md5", action="store_true")
    args = ap.parse_args()
    rng = random.Random(20240419)
    root = os.path.join(args.out, VOL)
    block = rng.randbytes(16 << 20)  # reused for large files, with a per-file prefix
    files = {}  # relative path -> sha256
    total = 0

    def put(rel, data):
        nonlocal total
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        files[rel] = hashlib.sha256(data).hexdigest()
        total += len(data)
        return files[rel]

    def put_big(rel, size, head):
        nonlocal total
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        sha, md5 = hashlib.sha256(), hashlib.md5()
        with open(path, "wb") as f:
            written = 0
            chunk = head + block[: (16 << 20) - len(head)]
            while written < size:
                piece = chunk[: min(len(chunk), size - written)]
                f.write(piece)
                sha.update(piece)
                md5.update(piece)
                written += len(piece)
                chunk = block
        files[rel] = sha.hexdigest()
        total += size
        return files[rel], md5.hexdigest()

    headers = [
        "BEGBATES", "ENDBATES", "PGCOUNT", "CONTROL_ID", "VOLUME", "CATEGORY", "TREATMENT", "CONFIDENTIALITY",
        "DOC_DATE", "DOC_TYPE", "TITLE", "AUTHOR", "RECIPIENTS", "CUSTODIAN", "FILENAME", "PRODUCED_SHA256",
        "SOURCE_SHA256", "SOURCE_MD5", "DUPLICATES", "NATIVELINK", "IMAGELINK",
    ]
    dat_rows, opt_lines, log_rows = [], [], []
    number = 1
    n_docs = args.docs + args.big_natives + args.big_pdfs
    for k in range(n_docs):
        folder = f"{k // 1000 + 1:04d}"
        beg = bates(number)
        control = f"DOC-{k + 1:06d}"
        big_native = k >= args.docs and k < args.docs + args.big_natives
        big_pdf = k >= args.docs + args.big_natives
        native = big_native or k % 10 == 9
        treatment = "Redacted" if k % 50 == 7 else "Produced"
        if native:
            pages = 1
            image_bytes = pdf(1, "Document produced in native format", [image(rng, 256)])
            ext = "mp4" if big_native else "xlsx"
            native_rel = f"NATIVES/{folder}/{beg}.{ext}"
            if big_native:
                native_sha, native_md5 = put_big(native_rel, args.big_native_mib << 20, f"native {beg}\n".encode())
            else:
                data = f"native {beg}\n".encode() + rng.randbytes(rng.randint(8_000, 40_000))
                native_sha, native_md5 = put(native_rel, data), hashlib.md5(data).hexdigest()
            produced_sha = native_sha
            source_sha, source_md5 = native_sha, native_md5
        else:
            if big_pdf:
                pages = 20
                per_page = (args.big_pdf_mib << 20) // pages
                payload = [image(rng, per_page, 2048) for _ in range(pages)]
            else:
                pages = rng.choice([1, 1, 1, 2, 2, 3, 4, 6])
                payload = [image(rng, rng.randint(6_000, 24_000)) for _ in range(pages)]
            image_bytes = pdf(pages, beg, payload)
            native_rel = None
            source_sha = hashlib.sha256(f"original {control}".encode()).hexdigest()
            source_md5 = hashlib.md5(f"original {control}".encode()).hexdigest()
        end = bates(number + pages - 1)
        image_rel = f"IMAGES/{folder}/{beg}.pdf"
        image_sha = put(image_rel, image_bytes)
        if not native:
            produced_sha = image_sha
        win = lambda rel: f"{VOL}\\" + rel.replace("/", "\\") if rel else ""
        dat_rows.append([
            beg, end, str(pages), control, VOL, str(k % 5 + 1), treatment, "", "03/14/2023",
            "Memorandum" if treatment == "Redacted" else "", f"Document {control}", "Ruiz, Ana", "",
            "Ruiz, Ana", f"{control}.pdf", produced_sha, source_sha, source_md5 if args.with_md5 else "", "",
            win(native_rel), win(image_rel),
        ])
        for p in range(pages):
            key = bates(number + p)
            opt_lines.append(f"{key},{VOL},{win(image_rel)},{'Y' if p == 0 else ''},,,{pages if p == 0 else ''}")
        if treatment == "Redacted":
            log_rows.append([
                f"PRIV-{len(log_rows) + 1:06d}", beg, end, control, "Redacted", "2023-03-14", "Memorandum",
                "Ruiz, Ana", "Ortega, Luis", "Draft guidance under deliberation", "Deliberative process privilege",
                str(k % 5 + 1), VOL,
            ])
        number += pages

    def dat_line(cells):
        return "\x14".join(f"þ{c}þ" for c in cells) + "\r\n"

    put(f"DATA/{VOL}.dat", ("\ufeff" + dat_line(headers) + "".join(dat_line(r) for r in dat_rows)).encode("utf-8"))
    put(f"DATA/{VOL}.opt", ("\r\n".join(opt_lines) + "\r\n").encode())
    log_header = "LOG_ID,BEGBATES,ENDBATES,CONTROL_ID,TREATMENT,DOC_DATE,DOC_TYPE,AUTHOR,RECIPIENTS,DESCRIPTION,PRIVILEGE,CATEGORY,VOLUME"
    csv_rows = [",".join(f'"{c}"' if "," in c else c for c in r) for r in log_rows]
    put(f"DATA/{VOL}_privilege_log.csv", ("\ufeff" + log_header + "\r\n" + "\r\n".join(csv_rows) + "\r\n").encode())
    with open(os.path.join(root, "SHA256SUMS"), "w") as f:
        for rel in sorted(files):
            f.write(f"{files[rel]}  {rel}\n")
    print(f"{VOL}: {n_docs} documents, {number - 1} Bates numbers, {len(files) + 1} files, {total / (1 << 30):.2f} GiB")


if __name__ == "__main__":
    main()
