//! Tests of the bar chart: geometry, pixels where bars and whiskers must be, edge cases.

use super::super::test_support::assert_png_and_svg;
use super::super::with_extension_appended;
use super::*;

fn labels(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

fn bar(value: f64, interval: Option<(f64, f64)>) -> BarValue {
    BarValue { value, interval }
}

/// Pixels left of this x are in the plot: the legend takes at most the right 30%.
const PLOT_RIGHT: u32 = WIDTH * 7 / 10;
/// A series label too long for the legend's 30%, so that the legend starts at
/// [`PLOT_RIGHT`] and the plot reaches it.
const LONG_LABEL: &str = "a series label far too long for the legend column of the chart";

/// For each horizontal run of rows holding `colour` left of the legend: its first and
/// last row and the leftmost and rightmost column of the colour (top run first).
fn colour_runs(stem: &Path, colour: RGBColor) -> Vec<(u32, u32, u32, u32)> {
    let png = with_extension_appended(stem, "png");
    let image = image::open(&png).expect("PNG decodes").to_rgb8();
    let mut runs: Vec<(u32, u32, u32, u32)> = Vec::new();
    for y in 0..image.height() {
        let xs: Vec<u32> = (0..PLOT_RIGHT)
            .filter(|&x| image.get_pixel(x, y).0 == [colour.0, colour.1, colour.2])
            .collect();
        let (Some(&left), Some(&right)) = (xs.first(), xs.last()) else {
            continue;
        };
        match runs.last_mut() {
            Some(run) if run.1 + 1 == y => {
                *run = (run.0, y, run.2.min(left), run.3.max(right));
            }
            _ => runs.push((y, y, left, right)),
        }
    }
    runs
}

#[test]
fn writes_png_and_svg_with_categories_series_and_footnote() {
    let folder = tempfile::tempdir().expect("tempdir");
    let stem = folder.path().join("effects");
    let categories = labels(&["cooperation rate", "mean trust", "ties"]);
    let series = vec![
        BarSeries {
            label: "baseline".into(),
            values: vec![
                bar(0.3, Some((0.25, 0.35))),
                bar(0.4, None),
                bar(-0.2, Some((-0.3, -0.1))),
            ],
        },
        BarSeries {
            label: "transparency high".into(),
            values: vec![bar(0.5, Some((0.4, 0.6))), bar(0.45, None), bar(0.1, None)],
        },
    ];
    bar_chart_with_intervals(&stem, "Effects", &categories, "difference", &series).expect("chart");
    assert_png_and_svg(
        &stem,
        canvas_size(3, 2),
        &[
            "Effects",
            "cooperation rate",
            "mean trust",
            "baseline",
            "transparency high",
            "difference",
            LEGEND_FOOTNOTE,
        ],
    );
}

#[test]
fn negative_bars_run_left_of_the_zero_line_and_as_long() {
    let folder = tempfile::tempdir().expect("tempdir");
    let stem = folder.path().join("signs");
    let series = vec![BarSeries {
        label: LONG_LABEL.into(),
        values: vec![bar(1.0, None), bar(-1.0, None)],
    }];
    bar_chart_with_intervals(&stem, "Signs", &labels(&["up", "down"]), "v", &series)
        .expect("chart");
    let runs = colour_runs(&stem, series_colour(0));
    assert_eq!(runs.len(), 2, "{runs:?}");
    let (up, down) = (runs[0], runs[1]);
    // The zero line (1 pixel, drawn over the bars' base) separates the two bars.
    assert!(up.2 > down.3 && up.2 - down.3 <= 3, "{up:?} {down:?}");
    let (up_length, down_length) = (up.3 - up.2, down.3 - down.2);
    assert!(up_length.abs_diff(down_length) <= 2, "{up:?} {down:?}");
    assert!(up_length > 200, "bars span the plot: {up:?}");
}

#[test]
fn whiskers_are_drawn_only_for_finite_intervals() {
    let folder = tempfile::tempdir().expect("tempdir");
    let stem = folder.path().join("whiskers");
    let series = vec![BarSeries {
        label: LONG_LABEL.into(),
        values: vec![
            bar(0.5, Some((0.3, 0.8))),
            bar(0.5, None),
            bar(0.5, Some((f64::NAN, 0.8))),
        ],
    }];
    let categories = labels(&["with", "without", "nan"]);
    bar_chart_with_intervals(&stem, "W", &categories, "v", &series).expect("chart");
    let runs = colour_runs(&stem, series_colour(0));
    assert_eq!(runs.len(), 3, "{runs:?}");
    let image = image::open(with_extension_appended(&stem, "png"))
        .expect("PNG decodes")
        .to_rgb8();
    let whisker_pixels_beyond_bar = |(top, bottom, _, right): (u32, u32, u32, u32)| {
        let y = (top + bottom) / 2;
        (right + 3..PLOT_RIGHT)
            .filter(|&x| {
                let colour = WHISKER_COLOUR;
                image.get_pixel(x, y).0 == [colour.0, colour.1, colour.2]
            })
            .count()
    };
    // The whisker reaches 0.8 from a bar ending at 0.5: 60% of the bar's length beyond it.
    let bar_length = (runs[0].3 - runs[0].2) as usize;
    let beyond = whisker_pixels_beyond_bar(runs[0]);
    // Tolerance: 4 pixels for rounding both ends to pixels.
    let expected = bar_length * 6 / 10;
    assert!(
        beyond.abs_diff(expected) <= 4,
        "{beyond} beyond a bar of {bar_length}"
    );
    assert_eq!(whisker_pixels_beyond_bar(runs[1]), 0);
    assert_eq!(whisker_pixels_beyond_bar(runs[2]), 0);
}

#[test]
fn one_category_many_categories_and_no_data_draw() {
    let folder = tempfile::tempdir().expect("tempdir");
    let stem = folder.path().join("one");
    let one = vec![BarSeries {
        label: "only".into(),
        values: vec![bar(-3.0, Some((-4.0, -2.0)))],
    }];
    bar_chart_with_intervals(&stem, "One", &labels(&["alone"]), "v", &one).expect("one");
    assert_png_and_svg(&stem, canvas_size(1, 1), &["alone", "only"]);

    let categories: Vec<String> = (0..40)
        .map(|i| format!("learning rate of group {i} in the sweep"))
        .collect();
    let many: Vec<BarSeries> = (0..3)
        .map(|s| BarSeries {
            label: format!("series {s}"),
            values: (0..40).map(|c| bar((c * s) as f64 - 20.0, None)).collect(),
        })
        .collect();
    let stem = folder.path().join("many");
    bar_chart_with_intervals(&stem, "Many", &categories, "v", &many).expect("many");
    assert_eq!(canvas_size(40, 3), (WIDTH, 3000));
    assert_png_and_svg(&stem, canvas_size(40, 3), &["Many", "series 2"]);

    let nan = vec![BarSeries {
        label: "nan".into(),
        values: vec![bar(f64::NAN, None)],
    }];
    let cases: [(&str, &[String], &[BarSeries]); 3] = [
        ("nothing", &[], &[]),
        ("no_series", &categories, &[]),
        ("all_nan", &categories[..1], &nan),
    ];
    for (name, categories, series) in cases {
        let stem = folder.path().join(name);
        bar_chart_with_intervals(&stem, name, categories, "v", series).expect(name);
        let size = canvas_size(categories.len(), series.len());
        assert_png_and_svg(&stem, size, &[name, "no data"]);
    }
}

#[test]
fn a_series_without_one_value_per_category_is_an_error() {
    let folder = tempfile::tempdir().expect("tempdir");
    let stem = folder.path().join("bad");
    let series = vec![BarSeries {
        label: "short".into(),
        values: vec![bar(1.0, None)],
    }];
    let error =
        bar_chart_with_intervals(&stem, "t", &labels(&["a", "b"]), "v", &series).unwrap_err();
    assert!(matches!(error, ChartError::Input { .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.contains("\"short\" has 1 values for 2"),
        "{message}"
    );
    assert!(message.contains("bad"), "{message}");
}

#[test]
fn value_range_holds_zero_and_pads_only_away_from_it() {
    let series = |values: &[f64]| {
        vec![BarSeries {
            label: "s".into(),
            values: values.iter().map(|&v| bar(v, None)).collect(),
        }]
    };
    assert_eq!(value_range(&series(&[1.0, 2.0])), Some((0.0, 2.1)));
    assert_eq!(value_range(&series(&[-2.0, -1.0])), Some((-2.1, 0.0)));
    assert_eq!(value_range(&series(&[-1.0, 1.0])), Some((-1.1, 1.1)));
    assert_eq!(value_range(&series(&[0.0])), Some((0.0, 1.0)));
    assert_eq!(value_range(&series(&[f64::NAN])), None);
    let with_whisker = vec![BarSeries {
        label: "s".into(),
        values: vec![bar(1.0, Some((0.5, 3.0)))],
    }];
    assert_eq!(value_range(&with_whisker), Some((0.0, 3.15)));
}

#[test]
fn bars_of_a_group_are_stacked_inside_it_first_category_on_top() {
    let groups = Groups {
        categories: 2,
        series: 3,
    };
    let (bottom, top) = groups.bar(0, 0);
    assert!(top < 2.0 && bottom > 1.0, "first category on top");
    for series in 1..3 {
        assert!((groups.bar(0, series).1 - groups.bar(0, series - 1).0).abs() < 1e-12);
    }
    let gap = groups.gap_share();
    assert!(
        (groups.bar(1, 2).0 - gap / 2.0).abs() < 1e-12,
        "last bar above the gap"
    );
    assert_eq!(
        groups.axis_range(100),
        (0.0, 2.0),
        "a full canvas is not widened"
    );
    let one = Groups {
        categories: 1,
        series: 1,
    };
    // 380 pixels at 2 × 38 per group show 5 groups' room: 2 spare above and below.
    assert_eq!(one.axis_range(380), (-2.0, 3.0));
}
