//! Administration: users, API tokens and the audit log (admins only).

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
mod pages;

pub use pages::{AdminPage, AuditPage};
