//! Business Outcomes: the dated goals every account needs a current one of.

#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
