//! A labelled matrix of values on a sequential colour scale, with a colour bar.
//!
//! Owns: fitting cells and labels to the canvas, the viridis scale, and the contrast of the
//! printed values. Must never: decide what the rows and columns mean.

use super::style::{
    MUTED_TEXT_COLOUR, TEXT_COLOUR, TICK_SIZE, contrasting_text, draw_centred_note, draw_title,
    fit_text, format_number, reading_upwards, text_size, text_style,
};
use super::{ChartError, DrawResult, Picture, input_error, write_png_and_svg};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

/// Canvas size: a 12×12 role matrix gets cells of about 60×45 pixels.
const SIZE: (u32, u32) = (1000, 700);
const MARGIN: i32 = 20;
/// Room on the right for the colour bar, its ticks and its label.
const COLOUR_BAR_ROOM: i32 = 160;
const COLOUR_BAR_WIDTH: i32 = 24;
const MISSING_FILL: RGBColor = RGBColor(232, 232, 232);
const LABEL_SIZE: f64 = TICK_SIZE;
const MIN_LABEL_SIZE: f64 = 7.0;

/// Viridis at t = 0, 1/8, ..., 1 (perceptually uniform, colour-blind safe, prints in grey).
const VIRIDIS: [RGBColor; 9] = [
    RGBColor(68, 1, 84),
    RGBColor(71, 45, 123),
    RGBColor(59, 82, 139),
    RGBColor(44, 114, 142),
    RGBColor(33, 144, 140),
    RGBColor(39, 173, 129),
    RGBColor(93, 200, 99),
    RGBColor(170, 220, 50),
    RGBColor(253, 231, 37),
];

/// Writes `<stem>.png` and `<stem>.svg`: `values[row][col]` as coloured cells with the value
/// printed (2 decimals), rows labelled on the left and columns on top (turned to read
/// upwards when they are wider than a cell), and a colour bar titled `value_label`.
///
/// Colours span `value_range`; values outside it get the colour of the nearer end but their
/// own number. `None` (and NaN) cells are light grey with "–". An empty matrix is drawn
/// with the note "no data".
pub fn heatmap(
    stem: &Path,
    title: &str,
    row_labels: &[String],
    col_labels: &[String],
    values: &[Vec<Option<f64>>],
    value_range: (f64, f64),
    value_label: &str,
) -> Result<(), ChartError> {
    let (low, high) = value_range;
    if !(low.is_finite() && high.is_finite() && low < high) {
        let reason = format!("value range ({low}, {high}) must be finite with low < high");
        return Err(input_error(stem, reason));
    }
    if values.len() != row_labels.len() {
        let reason = format!(
            "{} rows of values for {} row labels",
            values.len(),
            row_labels.len()
        );
        return Err(input_error(stem, reason));
    }
    if let Some((index, row)) =
        (values.iter().enumerate()).find(|(_, row)| row.len() != col_labels.len())
    {
        let reason = format!(
            "row {index} has {} values for {} column labels",
            row.len(),
            col_labels.len()
        );
        return Err(input_error(stem, reason));
    }
    let chart = Heatmap {
        title,
        row_labels,
        col_labels,
        values,
        value_range,
        value_label,
    };
    write_png_and_svg(stem, &chart)
}

struct Heatmap<'a> {
    title: &'a str,
    row_labels: &'a [String],
    col_labels: &'a [String],
    values: &'a [Vec<Option<f64>>],
    value_range: (f64, f64),
    value_label: &'a str,
}

impl Picture for Heatmap<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let body = draw_title(root, self.title)?;
        if self.row_labels.is_empty() || self.col_labels.is_empty() {
            return draw_centred_note(&body, "no data");
        }
        let layout = MatrixLayout::fit(&body, self.row_labels, self.col_labels)?;
        draw_row_labels(&body, &layout, self.row_labels)?;
        draw_column_labels(&body, &layout, self.col_labels)?;
        draw_cells(&body, &layout, self.values, self.value_range)?;
        draw_colour_bar(&body, &layout, self.value_range, self.value_label)
    }
}

/// Where the matrix sits, in pixels of the area below the title.
struct MatrixLayout {
    left: f64,
    top: f64,
    cell_width: f64,
    cell_height: f64,
    rows: usize,
    cols: usize,
    row_label_room: u32,
    /// Column labels read upwards (they are wider than a cell).
    columns_turned: bool,
    column_label_room: u32,
    /// Label sizes, smaller than [`LABEL_SIZE`] when cells are too small for it.
    row_label_size: f64,
    column_label_size: f64,
}

impl MatrixLayout {
    fn fit<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        row_labels: &[String],
        col_labels: &[String],
    ) -> DrawResult<DB, MatrixLayout> {
        let (width, height) = area.dim_in_pixel();
        let (width, height) = (width as f64, height as f64);
        let style = text_style(LABEL_SIZE, TEXT_COLOUR, HPos::Left, VPos::Center);
        let widest_row = widest(area, row_labels, &style)?.0 as f64;
        let (widest_col, text_height) = widest(area, col_labels, &style)?;
        let row_label_room = widest_row.min(width * 0.22) + 12.0;
        let (rows, cols) = (row_labels.len(), col_labels.len());
        let matrix_room = width - 2.0 * MARGIN as f64 - row_label_room - COLOUR_BAR_ROOM as f64;
        let first_cell_width = matrix_room / cols as f64;
        let columns_turned = widest_col as f64 + 8.0 > first_cell_width;
        let column_label_room = if columns_turned {
            (widest_col as f64).min(height * 0.3) + 12.0
        } else {
            text_height as f64 + 12.0
        };
        let cell_height = (height - column_label_room - MARGIN as f64) / rows as f64;
        let cell_width = first_cell_width.min(cell_height * 2.5);
        let cell_height = cell_height.min(cell_width * 1.5);
        // Centre the block (row labels, matrix, colour bar) when cells were capped.
        let spare = matrix_room - cell_width * cols as f64;
        let column_label_size = if columns_turned {
            label_size_for(cell_width)
        } else {
            LABEL_SIZE
        };
        Ok(MatrixLayout {
            left: MARGIN as f64 + row_label_room + spare / 2.0,
            top: column_label_room,
            cell_width,
            cell_height,
            rows,
            cols,
            row_label_room: row_label_room as u32,
            columns_turned,
            column_label_room: column_label_room as u32,
            row_label_size: label_size_for(cell_height),
            column_label_size,
        })
    }

    /// Corners of cell (row, col), inset by one pixel so that cells are separated.
    fn cell(&self, row: usize, col: usize) -> ((i32, i32), (i32, i32)) {
        let x = self.left + col as f64 * self.cell_width;
        let y = self.top + row as f64 * self.cell_height;
        let corner = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
        let (x0, y0) = corner(x, y);
        let (x1, y1) = corner(x + self.cell_width, y + self.cell_height);
        ((x0 + 1, y0 + 1), (x1 - 1, y1 - 1))
    }

    fn centre(&self, row: usize, col: usize) -> (i32, i32) {
        let x = self.left + (col as f64 + 0.5) * self.cell_width;
        let y = self.top + (row as f64 + 0.5) * self.cell_height;
        (x.round() as i32, y.round() as i32)
    }

    fn right(&self) -> i32 {
        (self.left + self.cols as f64 * self.cell_width).round() as i32
    }

    fn bottom(&self) -> i32 {
        (self.top + self.rows as f64 * self.cell_height).round() as i32
    }
}

/// The label size that lets labels `cell` pixels apart not touch: [`LABEL_SIZE`] at most,
/// 0 (no labels) when it would be too small to read.
fn label_size_for(cell: f64) -> f64 {
    let size = (cell * 0.8).min(LABEL_SIZE);
    if size < MIN_LABEL_SIZE { 0.0 } else { size }
}

/// The widest of `labels` and the text height, in pixels.
fn widest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &[String],
    style: &TextStyle,
) -> DrawResult<DB, (u32, u32)> {
    let mut size = (0, 0);
    for label in labels {
        let (width, height) = text_size(area, label, style)?;
        size = (size.0.max(width), size.1.max(height));
    }
    Ok(size)
}

fn draw_row_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MatrixLayout,
    labels: &[String],
) -> DrawResult<DB> {
    if layout.row_label_size == 0.0 {
        return Ok(());
    }
    let style = text_style(
        layout.row_label_size,
        TEXT_COLOUR,
        HPos::Right,
        VPos::Center,
    );
    let x = layout.left.round() as i32 - 8;
    for (row, label) in labels.iter().enumerate() {
        let label = fit_text(area, label, &style, layout.row_label_room - 12)?;
        area.draw_text(&label, &style, (x, layout.centre(row, 0).1))?;
    }
    Ok(())
}

fn draw_column_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MatrixLayout,
    labels: &[String],
) -> DrawResult<DB> {
    if layout.column_label_size == 0.0 {
        return Ok(());
    }
    let y = layout.top.round() as i32 - 7;
    let (style, room) = if layout.columns_turned {
        let style = text_style(
            layout.column_label_size,
            TEXT_COLOUR,
            HPos::Left,
            VPos::Center,
        );
        (reading_upwards(&style), layout.column_label_room - 12)
    } else {
        let style = text_style(
            layout.column_label_size,
            TEXT_COLOUR,
            HPos::Center,
            VPos::Bottom,
        );
        (style, (layout.cell_width as u32).saturating_sub(4))
    };
    for (col, label) in labels.iter().enumerate() {
        let label = fit_text(area, label, &style, room)?;
        area.draw_text(&label, &style, (layout.centre(0, col).0, y))?;
    }
    Ok(())
}

fn draw_cells<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MatrixLayout,
    values: &[Vec<Option<f64>>],
    range: (f64, f64),
) -> DrawResult<DB> {
    let value_size = (layout.cell_height * 0.45)
        .min(layout.cell_width / 3.0)
        .min(17.0);
    let print_values = value_size >= 9.0;
    for (row, row_values) in values.iter().enumerate() {
        for (col, value) in row_values.iter().enumerate() {
            let value = value.filter(|v| !v.is_nan());
            let fill = value.map_or(MISSING_FILL, |v| sequential_colour(v, range));
            area.draw(&Rectangle::new(
                [layout.cell(row, col).0, layout.cell(row, col).1],
                fill.filled(),
            ))?;
            if print_values {
                let (text, colour) = match value {
                    Some(v) => (format_number(v, 2), contrasting_text(fill)),
                    None => ("–".to_string(), MUTED_TEXT_COLOUR),
                };
                let style = text_style(value_size, colour, HPos::Center, VPos::Center);
                area.draw_text(&text, &style, layout.centre(row, col))?;
            }
        }
    }
    Ok(())
}

fn draw_colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    layout: &MatrixLayout,
    (low, high): (f64, f64),
    value_label: &str,
) -> DrawResult<DB> {
    let (x0, x1) = (layout.right() + 28, layout.right() + 28 + COLOUR_BAR_WIDTH);
    let (top, bottom) = (layout.top.round() as i32, layout.bottom());
    let strips = (bottom - top).max(1);
    for strip in 0..strips {
        let share = 1.0 - (strip as f64 + 0.5) / strips as f64; // high values on top
        let colour = sequential_colour(low + share * (high - low), (low, high));
        let y = top + strip;
        area.draw(&Rectangle::new([(x0, y), (x1, y + 1)], colour.filled()))?;
    }
    let frame = RGBColor(150, 150, 150);
    area.draw(&Rectangle::new(
        [(x0, top), (x1, bottom)],
        frame.stroke_width(1),
    ))?;
    let tick_style = text_style(LABEL_SIZE, TEXT_COLOUR, HPos::Left, VPos::Center);
    let mut widest_tick = 0;
    for tick in 0..=4 {
        let share = tick as f64 / 4.0;
        let y = bottom - (share * (bottom - top) as f64).round() as i32;
        area.draw(&PathElement::new(
            vec![(x1, y), (x1 + 5, y)],
            frame.stroke_width(1),
        ))?;
        let text = format_number(low + share * (high - low), 2);
        widest_tick = widest_tick.max(text_size(area, &text, &tick_style)?.0 as i32);
        area.draw_text(&text, &tick_style, (x1 + 8, y))?;
    }
    let label_style = reading_upwards(&text_style(
        LABEL_SIZE,
        TEXT_COLOUR,
        HPos::Center,
        VPos::Center,
    ));
    let label = fit_text(area, value_label, &label_style, (bottom - top) as u32)?;
    area.draw_text(
        &label,
        &label_style,
        (x1 + 8 + widest_tick + 18, (top + bottom) / 2),
    )
}

/// The viridis colour of `value` on `(low, high)`, clamped to the ends.
fn sequential_colour(value: f64, (low, high): (f64, f64)) -> RGBColor {
    let t = ((value - low) / (high - low)).clamp(0.0, 1.0);
    let position = t * (VIRIDIS.len() - 1) as f64;
    let index = (position.floor() as usize).min(VIRIDIS.len() - 2);
    let share = position - index as f64;
    let (from, to) = (VIRIDIS[index], VIRIDIS[index + 1]);
    let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * share).round() as u8;
    RGBColor(mix(from.0, to.0), mix(from.1, to.1), mix(from.2, to.2))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::assert_png_and_svg;
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn writes_png_and_svg_with_labels_values_and_gaps() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("trust");
        let rows = labels(&["teacher", "parent", "other_school"]);
        let cols = labels(&["teacher", "parent", "other_school"]);
        let values = vec![
            vec![Some(0.9), Some(0.456), None],
            vec![Some(0.1), Some(f64::NAN), Some(1.5)],
            vec![Some(-0.2), Some(0.5), Some(0.0)],
        ];
        heatmap(
            &stem,
            "Trust by role",
            &rows,
            &cols,
            &values,
            (0.0, 1.0),
            "mean trust",
        )
        .expect("chart");
        assert_png_and_svg(
            &stem,
            SIZE,
            &["Trust by role", "other_school", "0.46", "–", "mean trust"],
        );
    }

    #[test]
    fn mismatched_shapes_and_bad_ranges_are_errors() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("bad");
        let two = labels(&["a", "b"]);
        let short = vec![vec![Some(1.0)], vec![Some(1.0)]];
        let error = heatmap(&stem, "t", &two, &two, &short, (0.0, 1.0), "v").unwrap_err();
        assert!(error.to_string().contains("row 0 has 1 values"), "{error}");
        let error = heatmap(&stem, "t", &two, &two, &short[..1], (0.0, 1.0), "v").unwrap_err();
        assert!(matches!(error, ChartError::Input { .. }));
        let square = vec![vec![Some(1.0); 2]; 2];
        assert!(heatmap(&stem, "t", &two, &two, &square, (1.0, 0.0), "v").is_err());
    }

    #[test]
    fn empty_and_large_matrices_draw() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("empty");
        heatmap(&stem, "Empty", &[], &[], &[], (0.0, 1.0), "v").expect("empty");
        assert_png_and_svg(&stem, SIZE, &["no data"]);
        let names: Vec<String> = (0..40)
            .map(|i| format!("a rather long label {i}"))
            .collect();
        let values: Vec<Vec<Option<f64>>> = (0..40)
            .map(|r| (0..40).map(|c| Some((r * c) as f64 / 1600.0)).collect())
            .collect();
        let stem = folder.path().join("large");
        heatmap(&stem, "Large", &names, &names, &values, (0.0, 1.0), "v").expect("large");
        assert_png_and_svg(&stem, SIZE, &["Large"]);
    }

    #[test]
    fn scale_runs_dark_to_bright_and_clamps() {
        assert_eq!(sequential_colour(0.0, (0.0, 1.0)), VIRIDIS[0]);
        assert_eq!(sequential_colour(1.0, (0.0, 1.0)), VIRIDIS[8]);
        assert_eq!(sequential_colour(7.0, (0.0, 1.0)), VIRIDIS[8]);
        assert_eq!(sequential_colour(0.5, (0.0, 1.0)), VIRIDIS[4]);
    }
}
