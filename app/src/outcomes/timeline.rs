//! The outcome timeline on the account page: each outcome as a bar from `valid_from` to its end
//! (expiry, or retirement if earlier), coloured by status, with today and the review dates marked.
//! ECharts draws it in the browser (through charming); the server renders the same data as a table,
//! which is what no-JS and screen-reader users get, and which stays one click away once drawn.

use super::model::{Outcome, OutcomeStatus};
use crate::components::format;
use chrono::NaiveDate;
use leptos::prelude::*;

/// One bar of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineBar {
    /// The outcome's title.
    pub title: String,
    /// Its axis label: the title, shortened, unique on the chart.
    pub label: String,
    /// First day it is current.
    pub start: NaiveDate,
    /// Last day the bar covers: the expiry, or the retirement day if earlier.
    pub end: NaiveDate,
    /// Its status.
    pub status: OutcomeStatus,
    /// Whether it was retired (rather than running to its expiry).
    pub retired: bool,
}

/// Longest axis label, in characters.
const LABEL_MAX: usize = 32;

/// The bars of `outcomes`, oldest start first.
pub fn bars(outcomes: &[Outcome]) -> Vec<TimelineBar> {
    let mut sorted: Vec<&Outcome> = outcomes.iter().collect();
    sorted.sort_by_key(|o| (o.valid_from, o.id));
    let mut labels: Vec<String> = Vec::new();
    sorted
        .into_iter()
        .map(|o| {
            let mut label: String = o.title.chars().take(LABEL_MAX).collect();
            if o.title.chars().count() > LABEL_MAX {
                label.push('…');
            }
            let base = label.clone();
            let mut n = 1;
            while labels.contains(&label) {
                n += 1;
                label = format!("{base} ({n})");
            }
            labels.push(label.clone());
            let end = match o.retired_on {
                Some(retired) if retired <= o.expires_on => retired,
                _ => o.expires_on,
            };
            TimelineBar {
                title: o.title.clone(),
                label,
                start: o.valid_from,
                end: end.max(o.valid_from),
                status: o.status,
                retired: o.retired_on.is_some_and(|r| r <= o.expires_on),
            }
        })
        .collect()
}

/// The colour of a status on the chart (the same hues as the page's status labels).
pub fn status_colour(status: OutcomeStatus) -> &'static str {
    match status {
        OutcomeStatus::OnTrack => "#1b7f4b",
        OutcomeStatus::AtRisk => "#a76200",
        OutcomeStatus::OffTrack => "#b42318",
        OutcomeStatus::Achieved => "#5b3fc4",
    }
}

/// The element ECharts draws into.
const CHART_ID: &str = "outcome-timeline";

/// The timeline figure: a chart in the browser, a table on the server and without JavaScript.
#[component]
pub fn OutcomeTimeline(
    /// The day "today" is drawn at.
    as_of: NaiveDate,
    /// The account's outcomes.
    outcomes: Vec<Outcome>,
    /// Days on which reviews were held.
    review_dates: Vec<NaiveDate>,
) -> impl IntoView {
    let bars = bars(&outcomes);
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let table_ref = NodeRef::<leptos::html::Details>::new();

    #[cfg(feature = "hydrate")]
    {
        let (bars, review_dates) = (bars.clone(), review_dates.clone());
        let height = 70 + 36 * bars.len() as u32;
        Effect::new(move |_| {
            let (Some(chart), Some(table)) = (chart_ref.get(), table_ref.get()) else {
                return;
            };
            let (bars, review_dates) = (bars.clone(), review_dates.clone());
            // After a client-side navigation the figure may not be in the document yet; ECharts
            // finds its element by id, so drawing waits until it is.
            crate::components::chart::draw::when_in_document(chart.clone().into(), 60, move || {
                let _ = chart.remove_attribute("hidden");
                // Through the CSSOM: the content security policy refuses inline style attributes.
                let style = leptos::web_sys::HtmlElement::style(&chart);
                let _ = style.set_property("height", &format!("{height}px"));
                let options = draw::timeline(&bars, as_of, &review_dates);
                match charming::WasmRenderer::new_opt(None, Some(height)).render(CHART_ID, &options)
                {
                    // Drawn: the table folds away behind its summary.
                    Ok(_) => table.set_open(false),
                    Err(error) => {
                        let _ = chart.set_attribute("hidden", "");
                        leptos::logging::warn!(
                            "the outcome timeline could not be drawn: {error:?}"
                        );
                    }
                }
            });
        });
    }

    let reviews_text = if review_dates.is_empty() {
        "No reviews held yet.".to_string()
    } else {
        let mut days = review_dates.clone();
        days.sort();
        format!(
            "Reviews held: {}.",
            days.into_iter()
                .map(format::date)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    view! {
        <figure class="chart-figure">
            <div
                id=CHART_ID
                class="chart"
                node_ref=chart_ref
                hidden=true
                role="img"
                aria-label="Timeline chart of the outcomes; the table below holds the same data."
            ></div>
            <figcaption>
                "Each outcome runs from its start to its expiry (or retirement), coloured by status. "
                "The line labelled Today marks " {format::date(as_of)}
                "; the other dashed lines mark reviews held."
            </figcaption>
            <details class="chart-data" open=true node_ref=table_ref>
                <summary>"Timeline as a table"</summary>
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">"Outcome"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"From"</th>
                            <th scope="col">"Until"</th>
                            <th scope="col">"Ends by"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {bars
                            .into_iter()
                            .map(|bar| {
                                view! {
                                    <tr>
                                        <td>{bar.title}</td>
                                        <td>{bar.status.label()}</td>
                                        <td>{format::date(bar.start)}</td>
                                        <td>{format::date(bar.end)}</td>
                                        <td>{if bar.retired { "Retirement" } else { "Expiry" }}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                <p class="muted">{reviews_text}</p>
            </details>
        </figure>
    }
    .into_any()
}

/// Building the ECharts options (browser only: charming's renderer is WASM).
#[cfg(feature = "hydrate")]
mod draw {
    use super::{status_colour, TimelineBar};
    use crate::components::format;
    use charming::{
        component::{Axis, Grid},
        datatype::DataPointItem,
        element::{
            AxisPointer, AxisPointerType, AxisType, ItemStyle, Label, MarkLineData,
            MarkLineVariant, Tooltip, Trigger,
        },
        series::Bar,
        Chart,
    };
    use chrono::NaiveDate;

    /// Milliseconds since the epoch at the start of `day` (UTC), as ECharts' time axis counts.
    fn ms(day: NaiveDate) -> f64 {
        day.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis() as f64)
            .unwrap_or_default()
    }

    /// Each bar as a stack: an invisible bar up to the start, then the visible span.
    pub fn timeline(bars: &[TimelineBar], today: NaiveDate, reviews: &[NaiveDate]) -> Chart {
        const DAY: f64 = 86_400_000.0;
        let first = bars
            .iter()
            .map(|b| b.start)
            .min()
            .unwrap_or(today)
            .min(today);
        let last = bars.iter().map(|b| b.end).max().unwrap_or(today).max(today);
        let margin = ((ms(last) - ms(first)) * 0.03).max(7.0 * DAY);
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let offsets: Vec<DataPointItem> = bars
            .iter()
            .map(|b| DataPointItem::new(ms(b.start)))
            .collect();
        let spans: Vec<DataPointItem> = bars
            .iter()
            .map(|b| {
                let ends = if b.retired { "retired" } else { "expires" };
                // Plain text: ECharts escapes template values, so markup would show as text.
                let tip = format!(
                    "{} · {} → {} ({ends}) · {}",
                    b.title,
                    format::date(b.start),
                    format::date(b.end),
                    b.status.label()
                );
                DataPointItem::new(ms(b.end) + DAY - ms(b.start))
                    .name(tip)
                    .item_style(
                        ItemStyle::new()
                            .color(status_colour(b.status))
                            .opacity(if b.retired { 0.45 } else { 0.9 }),
                    )
            })
            .collect();
        let mut marks = vec![MarkLineVariant::Simple(
            MarkLineData::new()
                .name("Today")
                .x_axis(ms(today))
                .label(Label::new().formatter("Today")),
        )];
        marks.extend(reviews.iter().map(|day| {
            MarkLineVariant::Simple(
                MarkLineData::new()
                    .name("Review")
                    .x_axis(ms(*day))
                    .label(Label::new().show(false)),
            )
        }));
        Chart::new()
            // Hovering a row shows its outcome: `{b1}` is the name of the visible bar's item.
            .tooltip(
                Tooltip::new()
                    .trigger(Trigger::Axis)
                    .axis_pointer(AxisPointer::new().type_(AxisPointerType::Shadow))
                    .formatter("{b1}"),
            )
            .grid(
                Grid::new()
                    .left(12)
                    .right(24)
                    .top(24)
                    .bottom(28)
                    .contain_label(true),
            )
            // ECharts stacks bars on value axes only: the bars sit on a hidden value axis in
            // milliseconds, and a time axis over the same range draws the dates.
            .x_axis(
                Axis::new()
                    .type_(AxisType::Value)
                    .show(false)
                    .min(ms(first) - margin)
                    .max(ms(last) + margin),
            )
            .x_axis(
                Axis::new()
                    .type_(AxisType::Time)
                    .min(ms(first) - margin)
                    .max(ms(last) + margin),
            )
            .y_axis(
                Axis::new()
                    .type_(AxisType::Category)
                    .inverse(true)
                    .data(labels),
            )
            .series(
                Bar::new()
                    .name("start")
                    .stack("span")
                    .item_style(ItemStyle::new().color("transparent"))
                    .data(offsets),
            )
            .series(
                Bar::new()
                    .name("Outcome")
                    .stack("span")
                    .bar_width("55%")
                    .data(spans)
                    .mark_line(crate::components::chart::draw::guide_lines(marks)),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: i64, title: &str, from: &str, to: &str, retired: Option<&str>) -> Outcome {
        Outcome {
            id,
            account_id: 1,
            title: title.into(),
            description: String::new(),
            success_measure: String::new(),
            baseline_value: None,
            target_value: None,
            unit: None,
            valid_from: from.parse().expect("date"),
            expires_on: to.parse().expect("date"),
            retired_on: retired.map(|d| d.parse().expect("date")),
            status: OutcomeStatus::OnTrack,
            revision: 1,
            updated_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn bars_run_oldest_first_and_end_at_retirement_when_earlier_than_expiry() {
        let bars = bars(&[
            outcome(2, "Later", "2026-06-01", "2027-06-01", Some("2026-09-30")),
            outcome(1, "Earlier", "2026-01-01", "2026-12-31", Some("2027-03-01")),
        ]);
        assert_eq!(bars[0].title, "Earlier");
        assert_eq!(
            bars[0].end,
            "2026-12-31".parse::<NaiveDate>().expect("date")
        );
        assert!(
            !bars[0].retired,
            "retired after it expired: it ran to its expiry"
        );
        assert_eq!(
            bars[1].end,
            "2026-09-30".parse::<NaiveDate>().expect("date")
        );
        assert!(bars[1].retired);
    }

    #[test]
    fn labels_are_short_and_unique() {
        let long = "A very long outcome title that goes on and on";
        let bars = bars(&[
            outcome(1, long, "2026-01-01", "2026-12-31", None),
            outcome(2, long, "2026-02-01", "2026-12-31", None),
        ]);
        assert!(bars[0].label.ends_with('…'));
        assert_eq!(bars[0].label.chars().count(), LABEL_MAX + 1);
        assert_ne!(bars[0].label, bars[1].label);
    }
}
