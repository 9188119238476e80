//! End-to-end tests: the real `adrec` binary on real files.

mod util;

mod tag;
