//! Everything that touches the PDF library. Functions take and return bytes;
//! callers decide where they come from and go.

pub mod contain;
mod decimal;
pub mod email_pages;
pub mod embed;
mod error;
pub mod font;
mod fonts_once;
mod line;
pub mod padding;
pub mod place;
pub mod quick;
pub mod read;
mod scrub;
mod slim;
pub mod slip;
pub mod stamp;
pub mod text;
pub mod textdoc;

pub use error::{Damaged, PdfError};
pub use read::{PdfFacts, inspect};

thread_local! {
    static QUIET_PANICS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs a parser on untrusted bytes; a panic inside it becomes an error
/// instead of reaching the user.
pub fn guarded<T, E: From<Damaged>>(what: &str, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
    // Nested (a message read while a file is extracted): the outer stays quiet.
    let outer = QUIET_PANICS.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET_PANICS.with(|q| q.set(outer));
    match result {
        Ok(r) => r,
        Err(_) => Err(Damaged(format!(
            "the {what} reader could not make sense of this file (it is badly damaged)"
        ))
        .into()),
    }
}

/// Whether this thread is inside [`guarded`], where a panic from a library
/// on hostile bytes becomes an error (the fuzz targets' panic hook lets
/// those through and aborts on any other).
pub fn in_guarded() -> bool {
    QUIET_PANICS.with(|q| q.get())
}

/// The stack of every thread that parses PDFs: deeply nested PDFs recurse in
/// the parser, so the workers get room.
pub const WORKER_STACK: usize = 64 << 20;

/// Installs the process panic hook: silent inside `guarded`, otherwise a
/// message asking for a bug report instead of a stack trace.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if QUIET_PANICS.with(|q| q.get()) {
            return;
        }
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // `adrec docs | head`: the reader left; there is nobody to tell.
        if msg.contains("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        eprintln!("error: adrec hit an internal error: {msg}");
        eprintln!(
            "\nhint: nothing was committed by the step that failed; please report this as a bug with the command you ran"
        );
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guarded_read_inside_another_leaves_the_outer_quiet() {
        assert!(!in_guarded());
        let outer: Result<bool, String> = guarded("outer", || {
            let inner: Result<(), String> = guarded("inner", || Ok(()));
            assert!(inner.is_ok());
            // Still inside the outer: a panic here is the file's error too.
            Ok(in_guarded())
        });
        assert_eq!(outer, Ok(true));
        assert!(!in_guarded());
        let caught: Result<(), String> = guarded("outer", || panic!("hostile bytes"));
        assert!(caught.is_err_and(|e| e.contains("could not make sense")));
    }
}
