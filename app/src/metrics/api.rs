//! Server function for the dashboard.

use super::model::{Dashboard, MetricsFilter};
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Weeks of trend the dashboard shows (and projects from).
pub const TREND_WEEKS: u64 = 12;

/// The dashboard's figures as of `as_of` (today when none) for the accounts of `filter`.
#[server(input = Json)]
pub async fn get_dashboard(
    as_of: Option<NaiveDate>,
    filter: MetricsFilter,
) -> Result<Dashboard, AppError> {
    use super::model::{projected_full, series_dates, target_on, Step, TrendPoint};
    // Dashboards are for everyone signed in (viewers read nothing else).
    crate::auth::current_user()?;
    let db = crate::db::use_db()?;
    let today = chrono::Utc::now().date_naive();
    let as_of = as_of.unwrap_or(today);
    let (dataset, rules) = super::db::with_rules(&db).await?;
    let mut conn = db.read.acquire().await?;
    let start = as_of - chrono::Days::new(7 * TREND_WEEKS);
    let dates = series_dates(start, as_of, Step::Week);
    let points = dataset.series(&rules, &filter, &dates);
    let coverage_ramp = super::db::ramp(&mut conn, "coverage", filter.segment.as_deref()).await?;
    let keystone_ramp = super::db::ramp(&mut conn, "keystone", filter.segment.as_deref()).await?;
    let trend: Vec<TrendPoint> = points
        .iter()
        .map(|m| TrendPoint {
            on: m.as_of,
            coverage: m.coverage,
            keystone: m.keystone,
            coverage_target: target_on(&coverage_ramp, m.as_of).map(|p| p / 100.0),
            keystone_target: target_on(&keystone_ramp, m.as_of).map(|p| p / 100.0),
        })
        .collect();
    let line = |pick: fn(&TrendPoint) -> f64| -> Vec<(NaiveDate, f64)> {
        trend.iter().map(|p| (p.on, pick(p))).collect()
    };
    let options = crate::accounts::db::filter_options(&db.read).await?;
    Ok(Dashboard {
        as_of,
        filter: filter.clone(),
        now: dataset.metrics_on(&rules, &filter, as_of),
        month_ago: dataset.metrics_on(&rules, &filter, as_of - chrono::Days::new(30)),
        coverage_full_on: projected_full(&line(|p| p.coverage)),
        keystone_full_on: projected_full(&line(|p| p.keystone)),
        trend,
        segments: options.segments,
        cohorts: options.cohorts,
        owners: options.owners,
    })
}
