//! Server functions for the dashboard, the pilot report and their drill-downs.

use super::model::{Dashboard, DrillDown, Figure, MetricsFilter};
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Weeks the 100 % projection extends the trend from.
pub const PROJECTION_WEEKS: u64 = 12;
/// Weeks of trend the dashboard shows.
pub const TREND_WEEKS: u64 = 52;

/// The dashboard's figures as of `as_of` (today when none) for the accounts of `filter`; with
/// `pilot`, the pilot report: only the pilot cohort, its trend and changes since the pilot started.
#[server(input = Json)]
pub async fn get_dashboard(
    as_of: Option<NaiveDate>,
    filter: MetricsFilter,
    pilot: bool,
) -> Result<Dashboard, AppError> {
    use super::model::{
        name_owners, projected_full, series_dates, target_on, Pilot, Step, TrendPoint,
    };
    use crate::users::model::PILOT_COHORT;
    use chrono::Days;
    // Dashboards are for everyone signed in (viewers read nothing else).
    crate::auth::current_user()?;
    let db = crate::db::use_db()?;
    let as_of = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut filter = filter;
    let mut conn = db.read.acquire().await?;
    let pilot = if pilot {
        filter.cohort = Some(PILOT_COHORT.to_string());
        Some(Pilot {
            cohort: PILOT_COHORT.to_string(),
            started_on: super::db::cohort_start(&mut conn, PILOT_COHORT).await?,
        })
    } else {
        None
    };
    // Weekly, ending on the day itself: a year back, or back to the pilot's start.
    let weeks = match pilot.as_ref().and_then(|p| p.started_on) {
        Some(started) if started < as_of => {
            u64::try_from((as_of - started).num_days() / 7).unwrap_or(0)
        }
        Some(_) => 0,
        None => TREND_WEEKS,
    };
    let dates = series_dates(as_of - Days::new(7 * weeks), as_of, Step::Week);
    let baseline_on = match pilot.as_ref().and_then(|p| p.started_on) {
        Some(started) => started.min(as_of),
        None => as_of - Days::new(30),
    };
    let (dataset, rules) = super::db::with_rules(&db).await?;
    let overview = dataset.overview(&rules, &filter, &dates, baseline_on, as_of);
    // The owners the filter offers name the CSMs too.
    let options = crate::accounts::db::filter_options(&db.read).await?;
    let csms = name_owners(overview.csms, &options.owners);
    let coverage_ramp = super::db::ramp(&mut conn, "coverage", filter.segment.as_deref()).await?;
    let keystone_ramp = super::db::ramp(&mut conn, "keystone", filter.segment.as_deref()).await?;
    let trend: Vec<TrendPoint> = overview
        .trend
        .iter()
        .map(|m| TrendPoint {
            on: m.as_of,
            coverage: m.coverage,
            keystone: m.keystone,
            executive_participation: m.executive_participation,
            coverage_target: target_on(&coverage_ramp, m.as_of).map(|p| p / 100.0),
            keystone_target: target_on(&keystone_ramp, m.as_of).map(|p| p / 100.0),
        })
        .collect();
    let recent = as_of - Days::new(7 * PROJECTION_WEEKS);
    let line = |pick: fn(&TrendPoint) -> f64| -> Vec<(NaiveDate, f64)> {
        trend
            .iter()
            .filter(|p| p.on >= recent)
            .map(|p| (p.on, pick(p)))
            .collect()
    };
    Ok(Dashboard {
        as_of,
        pilot,
        now: overview.now,
        baseline: overview.baseline,
        coverage_full_on: projected_full(&line(|p| p.coverage)),
        keystone_full_on: projected_full(&line(|p| p.keystone)),
        csms,
        filter,
        trend,
        segments: options.segments,
        cohorts: options.cohorts,
        owners: options.owners,
    })
}

/// Page `page` of the accounts behind `figure` on `as_of` (today when none) among `filter`'s.
#[server(input = Json)]
pub async fn get_drill_down(
    figure: Figure,
    as_of: Option<NaiveDate>,
    filter: MetricsFilter,
    page: u32,
) -> Result<DrillDown, AppError> {
    use super::model::{drill_down_pages, DRILL_DOWN_PAGE};
    // Part of the dashboard, so for everyone signed in.
    crate::auth::current_user()?;
    let db = crate::db::use_db()?;
    let as_of = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let (dataset, rules) = super::db::with_rules(&db).await?;
    let ids = dataset.accounts_behind(&rules, &filter, figure, as_of);
    let total = u64::try_from(ids.len()).unwrap_or(u64::MAX);
    let page = page.clamp(1, drill_down_pages(total));
    let offset = i64::from((page - 1) * DRILL_DOWN_PAGE);
    let items =
        crate::accounts::db::among(&db.read, &ids, offset, i64::from(DRILL_DOWN_PAGE)).await?;
    Ok(DrillDown {
        figure,
        as_of,
        filter,
        total,
        page,
        items,
    })
}
