//! `/dashboard`: headline tiles (coverage and keystone against target, their 30-day change and
//! projected date of 100 %), the other metrics, and the 12-week trend, for the accounts the
//! filters in the URL pick (as-of date, segment, cohort, CSM).

use super::api::get_dashboard;
use super::model::{percent, points_change, Dashboard, MetricsFilter, TrendPoint};
use crate::components::{format, ErrorNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A count as people read it (`65,408`).
fn count(n: u64) -> String {
    format::count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let dashboard = Resource::new(
        move || {
            query.with(|q| {
                let text = |key: &str| q.get(key).filter(|v| !v.trim().is_empty());
                let as_of = text("as_of").and_then(|d| d.parse().ok());
                let filter = MetricsFilter {
                    segment: text("segment"),
                    cohort: text("cohort"),
                    owner_id: text("owner").and_then(|o| o.parse().ok()),
                };
                (as_of, filter)
            })
        },
        |(as_of, filter)| get_dashboard(as_of, filter),
    );
    view! {
        <Title text="Dashboard · Keystone" />
        <Transition fallback=|| view! { <p class="loading">"Loading the dashboard…"</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => view! { <DashboardView dashboard /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    let Dashboard {
        as_of,
        filter,
        now,
        month_ago,
        trend,
        coverage_full_on,
        keystone_full_on,
        segments,
        cohorts,
        owners,
    } = dashboard;
    let latest = trend.last().cloned();
    let coverage_target = latest.as_ref().and_then(|p| p.coverage_target);
    let keystone_target = latest.as_ref().and_then(|p| p.keystone_target);
    let choice = |selected: Option<String>, all: &'static str, options: Vec<(String, String)>| {
        view! {
            <option value="">{all}</option>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let is = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=is>{label}</option> }
                })
                .collect_view()}
        }
    };
    let pairs = |names: Vec<String>| {
        names
            .into_iter()
            .map(|n| (n.clone(), n))
            .collect::<Vec<_>>()
    };
    let owner_options: Vec<(String, String)> = owners
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <header class="page-header">
            <h1>"Dashboard"</h1>
            <span class="muted">{format!("as of {}", format::date(as_of))}</span>
        </header>
        <form method="get" action="/dashboard" class="filters" aria-label="Dashboard filters">
            <div class="field">
                <label for="dashboard-as-of">"As of"</label>
                <input id="dashboard-as-of" type="date" name="as_of" value=as_of.to_string() />
            </div>
            <div class="field">
                <label for="dashboard-segment">"Segment"</label>
                <select id="dashboard-segment" name="segment">
                    {choice(filter.segment.clone(), "All segments", pairs(segments))}
                </select>
            </div>
            <div class="field">
                <label for="dashboard-cohort">"Cohort"</label>
                <select id="dashboard-cohort" name="cohort">
                    {choice(filter.cohort.clone(), "All cohorts", pairs(cohorts))}
                </select>
            </div>
            <div class="field">
                <label for="dashboard-owner">"CSM"</label>
                <select id="dashboard-owner" name="owner">
                    {choice(filter.owner_id.map(|o| o.to_string()), "All CSMs", owner_options)}
                </select>
            </div>
            <button type="submit">"Apply"</button>
        </form>
        <section aria-labelledby="headline-heading">
            <h2 id="headline-heading" class="visually-hidden">"Headline"</h2>
            <div class="tiles">
                <Headline
                    name="Coverage"
                    help="Active accounts with a current Business Outcome"
                    now=now.coverage
                    before=month_ago.coverage
                    target=coverage_target
                    full_on=coverage_full_on
                    detail=format!("{} of {} accounts", count(now.covered_accounts), count(now.active_accounts))
                />
                <Headline
                    name="Keystone"
                    help="Active accounts whose reviews are on schedule"
                    now=now.keystone
                    before=month_ago.keystone
                    target=keystone_target
                    full_on=keystone_full_on
                    detail=format!("{} of {} accounts", count(now.on_schedule_accounts), count(now.active_accounts))
                />
            </div>
            <dl class="facts metrics-facts">
                <div>
                    <dt>"Executive participation (90 days)"</dt>
                    <dd>{percent(now.executive_participation)}</dd>
                </div>
                <div>
                    <dt>"Early warnings"</dt>
                    <dd>
                        {format!(
                            "{} accounts, {} at stake",
                            count(now.early_warning_accounts),
                            format::money(now.early_warning_arr),
                        )}
                    </dd>
                </div>
                <div>
                    <dt>"Stale outcomes"</dt>
                    <dd>{count(now.stale_outcomes)}</dd>
                </div>
                <div>
                    <dt>"Outcomes expiring within 30 days"</dt>
                    <dd>{count(now.expiring_outcomes)}</dd>
                </div>
                <div>
                    <dt>"Onboarding gaps"</dt>
                    <dd>{count(now.onboarding_gaps)}</dd>
                </div>
            </dl>
        </section>
        <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">"Last 12 weeks"</h2>
            <TrendTable trend />
        </section>
    }
}

/// A headline figure: its value, 30-day change, target and gap, and when it reaches 100 %.
#[component]
fn Headline(
    name: &'static str,
    help: &'static str,
    now: f64,
    before: f64,
    target: Option<f64>,
    full_on: Option<chrono::NaiveDate>,
    detail: String,
) -> impl IntoView {
    let target_text = match target {
        Some(target) => format!(
            "Target {} · gap {}",
            percent(target),
            points_change(now, target)
        ),
        None => "No target set".to_string(),
    };
    let projection = if now >= 1.0 {
        "At 100 %".to_string()
    } else {
        match full_on {
            Some(day) => format!("100 % by {} at the 12-week pace", format::date(day)),
            None => "Not reaching 100 % at the current pace".to_string(),
        }
    };
    view! {
        <article class="tile" aria-label=name>
            <h3>{name}</h3>
            <p class="tile-value" data-metric=name.to_lowercase()>{percent(now)}</p>
            <p class="muted">{help} ": " {detail}</p>
            <p>{format!("{} over 30 days", points_change(now, before))}</p>
            <p>{target_text}</p>
            <p class="muted">{projection}</p>
        </article>
    }
}

/// The trend as a table: actual against target, week by week.
#[component]
fn TrendTable(trend: Vec<TrendPoint>) -> impl IntoView {
    let target = |t: Option<f64>| t.map(percent).unwrap_or_else(|| "–".into());
    view! {
        <table class="data">
            <caption class="visually-hidden">"Coverage and keystone by week, against target"</caption>
            <thead>
                <tr>
                    <th scope="col">"Week of"</th>
                    <th scope="col" class="num">"Coverage"</th>
                    <th scope="col" class="num">"Coverage target"</th>
                    <th scope="col" class="num">"Keystone"</th>
                    <th scope="col" class="num">"Keystone target"</th>
                </tr>
            </thead>
            <tbody>
                {trend
                    .into_iter()
                    .rev()
                    .map(|p| {
                        view! {
                            <tr>
                                <td>{format::date(p.on)}</td>
                                <td class="num">{percent(p.coverage)}</td>
                                <td class="num">{target(p.coverage_target)}</td>
                                <td class="num">{percent(p.keystone)}</td>
                                <td class="num">{target(p.keystone_target)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
