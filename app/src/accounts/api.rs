//! Server functions for accounts: thin wrappers that parse, call `db`, and return.

use super::model::{AccountDetail, AccountPage, AccountQuery, FilterOptions};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// One page of the accounts list.
#[server(input = Json)]
pub async fn list_accounts(query: AccountQuery) -> Result<AccountPage, AppError> {
    let user = crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    let db = crate::db::use_db()?;
    let scope = super::db::Scope {
        owner: query.owner.resolve(&user),
        today: chrono::Utc::now().date_naive(),
    };
    super::db::list(&db.read, &query, scope).await
}

/// Everything the account page shows about account `id`.
#[server(input = Json)]
pub async fn get_account(id: i64) -> Result<AccountDetail, AppError> {
    let user = crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    use crate::{outcomes, reviews};
    let db = crate::db::use_db()?;
    let account = super::db::find(&db.read, id)
        .await?
        .ok_or_else(|| AppError::NotFound("account".into()))?;
    let today = chrono::Utc::now().date_naive();
    let mut conn = db.read.acquire().await?;
    let rules = crate::settings::db::rules(&mut conn).await?;
    let reviews = reviews::db::for_account(&db.read, id).await?;
    Ok(AccountDetail {
        as_of: today,
        contacts: super::db::contacts(&db.read, id).await?,
        outcomes: outcomes::db::for_account(&db.read, id).await?,
        standing: reviews::db::standing(&mut conn, &account, rules.grace_days, today).await?,
        executive_flag: reviews::model::executive_flag(&reviews, today),
        can_record: !user.via_token
            && crate::auth::may_record_reviews(&mut conn, &user, id).await?,
        reviews,
        renewals: super::db::renewals(&db.read, id).await?,
        can_edit: user.may_edit_account_content(account.owner_id),
        can_manage: crate::users::model::Permission::ManageAccounts.allows(user.role)
            && !user.via_token,
        account,
    })
}

/// What the list's filters offer: segments, cohorts and owners.
#[server(input = Json)]
pub async fn account_filters() -> Result<FilterOptions, AppError> {
    crate::auth::authorize(crate::users::model::Permission::ReadAccounts)?;
    let db = crate::db::use_db()?;
    super::db::filter_options(&db.read).await
}

/// What the account form needs: the stored values (none for a new account) and the choices.
#[server(input = Json)]
pub async fn account_form(
    id: Option<i64>,
) -> Result<(Option<super::form::AccountForm>, FilterOptions), AppError> {
    crate::auth::authorize(crate::users::model::Permission::ManageAccounts)?;
    let db = crate::db::use_db()?;
    let stored = match id {
        None => None,
        Some(id) => {
            let mut conn = db.read.acquire().await?;
            let account = super::db::find(&db.read, id)
                .await?
                .ok_or_else(|| AppError::NotFound("account".into()))?;
            let own_cadence = super::db::fields(&mut conn, id)
                .await?
                .and_then(|fields| fields.cadence_days);
            Some(super::form::AccountForm::of(&account, own_cadence))
        }
    };
    Ok((stored, super::db::filter_options(&db.read).await?))
}

/// Creates an account (admins and leaders); answers with its page.
#[server]
pub async fn create_account(
    #[server(flatten)] form: super::form::AccountForm,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    let id = super::service::create(&db, form).await?;
    Ok(format!("/accounts/{id}"))
}

/// Saves the facts of account `account_id` (admins and leaders); answers with its page.
#[server]
pub async fn edit_account(
    account_id: i64,
    #[server(flatten)] form: super::form::AccountForm,
) -> Result<String, AppError> {
    let db = crate::db::use_db()?;
    super::service::edit(&db, account_id, form).await?;
    Ok(format!("/accounts/{account_id}"))
}
