//! `/accounts/:id/reviews/new` (schedule), `/accounts/:id/reviews/record` (record a review nobody
//! scheduled), `/reviews/:id` (a review, its history, cancel) and `/reviews/:id/record` (hold a
//! scheduled review, or edit a held one).

use super::api::{get_review_context, CancelReview, RecordReview, ScheduleReview};
use super::draft::DraftKept;
use super::model::{Attendee, AttendeeKind, Review, ReviewContext};
use crate::accounts::model::ContactRole;
use crate::components::form::{
    Checkbox, Field, FieldKind, GroupError, RevisionField, SelectField, ServerForm,
};
use crate::components::{format, route_id, ErrorNotice};
use crate::error::AppError;
use crate::outcomes::model::OutcomeStatus;
use crate::revisions::RevisionList;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The fields of the record form, for placing errors.
const RECORD_FIELDS: &[&str] = &[
    "held_on",
    "attendees",
    "new_contact_name",
    "new_contact_role",
    "notes",
    "assessments",
    "reason",
];

/// Which review context a page shows.
#[derive(Clone, Copy)]
enum Subject {
    /// A new review of the account in the route.
    NewForAccount,
    /// The review in the route.
    Review,
}

/// The review context named by the route, reloaded when a save adds `?saved=N`.
fn context_resource(subject: Subject) -> Resource<Result<ReviewContext, AppError>> {
    let id = route_id();
    let query = use_query_map();
    Resource::new(
        move || (id.get(), query.with(|q| q.get("saved"))),
        move |(id, _)| async move {
            match (id, subject) {
                (Some(id), Subject::NewForAccount) => get_review_context(id, None).await,
                (Some(id), Subject::Review) => get_review_context(0, Some(id)).await,
                (None, _) => Err(AppError::NotFound("review".into())),
            }
        },
    )
}

/// Renders `view` with the loaded context, or the error.
fn with_context<V: IntoView + 'static>(
    context: Resource<Result<ReviewContext, AppError>>,
    view: impl Fn(ReviewContext) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading review…"</p> }>
            {move || Suspend::new(async move {
                match context.await {
                    Ok(context) => view(context).into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn breadcrumb(context: &ReviewContext) -> impl IntoView {
    view! {
        <p class="breadcrumb">
            <a href=format!("/accounts/{}", context.account_id)>"← " {context.account_name.clone()}</a>
        </p>
    }
}

/// `/accounts/:id/reviews/new`: plan a review on the date the cadence proposes.
#[component]
pub fn ScheduleReviewPage() -> impl IntoView {
    let context = context_resource(Subject::NewForAccount);
    let action = ServerAction::<ScheduleReview>::new();
    with_context(context, move |context| {
        if !context.can_record {
            return view! { <ErrorNotice error=AppError::Forbidden /> }.into_any();
        }
        let account_id = context.account_id;
        view! {
            <Title text=format!("Schedule a review · {} · Keystone", context.account_name) />
            {breadcrumb(&context)}
            <h1>"Schedule a Business Outcome Review"</h1>
            <ServerForm
                action
                id="schedule-review".to_string()
                label="Schedule review".to_string()
                fields=&["scheduled_on"]
                submit="Schedule review"
            >
                <input type="hidden" name="account_id" value=account_id />
                <Field
                    name="scheduled_on"
                    label="Date"
                    kind=FieldKind::Date
                    required=true
                    value=context.proposed_date.to_string()
                    hint="Proposed: the date the account's review cadence calls for."
                />
            </ServerForm>
            <p>
                <a href=format!("/accounts/{account_id}/reviews/record")>
                    "Record a review that was already held instead"
                </a>
            </p>
        }
        .into_any()
    })
}

/// `/accounts/:id/reviews/record`: record a held review that was not scheduled.
#[component]
pub fn RecordNewReviewPage() -> impl IntoView {
    let context = context_resource(Subject::NewForAccount);
    with_context(context, |context| view! { <RecordReviewForm context /> })
}

/// `/reviews/:id/record`: hold a scheduled review, or edit a held one.
#[component]
pub fn RecordReviewPage() -> impl IntoView {
    let context = context_resource(Subject::Review);
    with_context(context, |context| view! { <RecordReviewForm context /> })
}

/// The held-review form: date, attendees (and a new contact), notes and one assessment per
/// outcome discussed. Starts from the user's draft when there is one.
#[component]
fn RecordReviewForm(context: ReviewContext) -> impl IntoView {
    if !context.can_record {
        return view! { <ErrorNotice error=AppError::Forbidden /> }.into_any();
    }
    let action = ServerAction::<RecordReview>::new();
    let saved = Signal::derive(move || matches!(action.value().get(), Some(Ok(_))));
    let review = context.review.clone();
    if review.as_ref().is_some_and(|r| r.cancelled) {
        return view! {
            <ErrorNotice error=AppError::invalid(
                "review",
                "was cancelled; schedule or record a new one",
            ) />
        }
        .into_any();
    }
    let heading = match &review {
        None => "Record a held review".to_string(),
        Some(r) if r.held_on.is_some() => "Edit the held review".to_string(),
        Some(r) => format!(
            "Record the review scheduled for {}",
            format::opt_date(r.scheduled_on)
        ),
    };
    let (review_id, revision) = review
        .as_ref()
        .map_or((0, None), |r| (r.id, Some(r.revision)));
    let form_id = if review_id == 0 {
        format!("record-review-{}", context.account_id)
    } else {
        format!("record-review-{review_id}")
    };
    let account_id = context.account_id;
    view! {
        <Title text=format!("{heading} · {} · Keystone", context.account_name) />
        {breadcrumb(&context)}
        <h1>{heading}</h1>
        {context
            .executive_flag
            .map(|day| {
                view! {
                    <p class="notice notice-warning">
                        {format!(
                            "Build the executive relationship: no decision maker or executive sponsor attended the last counting review ({}).",
                            format::date(day),
                        )}
                    </p>
                }
            })}
        <DraftKept
            account_id=context.account_id
            review_id
            storage_key=context.draft_key.clone()
            server_saved_at=context.draft.as_ref().map(|d| d.saved_at.clone())
            saved
        >
            <ServerForm
                action
                id=form_id
                label="Record review".to_string()
                fields=RECORD_FIELDS
                submit="Save review"
            >
                <input type="hidden" name="account_id" value=account_id />
                {(review_id != 0)
                    .then(|| view! { <input type="hidden" name="review_id" value=review_id /> })}
                {revision.map(|value| view! { <RevisionField value /> })}
                <RecordFieldset context=context.clone() />
            </ServerForm>
        </DraftKept>
    }
    .into_any()
}

/// `/reviews/:id`: a review, whether it counts, its notes and assessments, and its history.
#[component]
pub fn ReviewPage() -> impl IntoView {
    let context = context_resource(Subject::Review);
    let query = use_query_map();
    with_context(context, move |context| {
        let saved = query.with_untracked(|q| q.get("saved"));
        match context.review.clone() {
            Some(review) => view! { <ReviewView context review saved /> }.into_any(),
            None => view! { <ErrorNotice error=AppError::NotFound("review".into()) /> }.into_any(),
        }
    })
}

#[component]
fn ReviewView(context: ReviewContext, review: Review, saved: Option<String>) -> impl IntoView {
    let title = match (review.held_on, review.scheduled_on) {
        (Some(day), _) => format!("Review held on {}", format::date(day)),
        (None, Some(day)) => format!("Review scheduled for {}", format::date(day)),
        (None, None) => "Review".to_string(),
    };
    let outcome_title = |id: i64| {
        context
            .outcomes
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.title.clone())
            .unwrap_or_else(|| format!("Outcome #{id}"))
    };
    let paragraphs: Vec<String> = review
        .notes
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    let flag = review.counts && !review.executive_present;
    let (id, revision) = (review.id, review.revision);
    let held = review.held_on.is_some();
    let open = !review.cancelled;
    view! {
        <Title text=format!("{title} · {} · Keystone", context.account_name) />
        {breadcrumb(&context)}
        {saved
            .map(|revision| {
                view! {
                    <div class="notice notice-success" role="status">
                        <p>{format!("Saved as revision {revision}.")}</p>
                    </div>
                }
            })}
        <header class="page-header">
            <h1>{title}</h1>
            <span class=if review.counts { "tag tag-current" } else { "tag tag-muted" }>
                {review.state_label()}
            </span>
        </header>
        {flag
            .then(|| {
                view! {
                    <p class="notice notice-warning">
                        "Counts, but no decision maker or executive sponsor attended: build the executive relationship before the next review."
                    </p>
                }
            })}
        {review
            .cancel_reason
            .clone()
            .map(|reason| view! { <p class="notice">{format!("Cancelled: {reason}")}</p> })}
        {(context.can_record && open)
            .then(|| {
                view! {
                    <p>
                        <a class="button" href=format!("/reviews/{id}/record")>
                            {if held { "Edit review" } else { "Record as held" }}
                        </a>
                    </p>
                }
            })}
        <section aria-labelledby="attendees-heading">
            <h2 id="attendees-heading">"Attendees"</h2>
            {if review.attendees.is_empty() {
                view! { <p class="muted">"Nobody recorded yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="attendee-list">
                        {review
                            .attendees
                            .iter()
                            .map(|a| {
                                let role = match a.kind {
                                    AttendeeKind::Contact => ContactRole::parse(&a.role)
                                        .map(|r| r.label().to_string())
                                        .unwrap_or_default(),
                                    AttendeeKind::User => format!("{} (internal)", a.role),
                                };
                                view! {
                                    <li>
                                        {a.name.clone()} " "
                                        <span class=if a.is_executive() { "tag tag-exec" } else { "tag" }>
                                            {role}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <p>
                {if review.executive_present {
                    "An executive attended."
                } else {
                    "No executive attended."
                }}
            </p>
        </section>
        <section aria-labelledby="assessments-heading">
            <h2 id="assessments-heading">"Assessments"</h2>
            {if review.assessments.is_empty() {
                view! { <p class="muted">"No outcome assessed: the review does not count."</p> }
                    .into_any()
            } else {
                view! {
                    <table class="data">
                        <thead>
                            <tr>
                                <th scope="col">"Outcome"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Comment"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {review
                                .assessments
                                .iter()
                                .map(|a| {
                                    view! {
                                        <tr>
                                            <td>
                                                <a href=format!("/outcomes/{}", a.outcome_id)>
                                                    {outcome_title(a.outcome_id)}
                                                </a>
                                            </td>
                                            <td>
                                                <span class=format!(
                                                    "status status-{}",
                                                    a.status.as_str(),
                                                )>{a.status.label()}</span>
                                            </td>
                                            <td>{a.comment.clone()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            }}
        </section>
        <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">"Notes"</h2>
            {if paragraphs.is_empty() {
                view! { <p class="muted">"No notes."</p> }.into_any()
            } else {
                view! {
                    <div class="notes">
                        {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </div>
                }
                    .into_any()
            }}
        </section>
        {(context.can_record && open && !held)
            .then(|| view! { <CancelForm id revision /> })}
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <RevisionList revisions=context.revisions.clone() />
        </section>
    }
}

/// Cancelling a scheduled review, with a reason.
#[component]
fn CancelForm(id: i64, revision: i64) -> impl IntoView {
    let action = ServerAction::<CancelReview>::new();
    view! {
        <section aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">"Cancel"</h2>
            <ServerForm
                action
                id=format!("cancel-review-{id}")
                label="Cancel review".to_string()
                fields=&["reason"]
                submit="Cancel review"
            >
                <input type="hidden" name="review_id" value=id />
                <RevisionField value=revision />
                <Field name="reason" label="Reason for cancelling" required=true max_chars=500 />
            </ServerForm>
        </section>
    }
}

/// The fields of the record form, starting from the user's draft when there is one.
#[component]
fn RecordFieldset(context: ReviewContext) -> impl IntoView {
    let review = context.review.clone();
    let draft = context.draft.clone();
    let start = |field: &str, stored: String| {
        draft
            .as_ref()
            .and_then(|d| d.value(field))
            .map(str::to_owned)
            .unwrap_or(stored)
    };
    let editing_held = review.as_ref().is_some_and(|r| r.held_on.is_some());
    let held_on = review
        .as_ref()
        .and_then(|r| {
            r.held_on
                .or(r.scheduled_on.filter(|day| *day <= context.as_of))
        })
        .unwrap_or(context.as_of);
    let ticked = |person: &Attendee| match &draft {
        Some(draft) => draft.ticked("attendees[]", &person.key()),
        None => match &review {
            Some(r) => r.attendees.iter().any(|a| a.key() == person.key()),
            // A new review: whoever records it was most likely there.
            None => person.kind == AttendeeKind::User && person.id == context.user_id,
        },
    };
    let statuses: Vec<(String, String)> = std::iter::once((String::new(), "Not discussed".into()))
        .chain(
            OutcomeStatus::ALL
                .into_iter()
                .map(|s| (s.as_str().to_string(), s.label().to_string())),
        )
        .collect();
    let roles: Vec<(String, String)> = ContactRole::ALL
        .into_iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string()))
        .collect();
    let person_box = |person: &Attendee, checked: bool| {
        let label = match person.kind {
            AttendeeKind::Contact => ContactRole::parse(&person.role)
                .map(|role| role.label().to_string())
                .unwrap_or_default(),
            AttendeeKind::User => person.role.clone(),
        };
        let executive = person.is_executive();
        let name = person.name.clone();
        view! {
            <Checkbox name="attendees[]" value=person.key() checked>
                {name}
                " "
                <span class=if executive { "tag tag-exec" } else { "tag" }>{label}</span>
            </Checkbox>
        }
    };
    let contacts = context
        .contacts
        .iter()
        .map(|p| person_box(p, ticked(p)))
        .collect_view();
    let users = context
        .users
        .iter()
        .map(|p| person_box(p, ticked(p)))
        .collect_view();
    let assessments = context
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, outcome)| {
            let stored = review
                .as_ref()
                .and_then(|r| r.assessments.iter().find(|a| a.outcome_id == outcome.id));
            let status = start(
                &format!("assessments[{i}][status]"),
                stored.map(|a| a.status.as_str().to_string()).unwrap_or_default(),
            );
            let comment = start(
                &format!("assessments[{i}][comment]"),
                stored.map(|a| a.comment.clone()).unwrap_or_default(),
            );
            view! {
                <fieldset class="assessment">
                    <legend>
                        {outcome.title.clone()} " "
                        <span class=format!(
                            "status status-{}",
                            outcome.status.as_str(),
                        )>{format!("now {}", outcome.status.label())}</span>
                    </legend>
                    <input type="hidden" name=format!("assessments[{i}][outcome_id]") value=outcome.id />
                    <div class="field-row">
                        <SelectField
                            name=format!("assessments[{i}][status]")
                            label="Assessment"
                            options=statuses.clone()
                            value=status
                        />
                        <Field
                            name=format!("assessments[{i}][comment]")
                            label="Comment"
                            value=comment
                            max_chars=2000
                        />
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let no_outcomes = context.outcomes.is_empty();
    let notes = start(
        "notes",
        review.as_ref().map(|r| r.notes.clone()).unwrap_or_default(),
    );
    view! {
                <Field
            name="held_on"
            label="Held on"
            kind=FieldKind::Date
            required=true
            value=start("held_on", held_on.to_string())
        />
        <fieldset class="attendees">
            <legend>"Attendees"</legend>
            <GroupError name="attendees" />
            <div class="checkbox-columns">
                <div>
                    <h3>"From the customer"</h3>
                    {if context.contacts.is_empty() {
                        view! { <p class="muted">"No contacts yet: add one below."</p> }.into_any()
                    } else {
                        contacts.into_any()
                    }}
                </div>
                <div>
                    <h3>"From our side"</h3>
                    {users}
                </div>
            </div>
            <div class="field-row">
                <Field
                    name="new_contact_name"
                    label="Add a contact who attended"
                    value=start("new_contact_name", String::new())
                    max_chars=200
                    hint="Leave empty if everyone is listed above."
                />
                <SelectField
                    name="new_contact_role"
                    label="Their role"
                    options=roles
                    value=start("new_contact_role", ContactRole::Champion.as_str().to_string())
                />
            </div>
        </fieldset>
        <Field
            name="notes"
            label="Notes"
            kind=FieldKind::TextArea
            value=notes
            max_chars=50_000
            hint="What the customer said about their outcomes; blank lines separate paragraphs. Kept as a draft while you type."
        />
        <fieldset class="assessments">
            <legend>"Outcomes discussed"</legend>
            <p class="hint">
                "A review counts once at least one outcome is assessed. Each assessment sets the outcome's status."
            </p>
            <GroupError name="assessments" />
            {if no_outcomes {
                view! {
                    <p class="notice notice-warning">
                        "This account has no current outcome to assess: add one first, or the review will not count."
                    </p>
                }
                    .into_any()
            } else {
                assessments.into_any()
            }}
        </fieldset>
        {editing_held
            .then(|| {
                view! {
                    <Field
                        name="reason"
                        label="Reason for this change"
                        required=true
                        max_chars=500
                        value=start("reason", String::new())
                    />
                }
            })}
    }
}
