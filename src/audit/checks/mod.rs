//! One check per file; each reads the [`Audit`] and returns
//! its findings.

pub mod basis;
pub mod bates;
pub mod categories;
pub mod covered;
pub mod duplicates;
pub mod family;
pub mod files;
pub mod hashes;
pub mod opt;
pub mod pages;
pub mod privlog;

use super::Audit;
use super::finding::Finding;

type Check = fn(&Audit) -> Vec<Finding>;

/// The checks that never look at the files' bytes: they can run while the
/// files are still being read.
pub const WITHOUT_SCANS: [Check; 5] = [
    bates::check,
    categories::check,
    privlog::check,
    family::check,
    basis::check,
];

/// The checks that need every file's hash, pages or annotations (the image
/// cross-reference check counts the frames of multi-page files).
pub const WITH_SCANS: [Check; 6] = [
    pages::check,
    files::check,
    hashes::check,
    duplicates::check,
    opt::check,
    covered::check,
];

/// Runs `checks` in parallel.
pub fn run(a: &Audit, checks: &[Check]) -> Vec<Finding> {
    use rayon::prelude::*;
    checks.par_iter().flat_map_iter(|check| check(a)).collect()
}

/// Every check.
pub fn run_all(a: &Audit) -> Vec<Finding> {
    let mut out = run(a, &WITHOUT_SCANS);
    out.extend(run(a, &WITH_SCANS));
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::testing::Production;

    #[test]
    fn a_clean_volume_gives_no_finding_from_any_check() {
        let (audit, loading) = Production::standard().gather();
        assert!(loading.is_empty(), "{loading:?}");
        assert_eq!(audit.rows.len(), 2);
        let findings = run_all(&audit);
        assert!(findings.is_empty(), "{findings:?}");
    }
}
