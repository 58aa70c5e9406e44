//! Numeric x–y axes shared by the line-with-bands and scatter charts.
//!
//! Owns: the range of values an axis spans (with padding) and how the axes, grid and ticks
//! look. Must never: draw data.

use super::DrawResult;
use super::style::{
    AXIS_LABEL_SIZE, TEXT_COLOUR, TICK_SIZE, format_number, text_style, tick_decimals,
};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Most ticks on each axis.
const X_TICKS: usize = 8;
const Y_TICKS: usize = 7;

/// A chart's plotting context on two numeric axes.
pub(super) type Axes<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The smallest and largest of `values` (`None` if empty).
pub(super) fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |range, v| match range {
        None => Some((v, v)),
        Some((low, high)) => Some((low.min(v), high.max(v))),
    })
}

/// `(low, high)` widened by `share` of its span on each side; a single value gets ±10% of
/// itself (±1 around zero) so that it sits mid-axis.
pub(super) fn padded((low, high): (f64, f64), share: f64) -> (f64, f64) {
    let span = high - low;
    if span > 0.0 {
        (low - span * share, high + span * share)
    } else if low == 0.0 {
        (-1.0, 1.0)
    } else {
        (low - low.abs() * 0.1, high + high.abs() * 0.1)
    }
}

pub(super) fn build_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    (x_low, x_high): (f64, f64),
    (y_low, y_high): (f64, f64),
    x_label: &str,
    y_label: &str,
) -> DrawResult<DB, Axes<'a, DB>> {
    let mut axes = ChartBuilder::on(area)
        .margin_top(10)
        .margin_right(25)
        .margin_left(10)
        .margin_bottom(5)
        .x_label_area_size(62)
        .y_label_area_size(88)
        .build_cartesian_2d(x_low..x_high, y_low..y_high)?;
    let x_decimals = tick_decimals((x_low, x_high), X_TICKS);
    let y_decimals = tick_decimals((y_low, y_high), Y_TICKS);
    let x_ticks = |v: &f64| format_number(*v, x_decimals);
    let y_ticks = |v: &f64| format_number(*v, y_decimals);
    axes.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(225, 225, 225))
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(X_TICKS)
        .y_labels(Y_TICKS)
        .x_label_formatter(&x_ticks)
        .y_label_formatter(&y_ticks)
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
        .x_desc(x_label)
        .y_desc(y_label)
        .draw()?;
    Ok(axes)
}
