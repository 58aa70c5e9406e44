//! Where each key of a merged scenario was written: which layer (file, preset or `--set`
//! argument) and which line.
//!
//! Owns: mapping an error's key path back to the layer and line to blame.
//! Must never: read files or interpret values.

use std::collections::HashMap;

/// Where each key of the merged table was last set: per layer, key path → line, and the
/// tables the layer reset by changing their `kind` (keys below them in older layers are
/// gone, so errors there are not theirs).
#[derive(Clone, Debug, Default)]
pub struct Locations {
    pub(super) layers: Vec<LayerLocations>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct LayerLocations {
    pub(super) origin: String,
    pub(super) lines: HashMap<String, usize>,
    pub(super) resets: Vec<String>,
}

impl Locations {
    /// The origin and line of `path`, or of its nearest enclosing table that some layer
    /// wrote; falls back to the top scenario's origin with no line.
    pub fn find(&self, path: &str) -> (String, Option<usize>) {
        match self.layer_and_line(path) {
            Some((layer, line)) => (self.layers[layer].origin.clone(), line),
            None => (self.top_file_origin(), None),
        }
    }

    /// Like [`Locations::find`] for a rule between keys: `path` is the key the problem is
    /// reported at, `message` may name the other keys of the rule (as dotted paths). The
    /// layer that wrote last among them is blamed (a `--set` that broke a rule with a
    /// preset's key is the argument's fault), with `path`'s line if that layer wrote it.
    pub fn find_blamed(&self, path: &str, message: &str) -> (String, Option<usize>) {
        let own = self.layer_and_line(path);
        // Only layers that wrote a mentioned key itself: a table on the way is not enough.
        let latest_other = mentioned_paths(message)
            .filter_map(|other| {
                let (layer, line) = self.layer_and_line(other)?;
                self.layers[layer]
                    .lines
                    .contains_key(other)
                    .then_some((layer, line))
            })
            .max_by_key(|(layer, _)| *layer);
        match (own, latest_other) {
            (Some((mine, _)), Some((other, line))) if other > mine => {
                (self.layers[other].origin.clone(), line)
            }
            (None, Some((other, line))) => (self.layers[other].origin.clone(), line),
            _ => self.find(path),
        }
    }

    /// The latest layer that wrote `path` or its nearest enclosing table, and the line.
    fn layer_and_line(&self, path: &str) -> Option<(usize, Option<usize>)> {
        let mut probe = path.to_string();
        loop {
            for (index, layer) in self.layers.iter().enumerate().rev() {
                if let Some(line) = layer.lines.get(&probe) {
                    return Some((index, (*line > 0).then_some(*line)));
                }
                if layer
                    .resets
                    .iter()
                    .any(|table| is_within(&probe, table) && probe != *table)
                {
                    break; // older layers' keys below a reset table no longer exist
                }
            }
            let cut = probe.rfind(['.', '['])?;
            probe.truncate(cut);
        }
    }

    fn top_file_origin(&self) -> String {
        self.layers
            .iter()
            .rev()
            .find(|layer| !layer.origin.starts_with("--set"))
            .map(|layer| layer.origin.clone())
            .unwrap_or_default()
    }
}

/// Whether key path `path` is `table` or lies below it.
pub(super) fn is_within(path: &str, table: &str) -> bool {
    path == table
        || path
            .strip_prefix(table)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Dotted key paths written in a message (`trust.conflict_below`): words of letters,
/// digits, `_` and `~` joined by dots, with at least one dot.
fn mentioned_paths(message: &str) -> impl Iterator<Item = &str> {
    message
        .split(|c: char| !(c.is_alphanumeric() || "._~[]".contains(c)))
        .map(|word| word.trim_matches('.'))
        .filter(|word| word.contains('.') && word.starts_with(|c: char| c.is_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(origin: &str, keys: &[(&str, usize)]) -> LayerLocations {
        LayerLocations {
            origin: origin.into(),
            lines: keys.iter().map(|(k, l)| (k.to_string(), *l)).collect(),
            resets: Vec::new(),
        }
    }

    #[test]
    fn a_rule_broken_by_a_later_layer_is_blamed_on_it() {
        let locations = Locations {
            layers: vec![
                layer(
                    "base.toml",
                    &[
                        ("trust", 3),
                        ("trust.break_below", 5),
                        ("trust.conflict_below", 4),
                    ],
                ),
                layer(
                    "--set trust.conflict_below=0",
                    &[("trust", 0), ("trust.conflict_below", 0)],
                ),
            ],
        };
        let message = "(0.1) must not exceed trust.conflict_below (0): a tie turns";
        assert_eq!(
            locations.find_blamed("trust.break_below", message),
            ("--set trust.conflict_below=0".to_string(), None)
        );
        assert_eq!(
            locations.find_blamed("trust.break_below", "must be at most 1"),
            ("base.toml".to_string(), Some(5))
        );
        let words: Vec<&str> =
            mentioned_paths("needs b > c (got run.steps = 3.5, `a.b[0].c`).").collect();
        assert_eq!(words, ["run.steps", "a.b[0].c"]);
    }
}
