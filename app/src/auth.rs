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

/// The signed-in user if they may change the contacts and outcomes of account `account_id` (see
/// [`CurrentUser::may_edit_account_content`]): `NotFound` without such an account, `Forbidden` when
/// it is not theirs to edit. Pass the transaction that makes the change, so the check and the change
/// see the same owner.
pub async fn authorize_account_content(
    conn: &mut sqlx::SqliteConnection,
    account_id: i64,
) -> AppResult<CurrentUser> {
    let user = authorize(Permission::ReadAccounts)?;
    let owner = crate::accounts::db::owner_of(conn, account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    if user.may_edit_account_content(owner) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The signed-in user if they may schedule, record and edit reviews of account `account_id` (see
/// [`CurrentUser::may_record_reviews`]); `NotFound` without such an account, `Forbidden` otherwise.
/// Pass the transaction that makes the change.
pub async fn authorize_review_entry(
    conn: &mut sqlx::SqliteConnection,
    account_id: i64,
) -> AppResult<CurrentUser> {
    let user = authorize(Permission::ReadAccounts)?;
    if may_record_reviews(conn, &user, account_id).await? {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether `user` may record reviews of account `account_id`; `NotFound` without such an account.
pub async fn may_record_reviews(
    conn: &mut sqlx::SqliteConnection,
    user: &CurrentUser,
    account_id: i64,
) -> AppResult<bool> {
    let owner = crate::accounts::db::owner_of(conn, account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    let pilot =
        crate::accounts::db::in_cohort(conn, account_id, crate::users::model::PILOT_COHORT).await?;
    Ok(user.may_record_reviews(owner, pilot))
}
