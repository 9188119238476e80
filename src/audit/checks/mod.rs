//! One check per file; each reads the [`Audit`](super::Audit) and returns
//! its findings.

pub mod bates;
pub mod categories;
pub mod duplicates;
pub mod files;
pub mod hashes;
pub mod opt;
pub mod pages;
pub mod privlog;

use super::Audit;
use super::finding::Finding;

/// Every check, in the SPEC's order.
pub fn run_all(a: &Audit) -> Vec<Finding> {
    let checks: [fn(&Audit) -> Vec<Finding>; 8] = [
        bates::check,
        pages::check,
        files::check,
        hashes::check,
        opt::check,
        categories::check,
        privlog::check,
        duplicates::check,
    ];
    use rayon::prelude::*;
    checks.par_iter().flat_map_iter(|check| check(a)).collect()
}

/// `3 numbers` / `1 number`.
pub fn numbers(n: u64) -> String {
    if n == 1 {
        "1 number".into()
    } else {
        format!("{n} numbers")
    }
}

/// The ends of a run of numbers: one if they are equal.
pub fn ends(first: String, last: String) -> Vec<String> {
    if first == last {
        vec![first]
    } else {
        vec![first, last]
    }
}
