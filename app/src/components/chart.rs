//! Charts: a plain description of what to draw ([`ChartSpec`]), drawn by ECharts in the browser
//! (through charming), always over a table of the same data. The server renders the table, which
//! is what no-JS and screen-reader users get; once the chart is drawn the table folds away behind
//! its summary, one click from view.

use chrono::NaiveDate;
use leptos::prelude::*;

/// A line of a trend chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Legend name.
    pub name: String,
    /// One value per day, in percent (none: no value that day).
    pub values: Vec<Option<f64>>,
    /// CSS colour.
    pub colour: &'static str,
    /// Dashed (a target) rather than solid (an actual).
    pub dashed: bool,
}

/// One series of a bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    /// Legend name.
    pub name: String,
    /// One value per category, in percent.
    pub values: Vec<f64>,
    /// CSS colour.
    pub colour: &'static str,
}

/// A point of a quadrant chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// What the tooltip says (plain text: ECharts escapes it).
    pub label: String,
    /// Across, in percent.
    pub x: f64,
    /// Up, in percent.
    pub y: f64,
}

/// A slice of a whole.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    /// Its name.
    pub name: String,
    /// How many.
    pub value: u64,
    /// CSS colour.
    pub colour: &'static str,
}

/// What a chart shows.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartSpec {
    /// Lines over days (percent).
    Trend {
        /// The days, ascending.
        days: Vec<NaiveDate>,
        /// The lines.
        lines: Vec<Line>,
    },
    /// Bars per category (percent).
    Bars {
        /// The categories, in order.
        categories: Vec<String>,
        /// One series per figure.
        series: Vec<Bars>,
    },
    /// Points split into quadrants by a line across and a line up.
    Quadrants {
        /// The points.
        points: Vec<Point>,
        /// What runs across.
        x_name: String,
        /// What runs up.
        y_name: String,
        /// Where the vertical line is (percent).
        x_mark: f64,
        /// Where the horizontal line is (percent).
        y_mark: f64,
    },
    /// Shares of a whole (a ring).
    Shares {
        /// The slices.
        slices: Vec<Slice>,
    },
}

/// A figure: the chart, its caption, and the same data as a table (`children`) behind a summary.
#[component]
pub fn ChartFigure(
    /// The chart element's id (unique on the page).
    id: &'static str,
    /// What the chart shows, for screen readers.
    label: String,
    /// Height in pixels.
    height: u32,
    /// What to draw.
    spec: ChartSpec,
    /// The caption under the chart.
    caption: String,
    /// The summary line of the table.
    summary: &'static str,
    /// A link to the table as CSV, if it has one.
    #[prop(optional)]
    csv: Option<String>,
    /// The table.
    children: Children,
) -> impl IntoView {
    let chart_ref = NodeRef::<leptos::html::Div>::new();
    let table_ref = NodeRef::<leptos::html::Details>::new();
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let (Some(chart), Some(table)) = (chart_ref.get(), table_ref.get()) else {
            return;
        };
        let spec = spec.clone();
        draw::when_in_document(chart.clone().into(), 60, move || {
            let _ = chart.remove_attribute("hidden");
            // Through the CSSOM: the content security policy refuses inline style attributes.
            let style = leptos::web_sys::HtmlElement::style(&chart);
            let _ = style.set_property("height", &format!("{height}px"));
            match charming::WasmRenderer::new_opt(None, Some(height))
                .render(id, &draw::chart(&spec))
            {
                Ok(_) => table.set_open(false),
                Err(error) => {
                    let _ = chart.set_attribute("hidden", "");
                    leptos::logging::warn!("the chart {id} could not be drawn: {error:?}");
                }
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (&spec, height);
    view! {
        <figure class="chart-figure">
            <div id=id class="chart" node_ref=chart_ref hidden=true role="img" aria-label=label></div>
            <figcaption>
                {caption}
                {csv.map(|href| view! { " " <a href=href download="">"Download CSV"</a> })}
            </figcaption>
            <details class="chart-data" open=true node_ref=table_ref>
                <summary>{summary}</summary>
                {children()}
            </details>
        </figure>
    }
}

/// Building the ECharts options (browser only: charming's renderer is WASM).
#[cfg(feature = "hydrate")]
pub mod draw {
    use super::ChartSpec;
    use crate::components::format;
    use charming::{
        component::{Axis, DataZoom, DataZoomType, Grid, Legend},
        datatype::DataPointItem,
        element::{
            AxisLabel, AxisType, ItemStyle, Label, LineStyle, LineStyleType, MarkLine,
            MarkLineData, MarkLineVariant, NameLocation, Symbol, Tooltip, Trigger,
        },
        series::{Bar, Line, Pie, Scatter},
        Chart,
    };

    /// Runs `then` once `element` is in the document, checking once per frame at most `frames`
    /// times (after a client-side navigation the figure may not be attached yet, and ECharts finds
    /// its element by id).
    pub fn when_in_document(
        element: leptos::web_sys::Element,
        frames: u32,
        then: impl FnOnce() + 'static,
    ) {
        if element.is_connected() {
            then();
        } else if frames > 0 {
            leptos::prelude::request_animation_frame(move || {
                when_in_document(element, frames - 1, then)
            });
        }
    }

    /// Dashed, silent guide lines at `marks` (today, reviews, everyone's figures).
    pub fn guide_lines(marks: Vec<MarkLineVariant>) -> MarkLine {
        MarkLine::new()
            .symbol(vec![Symbol::None, Symbol::None])
            .silent(true)
            .line_style(
                LineStyle::new()
                    .color("#5b6578")
                    .type_(LineStyleType::Dashed),
            )
            .data(marks)
    }

    /// Categories shown at once before a bar chart scrolls.
    const BARS_IN_VIEW: usize = 20;

    fn percent_axis() -> Axis {
        Axis::new()
            .type_(AxisType::Value)
            .min(0)
            .max(100)
            .axis_label(AxisLabel::new().formatter("{value} %"))
    }

    /// The ECharts options for `spec`.
    pub fn chart(spec: &ChartSpec) -> Chart {
        let grid = Grid::new()
            .left(12)
            .right(24)
            .top(40)
            .bottom(28)
            .contain_label(true);
        match spec {
            ChartSpec::Trend { days, lines } => {
                let mut chart = Chart::new()
                    .tooltip(Tooltip::new().trigger(Trigger::Axis))
                    .legend(Legend::new().top(0))
                    .grid(grid)
                    .x_axis(
                        Axis::new()
                            .type_(AxisType::Category)
                            .data(days.iter().map(|d| format::date(*d)).collect()),
                    )
                    .y_axis(percent_axis());
                for line in lines {
                    let style = LineStyle::new().color(line.colour).type_(if line.dashed {
                        LineStyleType::Dashed
                    } else {
                        LineStyleType::Solid
                    });
                    chart = chart.series(
                        Line::new()
                            .name(line.name.as_str())
                            .item_style(ItemStyle::new().color(line.colour))
                            .line_style(style)
                            .show_symbol(false)
                            .data(line.values.iter().map(|v| v.map(round)).collect()),
                    );
                }
                chart
            }
            ChartSpec::Bars { categories, series } => {
                let mut chart = Chart::new()
                    .tooltip(Tooltip::new().trigger(Trigger::Axis))
                    .legend(Legend::new().top(0))
                    .grid(grid.bottom(if categories.len() > BARS_IN_VIEW {
                        56
                    } else {
                        28
                    }))
                    .x_axis(
                        Axis::new()
                            .type_(AxisType::Category)
                            .axis_label(AxisLabel::new().rotate(30).interval(0))
                            .data(categories.clone()),
                    )
                    .y_axis(percent_axis());
                if categories.len() > BARS_IN_VIEW {
                    chart = chart
                        .data_zoom(
                            DataZoom::new()
                                .type_(DataZoomType::Slider)
                                .start_value(0)
                                .end_value((BARS_IN_VIEW - 1) as f64),
                        )
                        .data_zoom(DataZoom::new().type_(DataZoomType::Inside));
                }
                for bars in series {
                    chart = chart.series(
                        Bar::new()
                            .name(bars.name.as_str())
                            .item_style(ItemStyle::new().color(bars.colour))
                            .data(bars.values.iter().map(|v| round(*v)).collect()),
                    );
                }
                chart
            }
            ChartSpec::Quadrants {
                points,
                x_name,
                y_name,
                x_mark,
                y_mark,
            } => {
                let marks =
                    vec![
                        MarkLineVariant::Simple(MarkLineData::new().x_axis(round(*x_mark)).label(
                            Label::new().formatter(format!("{} %", round(*x_mark)).as_str()),
                        )),
                        MarkLineVariant::Simple(MarkLineData::new().y_axis(round(*y_mark)).label(
                            Label::new().formatter(format!("{} %", round(*y_mark)).as_str()),
                        )),
                    ];
                // Not from 0: the points gather where the figures are, and the axes follow them.
                let axis = |name: &str| {
                    Axis::new()
                        .type_(AxisType::Value)
                        .scale(true)
                        .axis_label(AxisLabel::new().formatter("{value} %"))
                        .name(name)
                        .name_location(NameLocation::Middle)
                        .name_gap(28)
                };
                Chart::new()
                    .tooltip(Tooltip::new().trigger(Trigger::Item).formatter("{b}"))
                    .grid(grid.bottom(44).left(36).right(56))
                    .x_axis(axis(x_name))
                    .y_axis(axis(y_name).name_gap(40))
                    .series(
                        Scatter::new()
                            .symbol_size(12)
                            .item_style(ItemStyle::new().color("#2457c5").opacity(0.75))
                            .data(
                                points
                                    .iter()
                                    .map(|p| {
                                        DataPointItem::new(vec![round(p.x), round(p.y)])
                                            .name(p.label.as_str())
                                    })
                                    .collect(),
                            )
                            .mark_line(guide_lines(marks)),
                    )
            }
            ChartSpec::Shares { slices } => Chart::new()
                .tooltip(
                    Tooltip::new()
                        .trigger(Trigger::Item)
                        .formatter("{b}: {c} ({d} %)"),
                )
                .legend(Legend::new().top(0))
                .series(
                    Pie::new()
                        .radius(vec!["40%", "70%"])
                        .center(vec!["50%", "55%"])
                        .label(Label::new().formatter("{b}: {c}"))
                        .data(
                            slices
                                .iter()
                                .map(|s| {
                                    DataPointItem::new(s.value as f64)
                                        .name(s.name.as_str())
                                        .item_style(ItemStyle::new().color(s.colour))
                                })
                                .collect(),
                        ),
                ),
        }
    }

    /// A percentage with one decimal, as the tables show it.
    fn round(value: f64) -> f64 {
        (value * 10.0).round() / 10.0
    }
}
