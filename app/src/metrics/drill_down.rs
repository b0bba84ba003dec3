//! `/dashboard/accounts?figure=…`: the accounts behind a figure of the dashboard (not covered, not
//! on schedule, in early warning, …) for the same as-of date and filters, largest ARR first, with
//! the whole list as CSV.

use super::api::get_drill_down;
use super::model::{csv_href, dashboard_href, drill_down_href, DrillDown, Figure, MetricsFilter};
use super::page::{count, view_from_query};
use crate::components::{format, ErrorNotice, Pagination};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The drill-down page.
#[component]
pub fn DrillDownPage() -> impl IntoView {
    let query = use_query_map();
    let view = view_from_query();
    let request = Memo::new(move |_| {
        let (figure, page) = query.with(|q| {
            (
                q.get("figure").unwrap_or_default(),
                q.get("page")
                    .and_then(|p| p.parse::<u32>().ok())
                    .unwrap_or(1),
            )
        });
        let (as_of, filter) = view.get();
        (figure, as_of, filter, page)
    });
    let list = Resource::new(
        move || request.get(),
        |(figure, as_of, filter, page)| async move {
            match Figure::parse(&figure) {
                Some(figure) => get_drill_down(figure, as_of, filter, page).await,
                None => Err(AppError::NotFound("figure".into())),
            }
        },
    );
    view! {
        <Title text="Accounts behind a figure · Keystone" />
        <Transition fallback=|| view! { <p class="loading">"Loading the accounts…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) => view! { <DrillDownView list /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A short account of the filter ("SMB · pilot cohort · Ada Lovelace's accounts").
fn describe(filter: &MetricsFilter, owner_name: Option<String>) -> String {
    let mut parts = Vec::new();
    if let Some(segment) = &filter.segment {
        parts.push(segment.clone());
    }
    if let Some(cohort) = &filter.cohort {
        parts.push(format!("{cohort} cohort"));
    }
    if filter.owner_id.is_some() {
        parts.push(match owner_name {
            Some(name) => format!("{name}'s accounts"),
            None => "one CSM's accounts".into(),
        });
    }
    if parts.is_empty() {
        "All accounts".into()
    } else {
        parts.join(" · ")
    }
}

#[component]
fn DrillDownView(list: DrillDown) -> impl IntoView {
    let page_count = list.page_count();
    let DrillDown {
        figure,
        as_of,
        filter,
        total,
        page,
        items,
    } = list;
    let owner_name = filter
        .owner_id
        .and_then(|id| items.iter().find(|a| a.owner_id == Some(id)))
        .and_then(|a| a.owner_name.clone());
    let csv = csv_href(
        "/api/v1/metrics/accounts",
        &format!("figure={}&as_of={as_of}", figure.key()),
        &filter,
    );
    let page_href = {
        let base = drill_down_href(figure, as_of, &filter);
        move |target: u32| format!("{base}&page={target}")
    };
    let first = u64::from(page - 1) * u64::from(super::model::DRILL_DOWN_PAGE) + 1;
    let last = first + items.len() as u64 - 1;
    view! {
        <p class="breadcrumb">
            <a href=dashboard_href(as_of, &filter)>"← Dashboard"</a>
        </p>
        <header class="page-header">
            <h1>{figure.title()}</h1>
            <span class="muted">
                {format!("as of {} · {}", format::date(as_of), describe(&filter, owner_name))}
            </span>
        </header>
        <p class="result-count" role="status">
            {if total == 0 {
                "No accounts.".to_string()
            } else {
                format!(
                    "Showing {}–{} of {} accounts, largest ARR first",
                    count(first),
                    count(last),
                    count(total),
                )
            }}
            " "
            <a href=csv download="">"Download CSV"</a>
        </p>
        <div class="table-scroll">
            <table class="data accounts">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Owner"</th>
                        <th scope="col">"Segment"</th>
                        <th scope="col" class="num">"ARR"</th>
                        <th scope="col">"Renewal"</th>
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|account| {
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/accounts/{}", account.id)>{account.name}</a>
                                    </td>
                                    <td data-label="Owner">{account.owner_name.unwrap_or_default()}</td>
                                    <td data-label="Segment">{account.segment}</td>
                                    <td class="num" data-label="ARR">{format::money(account.arr)}</td>
                                    <td data-label="Renewal">{format::opt_date(account.renewal_date)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pagination current=page count=page_count href=page_href />
    }
}
