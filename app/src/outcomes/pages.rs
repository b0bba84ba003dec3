//! `/outcomes/:id` (an outcome, its freshness and history, renew and retire),
//! `/outcomes/:id/edit` and `/accounts/:id/outcomes/new`.

use super::api::{get_outcome, CreateOutcome, EditOutcome, RenewOutcome, RetireOutcome};
use super::model::{default_expiry, OutcomeDetail, OutcomeForm, OutcomeStatus};
use crate::accounts::api::get_account;
use crate::components::form::{Field, FieldKind, RevisionField, SelectField, ServerForm};
use crate::components::{format, route_id, ErrorNotice};
use crate::error::AppError;
use crate::revisions::RevisionList;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The fields of the outcome form, for placing errors.
const OUTCOME_FIELDS: &[&str] = &[
    "title",
    "description",
    "success_measure",
    "baseline_value",
    "target_value",
    "unit",
    "valid_from",
    "expires_on",
    "status",
    "reason",
];

/// The outcome named by the route, reloaded when a save adds `?saved=N` to the address.
fn outcome_resource() -> Resource<Result<OutcomeDetail, AppError>> {
    let id = route_id();
    let query = use_query_map();
    Resource::new(
        move || (id.get(), query.with(|q| q.get("saved"))),
        |(id, _)| async move {
            match id {
                Some(id) => get_outcome(id).await,
                None => Err(AppError::NotFound("outcome".into())),
            }
        },
    )
}

/// One outcome: facts, freshness, renew and retire, and its history.
#[component]
pub fn OutcomePage() -> impl IntoView {
    let detail = outcome_resource();
    let query = use_query_map();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading outcome…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => {
                        let saved = query.with_untracked(|q| q.get("saved"));
                        view! { <OutcomeView detail saved /> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OutcomeView(detail: OutcomeDetail, saved: Option<String>) -> impl IntoView {
    let freshness = detail.days_since_update();
    let OutcomeDetail {
        as_of,
        outcome,
        account_name,
        can_edit,
        revisions,
    } = detail;
    let state = if outcome.retired_on.is_some() {
        ("Retired", "tag tag-muted")
    } else if outcome.is_current_on(as_of) {
        ("Current", "tag tag-current")
    } else {
        ("Not current", "tag tag-muted")
    };
    let measure = match (outcome.baseline_value, outcome.target_value) {
        (None, None) => None,
        (from, to) => {
            let unit = outcome.unit.clone().unwrap_or_default();
            let show = |v: Option<f64>| v.map(|v| format!("{v} {unit}")).unwrap_or("–".into());
            Some(format!("{} → {}", show(from), show(to)))
        }
    };
    let freshness_text = match freshness {
        0 => "Updated today".to_string(),
        1 => "Updated 1 day ago".to_string(),
        n => format!("Updated {n} days ago"),
    };
    let retired = outcome.retired_on.is_some();
    let id = outcome.id;
    let revision = outcome.revision;
    view! {
        <Title text=format!("{} · Keystone", outcome.title) />
        <p class="breadcrumb">
            <a href=format!("/accounts/{}", outcome.account_id)>"← " {account_name}</a>
        </p>
        {saved
            .map(|revision| {
                view! {
                    <div class="notice notice-success" role="status">
                        <p>{format!("Saved as revision {revision}.")}</p>
                    </div>
                }
            })}
        <header class="page-header">
            <h1>{outcome.title.clone()}</h1>
            <span class=state.1>{state.0}</span>
            <span class=format!("status status-{}", outcome.status.as_str())>
                {outcome.status.label()}
            </span>
        </header>
        <p class="freshness">
            <time datetime=outcome.updated_at.clone()>{freshness_text}</time>
            {format!(" · revision {revision}")}
        </p>
        <section aria-labelledby="outcome-facts">
            <h2 id="outcome-facts" class="visually-hidden">"Facts"</h2>
            <dl class="facts">
                <div>
                    <dt>"Valid from"</dt>
                    <dd>{format::date(outcome.valid_from)}</dd>
                </div>
                <div>
                    <dt>"Expires on"</dt>
                    <dd>{format::date(outcome.expires_on)}</dd>
                </div>
                {outcome
                    .retired_on
                    .map(|day| {
                        view! {
                            <div>
                                <dt>"Retired on"</dt>
                                <dd>{format::date(day)}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"Success measure"</dt>
                    <dd>
                        {if outcome.success_measure.is_empty() {
                            "–".to_string()
                        } else {
                            outcome.success_measure.clone()
                        }}
                    </dd>
                </div>
                {measure
                    .map(|measure| {
                        view! {
                            <div>
                                <dt>"Baseline → target"</dt>
                                <dd>{measure}</dd>
                            </div>
                        }
                    })}
            </dl>
            {(!outcome.description.is_empty())
                .then(|| view! { <p class="description">{outcome.description.clone()}</p> })}
        </section>
        {(can_edit && !retired)
            .then(|| {
                view! {
                    <section aria-labelledby="outcome-actions">
                        <h2 id="outcome-actions">"Change"</h2>
                        <p>
                            <a class="button" href=format!("/outcomes/{id}/edit")>
                                "Edit outcome"
                            </a>
                        </p>
                        <div class="side-by-side">
                            <RenewForm id revision expires_on=outcome.expires_on />
                            <RetireForm id revision today=as_of />
                        </div>
                    </section>
                }
            })}
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <RevisionList revisions />
        </section>
    }
}

/// Renewing: a later expiry and why, in one action.
#[component]
fn RenewForm(id: i64, revision: i64, expires_on: chrono::NaiveDate) -> impl IntoView {
    let action = ServerAction::<RenewOutcome>::new();
    let suggestion = default_expiry(expires_on).to_string();
    view! {
        <ServerForm
            action
            id=format!("renew-{id}")
            label="Renew outcome".to_string()
            fields=&["expires_on", "reason"]
            submit="Renew"
        >
            <h3>"Renew"</h3>
            <input type="hidden" name="outcome_id" value=id />
            <RevisionField value=revision />
            <Field
                name="expires_on"
                label="New expiry date"
                kind=FieldKind::Date
                required=true
                value=suggestion.clone()
            />
            <Field name="reason" label="Reason for renewing" required=true max_chars=500 />
        </ServerForm>
    }
}

/// Retiring: the day it stops being current, and why.
#[component]
fn RetireForm(id: i64, revision: i64, today: chrono::NaiveDate) -> impl IntoView {
    let action = ServerAction::<RetireOutcome>::new();
    view! {
        <ServerForm
            action
            id=format!("retire-{id}")
            label="Retire outcome".to_string()
            fields=&["retired_on", "reason"]
            submit="Retire"
        >
            <h3>"Retire"</h3>
            <input type="hidden" name="outcome_id" value=id />
            <RevisionField value=revision />
            <Field
                name="retired_on"
                label="Retire on"
                kind=FieldKind::Date
                required=true
                value=today.to_string()
            />
            <Field name="reason" label="Reason for retiring" required=true max_chars=500 />
        </ServerForm>
    }
}

/// The editable fields of an outcome, shared by the new and edit pages.
#[component]
fn OutcomeFieldset(stored: OutcomeForm, reason_required: bool) -> impl IntoView {
    let statuses = OutcomeStatus::ALL
        .into_iter()
        .map(|s| (s.as_str().to_string(), s.label().to_string()))
        .collect::<Vec<_>>();
    let reason_hint = if reason_required {
        "Required: what changed and why, in a sentence."
    } else {
        "Optional; “Created” when left empty."
    };
    view! {
        <Field name="title" label="Title" value=stored.title required=true max_chars=200 />
        <Field
            name="description"
            label="Description"
            kind=FieldKind::TextArea
            value=stored.description
            max_chars=5000
        />
        <Field
            name="success_measure"
            label="Success measure"
            value=stored.success_measure
            max_chars=1000
            hint="How the customer will judge success."
        />
        <div class="field-row">
            <Field
                name="baseline_value"
                label="Baseline"
                kind=FieldKind::Number
                value=stored.baseline_value
            />
            <Field
                name="target_value"
                label="Target"
                kind=FieldKind::Number
                value=stored.target_value
            />
            <Field name="unit" label="Unit" value=stored.unit max_chars=40 />
        </div>
        <div class="field-row">
            <Field
                name="valid_from"
                label="Valid from"
                kind=FieldKind::Date
                value=stored.valid_from
                required=true
            />
            <Field
                name="expires_on"
                label="Expires on"
                kind=FieldKind::Date
                value=stored.expires_on
                required=true
                hint="One year after the start if left empty."
            />
            <SelectField name="status" label="Status" options=statuses value=stored.status />
        </div>
        <Field
            name="reason"
            label="Reason for this change"
            value=String::new()
            required=reason_required
            max_chars=500
            hint=reason_hint
        />
    }
}

/// `/outcomes/:id/edit`: the outcome's fields, saved with a reason as a new revision.
#[component]
pub fn EditOutcomePage() -> impl IntoView {
    let detail = outcome_resource();
    let action = ServerAction::<EditOutcome>::new();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading outcome…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(OutcomeDetail { outcome, can_edit: true, .. }) => {
                        let stored = OutcomeForm {
                            title: outcome.title.clone(),
                            description: outcome.description.clone(),
                            success_measure: outcome.success_measure.clone(),
                            baseline_value: outcome.baseline_value.map(|v| v.to_string()).unwrap_or_default(),
                            target_value: outcome.target_value.map(|v| v.to_string()).unwrap_or_default(),
                            unit: outcome.unit.clone().unwrap_or_default(),
                            valid_from: outcome.valid_from.to_string(),
                            expires_on: outcome.expires_on.to_string(),
                            status: outcome.status.as_str().to_string(),
                            reason: String::new(),
                        };
                        let id = outcome.id;
                        view! {
                            <Title text=format!("Edit {} · Keystone", outcome.title) />
                            <p class="breadcrumb">
                                <a href=format!("/outcomes/{id}")>"← " {outcome.title.clone()}</a>
                            </p>
                            <h1>"Edit outcome"</h1>
                            <ServerForm
                                action
                                id=format!("edit-{id}")
                                label="Edit outcome".to_string()
                                fields=OUTCOME_FIELDS
                                submit="Save changes"
                            >
                                <input type="hidden" name="outcome_id" value=id />
                                <RevisionField value=outcome.revision />
                                <OutcomeFieldset stored=stored.clone() reason_required=true />
                            </ServerForm>
                        }
                            .into_any()
                    }
                    Ok(_) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/accounts/:id/outcomes/new`: a new outcome for the account.
#[component]
pub fn NewOutcomePage() -> impl IntoView {
    let id = route_id();
    let account = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_account(id).await,
                None => Err(AppError::NotFound("account".into())),
            }
        },
    );
    let action = ServerAction::<CreateOutcome>::new();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading account…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(detail) if detail.can_edit => {
                        let stored = OutcomeForm {
                            valid_from: detail.as_of.to_string(),
                            expires_on: default_expiry(detail.as_of).to_string(),
                            status: OutcomeStatus::OnTrack.as_str().to_string(),
                            ..OutcomeForm::default()
                        };
                        let account_id = detail.account.id;
                        view! {
                            <Title text=format!("New outcome · {} · Keystone", detail.account.name) />
                            <p class="breadcrumb">
                                <a href=format!("/accounts/{account_id}")>
                                    "← " {detail.account.name.clone()}
                                </a>
                            </p>
                            <h1>"New Business Outcome"</h1>
                            <ServerForm
                                action
                                id="new-outcome".to_string()
                                label="New outcome".to_string()
                                fields=OUTCOME_FIELDS
                                submit="Create outcome"
                            >
                                <input type="hidden" name="account_id" value=account_id />
                                <OutcomeFieldset stored=stored.clone() reason_required=false />
                            </ServerForm>
                        }
                            .into_any()
                    }
                    Ok(_) => view! { <ErrorNotice error=AppError::Forbidden /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}
