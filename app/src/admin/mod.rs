//! Administration: users, API tokens, the audit log, target ramps and cohort start dates (admins
//! only).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod pages;
pub mod targets;

pub use pages::{AdminPage, AuditPage};
pub use targets::TargetsPage;
