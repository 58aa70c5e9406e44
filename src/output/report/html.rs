//! The HTML rendering of a report: one page with its style sheet and figures inside.
//!
//! Owns: escaping for HTML, section anchors, the table of contents and the style sheet.
//! Must never: reference anything outside the page (no scripts, no external style sheets,
//! fonts or images; links only to anchors of the page itself).

use super::{Block, EmbeddedFigure, Inline, Report, Section, cell, column_count, inline_pieces};
use std::collections::HashSet;
use std::fmt::Write;

/// Sober, printable, and self-contained: system fonts only, no `url(...)` anywhere.
const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.5; color: #1e1e1e; background: #fff; max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 0.2rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid #d8d8d8; }
.subtitle { color: #5a5a5a; margin: 0 0 1.5rem; }
nav { border: 1px solid #d8d8d8; background: #fafafa; padding: 0.4rem 1.2rem; display: inline-block; }
nav h2 { font-size: 1rem; margin: 0.4rem 0; border: 0; padding: 0; }
nav ol { margin: 0.3rem 0 0.5rem; padding-left: 1.4rem; }
a { color: #0b5cad; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
code { background: #f2f2f2; padding: 0 0.2em; border-radius: 3px; }
pre { background: #f6f6f6; border: 1px solid #e0e0e0; padding: 0.75rem; overflow-x: auto; }
pre code { background: none; padding: 0; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }
th, td { border: 1px solid #cfcfcf; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ececec; }
figcaption { color: #4a4a4a; font-size: 0.95rem; margin-top: 0.3rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { background: none; }
  a { color: inherit; text-decoration: none; }
  pre { white-space: pre-wrap; overflow: visible; }
  .table-wrap { overflow: visible; }
  figure, table, pre { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"#;

/// The whole page. `figures` holds the report's figures in reading order.
pub(super) fn page(report: &Report, figures: &[EmbeddedFigure]) -> String {
    let mut page = String::new();
    let title = match report.title.trim() {
        "" => "Report".to_string(), // HTML5 wants a non-empty <title>
        title => escaped(title),
    };
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    );
    let _ = writeln!(page, "<header>\n<h1>{title}</h1>");
    if !report.subtitle.is_empty() {
        let _ = writeln!(
            page,
            "<p class=\"subtitle\">{}</p>",
            escaped(&report.subtitle)
        );
    }
    page.push_str("</header>\n");
    let anchors = section_anchors(&report.sections);
    push_contents(&mut page, &report.sections, &anchors);
    page.push_str("<main>\n");
    let mut figures = figures.iter();
    for (section, anchor) in report.sections.iter().zip(&anchors) {
        let _ = writeln!(page, "<section id=\"{anchor}\">");
        let _ = writeln!(page, "<h2>{}</h2>", escaped(&section.heading));
        for block in &section.blocks {
            push_block(&mut page, block, &mut figures);
        }
        page.push_str("</section>\n");
    }
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// A unique anchor per section from its heading: lower-case letters and digits joined by
/// `-` ("section" if none), then `-2`, `-3`, ... for repeats.
fn section_anchors(sections: &[Section]) -> Vec<String> {
    let mut taken = HashSet::new();
    let mut anchors = Vec::with_capacity(sections.len());
    for section in sections {
        let words: Vec<String> = (section.heading.split(|c: char| !c.is_alphanumeric()))
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect();
        let base = if words.is_empty() {
            "section".to_string()
        } else {
            words.join("-")
        };
        let mut anchor = base.clone();
        let mut repeat = 1;
        while !taken.insert(anchor.clone()) {
            repeat += 1;
            anchor = format!("{base}-{repeat}");
        }
        anchors.push(anchor);
    }
    anchors
}

fn push_contents(page: &mut String, sections: &[Section], anchors: &[String]) {
    if sections.is_empty() {
        return;
    }
    page.push_str("<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n");
    for (section, anchor) in sections.iter().zip(anchors) {
        let heading = escaped(&section.heading);
        let _ = writeln!(page, "<li><a href=\"#{anchor}\">{heading}</a></li>");
    }
    page.push_str("</ol>\n</nav>\n");
}

fn push_block<'a>(
    page: &mut String,
    block: &Block,
    figures: &mut impl Iterator<Item = &'a EmbeddedFigure>,
) {
    match block {
        Block::Paragraph(text) => {
            let _ = writeln!(page, "<p>{}</p>", inline(text));
        }
        Block::Bullets(items) => {
            page.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(page, "<li>{}</li>", inline(item));
            }
            page.push_str("</ul>\n");
        }
        Block::Table {
            header,
            rows,
            numeric_columns,
        } => push_table(page, header, rows, numeric_columns),
        Block::Figure { caption, .. } => {
            if let Some(figure) = figures.next() {
                push_figure(page, figure, caption);
            }
        }
        Block::Code { language, text } => {
            let class = language_class(language);
            let _ = writeln!(page, "<pre><code{class}>{}</code></pre>", escaped(text));
        }
    }
}

fn push_table(page: &mut String, header: &[String], rows: &[Vec<String>], numeric: &[usize]) {
    let columns = column_count(header, rows);
    if columns == 0 {
        return;
    }
    let class = |column: usize| {
        if numeric.contains(&column) {
            " class=\"num\""
        } else {
            ""
        }
    };
    page.push_str("<div class=\"table-wrap\">\n<table>\n<thead>\n<tr>");
    for column in 0..columns {
        let text = inline(cell(header, column));
        let _ = write!(page, "<th{}>{text}</th>", class(column));
    }
    page.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in rows {
        page.push_str("<tr>");
        for column in 0..columns {
            let text = inline(cell(row, column));
            let _ = write!(page, "<td{}>{text}</td>", class(column));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</div>\n");
}

fn push_figure(page: &mut String, figure: &EmbeddedFigure, caption: &str) {
    let EmbeddedFigure {
        data_uri,
        width,
        height,
    } = figure;
    let alt = escaped(&caption.replace('`', ""));
    let _ = writeln!(
        page,
        "<figure>\n<img src=\"{data_uri}\" width=\"{width}\" height=\"{height}\" alt=\"{alt}\">"
    );
    let _ = writeln!(
        page,
        "<figcaption>{}</figcaption>\n</figure>",
        inline(caption)
    );
}

/// ` class="language-x"` for a language made of letters, digits, `+`, `-` and `_`; nothing
/// for an empty or odd one.
fn language_class(language: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_');
    if !language.is_empty() && language.chars().all(plain) {
        format!(" class=\"language-{language}\"")
    } else {
        String::new()
    }
}

/// Inline text as HTML: escaped, with `code` spans as `<code>` elements.
fn inline(text: &str) -> String {
    inline_pieces(text)
        .into_iter()
        .map(|piece| match piece {
            Inline::Text(plain) => escaped(plain),
            Inline::Code(code) => format!("<code>{}</code>", escaped(code)),
        })
        .collect()
}

/// `text` safe in HTML element content and in quoted attribute values.
pub(super) fn escaped(text: &str) -> String {
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => safe.push_str("&amp;"),
            '<' => safe.push_str("&lt;"),
            '>' => safe.push_str("&gt;"),
            '"' => safe.push_str("&quot;"),
            '\'' => safe.push_str("&#39;"),
            _ => safe.push(c),
        }
    }
    safe
}
