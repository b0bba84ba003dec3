//! `/`: the worklist. Counts at the top, then each group as a sorted list linking to the account
//! and, in one click, to the action. Leaders pick whose worklist to see; viewers go to the
//! dashboard.

use super::api::get_worklist;
use super::model::{WorkGroupItems, Worklist};
use crate::components::{format, ErrorNotice};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

/// The worklist page.
#[component]
pub fn WorklistPage() -> impl IntoView {
    let query = use_query_map();
    let worklist = Resource::new(
        move || query.with(|q| q.get("owner").and_then(|o| o.parse::<i64>().ok())),
        get_worklist,
    );
    view! {
        <Title text="Worklist · Keystone" />
        <Transition fallback=|| view! { <p class="loading">"Loading worklist…"</p> }>
            {move || Suspend::new(async move {
                match worklist.await {
                    Ok(worklist) => view! { <WorklistView worklist /> }.into_any(),
                    // Viewers read dashboards only.
                    Err(AppError::Forbidden) => view! { <Redirect path="/dashboard" /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn WorklistView(worklist: Worklist) -> impl IntoView {
    let Worklist {
        as_of,
        owner,
        cohort,
        owners,
        groups,
    } = worklist;
    let selected = owner.as_ref().map(|(id, _)| *id);
    let heading = match (&owner, &cohort) {
        (Some((_, name)), _) => format!("Worklist · {name}"),
        (None, Some(cohort)) => format!("Worklist · {cohort} cohort"),
        (None, None) => "Worklist".to_string(),
    };
    let chosen = owner.is_some() || cohort.is_some();
    let total: usize = groups.iter().map(|g| g.items.len()).sum();
    view! {
        <header class="page-header">
            <h1>{heading}</h1>
            <span class="muted">{format!("as of {}", format::date(as_of))}</span>
        </header>
        <form method="get" action="/" class="inline-form" aria-label="Whose worklist">
            <label for="worklist-owner">"CSM"</label>
            <select id="worklist-owner" name="owner">
                {match &cohort {
                    Some(cohort) => Some(format!("The {cohort} cohort")),
                    None if owner.is_none() => Some("Pick a CSM…".to_string()),
                    None => None,
                }
                    .map(|label| view! { <option value="">{label}</option> })}
                {owners
                    .into_iter()
                    .map(|(id, name)| {
                        view! {
                            <option value=id.to_string() selected=Some(id) == selected>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button type="submit" class="secondary">"Show"</button>
        </form>
        {if !chosen {
            view! { <p>"Pick a CSM to see the accounts that need their action."</p> }.into_any()
        } else if total == 0 {
            view! { <p class="notice notice-success">"Nothing needs action: every account is on track."</p> }
                .into_any()
        } else {
            view! {
                <nav aria-label="Worklist groups">
                    <ul class="counts">
                        {groups
                            .iter()
                            .map(|g| {
                                view! {
                                    <li>
                                        <a href=format!("#{}", g.group.as_str())>
                                            <span class="count" data-group=g.group.as_str()>
                                                {g.items.len()}
                                            </span>
                                            <span class="count-label">{g.group.label()}</span>
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                {groups
                    .into_iter()
                    .filter(|g| !g.items.is_empty())
                    .map(|group| view! { <GroupSection group /> })
                    .collect_view()}
            }
                .into_any()
        }}
    }
}

#[component]
fn GroupSection(group: WorkGroupItems) -> impl IntoView {
    let id = group.group.as_str();
    view! {
        <section class="work-group" id=id aria-labelledby=format!("{id}-heading")>
            <h2 id=format!("{id}-heading")>
                {group.group.label()} " " <span class="muted">{format!("({})", group.items.len())}</span>
            </h2>
            <ol class="work-items">
                {group
                    .items
                    .into_iter()
                    .map(|item| {
                        let (label, href) = item.action.clone();
                        let aria = format!("{label}: {}", item.account_name);
                        view! {
                            <li>
                                <a href=format!("/accounts/{}", item.account_id)>
                                    <strong>{item.account_name.clone()}</strong>
                                </a>
                                <span class="work-reason">{item.reason}</span>
                                <a
                                    class="button small"
                                    href=href
                                    aria-label=aria
                                >
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
