//! Scatter chart: points (x, y) per series, e.g. an outcome against one key varied by a
//! Latin-hypercube sweep.
//!
//! Owns: axis ranges, the skipping of non-finite points, and how points are marked.
//! Must never: compute, sort, fit or smooth the points it shows.

use super::axes::{build_axes, extent, padded};
use super::style::{
    LegendEntry, Swatch, draw_centred_note, draw_legend, draw_title, legend_width, series_colour,
};
use super::{ChartError, DrawResult, Picture, write_png_and_svg};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// A labelled set of points (x, y), drawn in one colour. Points with a non-finite
/// coordinate are skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterSeries {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// Canvas size: the same as the line charts, so they sit side by side in a report.
const SIZE: (u32, u32) = (1000, 600);
/// Dot radius in pixels; a white rim keeps overlapping dots apart.
const DOT_RADIUS: i32 = 4;

/// Writes `<stem>.png` and `<stem>.svg`: every point of every series as a dot in the
/// series' colour (later series drawn over earlier ones), with a legend on the right. Axes
/// fit the data with a 5% margin. A chart with no finite point is drawn with the note
/// "no data".
pub fn scatter_chart(
    stem: &Path,
    title: &str,
    x_label: &str,
    y_label: &str,
    series: &[ScatterSeries],
) -> Result<(), ChartError> {
    let chart = ScatterChart {
        title,
        x_label,
        y_label,
        series,
    };
    write_png_and_svg(stem, &chart)
}

struct ScatterChart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    series: &'a [ScatterSeries],
}

impl Picture for ScatterChart<'_> {
    fn size(&self) -> (u32, u32) {
        SIZE
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let body = draw_title(root, self.title)?;
        let entries: Vec<LegendEntry> = (self.series.iter().enumerate())
            .map(|(index, series)| LegendEntry {
                label: series.label.clone(),
                swatch: Swatch::Dot(series_colour(index)),
            })
            .collect();
        let (width, _) = body.dim_in_pixel();
        let legend_columns = legend_width(&body, &entries, None, width * 3 / 10)?;
        let (plot_area, legend_area) = body.split_horizontally(width - legend_columns);
        draw_legend(&legend_area.margin(10, 0, 0, 0), &entries, None)?;
        let Some((x_range, y_range)) = axis_ranges(self.series) else {
            build_axes(
                &plot_area,
                (0.0, 1.0),
                (0.0, 1.0),
                self.x_label,
                self.y_label,
            )?;
            return draw_centred_note(&plot_area, "no data");
        };
        let mut axes = build_axes(&plot_area, x_range, y_range, self.x_label, self.y_label)?;
        for (index, series) in self.series.iter().enumerate() {
            let colour = series_colour(index);
            let dots = finite_points(&series.points).flat_map(|point| {
                [
                    Circle::new(point, DOT_RADIUS, colour.filled()),
                    Circle::new(point, DOT_RADIUS, WHITE.stroke_width(1)),
                ]
            });
            axes.draw_series(dots)?;
        }
        Ok(())
    }
}

fn finite_points(points: &[(f64, f64)]) -> impl Iterator<Item = (f64, f64)> + '_ {
    (points.iter().copied()).filter(|(x, y)| x.is_finite() && y.is_finite())
}

/// The x and y extent of all finite points, each padded (see [`padded`]), or `None` if
/// there is no finite point.
fn axis_ranges(series: &[ScatterSeries]) -> Option<((f64, f64), (f64, f64))> {
    let points = || {
        series
            .iter()
            .flat_map(|series| finite_points(&series.points))
    };
    let x = extent(points().map(|(x, _)| x))?;
    let y = extent(points().map(|(_, y)| y))?;
    Some((padded(x, 0.05), padded(y, 0.05)))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::assert_png_and_svg;
    use super::super::with_extension_appended;
    use super::*;

    /// Mean column and row of the pixels of exactly `colour` in the plot (left of the
    /// legend, which takes at most the right 30%), and how many there are.
    fn colour_centre(stem: &Path, colour: RGBColor) -> (f64, f64, usize) {
        let png = with_extension_appended(stem, "png");
        let image = image::open(&png).expect("PNG decodes").to_rgb8();
        let (mut sum_x, mut sum_y, mut count) = (0.0, 0.0, 0);
        for (x, y, pixel) in image.enumerate_pixels() {
            if x < SIZE.0 * 7 / 10 && pixel.0 == [colour.0, colour.1, colour.2] {
                sum_x += x as f64;
                sum_y += y as f64;
                count += 1;
            }
        }
        (
            sum_x / count.max(1) as f64,
            sum_y / count.max(1) as f64,
            count,
        )
    }

    #[test]
    fn points_land_where_their_values_put_them() {
        let folder = tempfile::tempdir().expect("tempdir");
        let stem = folder.path().join("sweep");
        // The first series lies left of and below the second (plus a NaN that must be
        // skipped). Long labels make the legend take its full 30%, clear of the plot.
        let series = vec![
            ScatterSeries {
                label: "low left, with a label too long for the legend column".into(),
                points: vec![(0.0, 0.0), (1.0, 0.5), (0.5, 1.0), (f64::NAN, 9.0)],
            },
            ScatterSeries {
                label: "high right, with a label too long for the legend column".into(),
                points: vec![(9.0, 9.0), (10.0, 8.0), (9.5, 10.0)],
            },
        ];
        scatter_chart(&stem, "Sweep", "learning rate", "cooperation", &series).expect("chart");
        assert_png_and_svg(
            &stem,
            SIZE,
            &[
                "Sweep",
                "learning rate",
                "cooperation",
                "low left",
                "high right",
            ],
        );
        let (low_x, low_y, low_count) = colour_centre(&stem, series_colour(0));
        let (high_x, high_y, high_count) = colour_centre(&stem, series_colour(1));
        assert!(
            low_count > 20 && high_count > 20,
            "{low_count} {high_count}"
        );
        // The axes span 0 to 10 over some 500 by 400 pixels: the groups are far apart.
        assert!(high_x - low_x > 300.0, "{low_x} {high_x}");
        assert!(
            low_y - high_y > 250.0,
            "rows grow downwards: {low_y} {high_y}"
        );
    }

    #[test]
    fn empty_and_degenerate_series_draw() {
        let folder = tempfile::tempdir().expect("tempdir");
        let single = vec![ScatterSeries {
            label: "one".into(),
            points: vec![(3.0, 0.0)],
        }];
        let nan = vec![ScatterSeries {
            label: "nan".into(),
            points: vec![(f64::NAN, 1.0), (1.0, f64::INFINITY)],
        }];
        let cases: [(&str, &[ScatterSeries], &[&str]); 3] = [
            ("single", &single, &["single", "one"]),
            ("nan", &nan, &["no data"]),
            ("empty", &[], &["no data"]),
        ];
        for (name, series, texts) in cases {
            let stem = folder.path().join(name);
            scatter_chart(&stem, name, "x", "y", series).expect(name);
            assert_png_and_svg(&stem, SIZE, texts);
        }
    }

    #[test]
    fn ranges_pad_the_data() {
        let series = vec![ScatterSeries {
            label: "s".into(),
            points: vec![(0.0, 5.0), (10.0, 5.0), (f64::NAN, 100.0)],
        }];
        assert_eq!(axis_ranges(&series), Some(((-0.5, 10.5), (4.5, 5.5))));
        assert_eq!(axis_ranges(&[]), None);
    }
}
