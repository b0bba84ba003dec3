//! Business Outcome Reviews: the keystone activity. Scheduling, recording (attendees, notes,
//! assessments that set their outcomes' status), cancelling, with a history and kept drafts; and
//! the review status of an account (`status`), the one implementation of DESIGN.md's rules.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod draft;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod status;
