//! `cargo run --example pdftext FILE...`: adrec's extracted text of each
//! PDF on stdout (pages separated by form feeds) and the covered-text
//! verdicts on stderr; used by bench/text.sh and when comparing with pdftotext.

fn main() {
    let mut status = 0;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--glyphs") {
        // `--glyphs FILE`: every glyph of page 1 with its baseline start and box.
        let Some(path) = args.get(1) else {
            eprintln!("usage: pdftext --glyphs FILE");
            std::process::exit(2);
        };
        let bytes = std::fs::read(path).unwrap_or_default();
        let Ok(doc) = adrec::pdf::read::load(&bytes) else {
            eprintln!("{path}: not a readable PDF");
            std::process::exit(1);
        };
        let pages = adrec::pdf::read::page_ids(&doc).unwrap_or_default();
        if let Some(page) = pages.first() {
            let (g, _) = adrec::pdf::text::page_glyphs(&doc, *page);
            for (gl, covered) in g.glyphs.iter().zip(&g.covered) {
                println!(
                    "{:?} start=({:.1},{:.1}) end=({:.1},{:.1}) size={:.1} covered={covered}",
                    gl.text, gl.start.0, gl.start.1, gl.end.0, gl.end.1, gl.size
                );
            }
        }
        return;
    }
    for path in args {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                status = 2;
                continue;
            }
        };
        match adrec::pdf::text::extract(&bytes) {
            Ok(t) => {
                for (i, p) in t.pages.iter().enumerate() {
                    if i > 0 {
                        print!("\u{0C}");
                    }
                    println!("{}", p.text);
                    for problem in &p.problems {
                        eprintln!("{path}: page {}: {problem}", i + 1);
                    }
                }
                for (page, n) in t.covered_pages() {
                    eprintln!("{path}: page {page}: {n} covered characters");
                }
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                status = 1;
            }
        }
    }
    std::process::exit(status);
}
