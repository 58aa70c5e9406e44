//! A report: titled sections of paragraphs, lists, tables, figures and code, written as one
//! self-contained `report.html` and as a GitHub-flavoured `report.md`.
//!
//! Owns: the [`Report`] structure and both renderings (escaping, the table of contents, the
//! style sheet, embedding figures as base64 `data:` URIs). Must never: know what an
//! experiment, metric or scenario is (callers fill in the words and numbers), draw charts,
//! or make a reader's browser fetch anything (no scripts, external fonts, style sheets or
//! images: only links inside the file).
//!
//! Text in every field is plain text: it is escaped for HTML and Markdown. The one markup
//! recognised is a `code` span between backticks in paragraphs, list items, table cells and
//! captions (an unmatched backtick stays a backtick).

mod html;
mod markdown;

use super::{OutputError, write_file};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A whole report: a title, a line under it, and sections in reading order.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub title: String,
    /// E.g. `gotong 0.1.0, 2026-11-28T07:00:00Z`.
    pub subtitle: String,
    pub sections: Vec<Section>,
}

/// A section: a heading (listed in the HTML table of contents) and its blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// One block of a section.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// Plain text, which may hold `code` spans between backticks.
    Paragraph(String),
    /// A bulleted list; each item like a paragraph.
    Bullets(Vec<String>),
    /// A table. Cells are like paragraphs; the columns listed in `numeric_columns`
    /// (0-based) are right-aligned. Rows shorter than the widest row (or the header) get
    /// empty cells.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        numeric_columns: Vec<usize>,
    },
    /// A PNG picture, `png` relative to the report's folder (e.g. `plots/effects.png`).
    Figure { png: PathBuf, caption: String },
    /// Verbatim text, e.g. a manifest (`language` "json") or a command line ("sh"); the
    /// language may be empty.
    Code { language: String, text: String },
}

/// Writes `<folder>/report.html`: one self-contained HTML5 file with an inline style sheet,
/// a table of contents when there are sections, and every figure's PNG (read from
/// `folder.join(png)`) embedded as a base64 `data:` URI. Readable on screen and printed.
///
/// A figure that cannot be read, or is not a PNG, is an error naming it; the report file is
/// then not written at all.
pub fn write_html(report: &Report, folder: &Path) -> Result<(), OutputError> {
    let path = folder.join("report.html");
    let figures = load_figures(report, folder).map_err(|source| OutputError::Write {
        path: path.clone(),
        source,
    })?;
    let page = html::page(report, &figures);
    write_file(&path, |out| out.write_all(page.as_bytes()))
}

/// Writes `<folder>/report.md`: GitHub-flavoured Markdown with figures as relative image
/// links (`![caption](plots/x.png)`, the caption repeated under it in italics), tables as
/// pipe tables and code in fenced blocks. Figures are not read.
pub fn write_markdown(report: &Report, folder: &Path) -> Result<(), OutputError> {
    let text = markdown::document(report);
    write_file(&folder.join("report.md"), |out| {
        out.write_all(text.as_bytes())
    })
}

/// A figure ready to embed: its `data:` URI and its size in pixels from the PNG header.
struct EmbeddedFigure {
    data_uri: String,
    width: u32,
    height: u32,
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Every figure of the report, in reading order, read and encoded.
fn load_figures(report: &Report, folder: &Path) -> io::Result<Vec<EmbeddedFigure>> {
    let blocks = report.sections.iter().flat_map(|section| &section.blocks);
    let pngs = blocks.filter_map(|block| match block {
        Block::Figure { png, .. } => Some(folder.join(png)),
        _ => None,
    });
    pngs.map(|png| embed_png(&png)).collect()
}

fn embed_png(png: &Path) -> io::Result<EmbeddedFigure> {
    let unreadable = |error: io::Error| {
        let message = format!("cannot read figure {}: {error}", png.display());
        io::Error::new(error.kind(), message)
    };
    let bytes = std::fs::read(png).map_err(unreadable)?;
    // A PNG starts with its signature, then the IHDR chunk: length, "IHDR", width, height.
    if bytes.len() < 24 || &bytes[..8] != PNG_SIGNATURE || &bytes[12..16] != b"IHDR" {
        let message = format!("figure {} is not a PNG file", png.display());
        return Err(io::Error::new(io::ErrorKind::InvalidData, message));
    }
    let number =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    Ok(EmbeddedFigure {
        width: number(16),
        height: number(20),
        data_uri: format!("data:image/png;base64,{}", base64(&bytes)),
    })
}

const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `bytes` in base64 (RFC 4648 §4: standard alphabet, `=` padding, no line breaks).
fn base64(bytes: &[u8]) -> String {
    let mut encoded = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |index: usize| u32::from(chunk.get(index).copied().unwrap_or(0));
        let group = byte(0) << 16 | byte(1) << 8 | byte(2);
        // n input bytes give n + 1 significant characters; `=` fills the group to four.
        for position in 0..4 {
            if position <= chunk.len() {
                let sextet = (group >> (18 - 6 * position)) & 0b11_1111;
                encoded.push(BASE64_ALPHABET[sextet as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

/// A run of inline text: plain, or the inside of a `code` span.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Inline<'a> {
    Text(&'a str),
    Code(&'a str),
}

/// `text` cut into plain runs and code spans. Backticks pair up left to right; a last,
/// unmatched backtick and an empty pair (two backticks) stay literal text.
fn inline_pieces(text: &str) -> Vec<Inline<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(0) | None => {
                // Literal backtick(s): keep them in the plain run.
                let literal_end = open + 1 + usize::from(after.starts_with('`'));
                pieces.push(Inline::Text(&rest[..literal_end]));
                rest = &rest[literal_end..];
            }
            Some(close) => {
                if open > 0 {
                    pieces.push(Inline::Text(&rest[..open]));
                }
                pieces.push(Inline::Code(&after[..close]));
                rest = &after[close + 1..];
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(Inline::Text(rest));
    }
    pieces
}

/// Columns of a table: as many as the header or the widest row.
fn column_count(header: &[String], rows: &[Vec<String>]) -> usize {
    rows.iter().map(Vec::len).fold(header.len(), usize::max)
}

/// Cell `column` of `cells`, empty past its end.
fn cell(cells: &[String], column: usize) -> &str {
    cells.get(column).map_or("", String::as_str)
}

#[cfg(test)]
mod tests;
