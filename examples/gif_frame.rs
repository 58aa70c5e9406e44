//! Saves one frame of a GIF as a PNG, e.g. a frame of `plots/network.gif` for the README:
//!
//! ```sh
//! cargo run --release -- run classroom --animate --out target/classroom-animated --quiet
//! cargo run --release --example gif_frame -- \
//!     target/classroom-animated/plots/network.gif 30 docs/images/network-frame.png
//! ```

use image::AnimationDecoder;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [gif, index, png] = args.as_slice() else {
        eprintln!("usage: gif_frame GIF FRAME_INDEX PNG");
        return ExitCode::from(2);
    };
    match save_frame(gif, index, png) {
        Ok(count) => {
            println!("wrote frame {index} of {count} to {png}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes frame `index` of `gif` to `png`; returns the number of frames.
fn save_frame(gif: &str, index: &str, png: &str) -> Result<usize, String> {
    let index: usize = index
        .parse()
        .map_err(|e| format!("frame index {index}: {e}"))?;
    let file = std::fs::File::open(gif).map_err(|e| format!("cannot open {gif}: {e}"))?;
    let reader = std::io::BufReader::new(file);
    let decoder = image::codecs::gif::GifDecoder::new(reader).map_err(|e| e.to_string())?;
    let frames = decoder
        .into_frames()
        .collect_frames()
        .map_err(|e| e.to_string())?;
    let frame = frames
        .get(index)
        .ok_or_else(|| format!("{gif} has {} frames", frames.len()))?;
    let rgb = image::DynamicImage::ImageRgba8(frame.buffer().clone()).to_rgb8();
    rgb.save(png)
        .map_err(|e| format!("cannot write {png}: {e}"))?;
    Ok(frames.len())
}
