//! Users and roles: who is signed in, and what each role may do.

pub mod api;
mod login;
pub mod model;

pub use login::LoginPage;
