//! Checks shared by the chart tests: both files exist, the PNG decodes to the right size and
//! shows more than a flat background, the SVG holds the expected text.

use super::with_extension_appended;
use std::collections::HashSet;
use std::path::Path;

/// Distinct colours a drawn chart must have at least (white, text, lines, antialiasing).
const MIN_DISTINCT_COLOURS: usize = 8;

/// Asserts that `<stem>.png` and `<stem>.svg` were written, that the PNG is `size` and not
/// flat, and that the SVG contains every string of `svg_texts`.
pub(super) fn assert_png_and_svg(stem: &Path, size: (u32, u32), svg_texts: &[&str]) {
    let png_path = with_extension_appended(stem, "png");
    let bytes = std::fs::read(&png_path).expect("PNG written");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let header_width = u32::from_be_bytes(bytes[16..20].try_into().expect("4 bytes"));
    let header_height = u32::from_be_bytes(bytes[20..24].try_into().expect("4 bytes"));
    assert_eq!((header_width, header_height), size, "PNG header size");
    let image = image::load_from_memory(&bytes)
        .expect("PNG decodes")
        .to_rgb8();
    assert_eq!(image.dimensions(), size);
    let colours: HashSet<[u8; 3]> = image.pixels().map(|pixel| pixel.0).collect();
    assert!(
        colours.len() >= MIN_DISTINCT_COLOURS,
        "{} has only {} colours",
        png_path.display(),
        colours.len()
    );
    let svg = std::fs::read_to_string(with_extension_appended(stem, "svg")).expect("SVG written");
    assert!(svg.starts_with("<svg"), "SVG root element");
    for text in svg_texts {
        assert!(svg.contains(&xml_escaped(text)), "SVG lacks {text:?}");
    }
}

fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
