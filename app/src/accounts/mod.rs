//! Accounts: the book of customers, their contacts and renewals.

pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
pub mod form;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
mod service;
