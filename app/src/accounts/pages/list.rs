//! `/accounts`: the book of accounts, searched, filtered, sorted and paginated on the server.
//!
//! Every control is a plain link or a GET form, so the page works before (and without) WASM;
//! once hydrated, the router turns the same links and form into client-side navigation.

use crate::accounts::api::{account_filters, list_accounts};
use crate::accounts::model::{AccountPage as Page, AccountQuery, AccountSort, FilterOptions};
use crate::components::{format, ErrorNotice, Pagination};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::{components::Form, hooks::use_query_map};

/// The accounts list.
///
/// One resource loads everything the page shows, together with the query it answers, and one
/// `<Transition>` renders it: the page renders whole on the server (`SsrMode::Async`), and the
/// view reads no signal but the resource, so nothing reactive outlives the request.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let params = use_query_map();
    let data = Resource::new(
        move || params.with(|p| AccountQuery::from_params(|k| p.get(k))),
        |query| async move {
            let page = list_accounts(query.clone()).await?;
            let options = account_filters().await?;
            Ok::<_, AppError>((query, page, options))
        },
    );

    let user = expect_context::<crate::shell::SignedIn>().0;
    let new_account = move || {
        Suspend::new(async move {
            let manages = user
                .await
                .is_ok_and(|u| crate::users::model::Permission::ManageAccounts.allows(u.role));
            manages.then(|| view! { <a class="button" href="/accounts/new">"New account"</a> })
        })
    };
    view! {
        <header class="page-header">
            <h1>"Accounts"</h1>
            <Suspense>{new_account}</Suspense>
        </header>
        <Transition fallback=|| view! { <p class="loading">"Loading accounts…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok((query, page, options)) => {
                        let owner = page.owner;
                        view! {
                            <Filters query=query.clone() options owner />
                            <AccountTable page query />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The search and filter form: a GET form, so it works without JavaScript.
#[component]
fn Filters(
    /// The query shown, to fill the controls.
    query: AccountQuery,
    /// What the controls offer.
    options: FilterOptions,
    /// The owner the list is filtered by.
    owner: Option<i64>,
) -> impl IntoView {
    let choices = |values: Vec<String>, chosen: Option<&str>| {
        values
            .into_iter()
            .map(|name| {
                let selected = chosen == Some(name.as_str());
                view! {
                    <option value=name.clone() selected=selected>
                        {name.clone()}
                    </option>
                }
            })
            .collect_view()
    };
    let segments = choices(options.segments, query.segment.as_deref());
    let cohorts = choices(options.cohorts, query.cohort.as_deref());
    let owners = options
        .owners
        .into_iter()
        .map(|(id, name)| {
            view! {
                <option value=id.to_string() selected=owner == Some(id)>
                    {name}
                </option>
            }
        })
        .collect_view();
    let current = query.has_current;
    let window = query.renewal_within;
    view! {
        <Form method="GET" action="/accounts" attr:class="filters" attr:role="search">
            <label>
                <span>"Search"</span>
                <input
                    type="search"
                    name="q"
                    maxlength="100"
                    placeholder="Name or CRM id"
                    value=query.q.clone()
                />
            </label>
            <label>
                <span>"Owner"</span>
                <select name="owner">
                    <option value="all" selected=owner.is_none()>"All owners"</option>
                    {owners}
                </select>
            </label>
            <label>
                <span>"Segment"</span>
                <select name="segment">
                    <option value="">"All segments"</option>
                    {segments}
                </select>
            </label>
            <label>
                <span>"Cohort"</span>
                <select name="cohort">
                    <option value="">"All cohorts"</option>
                    {cohorts}
                </select>
            </label>
            <label>
                <span>"Current outcome"</span>
                <select name="current">
                    <option value="" selected=current.is_none()>"Any"</option>
                    <option value="yes" selected=current == Some(true)>"Has one"</option>
                    <option value="no" selected=current == Some(false)>"Missing"</option>
                </select>
            </label>
            <label>
                <span>"Renewal within"</span>
                <select name="renewal_within">
                    <option value="" selected=window.is_none()>"Any time"</option>
                    {[30u32, 60, 90, 180, 365]
                        .into_iter()
                        .map(|days| {
                            view! {
                                <option value=days.to_string() selected=window == Some(days)>
                                    {format!("{days} days")}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <input type="hidden" name="sort" value=query.sort.as_str() />
            <input type="hidden" name="dir" value=if query.desc { "desc" } else { "asc" } />
            <button type="submit">"Search"</button>
        </Form>
    }
}

/// The result table with its sortable headers and pagination.
#[component]
fn AccountTable(
    /// The rows and the total.
    page: Page,
    /// The query that produced them, for sort and page links.
    query: AccountQuery,
) -> impl IntoView {
    let page_count = page.page_count();
    let current = page.page;
    let (first_row, last_row) = (page.first_row(), page.last_row());
    let header = |label: &'static str, sort: AccountSort, numeric: bool| {
        let aria_sort = (query.sort == sort).then_some(if query.desc {
            "descending"
        } else {
            "ascending"
        });
        let href = format!("/accounts{}", query.sorted_by(sort).to_query_string());
        let class = if numeric { "num" } else { "" };
        view! {
            <th scope="col" aria-sort=aria_sort class=class>
                <a href=href>{label}</a>
            </th>
        }
    };

    view! {
        <p class="result-count" role="status">
            {if page.total == 0 {
                "No accounts match.".to_string()
            } else {
                format!(
                    "Showing {}–{} of {} accounts",
                    format::count(first_row),
                    format::count(last_row),
                    format::count(page.total),
                )
            }}
        </p>
        <div class="table-scroll">
            <table class="data accounts">
                <thead>
                    <tr>
                        {header("Name", AccountSort::Name, false)}
                        {header("Owner", AccountSort::Owner, false)}
                        <th scope="col">"Segment"</th>
                        {header("ARR", AccountSort::Arr, true)}
                        {header("Renewal", AccountSort::Renewal, false)}
                        <th scope="col">"Cohorts"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .items
                        .into_iter()
                        .map(|account| {
                            view! {
                                <tr>
                                    <td>
                                        <a href=format!("/accounts/{}", account.id)>
                                            {account.name}
                                        </a>
                                        {account
                                            .end_date
                                            .map(|_| view! { <span class="tag tag-muted">"churned"</span> })}
                                    </td>
                                    <td data-label="Owner">{account.owner_name.unwrap_or_default()}</td>
                                    <td data-label="Segment">{account.segment}</td>
                                    <td class="num" data-label="ARR">{format::money(account.arr)}</td>
                                    <td data-label="Renewal">{format::opt_date(account.renewal_date)}</td>
                                    <td data-label="Cohorts">
                                        {account
                                            .cohorts
                                            .into_iter()
                                            .map(|c| view! { <span class="tag">{c}</span> })
                                            .collect_view()}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <Pagination
            current
            count=page_count
            href=move |target| format!("/accounts{}", query.on_page(target).to_query_string())
        />
    }
}
