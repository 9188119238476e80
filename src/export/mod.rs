//! Load files and spreadsheets written from the one row model.
//! Writers take rows and return bytes (or write to `impl Write`); where the
//! bytes go is the caller's business.

pub mod row;

pub use row::{IndexRow, PrivLogRow};
