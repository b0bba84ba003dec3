//! Who is asking (server only): the server's authentication middleware puts the signed-in
//! [`CurrentUser`] into the request; every server function starts by asking for it here.

use crate::error::{AppError, AppResult};
use crate::users::model::{CurrentUser, Permission};
use leptos::prelude::*;

/// The signed-in user of the current request, or `Unauthorized`.
pub fn current_user() -> AppResult<CurrentUser> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
        .ok_or(AppError::Unauthorized)
}

/// The signed-in user if their role has `permission`; `Unauthorized` or `Forbidden` otherwise.
pub fn authorize(permission: Permission) -> AppResult<CurrentUser> {
    let user = current_user()?;
    if permission.allows(user.role) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}
