//! Business Outcomes: the dated goals every account needs a current one of.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod timeline;
