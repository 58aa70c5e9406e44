//! Charts: turning plain series, matrices and graphs into picture files.
//!
//! Owns: how a chart looks (fonts, palette, sizes, legends) and writing it as both
//! `<stem>.png` and `<stem>.svg`. Every chart is one drawing routine generic over the plotters
//! backend (the private `Picture` trait); `write_png_and_svg` runs it once on a bitmap and
//! once on an SVG backend, so the two files always show the same thing.
//! Must never: change simulation state, read scenario files, or know what a metric, role or
//! scenario is. Callers pass labels and numbers; the glue that maps observations onto these
//! functions lives elsewhere.
//!
//! Text is drawn with DejaVu Sans embedded in the binary and registered once with plotters'
//! `ab_glyph` font table under the family `sans-serif` (never fontconfig, so charts render the
//! same on a machine without fonts). SVG files name the family `sans-serif`, so viewers use
//! their own sans-serif font there.
//!
//! Failures come back as [`ChartError`] naming the file concerned; nothing here panics on a
//! drawing error.
//!
//! The charts:
//! - [`line_chart_with_bands`]: means over x with a translucent interval band per series.
//! - [`heatmap`]: a labelled matrix on a sequential (viridis) scale with a colour bar.
//! - [`network_picture`]: nodes coloured by group and edges shaded by weight, at given
//!   positions (see [`crate::output::layout`] for computing them).
//! - [`network_animation`]: network pictures over time in one GIF (the only chart without
//!   an SVG twin: plotters' GIF backend writes it directly).
//! - [`bar_chart_with_intervals`]: grouped horizontal bars with 95% interval whiskers, one
//!   group per category and one bar per series.
//! - [`scatter_chart`]: points (x, y) per series, e.g. an outcome against a swept key.

mod animation;
mod axes;
mod bands;
mod bars;
mod files;
mod heatmap;
mod network;
mod scatter;
mod style;

pub use animation::{ANIMATION_SIZE, AnimationFrame, FrameTiming, network_animation};
pub use bands::{BandPoint, BandSeries, line_chart_with_bands};
pub use bars::{BarSeries, BarValue, bar_chart_with_intervals};
pub use heatmap::heatmap;
pub use network::{NetworkEdge, NetworkNode, network_picture};
pub use scatter::{ScatterSeries, scatter_chart};
pub use style::{MARKED_EDGE_COLOUR, PALETTE, series_colour};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Why a chart could not be written. Every variant names the file (or stem) concerned.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The embedded font could not be registered with plotters.
    #[error("cannot draw chart {}: the embedded font DejaVu Sans is not a valid font", path.display())]
    Font { path: PathBuf },
    /// The folder that should hold the chart could not be created.
    #[error("cannot create folder {} for a chart: {source}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The caller's data cannot be drawn as given (mismatched lengths, bad range, ...).
    #[error("cannot draw chart {}: {reason}", path.display())]
    Input { path: PathBuf, reason: String },
    /// Plotters failed while drawing or saving the file.
    #[error("cannot write chart {}: {message}", path.display())]
    Draw { path: PathBuf, message: String },
    /// The file could not be written, or is incomplete.
    #[error("cannot write chart {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What a drawing step returns on any backend.
type DrawResult<DB, T = ()> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// One chart, drawable on any plotters backend.
trait Picture {
    /// Canvas size in pixels (width, height).
    fn size(&self) -> (u32, u32);
    /// Draws the whole chart onto `root`, which covers the canvas.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

/// Draws `picture` into `<stem>.png` and `<stem>.svg`, creating the folder if needed.
fn write_png_and_svg(stem: &Path, picture: &impl Picture) -> Result<(), ChartError> {
    register_embedded_font(stem)?;
    if let Some(folder) = stem
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder).map_err(|source| ChartError::Folder {
            path: folder.to_path_buf(),
            source,
        })?;
    }
    let png = with_extension_appended(stem, "png");
    {
        let root = BitMapBackend::new(&png, picture.size()).into_drawing_area();
        draw_and_present(picture, &root).map_err(|message| ChartError::Draw {
            path: png.clone(),
            message,
        })?;
    }
    files::check_complete(&png, &files::PNG_TRAILER)?;
    let svg = with_extension_appended(stem, "svg");
    // Drawn into memory and written here: plotters' SVG file writer drops its buffer
    // unflushed, losing a write error.
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, picture.size()).into_drawing_area();
        draw_and_present(picture, &root).map_err(|message| ChartError::Draw {
            path: svg.clone(),
            message,
        })?;
    }
    files::write_text(&svg, &text)
}

fn draw_and_present<DB: DrawingBackend>(
    picture: &impl Picture,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), String> {
    picture
        .draw(root)
        .and_then(|()| root.present())
        .map_err(|error| error.to_string())
}

/// `plots/trust.v2` + `png` gives `plots/trust.v2.png` (a dot in the stem is kept).
fn with_extension_appended(stem: &Path, extension: &str) -> PathBuf {
    let mut name = OsString::from(stem.as_os_str());
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Registers the embedded DejaVu Sans as plotters' `sans-serif` family, once per process.
fn register_embedded_font(stem: &Path) -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let registered = *REGISTERED
        .get_or_init(|| register_font("sans-serif", FontStyle::Normal, style::FONT_BYTES).is_ok());
    if registered {
        Ok(())
    } else {
        Err(ChartError::Font {
            path: stem.to_path_buf(),
        })
    }
}

/// An input error for the chart at `stem`.
fn input_error(stem: &Path, reason: impl Into<String>) -> ChartError {
    ChartError::Input {
        path: stem.to_path_buf(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod test_support;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_is_appended_not_replaced() {
        assert_eq!(
            with_extension_appended(Path::new("plots/trust.v2"), "png"),
            PathBuf::from("plots/trust.v2.png")
        );
    }

    #[test]
    fn draw_errors_name_the_file() {
        let folder = tempfile::tempdir().expect("tempdir");
        // A file where the chart's folder should be: the folder cannot be created.
        let blocker = folder.path().join("blocker");
        std::fs::write(&blocker, b"x").expect("write");
        let stem = blocker.join("chart");
        let error = line_chart_with_bands(&stem, "t", "x", "y", &[], None).unwrap_err();
        assert!(matches!(error, ChartError::Folder { .. }), "{error}");
        assert!(error.to_string().contains("blocker"), "{error}");
    }
}
