//! Grouped horizontal bars with 95% interval whiskers: one group per category, one bar per
//! series within the group.
//!
//! Owns: the canvas height (it grows with the number of bars), the value axis (it always
//! holds zero, and the zero line is drawn), category labels (wrapped, then shortened) and the
//! whiskers. Must never: compute the values or intervals it shows, or know what a category
//! or a series stands for.
//!
//! Bars run horizontally so that category labels, however many and however long, are read
//! without turning the page: they sit on the left, one group below the other.

use super::style::{
    AXIS_LABEL_SIZE, LegendEntry, Swatch, TEXT_COLOUR, TICK_SIZE, TITLE_BAND, draw_centred_note,
    draw_legend, draw_title, fit_text, format_number, legend_width, series_colour, text_size,
    text_style, tick_decimals,
};
use super::{ChartError, DrawResult, Picture, input_error, write_png_and_svg};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

/// One bar: its value and the bounds of its 95% interval. A non-finite value draws no bar;
/// `None` or a non-finite bound draws no whisker.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BarValue {
    pub value: f64,
    pub interval: Option<(f64, f64)>,
}

/// A labelled series: one value per category, in the order of the categories, all drawn in
/// the series' colour.
#[derive(Clone, Debug, PartialEq)]
pub struct BarSeries {
    pub label: String,
    pub values: Vec<BarValue>,
}

/// Canvas width in pixels; the height grows with the bars between these bounds.
const WIDTH: u32 = 1000;
const MIN_HEIGHT: u32 = 600;
const MAX_HEIGHT: u32 = 3000;
/// Preferred thickness of one bar and gap between two groups, in pixels (bars get thinner
/// once the canvas reaches [`MAX_HEIGHT`]).
const BAR_THICKNESS: u32 = 22;
const GROUP_GAP: u32 = 16;
/// Pixels below the title that are not bars: axis margins, ticks and the value label.
const AXIS_ROOM: u32 = 10 + 5 + 62;
const VALUE_TICKS: usize = 8;
const WHISKER_COLOUR: RGBColor = RGBColor(20, 20, 20);
const ZERO_LINE_COLOUR: RGBColor = RGBColor(60, 60, 60);
/// Category labels smaller than this (in pixels) are left out: too small to read.
const MIN_LABEL_SIZE: f64 = 8.0;
const MAX_LABEL_LINES: usize = 3;
const LEGEND_FOOTNOTE: &str = "whiskers: 95% interval";

/// Writes `<stem>.png` and `<stem>.svg`: for each of `categories` (top to bottom) a group of
/// horizontal bars, one per series (in the order of `series`, coloured as in the legend on
/// the right), each with a whisker across its 95% interval. The value axis, titled
/// `value_label`, always includes zero; negative values run left of the zero line.
///
/// Every series must have exactly one value per category. The canvas is 1000 pixels wide
/// and 600 to 3000 high, growing with the number of bars. A chart with no categories, no
/// series or no finite value is drawn with the note "no data".
pub fn bar_chart_with_intervals(
    stem: &Path,
    title: &str,
    categories: &[String],
    value_label: &str,
    series: &[BarSeries],
) -> Result<(), ChartError> {
    if let Some(short) = series.iter().find(|s| s.values.len() != categories.len()) {
        let reason = format!(
            "series {:?} has {} values for {} categories",
            short.label,
            short.values.len(),
            categories.len()
        );
        return Err(input_error(stem, reason));
    }
    let chart = BarChart {
        title,
        categories,
        value_label,
        series,
    };
    write_png_and_svg(stem, &chart)
}

struct BarChart<'a> {
    title: &'a str,
    categories: &'a [String],
    value_label: &'a str,
    series: &'a [BarSeries],
}

type Axes<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Width and height in pixels for `categories` groups of `series` bars.
fn canvas_size(categories: usize, series: usize) -> (u32, u32) {
    let group = series as u64 * BAR_THICKNESS as u64 + GROUP_GAP as u64;
    let bars = (categories as u64).saturating_mul(group);
    let wanted = (TITLE_BAND + AXIS_ROOM) as u64 + bars;
    let height = wanted.clamp(MIN_HEIGHT as u64, MAX_HEIGHT as u64) as u32;
    (WIDTH, height)
}

impl Picture for BarChart<'_> {
    fn size(&self) -> (u32, u32) {
        canvas_size(self.categories.len(), self.series.len())
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let body = draw_title(root, self.title)?;
        let entries: Vec<LegendEntry> = (self.series.iter().enumerate())
            .map(|(index, series)| LegendEntry {
                label: series.label.clone(),
                swatch: Swatch::Dot(series_colour(index)),
            })
            .collect();
        let any_whisker = (self.series.iter())
            .flat_map(|series| &series.values)
            .any(|bar| whisker(bar).is_some());
        let footnote = any_whisker.then_some(LEGEND_FOOTNOTE);
        let (width, _) = body.dim_in_pixel();
        let legend_columns = legend_width(&body, &entries, footnote, width * 3 / 10)?;
        let (plot_area, legend_area) = body.split_horizontally(width - legend_columns);
        draw_legend(&legend_area.margin(10, 0, 0, 0), &entries, footnote)?;
        let Some(range) = value_range(self.series) else {
            return draw_centred_note(&plot_area, "no data");
        };
        let groups = Groups {
            categories: self.categories.len(),
            series: self.series.len(),
        };
        let label_room = category_label_room(&plot_area, self.categories)?;
        let plot_height = plot_area.dim_in_pixel().1.saturating_sub(AXIS_ROOM);
        let (bottom, top) = groups.axis_range(plot_height);
        let mut axes = build_axes(
            &plot_area,
            range,
            (bottom, top),
            label_room,
            self.value_label,
        )?;
        draw_bars(&mut axes, &groups, self.series)?;
        let zero_line = PathElement::new(vec![(0.0, bottom), (0.0, top)], ZERO_LINE_COLOUR);
        axes.draw_series(std::iter::once(zero_line))?;
        draw_whiskers(&mut axes, &groups, self.series)?;
        draw_category_labels(root, &axes, &groups, self.categories, label_room)
    }
}

/// The finite bounds of a bar's interval, if it has them.
fn whisker(bar: &BarValue) -> Option<(f64, f64)> {
    bar.interval
        .filter(|(low, high)| low.is_finite() && high.is_finite())
}

/// The value axis: zero, every finite value and whisker end, padded by 5% of the span on
/// each side that is not zero. `None` if no bar has a finite value or whisker.
fn value_range(series: &[BarSeries]) -> Option<(f64, f64)> {
    let bars = || series.iter().flat_map(|series| &series.values);
    let values = bars().map(|bar| bar.value).filter(|v| v.is_finite());
    let ends = bars()
        .filter_map(whisker)
        .flat_map(|(low, high)| [low, high]);
    let mut drawn = values.chain(ends).peekable();
    drawn.peek()?;
    let (low, high) = drawn.fold((0.0_f64, 0.0_f64), |(low, high), v| {
        (low.min(v), high.max(v))
    });
    let span = high - low;
    if span == 0.0 {
        return Some((0.0, 1.0));
    }
    let pad = |end: f64| if end == 0.0 { 0.0 } else { span * 0.05 };
    Some((low - pad(low), high + pad(high)))
}

/// Where groups and bars sit on the category axis, in data units: category `i` of `n`
/// fills `[n - 1 - i, n - i]` (the first on top), its bars stacked inside with half a gap
/// above and below.
struct Groups {
    categories: usize,
    series: usize,
}

impl Groups {
    /// Share of a group's height left empty between groups.
    fn gap_share(&self) -> f64 {
        GROUP_GAP as f64 / (self.series as f64 * BAR_THICKNESS as f64 + GROUP_GAP as f64)
    }

    fn bar_thickness(&self) -> f64 {
        (1.0 - self.gap_share()) / self.series.max(1) as f64
    }

    /// Bottom and top of the bar of `series` in `category`.
    fn bar(&self, category: usize, series: usize) -> (f64, f64) {
        let group_top = (self.categories - category) as f64;
        let top = group_top - self.gap_share() / 2.0 - series as f64 * self.bar_thickness();
        (top - self.bar_thickness(), top)
    }

    fn centre(&self, category: usize) -> f64 {
        (self.categories - category) as f64 - 0.5
    }

    /// The category axis for a plot `plot_height` pixels high: `[0, categories]`, widened
    /// evenly above and below when groups would otherwise be more than twice their
    /// preferred height (one bar on a 600-pixel canvas is not a slab).
    fn axis_range(&self, plot_height: u32) -> (f64, f64) {
        let preferred = self.series as f64 * BAR_THICKNESS as f64 + GROUP_GAP as f64;
        let shown = (plot_height as f64 / (2.0 * preferred)).max(self.categories as f64);
        let spare = (shown - self.categories as f64) / 2.0;
        (-spare, self.categories as f64 + spare)
    }
}

/// Pixels left of the plot for category labels: the widest label, at most 30% of the area.
fn category_label_room<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    categories: &[String],
) -> DrawResult<DB, u32> {
    let style = text_style(TICK_SIZE, TEXT_COLOUR, HPos::Right, VPos::Center);
    let mut widest = 0;
    for category in categories {
        widest = widest.max(text_size(area, category, &style)?.0);
    }
    let cap = area.dim_in_pixel().0 * 3 / 10;
    Ok((widest + 24).clamp(40, cap.max(40)))
}

fn build_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    (low, high): (f64, f64),
    (bottom, top): (f64, f64),
    label_room: u32,
    value_label: &str,
) -> DrawResult<DB, Axes<'a, DB>> {
    let mut axes = ChartBuilder::on(area)
        .margin_top(10)
        .margin_right(25)
        .margin_left(10)
        .margin_bottom(5)
        .x_label_area_size(62)
        .y_label_area_size(label_room)
        .build_cartesian_2d(low..high, bottom..top)?;
    let decimals = tick_decimals((low, high), VALUE_TICKS);
    let ticks = |v: &f64| format_number(*v, decimals);
    axes.configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(VALUE_TICKS)
        .y_labels(0)
        .x_label_formatter(&ticks)
        .label_style(text_style(
            TICK_SIZE,
            TEXT_COLOUR,
            HPos::Center,
            VPos::Center,
        ))
        .axis_desc_style(text_style(
            AXIS_LABEL_SIZE,
            TEXT_COLOUR,
            HPos::Center,
            VPos::Center,
        ))
        .x_desc(value_label)
        .draw()?;
    Ok(axes)
}

fn draw_bars<DB: DrawingBackend>(
    axes: &mut Axes<'_, DB>,
    groups: &Groups,
    series: &[BarSeries],
) -> DrawResult<DB> {
    for (index, one) in series.iter().enumerate() {
        let colour = series_colour(index).filled();
        let bars = (one.values.iter().enumerate())
            .filter(|(_, bar)| bar.value.is_finite())
            .map(|(category, bar)| {
                let (bottom, top) = groups.bar(category, index);
                let (left, right) = (bar.value.min(0.0), bar.value.max(0.0));
                Rectangle::new([(left, top), (right, bottom)], colour)
            });
        axes.draw_series(bars)?;
    }
    Ok(())
}

fn draw_whiskers<DB: DrawingBackend>(
    axes: &mut Axes<'_, DB>,
    groups: &Groups,
    series: &[BarSeries],
) -> DrawResult<DB> {
    let cap = groups.bar_thickness() * 0.25;
    let style = WHISKER_COLOUR.stroke_width(2);
    for (index, one) in series.iter().enumerate() {
        for (category, bar) in one.values.iter().enumerate() {
            let Some((low, high)) = whisker(bar) else {
                continue;
            };
            let (bottom, top) = groups.bar(category, index);
            let y = (bottom + top) / 2.0;
            let lines = [
                vec![(low, y), (high, y)],
                vec![(low, y - cap), (low, y + cap)],
                vec![(high, y - cap), (high, y + cap)],
            ];
            axes.draw_series(lines.into_iter().map(|line| PathElement::new(line, style)))?;
        }
    }
    Ok(())
}

/// Category labels right-aligned left of the axis, wrapped at spaces onto as many lines as
/// the group's height allows, and shortened with an ellipsis past that.
fn draw_category_labels<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    axes: &Axes<'_, DB>,
    groups: &Groups,
    categories: &[String],
    label_room: u32,
) -> DrawResult<DB> {
    let group_pixels = (axes.backend_coord(&(0.0, 0.0)).1 - axes.backend_coord(&(0.0, 1.0)).1)
        .unsigned_abs() as f64;
    let size = TICK_SIZE.min(group_pixels * 0.8);
    if size < MIN_LABEL_SIZE {
        return Ok(());
    }
    let line_height = size * 1.2;
    let max_lines = ((group_pixels * 0.9 / line_height) as usize).clamp(1, MAX_LABEL_LINES);
    let style = text_style(size, TEXT_COLOUR, HPos::Right, VPos::Center);
    let room = label_room.saturating_sub(16);
    let (axis_x, _) = axes.backend_coord(&(axes.x_range().start, 0.0));
    for (category, label) in categories.iter().enumerate() {
        let lines = wrap_label(root, label, &style, room, max_lines)?;
        let (_, centre) = axes.backend_coord(&(0.0, groups.centre(category)));
        let first = centre as f64 - (lines.len() - 1) as f64 * line_height / 2.0;
        for (number, line) in lines.iter().enumerate() {
            let y = (first + number as f64 * line_height).round() as i32;
            root.draw_text(line, &style, (axis_x - 10, y))?;
        }
    }
    Ok(())
}

/// `text` broken at spaces into at most `max_lines` lines of at most `room` pixels; a word
/// too long for a line, or text left over after the last line, is cut with an ellipsis.
fn wrap_label<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    room: u32,
    max_lines: usize,
) -> DrawResult<DB, Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut words = text.split(' ').filter(|word| !word.is_empty()).peekable();
    while let Some(word) = words.next() {
        let mut line = word.to_string();
        while let Some(next) = words.peek() {
            let longer = format!("{line} {next}");
            if text_size(area, &longer, style)?.0 > room {
                break;
            }
            line = longer;
            words.next();
        }
        if lines.len() + 1 == max_lines && words.peek().is_some() {
            let rest: Vec<&str> = words.collect();
            line = format!("{line} {}", rest.join(" "));
            lines.push(fit_text(area, &line, style, room)?);
            return Ok(lines);
        }
        lines.push(fit_text(area, &line, style, room)?);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests;
