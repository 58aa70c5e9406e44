//! Lines of a scenario's text: the line of every key, and TOML syntax errors with theirs.
//!
//! Owns: turning byte offsets into 1-based line numbers, in time linear in the text (a
//! file of a million keys must not take a million scans of itself), and the wording of
//! syntax errors.
//! Must never: interpret values or decide whether a key is valid.

use super::join_key;
use crate::scenario::error::{ScenarioError, ScenarioErrorKind};
use std::collections::HashMap;

/// Byte offsets where each line of a text starts, to find the line of an offset by
/// binary search.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> Self {
        let breaks = text.bytes().enumerate().filter(|(_, b)| *b == b'\n');
        LineStarts(
            std::iter::once(0)
                .chain(breaks.map(|(i, _)| i + 1))
                .collect(),
        )
    }

    /// 1-based line of byte `offset` (offsets past the end are on the last line).
    fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

/// Levels of nesting past which the TOML reader stops (so that deep input cannot overflow
/// the stack).
const TOML_NESTING_LIMIT: usize = 80;

/// What the TOML reader found wrong, in words a scenario writer knows.
pub(super) fn toml_reason(err: &toml::de::Error) -> String {
    let reason = err.message().trim_end();
    if reason.contains("recurs") {
        format!(
            "values are nested more than {TOML_NESTING_LIMIT} levels deep (arrays, inline \
             tables or dotted keys); a scenario needs at most 4"
        )
    } else if reason.contains("value was too large") {
        "a whole number past 9223372036854775807, the largest TOML integer".to_string()
    } else {
        reason.to_string()
    }
}

/// A syntax error of the TOML reader, at its line. The reader gives no place for a dotted
/// key past its nesting limit: that is the first line with that many dots.
pub(super) fn syntax_error(err: &toml::de::Error, text: &str, origin: &str) -> ScenarioError {
    let line = match err.span() {
        Some(span) => Some(LineStarts::new(text).line_of(span.start)),
        None => text
            .lines()
            .position(|line| line.matches('.').count() + 1 >= TOML_NESTING_LIMIT)
            .map(|index| index + 1),
    };
    ScenarioError {
        kind: ScenarioErrorKind::Syntax,
        origin: origin.to_string(),
        line,
        key: None,
        message: format!("this is not valid TOML: {}", toml_reason(err)),
    }
}

/// Dotted path → line of every key in `text`.
pub(super) fn key_lines(text: &str, origin: &str) -> Result<HashMap<String, usize>, ScenarioError> {
    let document =
        toml::de::DeTable::parse(text).map_err(|err| syntax_error(&err, text, origin))?;
    let starts = LineStarts::new(text);
    let mut lines = HashMap::new();
    walk_table(document.get_ref(), "", &starts, &mut lines);
    Ok(lines)
}

fn walk_table(
    table: &toml::de::DeTable<'_>,
    prefix: &str,
    starts: &LineStarts,
    lines: &mut HashMap<String, usize>,
) {
    for (key, value) in table.iter() {
        let path = join_key(prefix, key.get_ref());
        lines
            .entry(path.clone())
            .or_insert_with(|| starts.line_of(key.span().start));
        walk_value(value.get_ref(), &path, starts, lines);
    }
}

fn walk_value(
    value: &toml::de::DeValue<'_>,
    path: &str,
    starts: &LineStarts,
    lines: &mut HashMap<String, usize>,
) {
    if let Some(table) = value.as_table() {
        walk_table(table, path, starts, lines);
    } else if let Some(array) = value.as_array() {
        for (index, item) in array.iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            lines
                .entry(item_path.clone())
                .or_insert_with(|| starts.line_of(item.span().start));
            walk_value(item.get_ref(), &item_path, starts, lines);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_the_lines_that_hold_them() {
        let starts = LineStarts::new("ab\ncd\n\nef");
        let lines: Vec<usize> = (0..=10).map(|offset| starts.line_of(offset)).collect();
        // a b \n | c d \n | \n | e f, then past the end
        assert_eq!(lines, [1, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4]);
        assert_eq!(LineStarts::new("").line_of(0), 1);
    }

    #[test]
    fn many_keys_are_mapped_in_linear_time() {
        // 200 000 keys: a scan of the text per key (the old way) would take 2·10^11 steps.
        let text: String = (0..200_000).map(|i| format!("k{i} = 1\n")).collect();
        let lines = key_lines(&text, "t").unwrap();
        assert_eq!(lines["k0"], 1);
        assert_eq!(lines["k199999"], 200_000);
    }
}
