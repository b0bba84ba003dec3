//! `/accounts/new` and `/accounts/:id/edit`: an account's facts, for admins and leaders.

use crate::accounts::api::{account_form, CreateAccount, EditAccount};
use crate::accounts::form::AccountForm;
use crate::accounts::model::FilterOptions;
use crate::components::form::{Field, FieldKind, SelectField, ServerForm};
use crate::components::{route_id, ErrorNotice};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

const ACCOUNT_FIELDS: &[&str] = &[
    "name",
    "external_id",
    "owner_id",
    "segment",
    "arr",
    "start_date",
    "end_date",
    "renewal_date",
    "cadence_days",
    "cohorts",
];

/// The account's fields, shared by the new and edit pages.
#[component]
fn AccountFieldset(stored: AccountForm, options: FilterOptions) -> impl IntoView {
    let owners = std::iter::once((String::new(), "Unassigned".to_string()))
        .chain(
            options
                .owners
                .into_iter()
                .map(|(id, name)| (id.to_string(), name)),
        )
        .collect::<Vec<_>>();
    let segments = options
        .segments
        .into_iter()
        .map(|s| (s.clone(), s))
        .collect::<Vec<_>>();
    view! {
        <div class="field-row">
            <Field name="name" label="Name" value=stored.name required=true max_chars=200 />
            <Field name="external_id" label="CRM id" value=stored.external_id max_chars=100 />
        </div>
        <div class="field-row">
            <SelectField name="owner_id" label="Owner" options=owners value=stored.owner_id />
            <SelectField name="segment" label="Segment" options=segments value=stored.segment />
            <Field name="arr" label="ARR" kind=FieldKind::Number value=stored.arr />
        </div>
        <div class="field-row">
            <Field
                name="start_date"
                label="Customer since"
                kind=FieldKind::Date
                value=stored.start_date
                required=true
            />
            <Field
                name="renewal_date"
                label="Renewal date"
                kind=FieldKind::Date
                value=stored.renewal_date
            />
            <Field
                name="end_date"
                label="Ended (churned)"
                kind=FieldKind::Date
                value=stored.end_date
            />
        </div>
        <div class="field-row">
            <Field
                name="cadence_days"
                label="Review cadence (days)"
                kind=FieldKind::Number
                value=stored.cadence_days
                hint="Empty: the segment's cadence."
            />
            <Field
                name="cohorts"
                label="Cohorts"
                value=stored.cohorts
                hint="Names separated by commas, e.g. pilot."
            />
        </div>
    }
}

/// A new account.
#[component]
pub fn NewAccountPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| account_form(None));
    let action = ServerAction::<CreateAccount>::new();
    view! {
        <Title text="New account · Keystone" />
        <p class="breadcrumb">
            <a href="/accounts">"← Accounts"</a>
        </p>
        <h1>"New account"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((_, options)) => {
                        let stored = AccountForm {
                            segment: options.segments.first().cloned().unwrap_or_default(),
                            ..AccountForm::default()
                        };
                        view! {
                            <ServerForm
                                action
                                id="new-account".to_string()
                                label="New account".to_string()
                                fields=ACCOUNT_FIELDS
                                submit="Create account"
                            >
                                <AccountFieldset stored=stored.clone() options=options.clone() />
                            </ServerForm>
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Editing an account's facts.
#[component]
pub fn EditAccountPage() -> impl IntoView {
    let id = route_id();
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => account_form(Some(id)).await,
                None => Err(AppError::NotFound("account".into())),
            }
        },
    );
    let action = ServerAction::<EditAccount>::new();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading account…"</p> }>
            {move || Suspend::new(async move {
                match (data.await, id.get_untracked()) {
                    (Ok((Some(stored), options)), Some(id)) => {
                        view! {
                            <Title text=format!("Edit {} · Keystone", stored.name) />
                            <p class="breadcrumb">
                                <a href=format!("/accounts/{id}")>"← " {stored.name.clone()}</a>
                            </p>
                            <h1>"Edit account"</h1>
                            <ServerForm
                                action
                                id=format!("account-{id}")
                                label="Edit account".to_string()
                                fields=ACCOUNT_FIELDS
                                submit="Save account"
                            >
                                <input type="hidden" name="account_id" value=id />
                                <AccountFieldset stored=stored.clone() options=options.clone() />
                            </ServerForm>
                        }
                            .into_any()
                    }
                    (Err(error), _) => view! { <ErrorNotice error /> }.into_any(),
                    _ => view! { <ErrorNotice error=AppError::NotFound("account".into()) /> }.into_any(),
                }
            })}
        </Transition>
    }
}
