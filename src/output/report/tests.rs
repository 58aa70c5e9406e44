//! Tests of both renderings: escaping, self-containment, embedded figures, tables.

use super::*;
use std::path::Path;

/// Decodes standard base64 with padding (test-only inverse of [`base64`]).
fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| {
        BASE64_ALPHABET
            .iter()
            .position(|&a| a == c)
            .expect("alphabet") as u32
    };
    let mut bytes = Vec::new();
    for group in text.as_bytes().chunks(4) {
        let significant: Vec<u8> = group.iter().copied().filter(|&c| c != b'=').collect();
        let bits = significant
            .iter()
            .fold(0u32, |bits, &c| bits << 6 | value(c));
        let bits = bits << (6 * (4 - significant.len()));
        for index in 0..significant.len() - 1 {
            bytes.push((bits >> (16 - 8 * index)) as u8);
        }
    }
    bytes
}

/// A real 3×2 PNG at `folder/plots/small.png`; returns its bytes.
fn small_png(folder: &Path) -> Vec<u8> {
    std::fs::create_dir_all(folder.join("plots")).expect("plots folder");
    let path = folder.join("plots/small.png");
    let image = image::RgbImage::from_fn(3, 2, |x, y| image::Rgb([x as u8 * 80, y as u8 * 90, 7]));
    image.save(&path).expect("PNG saved");
    std::fs::read(&path).expect("PNG read")
}

fn paragraph(text: &str) -> Block {
    Block::Paragraph(text.to_string())
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|text| text.to_string()).collect()
}

/// A report with every kind of block, and text that needs escaping in both formats.
fn sample_report() -> Report {
    let table = Block::Table {
        header: strings(&["scenario", "mean | sd", "n"]),
        rows: vec![
            strings(&["base|line", "0.35", "20"]),
            strings(&["`a|b` & <c>", "-0.40"]),
        ],
        numeric_columns: vec![1, 2],
    };
    let sections = vec![
        Section {
            heading: "Results & <notes>".into(),
            blocks: vec![
                paragraph(
                    "Run with `gotong compare a.toml b.toml`; <script>alert('x')</script> *not bold*.",
                ),
                Block::Bullets(strings(&["- not a nested list", "cooperation_rate rose"])),
                table,
                Block::Figure {
                    png: PathBuf::from("plots/small.png"),
                    caption: "Effect on `cooperation_rate` [95% interval]".into(),
                },
            ],
        },
        Section {
            heading: "Results & <notes>".into(),
            blocks: vec![Block::Code {
                language: "json".into(),
                text: "{\"a\": \"<b>\", \"fence\": \"```\"}\n".into(),
            }],
        },
    ];
    Report {
        title: "Compare <a> & <b>".into(),
        subtitle: "gotong 0.1.0, 2026-11-28T07:00:00Z".into(),
        sections,
    }
}

/// Start and end tags balance (void elements aside): a check that the page is well-formed.
fn assert_tags_balance(html: &str) {
    const VOID: [&str; 3] = ["meta", "img", "br"];
    let mut open: Vec<String> = Vec::new();
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("tag closed")];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = (tag.trim_start_matches('/').chars())
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                open.pop().as_deref(),
                Some(name.as_str()),
                "</{name}> closes"
            );
        } else if !VOID.contains(&name.as_str()) {
            open.push(name);
        }
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
}

#[test]
fn base64_matches_rfc_4648_test_vectors() {
    let vectors = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (plain, encoded) in vectors {
        assert_eq!(base64(plain.as_bytes()), encoded, "{plain:?}");
        assert_eq!(decode_base64(encoded), plain.as_bytes(), "{encoded:?}");
    }
    let every_byte: Vec<u8> = (0..=255).collect();
    assert_eq!(decode_base64(&base64(&every_byte)), every_byte);
}

#[test]
fn html_is_one_self_contained_well_formed_page() {
    let folder = tempfile::tempdir().expect("tempdir");
    small_png(folder.path());
    write_html(&sample_report(), folder.path()).expect("report written");
    let html = std::fs::read_to_string(folder.path().join("report.html")).expect("read");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for outside in [
        "src=\"http",
        "<link",
        "<script",
        "url(",
        "@import",
        "href=\"http",
    ] {
        assert!(!html.contains(outside), "the page holds {outside:?}");
    }
    assert_eq!(html.matches("<style>").count(), 1);
    assert_tags_balance(&html);
    // Every link points inside the page, to an id that exists.
    for link in html.split("href=\"").skip(1) {
        let target = &link[..link.find('"').expect("quoted")];
        let id = target.strip_prefix('#').expect("in-page link");
        assert!(html.contains(&format!("id=\"{id}\"")), "no anchor {id}");
    }
}

#[test]
fn html_escapes_text_and_keeps_code_spans() {
    let folder = tempfile::tempdir().expect("tempdir");
    small_png(folder.path());
    write_html(&sample_report(), folder.path()).expect("report written");
    let html = std::fs::read_to_string(folder.path().join("report.html")).expect("read");
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assert!(html.contains("<code>gotong compare a.toml b.toml</code>"));
    assert!(html.contains("<title>Compare &lt;a&gt; &amp; &lt;b&gt;</title>"));
    assert!(html.contains("<td><code>a|b</code> &amp; &lt;c&gt;</td>"));
    assert!(html.contains("<td class=\"num\">0.35</td>"));
    assert!(html.contains("<td class=\"num\"></td>"), "short row padded");
    assert!(
        html.contains("<pre><code class=\"language-json\">{&quot;a&quot;: &quot;&lt;b&gt;&quot;")
    );
    // Two sections with one heading get two anchors, both in the contents.
    assert!(html.contains("<section id=\"results-notes\">"));
    assert!(html.contains("<section id=\"results-notes-2\">"));
    assert!(html.contains("<li><a href=\"#results-notes-2\">Results &amp; &lt;notes&gt;</a></li>"));
}

#[test]
fn figure_is_embedded_as_a_data_uri_of_the_same_bytes() {
    let folder = tempfile::tempdir().expect("tempdir");
    let png = small_png(folder.path());
    write_html(&sample_report(), folder.path()).expect("report written");
    let html = std::fs::read_to_string(folder.path().join("report.html")).expect("read");
    let prefix = "<img src=\"data:image/png;base64,";
    let start = html.find(prefix).expect("embedded image") + prefix.len();
    let end = start + html[start..].find('"').expect("attribute closed");
    assert_eq!(decode_base64(&html[start..end]), png);
    assert!(html[end..].starts_with(
        "\" width=\"3\" height=\"2\" alt=\"Effect on cooperation_rate [95% interval]\">"
    ));
    assert!(html.contains(
        "<figcaption>Effect on <code>cooperation_rate</code> [95% interval]</figcaption>"
    ));
}

#[test]
fn a_missing_or_false_figure_is_an_error_naming_it_and_writes_nothing() {
    let folder = tempfile::tempdir().expect("tempdir");
    let error = write_html(&sample_report(), folder.path()).expect_err("no PNG yet");
    let message = error.to_string();
    assert!(
        message.contains("cannot read figure") && message.contains("small.png"),
        "{message}"
    );
    assert!(
        !folder.path().join("report.html").exists(),
        "no partial report"
    );
    std::fs::create_dir_all(folder.path().join("plots")).expect("plots");
    std::fs::write(
        folder.path().join("plots/small.png"),
        b"GIF89a, not a PNG at all",
    )
    .expect("write");
    let message = write_html(&sample_report(), folder.path())
        .expect_err("not a PNG")
        .to_string();
    assert!(message.contains("small.png is not a PNG file"), "{message}");
}

#[test]
fn markdown_escapes_text_and_pipes_and_links_figures() {
    let folder = tempfile::tempdir().expect("tempdir");
    write_markdown(&sample_report(), folder.path()).expect("markdown written");
    let markdown = std::fs::read_to_string(folder.path().join("report.md")).expect("read");
    let expected_lines = [
        "# Compare \\<a\\> \\& \\<b\\>",
        "gotong 0.1.0, 2026-11-28T07:00:00Z",
        "## Results \\& \\<notes\\>",
        "Run with `gotong compare a.toml b.toml`; \\<script\\>alert('x')\\</script\\> \\*not bold\\*.",
        "- \\- not a nested list",
        "- cooperation_rate rose",
        "| scenario | mean \\| sd | n |",
        "| --- | ---: | ---: |",
        "| base\\|line | 0.35 | 20 |",
        "| `a\\|b` \\& \\<c\\> | -0.40 |  |",
        "![Effect on cooperation_rate \\[95% interval\\]](plots/small.png)",
        "*Effect on `cooperation_rate` \\[95% interval\\]*",
        "````json",
        "{\"a\": \"<b>\", \"fence\": \"```\"}",
    ];
    let lines: Vec<&str> = markdown.lines().collect();
    for expected in expected_lines {
        assert!(
            lines.contains(&expected),
            "missing line {expected:?} in\n{markdown}"
        );
    }
    assert!(markdown.ends_with("````\n") && !markdown.ends_with("\n\n"));
}

#[test]
fn markdown_escapes_what_would_start_a_block_and_encodes_link_targets() {
    let report = Report {
        title: "T".into(),
        subtitle: String::new(),
        sections: vec![Section {
            heading: "Issue #5".into(),
            blocks: vec![
                paragraph("1. not a list, snake_case and _emphasis_ and a ` stray"),
                paragraph("# not a heading, `` two ticks"),
                paragraph("-0.2 is no list item, 3.5 no list"),
                Block::Bullets(strings(&["+ no list", "--- no rule"])),
                Block::Figure {
                    png: PathBuf::from("plots/a b(1).png"),
                    caption: "c".into(),
                },
            ],
        }],
    };
    let folder = tempfile::tempdir().expect("tempdir");
    write_markdown(&report, folder.path()).expect("markdown written");
    let markdown = std::fs::read_to_string(folder.path().join("report.md")).expect("read");
    let lines: Vec<&str> = markdown.lines().collect();
    assert!(lines.contains(&"## Issue \\#5"), "{markdown}");
    assert!(
        lines.contains(&"1\\. not a list, snake_case and \\_emphasis\\_ and a \\` stray"),
        "{markdown}"
    );
    assert!(
        lines.contains(&"\\# not a heading, \\`\\` two ticks"),
        "{markdown}"
    );
    assert!(
        lines.contains(&"![c](plots/a%20b%281%29.png)"),
        "{markdown}"
    );
    for expected in [
        "-0.2 is no list item, 3.5 no list",
        "- \\+ no list",
        "- \\--- no rule",
    ] {
        assert!(
            lines.contains(&expected),
            "missing {expected:?} in\n{markdown}"
        );
    }
}

#[test]
fn inline_pieces_pair_backticks_left_to_right() {
    use Inline::{Code, Text};
    assert_eq!(
        inline_pieces("a `b` c"),
        [Text("a "), Code("b"), Text(" c")]
    );
    assert_eq!(inline_pieces("`x``y`"), [Code("x"), Code("y")]);
    assert_eq!(inline_pieces("a ` b"), [Text("a `"), Text(" b")]);
    assert_eq!(inline_pieces("``"), [Text("``")]);
    assert_eq!(inline_pieces(""), Vec::<Inline>::new());
}
