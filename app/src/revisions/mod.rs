//! Revisions: the documented history of a record (outcomes, reviews). Each change keeps who, when,
//! why, and the old and new value of every field that changed.

#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod view;

pub use view::RevisionList;
