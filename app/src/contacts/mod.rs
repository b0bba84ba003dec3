//! Contacts: the people at the customer. The owner CSM (or an admin) adds, edits and removes them;
//! a contact who attended a review is archived rather than deleted, so history keeps the name.

pub mod api;
#[cfg(feature = "ssr")]
mod db;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
