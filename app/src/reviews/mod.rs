//! Business Outcome Reviews: the keystone activity.

#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
