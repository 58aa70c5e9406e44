//! Line chart of means over x, each with a translucent band between low and high.
//!
//! Owns: axis ranges, the skipping of non-finite values, and how bands and lines are drawn.
//! Must never: compute the statistics it shows (callers pass mean and bounds).

use super::axes::{Axes, build_axes, extent, padded};
use super::style::{
    LegendEntry, Swatch, draw_centred_note, draw_legend, draw_title, legend_width, series_colour,
};
use super::{ChartError, DrawResult, Picture, input_error, write_png_and_svg};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One x of a series: the mean and the bounds of its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandPoint {
    pub x: f64,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

/// A labelled series of points. Points need not be sorted; non-finite values are skipped
/// (a NaN mean breaks the line there, a NaN bound breaks the band).
#[derive(Clone, Debug, PartialEq)]
pub struct BandSeries {
    pub label: String,
    pub points: Vec<BandPoint>,
}

/// Canvas size: fits a 16:9 or 4:3 slide at full width.
const SIZE: (u32, u32) = (1000, 600);
const BAND_OPACITY: f64 = 0.2;
const LEGEND_FOOTNOTE: &str = "shaded: 95% interval";

/// Writes `<stem>.png` and `<stem>.svg`: one line per series (its mean) over a translucent
/// band from `low` to `high`, with a legend on the right.
///
/// `y_range` fixes the y axis (values outside it are drawn at its edge); `None` fits it to
/// the data with a margin. A series with a single point is drawn as a dot; an empty chart
/// (no series, or no finite values) is drawn with the note "no data".
pub fn line_chart_with_bands(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[BandSeries],
    y_range: Option<(f64, f64)>,
) -> Result<(), ChartError> {
    if let Some((low, high)) = y_range {
        if !(low.is_finite() && high.is_finite() && low < high) {
            let reason = format!("y range ({low}, {high}) must be finite with low < high");
            return Err(input_error(stem, reason));
        }
    }
    let chart = BandChart {
        title,
        x_label,
        y_label,
        series,
        y_range,
    };
    write_png_and_svg(stem, &chart)
}

struct BandChart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    series: &'a [BandSeries],
    y_range: Option<(f64, f64)>,
}

impl Picture for BandChart<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let body = draw_title(root, self.title)?;
        let entries: Vec<LegendEntry> = (self.series.iter().enumerate())
            .map(|(index, series)| LegendEntry {
                label: series.label.clone(),
                swatch: Swatch::LineOverBand(series_colour(index)),
            })
            .collect();
        let footnote = (!entries.is_empty()).then_some(LEGEND_FOOTNOTE);
        let (width, _) = body.dim_in_pixel();
        let legend_columns = legend_width(&body, &entries, footnote, width * 3 / 10)?;
        let (plot_area, legend_area) = body.split_horizontally(width - legend_columns);
        draw_legend(&legend_area.margin(10, 0, 0, 0), &entries, footnote)?;

        let cleaned: Vec<Vec<BandPoint>> = (self.series.iter())
            .map(|series| drawable_points(&series.points))
            .collect();
        let Some((x_range, y_range)) = axis_ranges(&cleaned, self.y_range) else {
            let y_range = self.y_range.unwrap_or((0.0, 1.0));
            build_axes(&plot_area, (0.0, 1.0), y_range, self.x_label, self.y_label)?;
            return draw_centred_note(&plot_area, "no data");
        };
        let mut axes = build_axes(&plot_area, x_range, y_range, self.x_label, self.y_label)?;
        for (index, points) in cleaned.iter().enumerate() {
            draw_bands(&mut axes, points, series_colour(index), y_range)?;
        }
        for (index, points) in cleaned.iter().enumerate() {
            draw_mean_lines(&mut axes, points, series_colour(index), y_range)?;
        }
        Ok(())
    }
}

/// Points with a finite x, sorted by x. Points whose values are NaN stay, to break the
/// line or band there.
fn drawable_points(points: &[BandPoint]) -> Vec<BandPoint> {
    let mut kept: Vec<BandPoint> = points.iter().filter(|p| p.x.is_finite()).copied().collect();
    kept.sort_by(|a, b| a.x.total_cmp(&b.x));
    kept
}

/// The x and y extent of all series (y fixed if `y_fixed`), or `None` if there is no data.
fn axis_ranges(
    series: &[Vec<BandPoint>],
    y_fixed: Option<(f64, f64)>,
) -> Option<((f64, f64), (f64, f64))> {
    let has_value = |p: &&BandPoint| [p.mean, p.low, p.high].iter().any(|v| v.is_finite());
    let points = || series.iter().flatten().filter(has_value);
    let x_extent = extent(points().map(|p| p.x))?;
    let y_values = points().flat_map(|p| [p.mean, p.low, p.high]);
    let y_range = match y_fixed {
        Some(range) => range,
        None => padded(extent(y_values.filter(|v| v.is_finite()))?, 0.05),
    };
    let x_range = if x_extent.0 == x_extent.1 {
        (x_extent.0 - 1.0, x_extent.1 + 1.0)
    } else {
        x_extent
    };
    Some((x_range, y_range))
}

/// Consecutive points that satisfy `keep`: a point that does not breaks the run.
fn runs(
    points: &[BandPoint],
    keep: impl Fn(&BandPoint) -> bool,
) -> impl Iterator<Item = &[BandPoint]> {
    points
        .split(move |p| !keep(p))
        .filter(|run| !run.is_empty())
}

fn draw_bands<DB: DrawingBackend>(
    axes: &mut Axes<'_, DB>,
    points: &[BandPoint],
    colour: RGBColor,
    (y_low, y_high): (f64, f64),
) -> DrawResult<DB> {
    let clamp = |v: f64| v.clamp(y_low, y_high);
    for run in runs(points, |p| p.low.is_finite() && p.high.is_finite()) {
        let upper = run.iter().map(|p| (p.x, clamp(p.high)));
        let lower = run.iter().rev().map(|p| (p.x, clamp(p.low)));
        let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
        if run.len() == 1 {
            let whisker = PathElement::new(outline, colour.mix(0.5).stroke_width(3));
            axes.draw_series(std::iter::once(whisker))?;
        } else {
            let band = Polygon::new(outline, colour.mix(BAND_OPACITY).filled());
            axes.draw_series(std::iter::once(band))?;
        }
    }
    Ok(())
}

fn draw_mean_lines<DB: DrawingBackend>(
    axes: &mut Axes<'_, DB>,
    points: &[BandPoint],
    colour: RGBColor,
    (y_low, y_high): (f64, f64),
) -> DrawResult<DB> {
    let at = |p: &BandPoint| (p.x, p.mean.clamp(y_low, y_high));
    for run in runs(points, |p| p.mean.is_finite()) {
        if run.len() == 1 {
            let dot = Circle::new(at(&run[0]), 5, colour.filled());
            axes.draw_series(std::iter::once(dot))?;
        } else {
            let line = LineSeries::new(run.iter().map(at), colour.stroke_width(3));
            axes.draw_series(line)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::assert_png_and_svg;
    use super::*;

    fn point(x: f64, mean: f64) -> BandPoint {
        BandPoint {
            x,
            mean,
            low: mean - 0.1,
            high: mean + 0.1,
        }
    }

    fn two_series() -> Vec<BandSeries> {
        let wave = |phase: f64| {
            (0..50)
                .map(|step| point(step as f64, 0.5 + 0.3 * (step as f64 / 8.0 + phase).sin()))
                .collect()
        };
        vec![
            BandSeries {
                label: "transparency high".into(),
                points: wave(0.0),
            },
            BandSeries {
                label: "transparency low".into(),
                points: wave(2.0),
            },
        ]
    }

    #[test]
    fn writes_png_and_svg_with_title_and_legend() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("bands");
        line_chart_with_bands(
            &stem,
            "Cooperation rate",
            "step",
            "rate",
            &two_series(),
            None,
        )
        .expect("chart");
        assert_png_and_svg(
            &stem,
            SIZE,
            &["Cooperation rate", "transparency high", "transparency low"],
        );
    }

    #[test]
    fn edge_cases_draw_without_error() {
        let folder = tempfile::tempdir().expect("tempdir");
        let single = vec![BandSeries {
            label: "one".into(),
            points: vec![point(3.0, 0.4)],
        }];
        let constant = vec![BandSeries {
            label: "flat".into(),
            points: (0..10)
                .map(|x| BandPoint {
                    x: x as f64,
                    mean: 2.0,
                    low: 2.0,
                    high: 2.0,
                })
                .collect(),
        }];
        let with_nan = vec![BandSeries {
            label: "gaps".into(),
            points: vec![
                point(0.0, 0.1),
                point(1.0, f64::NAN),
                point(2.0, 0.3),
                point(f64::NAN, 0.2),
            ],
        }];
        let all_nan = vec![BandSeries {
            label: "nothing".into(),
            points: vec![point(f64::NAN, f64::NAN)],
        }];
        let cases: [(&str, &[BandSeries]); 5] = [
            ("single", &single),
            ("constant", &constant),
            ("nan", &with_nan),
            ("all_nan", &all_nan),
            ("empty", &[]),
        ];
        for (name, series) in cases {
            let stem = folder.path().join(name);
            line_chart_with_bands(&stem, name, "x", "y", series, None).expect(name);
            assert_png_and_svg(&stem, SIZE, &[name]);
        }
        let stem = folder.path().join("fixed");
        line_chart_with_bands(&stem, "fixed", "x", "y", &with_nan, Some((0.0, 0.2)))
            .expect("fixed");
    }

    #[test]
    fn empty_chart_says_no_data_and_bad_range_is_an_error() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("empty");
        line_chart_with_bands(&stem, "Empty", "x", "y", &[], None).expect("chart");
        assert_png_and_svg(&stem, SIZE, &["no data"]);
        let error = line_chart_with_bands(&stem, "t", "x", "y", &[], Some((1.0, 1.0))).unwrap_err();
        assert!(matches!(error, ChartError::Input { .. }));
        assert!(error.to_string().contains("empty"), "{error}");
    }

    #[test]
    fn ranges_pad_data_and_widen_single_values() {
        let flat = vec![vec![BandPoint {
            x: 5.0,
            mean: 2.0,
            low: 2.0,
            high: 2.0,
        }]];
        assert_eq!(axis_ranges(&flat, None), Some(((4.0, 6.0), (1.8, 2.2))));
        let data = vec![vec![point(0.0, 0.5), point(10.0, 0.9)]];
        let ((x_low, x_high), (y_low, y_high)) = axis_ranges(&data, None).expect("data");
        assert_eq!((x_low, x_high), (0.0, 10.0));
        assert!((y_low - 0.37).abs() < 1e-12 && (y_high - 1.03).abs() < 1e-12);
        assert_eq!(axis_ranges(&[vec![]], None), None);
    }
}
