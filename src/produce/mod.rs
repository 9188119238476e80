//! Producing a volume: a pure plan (`plan`, `rows`), prepared from the
//! matter as it is (`prepare`: frozen Bates settings, sources re-read,
//! warnings), then the side effects in `volume`: staged, verified, recorded,
//! renamed into place.

pub mod batches;
pub mod bates;
mod checksums;
mod data;
mod document;
pub mod email;
mod families;
pub mod images;
mod loadfile;
mod made;
pub mod overlay;
pub mod plan;
pub mod planner;
pub mod prepare;
pub mod rows;
mod slips;
pub mod sources;
mod staged_files;
pub mod text;
pub mod volume;
mod writers;

pub use data::image_format;
pub use prepare::{Prepared, bates_settings, plan_next, prepare};
pub use volume::{Report, Request, WriteOutcome};
