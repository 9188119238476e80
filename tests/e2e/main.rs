//! End-to-end tests: the real `adrec` binary on real files.

mod util;

mod audit;
mod audit_files;
mod audit_overlay;
mod audit_util;
mod batches;
mod certify;
mod clawback;
mod demo;
mod export_golden;
mod families;
mod faults;
mod fonts;
mod hostile;
mod ingest;
mod kill;
mod matter;
mod memory;
mod privlog_profiles;
mod produce;
mod profiles;
mod shared;
mod status;
mod tag;
mod text;
mod tiff;
mod tiff_fidelity;
