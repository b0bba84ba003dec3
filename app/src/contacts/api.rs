//! Server functions for contacts; changes answer with the account page's address.

use super::model::{ContactDetail, ContactForm};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The contact edit page's data.
#[server(input = Json)]
pub async fn get_contact(id: i64) -> Result<ContactDetail, AppError> {
    let user = crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    let db = crate::db::use_db()?;
    let mut conn = db.read.acquire().await?;
    let contact = super::db::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("contact".into()))?;
    let account = crate::accounts::db::find(&db.read, contact.account_id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    Ok(ContactDetail {
        attended: super::db::attended(&mut conn, id).await?,
        can_edit: user.may_edit_account_content(account.owner_id),
        account_name: account.name,
        contact,
    })
}

/// Adds a contact to account `account_id`.
#[server]
pub async fn add_contact(
    account_id: i64,
    #[server(flatten)] form: ContactForm,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::create(&db, account_id, form).await?;
    Ok(format!("/accounts/{account_id}"))
}

/// Saves an edit of contact `contact_id`.
#[server]
pub async fn edit_contact(
    contact_id: i64,
    #[server(flatten)] form: ContactForm,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    let account_id = super::service::edit(&db, contact_id, form).await?;
    Ok(format!("/accounts/{account_id}"))
}

/// Removes contact `contact_id` (archived if it attended a review).
#[server]
pub async fn remove_contact(contact_id: i64) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    let account_id = super::service::remove(&db, contact_id).await?;
    Ok(format!("/accounts/{account_id}"))
}
