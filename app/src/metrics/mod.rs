//! Keystone's metrics as of any date (coverage, keystone, executive participation, stale and
//! expiring outcomes, early warning, onboarding gaps), by owner, segment and cohort, from one
//! engine that every page, API response and export reads.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod drill_down;
pub mod engine;
pub mod model;
pub mod page;
