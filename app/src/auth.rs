//! Who is asking (server only): the server's authentication middleware puts the signed-in
//! [`CurrentUser`] into the request; every server function starts by asking for it here.

use crate::error::{AppError, AppResult};
use crate::users::model::CurrentUser;
use leptos::prelude::*;

/// The signed-in user of the current request, or `Unauthorized`.
pub fn current_user() -> AppResult<CurrentUser> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentUser>().cloned())
        .ok_or(AppError::Unauthorized)
}
