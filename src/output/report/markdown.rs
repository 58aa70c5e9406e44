//! The Markdown rendering of a report (GitHub-flavoured).
//!
//! Owns: escaping for Markdown, pipe tables, fences and relative figure links.
//! Must never: read the figures (they stay files next to the report).

use super::{Block, Inline, Report, cell, column_count, inline_pieces};
use std::fmt::Write;
use std::path::{Component, Path};

/// The whole document.
pub(super) fn document(report: &Report) -> String {
    let mut text = format!("# {}\n\n", inline(&report.title, Place::Heading));
    if !report.subtitle.is_empty() {
        let _ = writeln!(text, "{}\n", inline(&report.subtitle, Place::Block));
    }
    for section in &report.sections {
        let _ = writeln!(text, "## {}\n", inline(&section.heading, Place::Heading));
        for block in &section.blocks {
            push_block(&mut text, block);
            text.push('\n');
        }
    }
    // One newline at the end, not a blank line.
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    text.push('\n');
    text
}

fn push_block(text: &mut String, block: &Block) {
    match block {
        Block::Paragraph(paragraph) => {
            let _ = writeln!(text, "{}", inline(paragraph, Place::Block));
        }
        Block::Bullets(items) => {
            for item in items {
                let _ = writeln!(text, "- {}", inline(item, Place::Block));
            }
        }
        Block::Table {
            header,
            rows,
            numeric_columns,
        } => push_table(text, header, rows, numeric_columns),
        Block::Figure { png, caption } => {
            let alt = inline(&caption.replace('`', ""), Place::Block);
            let _ = writeln!(text, "![{alt}]({})\n", link_target(png));
            let _ = writeln!(text, "*{}*", inline(caption, Place::Block));
        }
        Block::Code {
            language,
            text: code,
        } => push_code(text, language, code),
    }
}

fn push_table(text: &mut String, header: &[String], rows: &[Vec<String>], numeric: &[usize]) {
    let columns = column_count(header, rows);
    if columns == 0 {
        return;
    }
    let row_line = |cells: &[String]| {
        let cells: Vec<String> = (0..columns)
            .map(|column| inline(cell(cells, column), Place::TableCell))
            .collect();
        format!("| {} |", cells.join(" | "))
    };
    let _ = writeln!(text, "{}", row_line(header));
    let rules: Vec<&str> = (0..columns)
        .map(|column| {
            if numeric.contains(&column) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    let _ = writeln!(text, "| {} |", rules.join(" | "));
    for row in rows {
        let _ = writeln!(text, "{}", row_line(row));
    }
}

/// A fenced block; the fence is longer than any run of backticks in the code.
fn push_code(text: &mut String, language: &str, code: &str) {
    let longest_run = (code.split(|c| c != '`')).map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    let info: String = (language.chars())
        .filter(|c| !c.is_whitespace() && *c != '`')
        .collect();
    let _ = writeln!(
        text,
        "{fence}{info}\n{}\n{fence}",
        code.trim_end_matches('\n')
    );
}

/// `png` as a relative link: components joined by `/`, bytes other than letters, digits,
/// `-`, `.`, `_` and `~` percent-encoded.
fn link_target(png: &Path) -> String {
    let parts: Vec<String> = (png.components())
        .filter_map(|component| match component {
            Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect();
    let mut target = String::new();
    for byte in parts.join("/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            target.push(byte as char);
        } else {
            let _ = write!(target, "%{byte:02X}");
        }
    }
    target
}

/// Where inline text goes, which decides what must be escaped.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Place {
    /// A paragraph, list item or caption.
    Block,
    /// A heading: a `#` anywhere could close it.
    Heading,
    /// A table cell: a `|` anywhere, even inside code, would end it.
    TableCell,
}

/// Inline text as Markdown: line breaks become spaces, plain runs are escaped (see
/// [`escape_plain`]), `code` spans are kept.
fn inline(text: &str, place: Place) -> String {
    let flat = text.replace(['\r', '\n'], " ");
    let flat = flat.trim();
    let mut markdown = String::with_capacity(flat.len());
    for piece in inline_pieces(flat) {
        match piece {
            Inline::Text(plain) => escape_plain(&mut markdown, plain, place),
            Inline::Code(code) if place == Place::TableCell => {
                let _ = write!(markdown, "`{}`", code.replace('|', "\\|"));
            }
            Inline::Code(code) => {
                let _ = write!(markdown, "`{code}`");
            }
        }
    }
    markdown
}

/// Appends `plain` with a backslash before every character Markdown could take as markup:
/// emphasis, links, HTML, entities, code, strikethrough and pipes anywhere; `_` unless it
/// sits inside a word (GitHub does not read `a_b` as emphasis); `#` in headings; and, at
/// the very beginning of a paragraph or list item, what would start a heading, a list or a
/// rule (`# `, `- `, `+ `, `--`, `1. `, `1) `; not `-0.2`).
fn escape_plain(markdown: &mut String, plain: &str, place: Place) {
    let chars: Vec<char> = plain.chars().collect();
    let starts_block = markdown.is_empty() && place != Place::TableCell;
    let is_word = |at: Option<usize>| {
        at.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    let ends_marker = |at: usize| chars.get(at).is_none_or(|c| c.is_whitespace());
    for (index, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '*' | '[' | ']' | '<' | '>' | '&' | '`' | '~' | '|' => true,
            '_' => !(is_word(index.checked_sub(1)) && is_word(Some(index + 1))),
            '#' => place == Place::Heading || (starts_block && index == 0),
            '-' | '+' => starts_block && index == 0 && (ends_marker(1) || chars.get(1) == Some(&c)),
            '.' | ')' => {
                starts_block
                    && index > 0
                    && chars[..index].iter().all(char::is_ascii_digit)
                    && ends_marker(index + 1)
            }
            _ => false,
        };
        if escape {
            markdown.push('\\');
        }
        markdown.push(c);
    }
}
