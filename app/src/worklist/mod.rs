//! The CSM's worklist (the home page): their accounts that need action, grouped, with counts and
//! one click from each item to its action.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod page;
