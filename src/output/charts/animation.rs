//! An animated network: the frames of [`super::network_picture`] in one GIF file.
//!
//! Owns: the look of an animation frame (title, a large step counter, a legend of every
//! group with its count in the frame, a one-line caption), one projection for all frames
//! (so a node keeps its place on the canvas when the network grows or shrinks), and frame
//! timing through plotters' GIF backend (`BitMapBackend::gif`), and keeping every frame to
//! at most 256 colours ([`limit_colours`]) so that the encoder uses them exactly instead of
//! its NeuQuant quantiser (which took three quarters of the time, 0.13 s a frame, and
//! shifted the role colours).
//! Must never: compute positions or choose frames (see `crate::output::animation`).

use super::network::{
    CAPTION_LINE, Projection, draw_caption, draw_edges, draw_nodes, group_sizes, node_radius,
    wrap_caption,
};
use super::style::{
    LegendEntry, Swatch, TEXT_COLOUR, draw_legend, draw_title, legend_width, series_colour,
    text_style,
};
use super::{ChartError, DrawResult, NetworkEdge, NetworkNode, input_error};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use std::path::Path;

/// Canvas of every frame in pixels: fits a slide at full size and half a slide at half.
pub const ANIMATION_SIZE: (u32, u32) = (800, 600);
const COUNTER_SIZE: f64 = 24.0;
const COUNTER_BAND: i32 = 36;

/// One frame: `nodes[i]` at `positions[i]`, edges between them, and the counter text.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationFrame {
    /// Shown large at the top left, e.g. "step 40 · year 2".
    pub counter: String,
    pub nodes: Vec<NetworkNode>,
    pub edges: Vec<NetworkEdge>,
    pub positions: Vec<(f64, f64)>,
}

/// How long frames show: every frame `frame_ms` milliseconds (GIF keeps hundredths), the
/// last one `last_frame_repeats` times as long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameTiming {
    pub frame_ms: u32,
    pub last_frame_repeats: u32,
}

/// Writes the GIF at `path` (looping forever): each frame drawn as in
/// [`super::network_picture`], all with one projection fitted to the positions of every
/// frame, a legend of all `group_labels` with the frame's counts, and `caption` below.
pub fn network_animation(
    path: &Path,
    title: &str,
    frames: &[AnimationFrame],
    group_labels: &[String],
    caption: &str,
    timing: FrameTiming,
) -> Result<(), ChartError> {
    check_frames(frames, group_labels).map_err(|reason| input_error(path, reason))?;
    super::register_embedded_font(path)?;
    let draw_error = |message: String| ChartError::Draw {
        path: path.to_path_buf(),
        message,
    };
    let gif = BitMapBackend::gif(path, ANIMATION_SIZE, timing.frame_ms)
        .map_err(|error| draw_error(error.to_string()))?
        .into_drawing_area();
    let animation = Animation {
        title,
        frames,
        group_labels,
        caption,
    };
    let (width, height) = ANIMATION_SIZE;
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    let layout = {
        let canvas = BitMapBackend::with_buffer(&mut pixels, ANIMATION_SIZE).into_drawing_area();
        (animation.fixed_layout(&canvas)).map_err(|error| draw_error(error.to_string()))?
    };
    let keep: Vec<RGBColor> = (0..group_labels.len()).map(series_colour).collect();
    for (index, frame) in frames.iter().enumerate() {
        {
            let canvas =
                BitMapBackend::with_buffer(&mut pixels, ANIMATION_SIZE).into_drawing_area();
            (animation
                .draw_frame(&canvas, &layout, frame)
                .and_then(|()| canvas.present()))
            .map_err(|error| draw_error(error.to_string()))?;
        }
        limit_colours(&mut pixels, &keep);
        let shows = if index + 1 == frames.len() {
            timing.last_frame_repeats.max(1)
        } else {
            1
        };
        for _ in 0..shows {
            let image = BitMapElement::with_ref((0, 0), ANIMATION_SIZE, &pixels)
                .ok_or_else(|| draw_error("frame buffer of the wrong size".into()))?;
            (gif.draw(&image).and_then(|()| gif.present()))
                .map_err(|error| draw_error(error.to_string()))?;
        }
    }
    // The GIF's trailer is written when the encoder is dropped, where an error is lost.
    drop(gif);
    super::files::check_complete(path, &super::files::GIF_TRAILER)
}

/// Grey levels kept by [`limit_colours`], and levels per channel of its colour cube.
const GREY_LEVELS: u32 = 64;
const CUBE_LEVELS: u32 = 5;
/// Largest difference between channels for which a pixel counts as grey.
const GREYISH: u8 = 24;

/// Reduces RGB `pixels` to at most 64 greys, 125 colours and the `keep` colours (exact):
/// other near-grey pixels (text, edges, their anti-aliasing) become the nearest of 64
/// greys, and the rest (edges of dots) the nearest of a 5 × 5 × 5 colour cube. With at
/// most 67 `keep` colours that is never more than 256.
pub fn limit_colours(pixels: &mut [u8], keep: &[RGBColor]) {
    let level = |value: u32, levels: u32| {
        let step = (value * (levels - 1) + 127) / 255;
        (step * 255 / (levels - 1)) as u8
    };
    for pixel in pixels.chunks_exact_mut(3) {
        let (r, g, b) = (pixel[0], pixel[1], pixel[2]);
        if keep.contains(&RGBColor(r, g, b)) {
            continue;
        }
        let spread = r.max(g).max(b) - r.min(g).min(b);
        if spread <= GREYISH {
            let grey = level((r as u32 + g as u32 + b as u32) / 3, GREY_LEVELS);
            pixel.copy_from_slice(&[grey; 3]);
        } else {
            for channel in pixel.iter_mut() {
                *channel = level(*channel as u32, CUBE_LEVELS);
            }
        }
    }
}

fn check_frames(frames: &[AnimationFrame], group_labels: &[String]) -> Result<(), String> {
    if frames.is_empty() {
        return Err("no frames".into());
    }
    for (index, frame) in frames.iter().enumerate() {
        let in_frame = |reason: String| format!("frame {index}: {reason}");
        if frame.positions.len() != frame.nodes.len() {
            let counts = (frame.positions.len(), frame.nodes.len());
            return Err(in_frame(format!(
                "{} positions for {} nodes",
                counts.0, counts.1
            )));
        }
        if frame
            .positions
            .iter()
            .any(|(x, y)| !(x.is_finite() && y.is_finite()))
        {
            return Err(in_frame("a position is not finite".into()));
        }
        if frame
            .nodes
            .iter()
            .any(|node| node.group >= group_labels.len())
        {
            return Err(in_frame("a node's group has no label".into()));
        }
        let outside = |end: u32| end as usize >= frame.nodes.len();
        if frame
            .edges
            .iter()
            .any(|edge| outside(edge.a) || outside(edge.b))
        {
            return Err(in_frame("an edge is outside the nodes".into()));
        }
    }
    Ok(())
}

struct Animation<'a> {
    title: &'a str,
    frames: &'a [AnimationFrame],
    group_labels: &'a [String],
    caption: &'a str,
}

/// What stays the same in every frame.
struct FixedLayout {
    caption_lines: Vec<String>,
    legend_columns: u32,
    projection: Projection,
    radius: i32,
}

impl Animation<'_> {
    fn legend(&self, frame: &AnimationFrame) -> Vec<LegendEntry> {
        let sizes = group_sizes(&frame.nodes, self.group_labels.len());
        (self.group_labels.iter().zip(sizes).enumerate())
            .map(|(group, (label, size))| LegendEntry {
                label: format!("{label} ({size})"),
                swatch: Swatch::Dot(series_colour(group)),
            })
            .collect()
    }

    /// Splits a frame's canvas into (counter, plot, legend, caption) areas.
    #[allow(clippy::type_complexity)]
    fn areas<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        caption_lines: usize,
        legend_columns: u32,
    ) -> DrawResult<DB, [DrawingArea<DB, Shift>; 4]> {
        let body = draw_title(root, self.title)?;
        let (width, height) = body.dim_in_pixel();
        let caption_band = caption_lines as i32 * CAPTION_LINE + 12;
        let (body, caption) = body.split_vertically(height as i32 - caption_band);
        let (left, legend) = body.split_horizontally(width - legend_columns);
        let (counter, plot) = left.split_vertically(COUNTER_BAND);
        Ok([counter, plot, legend, caption])
    }

    fn fixed_layout<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> DrawResult<DB, FixedLayout> {
        let caption_lines = wrap_caption(root, self.caption)?;
        let mut legend_columns = 0;
        for frame in self.frames {
            let entries = self.legend(frame);
            let widest = legend_width(root, &entries, None, ANIMATION_SIZE.0 * 3 / 10)?;
            legend_columns = legend_columns.max(widest);
        }
        let [_, plot, _, _] = self.areas(root, caption_lines.len(), legend_columns)?;
        let most_nodes = (self.frames.iter()).map(|f| f.nodes.len()).max();
        let radius = node_radius(plot.dim_in_pixel(), most_nodes.unwrap_or(0));
        let all_positions: Vec<(f64, f64)> = (self.frames.iter())
            .flat_map(|frame| frame.positions.iter().copied())
            .collect();
        let projection = Projection::fit(&all_positions, plot.dim_in_pixel(), radius + 8);
        Ok(FixedLayout {
            caption_lines,
            legend_columns,
            projection,
            radius,
        })
    }

    fn draw_frame<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        layout: &FixedLayout,
        frame: &AnimationFrame,
    ) -> DrawResult<DB> {
        let lines = layout.caption_lines.len();
        let [counter, plot, legend, caption] = self.areas(root, lines, layout.legend_columns)?;
        let style = text_style(COUNTER_SIZE, TEXT_COLOUR, HPos::Left, VPos::Center);
        counter.draw_text(&frame.counter, &style, (20, COUNTER_BAND / 2))?;
        draw_legend(&legend.margin(10, 0, 0, 0), &self.legend(frame), None)?;
        draw_caption(&caption, &layout.caption_lines)?;
        let sizes = group_sizes(&frame.nodes, self.group_labels.len());
        let projection = &layout.projection;
        draw_edges(&plot, &frame.edges, &frame.positions, projection)?;
        let radius = layout.radius;
        draw_nodes(
            &plot,
            &frame.nodes,
            &sizes,
            &frame.positions,
            projection,
            radius,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(node_count: u32, counter: &str) -> AnimationFrame {
        let nodes = (0..node_count)
            .map(|i| NetworkNode {
                group: (i % 2) as usize,
            })
            .collect();
        let edges = (1..node_count)
            .map(|i| NetworkEdge {
                a: i - 1,
                b: i,
                weight: 0.5,
                marked: false,
            })
            .collect();
        let positions = (0..node_count)
            .map(|i| (i as f64, (i % 3) as f64))
            .collect();
        AnimationFrame {
            counter: counter.into(),
            nodes,
            edges,
            positions,
        }
    }

    #[test]
    fn writes_one_gif_frame_per_frame_and_holds_the_last() {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("net.gif");
        let labels = vec!["teacher".to_string(), "student".to_string()];
        let frames = vec![frame(5, "step 0 · year 1"), frame(8, "step 5 · year 1")];
        let timing = FrameTiming {
            frame_ms: 120,
            last_frame_repeats: 3,
        };
        network_animation(&path, "Network", &frames, &labels, "colour: role", timing)
            .expect("written");
        let file = std::fs::File::open(&path).expect("open");
        let decoder = image::codecs::gif::GifDecoder::new(file).expect("a gif");
        let decoded = image::AnimationDecoder::into_frames(decoder)
            .collect_frames()
            .expect("frames");
        assert_eq!(decoded.len(), 4);
        assert_eq!(decoded[0].buffer().dimensions(), ANIMATION_SIZE);
        assert_ne!(decoded[0].buffer(), decoded[1].buffer());
        assert_eq!(decoded[1].buffer(), decoded[3].buffer());
        assert_eq!(decoded[0].delay().numer_denom_ms(), (120, 1));
    }

    #[test]
    fn colours_are_limited_to_256_keeping_the_given_ones() {
        // Every colour with channels in steps of 3, and one kept colour off every grid.
        let kept = RGBColor(230, 159, 1);
        let mut pixels: Vec<u8> = (0..=85u8)
            .flat_map(|r| (0..=85u8).flat_map(move |g| (0..=85u8).map(move |b| [r, g, b])))
            .flat_map(|[r, g, b]| [r * 3, g * 3, b * 3])
            .chain([kept.0, kept.1, kept.2])
            .collect();
        limit_colours(&mut pixels, &[kept]);
        let colours: std::collections::HashSet<&[u8]> = pixels.chunks_exact(3).collect();
        assert!(colours.len() <= 256, "{}", colours.len());
        assert!(colours.contains(&[230u8, 159, 1][..]));
        // White stays white, a grey moves by at most half a grey step (2 of 255).
        let mut greys = vec![255, 255, 255, 100, 100, 104];
        limit_colours(&mut greys, &[]);
        assert_eq!(greys[..3], [255, 255, 255]);
        assert!(
            greys[3..].iter().all(|&v| v.abs_diff(101) <= 2),
            "{greys:?}"
        );
    }

    #[test]
    fn bad_frames_are_refused_naming_the_file() {
        let labels = vec!["teacher".to_string()];
        let timing = FrameTiming {
            frame_ms: 100,
            last_frame_repeats: 1,
        };
        let path = Path::new("nowhere/net.gif");
        let error = network_animation(path, "t", &[], &labels, "", timing).unwrap_err();
        assert!(error.to_string().contains("net.gif"), "{error}");
        let two_groups = [frame(3, "x")];
        let error = network_animation(path, "t", &two_groups, &labels, "", timing).unwrap_err();
        assert!(error.to_string().contains("group"), "{error}");
    }
}
