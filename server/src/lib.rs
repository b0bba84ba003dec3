#![recursion_limit = "256"]
//! Keystone's server: database set-up, the axum router, operations endpoints and demo data.
//!
//! `main.rs` is only the command line; everything here is a library so that integration tests
//! drive the same router ([`router::build_router`]) on a fresh database.

pub mod api;
pub mod auth;
pub mod database;
pub mod demo;
pub mod forms;
pub mod health;
pub mod router;
pub mod security;
