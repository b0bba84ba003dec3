//! Pages of the accounts feature.

mod detail;
mod list;

pub use detail::AccountPage;
pub use list::AccountsPage;
