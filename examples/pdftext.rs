//! `cargo run --example pdftext FILE...`: adrec's extracted text of each
//! PDF on stdout (pages separated by form feeds) and the covered-text
//! verdicts on stderr; used by bench/text.sh and when comparing with pdftotext.

fn main() {
    let mut status = 0;
    for path in std::env::args().skip(1) {
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
