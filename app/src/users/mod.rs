//! Users and roles: who is signed in, and what each role may do.

pub mod api;
#[cfg(feature = "ssr")]
pub mod create;
#[cfg(feature = "ssr")]
mod db;
mod login;
pub mod model;
#[cfg(feature = "ssr")]
pub mod password;

pub use login::LoginPage;
