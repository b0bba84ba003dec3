//! `/accounts/:id`: one account's facts, contacts, outcomes, reviews and renewals (read-only).

use crate::accounts::api::get_account;
use crate::accounts::model::AccountDetail;
use crate::components::{format, route_id, ErrorNotice, TableOrEmpty};
use crate::error::AppError;
use crate::outcomes::timeline::OutcomeTimeline;
use leptos::prelude::*;
use leptos_meta::Title;

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let id = route_id();
    let detail = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => get_account(id).await,
                None => Err(AppError::NotFound("account".into())),
            }
        },
    );

    view! {
        <p class="breadcrumb">
            <a href="/accounts">"← Accounts"</a>
        </p>
        <Transition fallback=|| view! { <p class="loading">"Loading account…"</p> }>
            {move || Suspend::new(async move {
                match detail.await {
                    Ok(detail) => view! { <AccountView detail /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AccountView(detail: AccountDetail) -> impl IntoView {
    let AccountDetail {
        as_of,
        account,
        contacts,
        outcomes,
        reviews,
        renewals,
        can_edit,
        can_manage,
        standing,
        executive_flag,
        can_record,
    } = detail.clone();
    let has_executive = detail.has_executive_contact();
    let active = account.is_active_on(as_of);
    let title = format!("{} · Keystone", account.name);
    let (no_contacts, no_outcomes) = (contacts.is_empty(), outcomes.is_empty());
    let review_dates: Vec<_> = reviews.iter().filter_map(|r| r.held_on).collect();
    let timeline = (!no_outcomes).then(|| {
        let outcomes = outcomes.clone();
        view! { <OutcomeTimeline as_of outcomes review_dates /> }
    });
    let (no_reviews, no_renewals) = (reviews.is_empty(), renewals.is_empty());

    view! {
        <Title text=title />
        <header class="page-header">
            <h1>{account.name.clone()}</h1>
            {(!active).then(|| view! { <span class="tag tag-muted">"not active"</span> })}
            {can_manage
                .then(|| {
                    view! {
                        <a class="button secondary" href=format!("/accounts/{}/edit", account.id)>
                            "Edit account"
                        </a>
                    }
                })}
        </header>
        <section aria-labelledby="facts-heading">
            <h2 id="facts-heading">"Facts"</h2>
            <dl class="facts">
                <div>
                    <dt>"Owner"</dt>
                    <dd>{account.owner_name.clone().unwrap_or_else(|| "Unassigned".into())}</dd>
                </div>
                <div>
                    <dt>"Segment"</dt>
                    <dd>{account.segment.clone()}</dd>
                </div>
                <div>
                    <dt>"ARR"</dt>
                    <dd>{format::money(account.arr)}</dd>
                </div>
                <div>
                    <dt>"Customer since"</dt>
                    <dd>{format::date(account.start_date)}</dd>
                </div>
                {account
                    .end_date
                    .map(|end| {
                        view! {
                            <div>
                                <dt>"Ended"</dt>
                                <dd>{format::date(end)}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"Renewal date"</dt>
                    <dd>{format::opt_date(account.renewal_date)}</dd>
                </div>
                <div>
                    <dt>"Review cadence"</dt>
                    <dd>{format!("Every {} days", account.cadence_days)}</dd>
                </div>
                <div>
                    <dt>"CRM id"</dt>
                    <dd>{account.external_id.clone().unwrap_or_else(|| "–".into())}</dd>
                </div>
                <div>
                    <dt>"Cohorts"</dt>
                    <dd>
                        {if account.cohorts.is_empty() {
                            view! { "–" }.into_any()
                        } else {
                            account
                                .cohorts
                                .iter()
                                .map(|c| view! { <span class="tag">{c.clone()}</span> })
                                .collect_view()
                                .into_any()
                        }}
                    </dd>
                </div>
            </dl>
        </section>

        <section aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">"Contacts"</h2>
            {can_edit
                .then(|| {
                    view! {
                        <p>
                            <a class="button" href=format!("/accounts/{}/contacts/new", account.id)>
                                "Add contact"
                            </a>
                        </p>
                    }
                })}
            {(!has_executive)
                .then(|| {
                    view! {
                        <p class="notice notice-warning">
                            "No decision maker or executive sponsor on file: reviews cannot have an executive present."
                        </p>
                    }
                })}
            <TableOrEmpty empty=no_contacts message="No contacts yet.">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Title"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Email"</th>
                            {can_edit.then(|| view! { <th scope="col">"Actions"</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {contacts
                            .into_iter()
                            .map(|c| {
                                let role_class = if c.role.is_executive() { "tag tag-exec" } else { "tag" };
                                view! {
                                    <tr>
                                        <td>{c.name.clone()}</td>
                                        <td>{c.title.unwrap_or_default()}</td>
                                        <td>
                                            <span class=role_class>{c.role.label()}</span>
                                        </td>
                                        <td>{c.email.unwrap_or_default()}</td>
                                        {can_edit
                                            .then(|| {
                                                view! {
                                                    <td>
                                                        <a
                                                            href=format!("/contacts/{}/edit", c.id)
                                                            aria-label=format!("Edit {}", c.name)
                                                        >
                                                            "Edit"
                                                        </a>
                                                    </td>
                                                }
                                            })}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableOrEmpty>
        </section>

        <section aria-labelledby="outcomes-heading">
            <h2 id="outcomes-heading">"Business Outcomes"</h2>
            {can_edit
                .then(|| {
                    view! {
                        <p>
                            <a class="button" href=format!("/accounts/{}/outcomes/new", account.id)>
                                "Add outcome"
                            </a>
                        </p>
                    }
                })}
            {outcomes
                .iter()
                .all(|o| !o.is_current_on(as_of))
                .then(|| {
                    view! {
                        <p class="notice notice-warning">"No current Business Outcome: this account is not covered."</p>
                    }
                })}
            {timeline}
            <TableOrEmpty empty=no_outcomes message="No outcomes yet.">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Valid from"</th>
                            <th scope="col">"Expires"</th>
                            <th scope="col">"Current"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {outcomes
                            .into_iter()
                            .map(|o| {
                                let current = o.is_current_on(as_of);
                                let ended = o
                                    .retired_on
                                    .map(|d| format!("retired {}", format::date(d)));
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/outcomes/{}", o.id)>
                                                <strong>{o.title}</strong>
                                            </a>
                                            <div class="muted">{o.success_measure}</div>
                                        </td>
                                        <td>
                                            <span class=format!(
                                                "status status-{}",
                                                o.status.as_str(),
                                            )>{o.status.label()}</span>
                                        </td>
                                        <td>{format::date(o.valid_from)}</td>
                                        <td>
                                            {format::date(o.expires_on)}
                                            {ended.map(|e| view! { <div class="muted">{e}</div> })}
                                        </td>
                                        <td>{if current { "Yes" } else { "No" }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableOrEmpty>
        </section>

        <section aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">"Business Outcome Reviews"</h2>
            <dl class="facts">
                <div>
                    <dt>"Review status"</dt>
                    <dd>
                        <span class=format!(
                            "review-status review-status-{}",
                            standing.status.as_str(),
                        )>{standing.status.label()}</span>
                    </dd>
                </div>
                <div>
                    <dt>
                        {if standing.status.is_on_schedule() {
                            "Window closes on"
                        } else {
                            "Window closed on"
                        }}
                    </dt>
                    <dd>{format::date(standing.window_closes_on)}</dd>
                </div>
                <div>
                    <dt>"Last counting review"</dt>
                    <dd>{format::opt_date(standing.last_review_on)}</dd>
                </div>
            </dl>
            {executive_flag
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
            {can_record
                .then(|| {
                    view! {
                        <p class="actions">
                            <a class="button" href=format!("/accounts/{}/reviews/new", account.id)>
                                "Schedule review"
                            </a>
                            " "
                            <a
                                class="button secondary"
                                href=format!("/accounts/{}/reviews/record", account.id)
                            >
                                "Record held review"
                            </a>
                        </p>
                    }
                })}
            <TableOrEmpty empty=no_reviews message="No reviews yet.">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Scheduled"</th>
                            <th scope="col">"Held"</th>
                            <th scope="col" class="num">"Outcomes assessed"</th>
                            <th scope="col" class="num">"Attendees"</th>
                            <th scope="col">"Executive present"</th>
                            <th scope="col">"Counts"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {reviews
                            .into_iter()
                            .map(|r| {
                                let counts = r.counts();
                                let held = if r.cancelled {
                                    "Cancelled".to_string()
                                } else {
                                    format::opt_date(r.held_on)
                                };
                                view! {
                                    <tr>
                                        <td>
                                            <a href=format!("/reviews/{}", r.id)>
                                                {match r.scheduled_on {
                                                    Some(day) => format::date(day),
                                                    None => "Not scheduled".to_string(),
                                                }}
                                            </a>
                                        </td>
                                        <td>{held}</td>
                                        <td class="num">{r.assessments}</td>
                                        <td class="num">{r.attendees}</td>
                                        <td>{if r.executive_present { "Yes" } else { "No" }}</td>
                                        <td>{if counts { "Yes" } else { "No" }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableOrEmpty>
        </section>

        <section aria-labelledby="renewals-heading">
            <h2 id="renewals-heading">"Renewals"</h2>
            <TableOrEmpty empty=no_renewals message="No renewals recorded.">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Due"</th>
                            <th scope="col">"Result"</th>
                            <th scope="col" class="num">"ARR before"</th>
                            <th scope="col" class="num">"ARR after"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {renewals
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <tr>
                                        <td>{format::date(r.due_on)}</td>
                                        <td>{r.result.label()}</td>
                                        <td class="num">{format::money(r.arr_before)}</td>
                                        <td class="num">
                                            {r.arr_after.map(format::money).unwrap_or_else(|| "–".into())}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </TableOrEmpty>
        </section>
    }
}
