//! `/admin/targets`: the target ramps toward 100 % (milestones for coverage and keystone,
//! company-wide or per segment) and the cohorts' start dates (the pilot report runs from its
//! cohort's). Admins only; every change is in the audit log.

use crate::components::form::{Field, FieldKind, SelectField, ServerForm};
use crate::components::{format, ErrorNotice, TableOrEmpty};
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One milestone of a ramp.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TargetRow {
    /// Its id.
    pub id: i64,
    /// `coverage` or `keystone`.
    pub metric: String,
    /// Its segment (none: company-wide).
    pub segment: Option<String>,
    /// The day.
    pub on_date: NaiveDate,
    /// The target that day, in percent.
    pub percent: f64,
}

/// A cohort and its start date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CohortRow {
    /// Its name.
    pub name: String,
    /// The day it started, if set.
    pub started_on: Option<NaiveDate>,
}

/// What the targets page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TargetsData {
    /// Every milestone, by metric, segment (company-wide first) and day.
    pub milestones: Vec<TargetRow>,
    /// The segments a ramp may be for.
    pub segments: Vec<String>,
    /// The cohorts with their start dates.
    pub cohorts: Vec<CohortRow>,
}

/// The metrics that have target ramps.
const METRICS: [&str; 2] = ["coverage", "keystone"];

/// The milestones, segments and cohorts.
#[server]
pub async fn targets_overview() -> Result<TargetsData, AppError> {
    crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    Ok(TargetsData {
        milestones: super::db::targets(&db.read).await?,
        segments: crate::accounts::db::segments(&db.read).await?,
        cohorts: super::db::cohorts(&db.read).await?,
    })
}

/// Sets the milestone of `metric` for `segment` (empty: company-wide) on `on_date` to `percent`,
/// replacing one on the same day.
#[server]
pub async fn save_milestone(
    metric: String,
    segment: String,
    on_date: String,
    percent: String,
) -> Result<String, AppError> {
    let admin = crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let mut errors = Vec::new();
    if !METRICS.contains(&metric.as_str()) {
        errors.push(("metric", "must be coverage or keystone"));
    }
    let day = on_date.trim().parse::<NaiveDate>().ok();
    if day.is_none() {
        errors.push(("on_date", "must be a date like 2027-06-30"));
    }
    let value = percent
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=100.0).contains(p));
    if value.is_none() {
        errors.push(("percent", "must be a number from 0 to 100"));
    }
    let (Some(day), Some(value), true) = (day, value, errors.is_empty()) else {
        return Err(AppError::Validation(
            errors
                .into_iter()
                .map(|(field, message)| crate::error::FieldError::new(field, message))
                .collect(),
        ));
    };
    let segment = Some(segment.trim().to_string()).filter(|s| !s.is_empty());
    let db = crate::db::use_db()?;
    let mut tx = db.begin_write().await?;
    // Targets are read with each answer, not kept with the metrics' records.
    tx.changes_no_metrics();
    if let Some(segment) = &segment {
        if !crate::accounts::db::segment_exists(&mut tx, segment).await? {
            return Err(AppError::invalid("segment", "is not a segment"));
        }
    }
    let id = super::db::save_target(&mut tx, &metric, segment.as_deref(), day, value).await?;
    crate::audit::db::record(
        &mut tx,
        &crate::audit::model::Actor::of(&admin),
        "target.saved",
        ("target", Some(&id.to_string())),
        &serde_json::json!({"metric": metric, "segment": segment, "on_date": day, "percent": value}),
    )
    .await?;
    tx.commit().await?;
    Ok("/admin/targets?saved=1".into())
}

/// Removes a milestone.
#[server]
pub async fn remove_milestone(target_id: i64) -> Result<(), AppError> {
    let admin = crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let db = crate::db::use_db()?;
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    let Some(removed) = super::db::remove_target(&mut tx, target_id).await? else {
        return Err(AppError::NotFound("milestone".into()));
    };
    crate::audit::db::record(
        &mut tx,
        &crate::audit::model::Actor::of(&admin),
        "target.removed",
        ("target", Some(&target_id.to_string())),
        &serde_json::json!({"metric": removed.metric, "segment": removed.segment,
                            "on_date": removed.on_date, "percent": removed.percent}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets (or, when `started_on` is empty, clears) the start date of `cohort`.
#[server]
pub async fn set_cohort_start(cohort: String, started_on: String) -> Result<String, AppError> {
    let admin = crate::auth::authorize(crate::users::model::Permission::Administer)?;
    let day = match started_on.trim() {
        "" => None,
        text => Some(
            text.parse::<NaiveDate>()
                .map_err(|_| AppError::invalid("started_on", "must be a date like 2026-03-10"))?,
        ),
    };
    let db = crate::db::use_db()?;
    let mut tx = db.begin_write().await?;
    tx.changes_no_metrics();
    if !super::db::set_cohort_start(&mut tx, &cohort, day).await? {
        return Err(AppError::invalid("cohort", "is not a cohort"));
    }
    crate::audit::db::record(
        &mut tx,
        &crate::audit::model::Actor::of(&admin),
        "cohort.start_set",
        ("cohort", Some(&cohort)),
        &serde_json::json!({"started_on": {"new": day}}),
    )
    .await?;
    tx.commit().await?;
    Ok("/admin/targets?saved=1".into())
}

/// The targets page.
#[component]
pub fn TargetsPage() -> impl IntoView {
    let query = use_query_map();
    let save = ServerAction::<SaveMilestone>::new();
    let remove = ServerAction::<RemoveMilestone>::new();
    let start = ServerAction::<SetCohortStart>::new();
    let data = Resource::new(
        move || {
            (
                save.version().get(),
                remove.version().get(),
                start.version().get(),
            )
        },
        |_| targets_overview(),
    );
    // The forms' choices, loaded once: forms keyed on the actions would be rebuilt by a refused
    // save, and lose what was typed.
    let choices = OnceResource::new(targets_overview());
    view! {
        <Title text="Targets · Keystone" />
        <p class="breadcrumb">
            <a href="/admin">"← Admin"</a>
        </p>
        <h1>"Targets"</h1>
        <p class="muted">
            "Milestones on the way to 100 %: between two of them the target rises in a straight line; "
            "before the first and after the last it stays level. A segment with milestones of its "
            "own follows them; the others follow the company-wide ramp."
        </p>
        {move || remove.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        {move || {
            query
                .with(|q| q.get("saved"))
                .map(|_| {
                    view! {
                        <div class="notice notice-success" role="status">
                            <p>"Saved. The dashboard uses it from now on."</p>
                        </div>
                    }
                })
        }}
        <Transition fallback=|| view! { <p class="loading">"Loading the targets…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => {
                        view! {
                            <Ramps milestones=data.milestones remove />
                            <CohortTable cohorts=data.cohorts />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
        // Outside the tables' Transition: reloading them after a save must not reset the forms.
        <Suspense>
            {move || Suspend::new(async move {
                choices
                    .await
                    .ok()
                    .map(|data| {
                        let cohorts = data.cohorts.into_iter().map(|c| c.name).collect();
                        view! {
                            <MilestoneForm action=save segments=data.segments />
                            <CohortStartForm action=start cohorts />
                        }
                    })
            })}
        </Suspense>
    }
}

#[component]
fn Ramps(milestones: Vec<TargetRow>, remove: ServerAction<RemoveMilestone>) -> impl IntoView {
    view! {
        <section aria-labelledby="ramps-heading">
            <h2 id="ramps-heading">"Ramps"</h2>
            <TableOrEmpty empty=milestones.is_empty() message="No milestones yet: the dashboard says “No target set”.">
                <table class="data">
                    <caption class="visually-hidden">"Target milestones"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Metric"</th>
                            <th scope="col">"For"</th>
                            <th scope="col">"On"</th>
                            <th scope="col" class="num">"Target"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {milestones
                            .into_iter()
                            .map(|m| {
                                let applies = m.segment.clone().unwrap_or_else(|| "Company-wide".into());
                                let label = format!("Remove the {} milestone of {} for {applies}", m.metric, format::date(m.on_date));
                                view! {
                                    <tr>
                                        <td>{m.metric.clone()}</td>
                                        <td>{applies.clone()}</td>
                                        <td>{format::date(m.on_date)}</td>
                                        <td class="num">{format!("{:.1} %", m.percent)}</td>
                                        <td class="actions">
                                            <ActionForm action=remove>
                                                <input type="hidden" name="target_id" value=m.id />
                                                <button type="submit" class="danger" aria-label=label>"Remove"</button>
                                            </ActionForm>
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

#[component]
fn MilestoneForm(action: ServerAction<SaveMilestone>, segments: Vec<String>) -> impl IntoView {
    let metrics: Vec<(String, String)> = METRICS
        .iter()
        .map(|m| (m.to_string(), m.to_string()))
        .collect();
    let mut applies = vec![(String::new(), "Company-wide".to_string())];
    applies.extend(segments.into_iter().map(|s| (s.clone(), s)));
    view! {
        <section aria-labelledby="milestone-heading">
            <h2 id="milestone-heading">"Add or change a milestone"</h2>
            <ServerForm
                action
                id="milestone".to_string()
                label="Add or change a milestone".to_string()
                fields=&["metric", "segment", "on_date", "percent"]
                submit="Save milestone"
            >
                <div class="field-row">
                    <SelectField name="metric" label="Metric" options=metrics.clone() value="coverage" />
                    <SelectField name="segment" label="For" options=applies.clone() value="" />
                </div>
                <div class="field-row">
                    <Field
                        name="on_date"
                        label="On"
                        kind=FieldKind::Date
                        required=true
                        hint="A milestone on a day that already has one replaces it."
                    />
                    <Field name="percent" label="Target (%)" kind=FieldKind::Number required=true />
                </div>
            </ServerForm>
        </section>
    }
}

#[component]
fn CohortTable(cohorts: Vec<CohortRow>) -> impl IntoView {
    view! {
        <section aria-labelledby="cohorts-heading">
            <h2 id="cohorts-heading">"Cohort start dates"</h2>
            <p class="muted">"The pilot report runs from the pilot cohort's start date."</p>
            <TableOrEmpty empty=cohorts.is_empty() message="No cohorts yet.">
                <table class="data">
                    <caption class="visually-hidden">"Cohorts and their start dates"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Cohort"</th>
                            <th scope="col">"Started"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {cohorts
                            .into_iter()
                            .map(|c| {
                                view! {
                                    <tr>
                                        <td>{c.name}</td>
                                        <td>{format::opt_date(c.started_on)}</td>
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

#[component]
fn CohortStartForm(action: ServerAction<SetCohortStart>, cohorts: Vec<String>) -> impl IntoView {
    let first = cohorts.first().cloned().unwrap_or_default();
    let options: Vec<(String, String)> = cohorts.into_iter().map(|c| (c.clone(), c)).collect();
    view! {
        <section aria-labelledby="cohort-start-heading">
            <h2 id="cohort-start-heading">"Set a cohort's start date"</h2>
            <ServerForm
                action
                id="cohort-start".to_string()
                label="Set a cohort's start date".to_string()
                fields=&["cohort", "started_on"]
                submit="Save start date"
            >
                <div class="field-row">
                    <SelectField name="cohort" label="Cohort" options=options.clone() value=first.clone() />
                    <Field
                        name="started_on"
                        label="Started on"
                        kind=FieldKind::Date
                        hint="Leave empty to clear it."
                    />
                </div>
            </ServerForm>
        </section>
    }
}
