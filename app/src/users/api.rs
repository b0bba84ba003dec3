//! Server functions about the signed-in user.

use super::model::CurrentUser;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in user, for the page header.
#[server]
pub async fn who_am_i() -> Result<CurrentUser, AppError> {
    crate::auth::current_user()
}
