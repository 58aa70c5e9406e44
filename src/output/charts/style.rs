//! The shared look of every chart: embedded font, palette, text sizes, titles and legends.
//!
//! Owns: colours, font sizes and the helpers that measure and place text, so that all
//! charts read alike. Must never: know what a chart shows.

use super::DrawResult;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform};

/// DejaVu Sans (licence in `assets/fonts/DejaVuSans-LICENSE.txt`), compiled into the binary.
pub(super) const FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));

/// Series and group colours: the eight Okabe–Ito colours (black as dark grey so it stays
/// distinct from text and edges), strongest first, then four of Paul Tol's "muted" colours
/// for the 9th to 12th group. Okabe–Ito stays distinguishable under the common forms of
/// colour blindness; beyond eight colours no palette does, so charts with more than eight
/// groups should not rely on colour alone.
pub const PALETTE: [RGBColor; 12] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(77, 77, 77),    // dark grey (Okabe–Ito black)
    RGBColor(240, 228, 66),  // yellow
    RGBColor(136, 34, 85),   // Tol wine
    RGBColor(68, 170, 153),  // Tol teal
    RGBColor(153, 153, 51),  // Tol olive
    RGBColor(51, 34, 136),   // Tol indigo
];

/// The colour of series or group `index` (the palette repeats after twelve).
pub fn series_colour(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// Marked edges of a network picture (e.g. conflict ties): red, and dashed.
pub const MARKED_EDGE_COLOUR: RGBColor = RGBColor(220, 20, 40);

pub(super) const TEXT_COLOUR: RGBColor = RGBColor(30, 30, 30);
pub(super) const MUTED_TEXT_COLOUR: RGBColor = RGBColor(90, 90, 90);
pub(super) const TITLE_SIZE: f64 = 28.0;
pub(super) const AXIS_LABEL_SIZE: f64 = 21.0;
pub(super) const TICK_SIZE: f64 = 17.0;
pub(super) const LEGEND_SIZE: f64 = 18.0;
pub(super) const NOTE_SIZE: f64 = 16.0;
/// Height of the band the title takes at the top of every chart.
pub(super) const TITLE_BAND: u32 = 52;

/// A text style in the embedded font.
pub(super) fn text_style(size: f64, colour: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal),
        color: colour.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// The same style with the text turned 270° (reading upwards).
pub(super) fn reading_upwards(style: &TextStyle<'static>) -> TextStyle<'static> {
    style.transform(FontTransform::Rotate270)
}

/// Width and height of `text` in pixels, unrotated.
pub(super) fn text_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
) -> DrawResult<DB, (u32, u32)> {
    area.estimate_text_size(text, style)
}

/// `text`, shortened with an ellipsis if needed so that it is at most `max_width` wide.
pub(super) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: u32,
) -> DrawResult<DB, String> {
    if text_size(area, text, style)?.0 <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut low, mut high) = (0usize, chars.len());
    // Binary search for the longest prefix that fits with the ellipsis.
    while low < high {
        let middle = (low + high).div_ceil(2);
        let candidate: String = chars[..middle].iter().chain(['…'].iter()).collect();
        if text_size(area, &candidate, style)?.0 <= max_width {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    Ok(chars[..low].iter().chain(['…'].iter()).collect())
}

/// Fills the canvas white, writes `title` centred at the top and returns the area below it.
pub(super) fn draw_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> DrawResult<DB, DrawingArea<DB, Shift>> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let style = text_style(TITLE_SIZE, TEXT_COLOUR, HPos::Center, VPos::Center);
    let title = fit_text(root, title, &style, width.saturating_sub(40))?;
    root.draw_text(
        &title,
        &style,
        (width as i32 / 2, TITLE_BAND as i32 / 2 + 2),
    )?;
    let (_, body) = root.split_vertically(TITLE_BAND);
    Ok(body)
}

/// Writes a grey note (e.g. "no data") in the middle of `area`.
pub(super) fn draw_centred_note<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    note: &str,
) -> DrawResult<DB> {
    let (width, height) = area.dim_in_pixel();
    let style = text_style(
        AXIS_LABEL_SIZE,
        MUTED_TEXT_COLOUR,
        HPos::Center,
        VPos::Center,
    );
    area.draw_text(note, &style, (width as i32 / 2, height as i32 / 2))
}

/// How a legend entry is marked.
#[derive(Clone, Copy, Debug)]
pub(super) enum Swatch {
    /// A line of the colour over a translucent band of it.
    LineOverBand(RGBColor),
    /// A filled dot.
    Dot(RGBColor),
}

/// One row of a legend.
pub(super) struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
}

const LEGEND_ROW: i32 = 28;
const LEGEND_SWATCH: i32 = 30;
const LEGEND_GAP: i32 = 10;
const LEGEND_PADDING: i32 = 12;

/// How wide a legend column must be for `entries` (and an optional footnote), capped at
/// `max_width`; 0 when there is nothing to show.
pub(super) fn legend_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    footnote: Option<&str>,
    max_width: u32,
) -> DrawResult<DB, u32> {
    if entries.is_empty() {
        return Ok(0);
    }
    let label_style = text_style(LEGEND_SIZE, TEXT_COLOUR, HPos::Left, VPos::Center);
    let note_style = text_style(NOTE_SIZE, MUTED_TEXT_COLOUR, HPos::Left, VPos::Center);
    let mut widest = 0;
    for entry in entries {
        widest = widest.max(text_size(area, &entry.label, &label_style)?.0);
    }
    if let Some(note) = footnote {
        let note_width = text_size(area, note, &note_style)?.0;
        widest = widest.max(note_width.saturating_sub((LEGEND_SWATCH + LEGEND_GAP) as u32));
    }
    let width = widest + (LEGEND_SWATCH + LEGEND_GAP + 2 * LEGEND_PADDING) as u32;
    Ok(width.min(max_width))
}

/// Draws a legend column at the top of `area`: one row per entry, labels shortened to fit,
/// and a "+ n more" row if the entries do not all fit; then the footnote in grey.
pub(super) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    footnote: Option<&str>,
) -> DrawResult<DB> {
    let (width, height) = area.dim_in_pixel();
    let label_style = text_style(LEGEND_SIZE, TEXT_COLOUR, HPos::Left, VPos::Center);
    let label_x = LEGEND_PADDING + LEGEND_SWATCH + LEGEND_GAP;
    let label_room = (width as i32 - label_x - LEGEND_PADDING).max(0) as u32;
    let rows_that_fit = ((height as i32 - 2 * LEGEND_ROW) / LEGEND_ROW).max(1) as usize;
    let shown = if entries.len() > rows_that_fit {
        rows_that_fit - 1
    } else {
        entries.len()
    };
    let mut y = LEGEND_PADDING + LEGEND_ROW / 2;
    for entry in &entries[..shown] {
        draw_swatch(area, entry.swatch, LEGEND_PADDING, y)?;
        let label = fit_text(area, &entry.label, &label_style, label_room)?;
        area.draw_text(&label, &label_style, (label_x, y))?;
        y += LEGEND_ROW;
    }
    if shown < entries.len() {
        let more = format!("+ {} more", entries.len() - shown);
        area.draw_text(&more, &label_style, (label_x, y))?;
        y += LEGEND_ROW;
    }
    if let Some(note) = footnote {
        let style = text_style(NOTE_SIZE, MUTED_TEXT_COLOUR, HPos::Left, VPos::Center);
        let note = fit_text(
            area,
            note,
            &style,
            (width as i32 - 2 * LEGEND_PADDING) as u32,
        )?;
        area.draw_text(&note, &style, (LEGEND_PADDING, y + LEGEND_ROW / 3))?;
    }
    Ok(())
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    x: i32,
    y: i32,
) -> DrawResult<DB> {
    match swatch {
        Swatch::LineOverBand(colour) => {
            let band = Rectangle::new(
                [(x, y - 8), (x + LEGEND_SWATCH, y + 8)],
                colour.mix(0.2).filled(),
            );
            area.draw(&band)?;
            let line =
                PathElement::new(vec![(x, y), (x + LEGEND_SWATCH, y)], colour.stroke_width(3));
            area.draw(&line)
        }
        Swatch::Dot(colour) => {
            let centre = (x + LEGEND_SWATCH / 2, y);
            area.draw(&Circle::new(centre, 7, colour.filled()))?;
            area.draw(&Circle::new(centre, 7, WHITE.stroke_width(1)))
        }
    }
}

/// Decimals that the ticks plotters puts on `(low, high)` (asking for at most
/// `max_ticks`) need, so that every tick of an axis has the same number of them
/// (`0.0, 0.2, … 1.0` rather than `0, 0.2, … 1`).
pub(super) fn tick_decimals((low, high): (f64, f64), max_ticks: usize) -> usize {
    let ticks = RangedCoordf64::from(low..high).key_points(max_ticks);
    let step = (ticks.windows(2)).fold(f64::INFINITY, |step, pair| step.min(pair[1] - pair[0]));
    if step.is_finite() && step > 0.0 {
        // Plotters' steps are 1, 2 or 5 times a power of ten.
        (-step.log10() - 1e-9).ceil().clamp(0.0, 8.0) as usize
    } else {
        2
    }
}

/// `value` with `decimals` decimals, writing `-0.00` as `0.00`.
pub(super) fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// Relative luminance (WCAG) of an sRGB colour, 0 (black) to 1 (white).
pub(super) fn luminance(colour: RGBColor) -> f64 {
    let linear = |channel: u8| {
        let c = channel as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour.0) + 0.7152 * linear(colour.1) + 0.0722 * linear(colour.2)
}

/// Black or white, whichever contrasts more with `background`.
pub(super) fn contrasting_text(background: RGBColor) -> RGBColor {
    // Contrast with black (L+0.05)/0.05 equals contrast with white 1.05/(L+0.05) at L≈0.179.
    if luminance(background) > 0.179 {
        RGBColor(0, 0, 0)
    } else {
        WHITE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_formatted_without_negative_zero() {
        assert_eq!(format_number(-0.001, 2), "0.00");
        assert_eq!(format_number(-0.5, 2), "-0.50");
        assert_eq!(format_number(12.0, 0), "12");
        assert_eq!(tick_decimals((0.0, 1.0), 7), 1);
        assert_eq!(tick_decimals((0.0, 200.0), 8), 0);
        assert_eq!(tick_decimals((0.31, 0.36), 7), 2);
    }

    #[test]
    fn text_contrasts_with_its_background() {
        assert_eq!(contrasting_text(RGBColor(68, 1, 84)), WHITE); // viridis dark end
        assert_eq!(contrasting_text(RGBColor(254, 232, 37)), RGBColor(0, 0, 0)); // bright end
    }
}
