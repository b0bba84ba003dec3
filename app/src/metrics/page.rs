//! `/dashboard` and `/dashboard/pilot`: headline tiles (coverage and keystone against target,
//! their change, projected date of 100 %), the other metrics, and charts over tables: the trends
//! against target, executive participation, coverage and keystone per CSM, leading vs lagging per
//! CSM, and the outcomes' statuses. Every figure links to the accounts behind it, every table to
//! its CSV. The filters in the URL (as-of date, segment, cohort, CSM) apply to all of it.

use super::api::get_dashboard;
use super::model::{
    csv_href, drill_down_href, percent, points_change, Dashboard, Figure, GroupFigures,
    LeadingLagging, MetricsFilter, TrendPoint,
};
use crate::components::chart::{Bars, ChartFigure, ChartSpec, Line, Point, Slice};
use crate::components::{format, ErrorNotice};
use crate::outcomes::timeline::status_colour;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A count as people read it (`65,408`).
pub(super) fn count(n: u64) -> String {
    format::count(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The as-of date and filter a dashboard URL carries.
pub fn view_from_query() -> Memo<(Option<NaiveDate>, MetricsFilter)> {
    let query = use_query_map();
    Memo::new(move |_| {
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
    })
}

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! { <DashboardLoader pilot=false /> }
}

/// The pilot report: the dashboard of the pilot cohort since the pilot started.
#[component]
pub fn PilotReportPage() -> impl IntoView {
    view! { <DashboardLoader pilot=true /> }
}

#[component]
fn DashboardLoader(pilot: bool) -> impl IntoView {
    let view = view_from_query();
    let dashboard = Resource::new(
        move || view.get(),
        move |(as_of, filter)| get_dashboard(as_of, filter, pilot),
    );
    let title = if pilot {
        "Pilot report · Keystone"
    } else {
        "Dashboard · Keystone"
    };
    view! {
        <Title text=title />
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
        pilot,
        now,
        baseline,
        trend,
        coverage_full_on,
        keystone_full_on,
        csms,
        segments,
        cohorts,
        owners,
    } = dashboard;
    let latest = trend.last().cloned();
    let coverage_target = latest.as_ref().and_then(|p| p.coverage_target);
    let keystone_target = latest.as_ref().and_then(|p| p.keystone_target);
    let since = match &pilot {
        Some(p) => match p.started_on {
            Some(day) => format!("since the pilot started on {}", format::date(day)),
            None => "over 30 days (the pilot has no start date)".to_string(),
        },
        None => "over 30 days".to_string(),
    };
    let drill = {
        let filter = filter.clone();
        move |figure: Figure, text: String| {
            view! { <a href=drill_down_href(figure, as_of, &filter)>{text}</a> }
        }
    };
    let (heading, action, other) = match &pilot {
        Some(_) => (
            "Pilot report",
            "/dashboard/pilot",
            ("/dashboard", "Whole book"),
        ),
        None => (
            "Dashboard",
            "/dashboard",
            ("/dashboard/pilot", "Pilot report"),
        ),
    };
    let trend_csv = {
        let from = trend.first().map_or(as_of, |p| p.on);
        csv_href(
            "/api/v1/metrics/series",
            &format!("from={from}&to={as_of}&step=week"),
            &filter,
        )
    };
    let day_query = format!("as_of={as_of}");
    let csms_csv = csv_href(
        "/api/v1/metrics/breakdown",
        &format!("by=owner&{day_query}"),
        &filter,
    );
    let metrics_csv = csv_href("/api/v1/metrics", &day_query, &filter);
    view! {
        <header class="page-header">
            <h1>{heading}</h1>
            <span class="muted">{format!("as of {}", format::date(as_of))}</span>
            <a class="header-link" href=other.0>{other.1}</a>
        </header>
        {pilot
            .as_ref()
            .map(|p| {
                view! {
                    <p class="muted">
                        {format!(
                            "Accounts in the {} cohort only, so the pilot can be judged before roll-out.",
                            p.cohort,
                        )}
                    </p>
                }
            })}
        <FilterForm action as_of filter=filter.clone() segments cohorts owners pilot=pilot.is_some() />
        <section aria-labelledby="headline-heading">
            <h2 id="headline-heading" class="visually-hidden">"Headline"</h2>
            <div class="tiles">
                <Headline
                    name="Coverage"
                    help="Active accounts with a current Business Outcome"
                    now=now.coverage
                    before=baseline.coverage
                    since=since.clone()
                    target=coverage_target
                    full_on=coverage_full_on
                    detail=format!("{} of {} accounts", count(now.covered_accounts), count(now.active_accounts))
                    gap=drill(
                        Figure::NotCovered,
                        format!("{} without a current outcome", count(now.active_accounts - now.covered_accounts)),
                    )
                />
                <Headline
                    name="Keystone"
                    help="Active accounts whose reviews are on schedule"
                    now=now.keystone
                    before=baseline.keystone
                    since=since.clone()
                    target=keystone_target
                    full_on=keystone_full_on
                    detail=format!("{} of {} accounts", count(now.on_schedule_accounts), count(now.active_accounts))
                    gap=drill(
                        Figure::NotOnSchedule,
                        format!("{} not on schedule", count(now.active_accounts - now.on_schedule_accounts)),
                    )
                />
            </div>
            <dl class="facts metrics-facts">
                <div>
                    <dt>"Executive participation (90 days)"</dt>
                    <dd>
                        {percent(now.executive_participation)} " · "
                        {drill(Figure::WithoutExecutive, "accounts reviewed without one".into())}
                    </dd>
                </div>
                <div>
                    <dt>"Early warnings"</dt>
                    <dd>
                        {drill(
                            Figure::EarlyWarning,
                            format!(
                                "{} accounts, {} at stake",
                                count(now.early_warning_accounts),
                                format::money(now.early_warning_arr),
                            ),
                        )}
                    </dd>
                </div>
                <div>
                    <dt>"Stale outcomes"</dt>
                    <dd>{drill(Figure::Stale, count(now.stale_outcomes))}</dd>
                </div>
                <div>
                    <dt>"Outcomes expiring within 30 days"</dt>
                    <dd>{drill(Figure::Expiring, count(now.expiring_outcomes))}</dd>
                </div>
                <div>
                    <dt>"Onboarding gaps"</dt>
                    <dd>{drill(Figure::OnboardingGap, count(now.onboarding_gaps))}</dd>
                </div>
            </dl>
        </section>
        <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">
                {if pilot.is_some() { "Since the pilot started" } else { "Trend over the last year" }}
            </h2>
            <div class="chart-grid">
                <TrendFigure
                    name="Coverage"
                    id="coverage-trend"
                    caption="Coverage by week (solid) against the target ramp (dashed)."
                    actual=|p| p.coverage
                    target=|p| p.coverage_target
                    trend=trend.clone()
                    csv=trend_csv.clone()
                />
                <TrendFigure
                    name="Keystone"
                    id="keystone-trend"
                    caption="Keystone by week (solid) against the target ramp (dashed)."
                    actual=|p| p.keystone
                    target=|p| p.keystone_target
                    trend=trend.clone()
                    csv=trend_csv.clone()
                />
                <TrendFigure
                    name="Executive participation"
                    id="participation-trend"
                    caption="Counting reviews with a customer executive present, over the 90 days ending each week."
                    actual=|p| p.executive_participation
                    trend
                    csv=trend_csv
                />
                <StatusShares now=now.clone() as_of filter=filter.clone() csv=metrics_csv />
            </div>
        </section>
        <section aria-labelledby="csm-heading">
            <h2 id="csm-heading">"By CSM"</h2>
            <CsmBars csms=csms.clone() as_of filter=filter.clone() csv=csms_csv.clone() />
            <LeadingVsLagging csms csv=csms_csv />
        </section>
    }
}

/// The filters: a GET form, so a view is a URL that can be shared.
#[component]
fn FilterForm(
    action: &'static str,
    as_of: NaiveDate,
    filter: MetricsFilter,
    segments: Vec<String>,
    cohorts: Vec<String>,
    owners: Vec<(i64, String)>,
    pilot: bool,
) -> impl IntoView {
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
    let pairs = |names: Vec<String>| -> Vec<(String, String)> {
        names.into_iter().map(|n| (n.clone(), n)).collect()
    };
    let owner_options: Vec<(String, String)> = owners
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <form method="get" action=action class="filters" aria-label="Dashboard filters">
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
            {(!pilot)
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="dashboard-cohort">"Cohort"</label>
                            <select id="dashboard-cohort" name="cohort">
                                {choice(filter.cohort.clone(), "All cohorts", pairs(cohorts))}
                            </select>
                        </div>
                    }
                })}
            <div class="field">
                <label for="dashboard-owner">"CSM"</label>
                <select id="dashboard-owner" name="owner">
                    {choice(filter.owner_id.map(|o| o.to_string()), "All CSMs", owner_options)}
                </select>
            </div>
            <button type="submit">"Apply"</button>
        </form>
    }
}

/// A headline figure: its value, change, target and gap, when it reaches 100 %, and the accounts
/// still missing.
#[component]
fn Headline(
    name: &'static str,
    help: &'static str,
    now: f64,
    before: f64,
    since: String,
    target: Option<f64>,
    full_on: Option<NaiveDate>,
    detail: String,
    gap: impl IntoView + 'static,
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
            <p>{format!("{} {since}", points_change(now, before))}</p>
            <p>{target_text}</p>
            <p class="muted">{projection}</p>
            <p>{gap}</p>
        </article>
    }
}

/// A target, or a dash without one.
fn target_text(target: Option<f64>) -> String {
    target.map(percent).unwrap_or_else(|| "–".into())
}

/// A figure by week (and its target, when it has one): a line chart over a table.
#[component]
fn TrendFigure(
    /// What is charted ("Coverage").
    name: &'static str,
    /// The chart's element id.
    id: &'static str,
    /// The caption under the chart.
    caption: &'static str,
    /// The figure on a day.
    actual: fn(&TrendPoint) -> f64,
    /// Its target that day (none: no target column).
    #[prop(optional)]
    target: Option<fn(&TrendPoint) -> Option<f64>>,
    trend: Vec<TrendPoint>,
    csv: String,
) -> impl IntoView {
    let mut lines = vec![Line {
        name: name.to_string(),
        values: trend.iter().map(|p| Some(actual(p) * 100.0)).collect(),
        colour: if target.is_some() {
            "#2457c5"
        } else {
            "#5b3fc4"
        },
        dashed: false,
    }];
    if let Some(target) = target {
        lines.push(Line {
            name: "Target".into(),
            values: trend.iter().map(|p| target(p).map(|t| t * 100.0)).collect(),
            colour: "#a76200",
            dashed: true,
        });
    }
    let spec = ChartSpec::Trend {
        days: trend.iter().map(|p| p.on).collect(),
        lines,
    };
    let against = if target.is_some() {
        ", against target"
    } else {
        ""
    };
    view! {
        <ChartFigure
            id
            label=format!("{name} by week{against}; the table holds the same data.")
            height=280
            spec
            caption=caption.to_string()
            summary="Trend as a table"
            csv
        >
            <table class="data">
                <caption class="visually-hidden">{format!("{name} by week{against}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Week of"</th>
                        <th scope="col" class="num">{name}</th>
                        {target.map(|_| view! { <th scope="col" class="num">"Target"</th> })}
                    </tr>
                </thead>
                <tbody>
                    {trend
                        .iter()
                        .rev()
                        .map(|p| {
                            view! {
                                <tr>
                                    <td>{format::date(p.on)}</td>
                                    <td class="num">{percent(actual(p))}</td>
                                    {target.map(|t| view! { <td class="num">{target_text(t(p))}</td> })}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ChartFigure>
    }
}

/// The current outcomes by status (as assessed that day).
#[component]
fn StatusShares(
    now: super::model::Metrics,
    as_of: NaiveDate,
    filter: MetricsFilter,
    csv: String,
) -> impl IntoView {
    let statuses = now.outcome_statuses();
    let total: u64 = statuses.iter().map(|(_, n)| n).sum();
    let spec = ChartSpec::Shares {
        slices: statuses
            .iter()
            .map(|(status, n)| Slice {
                name: status.label().to_string(),
                value: *n,
                colour: status_colour(*status),
            })
            .collect(),
    };
    view! {
        <ChartFigure
            id="status-shares"
            label="Current outcomes by status; the table holds the same data.".to_string()
            height=280
            spec
            caption=format!("The {} current outcomes by their status as assessed that day.", count(total))
            summary="Outcome statuses as a table"
            csv
        >
            <table class="data">
                <caption class="visually-hidden">"Current outcomes by status"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Status"</th>
                        <th scope="col" class="num">"Outcomes"</th>
                        <th scope="col" class="num">"Share"</th>
                    </tr>
                </thead>
                <tbody>
                    {statuses
                        .into_iter()
                        .map(|(status, n)| {
                            let share = if total == 0 { 0.0 } else { n as f64 / total as f64 };
                            view! {
                                <tr>
                                    <td>
                                        <a href=drill_down_href(Figure::Status(status), as_of, &filter)>
                                            {status.label()}
                                        </a>
                                    </td>
                                    <td class="num">{count(n)}</td>
                                    <td class="num">{percent(share)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ChartFigure>
    }
}

/// Coverage and keystone per CSM, lowest keystone first (who needs help stands out).
#[component]
fn CsmBars(
    csms: Vec<GroupFigures>,
    as_of: NaiveDate,
    filter: MetricsFilter,
    csv: String,
) -> impl IntoView {
    let mut csms: Vec<GroupFigures> = csms
        .into_iter()
        .filter(|g| g.metrics.active_accounts > 0)
        .collect();
    csms.sort_by(|a, b| {
        a.metrics
            .keystone
            .total_cmp(&b.metrics.keystone)
            .then_with(|| a.name.cmp(&b.name))
    });
    let spec = ChartSpec::Bars {
        categories: csms.iter().map(|g| g.name.clone()).collect(),
        series: vec![
            Bars {
                name: "Coverage".into(),
                values: csms.iter().map(|g| g.metrics.coverage * 100.0).collect(),
                colour: "#2457c5",
            },
            Bars {
                name: "Keystone".into(),
                values: csms.iter().map(|g| g.metrics.keystone * 100.0).collect(),
                colour: "#1b7f4b",
            },
        ],
    };
    view! {
        <ChartFigure
            id="csm-bars"
            label="Coverage and keystone per CSM; the table holds the same data.".to_string()
            height=320
            spec
            caption="Coverage and keystone of each CSM's active accounts, lowest keystone first.".to_string()
            summary="Coverage and keystone per CSM as a table"
            csv
        >
            <table class="data">
                <caption class="visually-hidden">"Coverage and keystone per CSM"</caption>
                <thead>
                    <tr>
                        <th scope="col">"CSM"</th>
                        <th scope="col" class="num">"Active accounts"</th>
                        <th scope="col" class="num">"Coverage"</th>
                        <th scope="col" class="num">"Without an outcome"</th>
                        <th scope="col" class="num">"Keystone"</th>
                        <th scope="col" class="num">"Not on schedule"</th>
                    </tr>
                </thead>
                <tbody>
                    {csms
                        .into_iter()
                        .map(|g| {
                            let mine = MetricsFilter {
                                owner_id: g.key.parse().ok(),
                                ..filter.clone()
                            };
                            let m = &g.metrics;
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=super::model::dashboard_href(as_of, &mine)>{g.name.clone()}</a>
                                    </th>
                                    <td class="num">
                                        <a href=drill_down_href(Figure::Active, as_of, &mine)>
                                            {count(m.active_accounts)}
                                        </a>
                                    </td>
                                    <td class="num">{percent(m.coverage)}</td>
                                    <td class="num">
                                        <a href=drill_down_href(Figure::NotCovered, as_of, &mine)>
                                            {count(m.active_accounts - m.covered_accounts)}
                                        </a>
                                    </td>
                                    <td class="num">{percent(m.keystone)}</td>
                                    <td class="num">
                                        <a href=drill_down_href(Figure::NotOnSchedule, as_of, &mine)>
                                            {count(m.active_accounts - m.on_schedule_accounts)}
                                        </a>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ChartFigure>
    }
}

/// How a CSM's leading and lagging indicators compare with everyone's together.
fn reading(mine: &LeadingLagging, all: &LeadingLagging) -> &'static str {
    let (Some(keystone), Some(all_keystone)) = (mine.keystone(), all.keystone()) else {
        return "No active accounts";
    };
    let (Some(rate), Some(all_rate)) = (mine.renewal_rate(), all.renewal_rate()) else {
        return "No renewals decided";
    };
    match (keystone >= all_keystone, rate >= all_rate) {
        (true, true) => "Reviews and renewals both strong",
        (false, true) => "Good renewals, poor reviews",
        (true, false) => "Good reviews, poor renewals",
        (false, false) => "Reviews and renewals both behind",
    }
}

/// Keystone over 12 months against the renewal rate, per CSM, split at everyone's figures.
#[component]
fn LeadingVsLagging(csms: Vec<GroupFigures>, csv: String) -> impl IntoView {
    let all = csms.iter().fold(LeadingLagging::default(), |sum, g| {
        sum.plus(g.leading_lagging)
    });
    let csms: Vec<GroupFigures> = csms
        .into_iter()
        .filter(|g| g.leading_lagging.account_months > 0)
        .collect();
    let points = csms
        .iter()
        .filter_map(|g| {
            let ll = &g.leading_lagging;
            let (x, y) = (ll.keystone()?, ll.renewal_rate()?);
            Some(Point {
                label: format!(
                    "{} · keystone {} · renewals {}",
                    g.name,
                    percent(x),
                    percent(y)
                ),
                x: x * 100.0,
                y: y * 100.0,
            })
        })
        .collect();
    let spec = ChartSpec::Quadrants {
        points,
        x_name: "Keystone, last 12 months".into(),
        y_name: "Renewal rate, last 12 months".into(),
        x_mark: all.keystone().unwrap_or_default() * 100.0,
        y_mark: all.renewal_rate().unwrap_or_default() * 100.0,
    };
    let overall = format!(
        "The dashed lines are everyone's figures together: keystone {}, renewal rate {}.",
        all.keystone().map_or_else(|| "–".into(), percent),
        all.renewal_rate().map_or_else(|| "–".into(), percent),
    );
    view! {
        <ChartFigure
            id="leading-lagging"
            label="Leading vs lagging per CSM: keystone over 12 months against renewal rate; the table holds the same data.".to_string()
            height=360
            spec
            caption=format!(
                "Leading vs lagging: each CSM's keystone over the last 12 months (across) against \
                 their renewal rate, renewed ARR / ARR due, for renewals decided in the same months \
                 (up). {overall}"
            )
            summary="Leading vs lagging per CSM as a table"
            csv
        >
            <table class="data">
                <caption class="visually-hidden">"Keystone over 12 months against renewal rate per CSM"</caption>
                <thead>
                    <tr>
                        <th scope="col">"CSM"</th>
                        <th scope="col" class="num">"Keystone, 12 months"</th>
                        <th scope="col" class="num">"ARR renewed"</th>
                        <th scope="col" class="num">"ARR due"</th>
                        <th scope="col" class="num">"Renewal rate"</th>
                        <th scope="col">"Reading"</th>
                    </tr>
                </thead>
                <tbody>
                    {csms
                        .into_iter()
                        .map(|g| {
                            let ll = g.leading_lagging;
                            view! {
                                <tr>
                                    <th scope="row">{g.name}</th>
                                    <td class="num">{ll.keystone().map_or_else(|| "–".into(), percent)}</td>
                                    <td class="num">{format::money(ll.renewed_arr)}</td>
                                    <td class="num">{format::money(ll.due_arr)}</td>
                                    <td class="num">{ll.renewal_rate().map_or_else(|| "–".into(), percent)}</td>
                                    <td>{reading(&ll, &all)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </ChartFigure>
    }
}
