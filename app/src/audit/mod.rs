//! The audit log: every change in Keystone is recorded through [`db::record`], in the same
//! transaction as the change itself.

#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
