//! Pages of the accounts feature.

mod detail;
mod edit;
mod list;

pub use detail::AccountPage;
pub use edit::{EditAccountPage, NewAccountPage};
pub use list::AccountsPage;
