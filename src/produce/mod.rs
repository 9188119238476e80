//! Producing a volume: a pure plan (`plan`, `rows`, `bates`), then the side
//! effects in `volume`: staged, verified, recorded, renamed into place.

pub mod bates;
pub mod plan;
pub mod rows;
pub mod volume;
