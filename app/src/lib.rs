//! Keystone's application: domain rules, pages and server functions, compiled twice — natively
//! with `ssr` for the server and to WASM with `hydrate` for the browser.
//!
//! Organised by feature: each folder holds `model.rs` (types and pure rules), `api.rs` (server
//! functions), `db.rs` (SQL, server only) and `pages/`.

pub mod accounts;
pub mod admin;
pub mod audit;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod components;
pub mod contacts;
#[cfg(feature = "ssr")]
pub mod db;
pub mod error;
pub mod metrics;
pub mod outcomes;
pub mod reviews;
pub mod revisions;
#[cfg(feature = "ssr")]
pub mod security;
pub mod settings;
pub mod shell;
pub mod users;
pub mod worklist;

pub use shell::{shell, App};
