//! What a sweep or a sensitivity analysis varies: `--vary KEY=...` parsed into values.
//!
//! Owns: the three forms of `--vary` and the scenario values they stand for:
//! - `KEY=START:STOP:COUNT`: COUNT evenly spaced values from START to STOP, both included;
//! - `KEY=a,b,c`: the listed values (TOML literals, or bare names such as `fermi`);
//! - `KEY=MIN:MAX`: a continuous range, sampled by a Latin hypercube or a sensitivity design.
//!
//! A value reaches the scenario as a `--set KEY=VALUE` override, so every key a scenario
//! file has can be varied, and a value the key does not accept is reported by the scenario's
//! own validation, naming the key.
//! Must never: load or validate scenarios (the caller does, once per point).

use serde::{Deserialize, Serialize};
use std::fmt;

/// One `--vary` argument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vary {
    /// The dotted scenario key, e.g. `policy.transparency`.
    pub key: String,
    pub values: VaryValues,
}

/// The values of a [`Vary`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VaryValues {
    /// Discrete values in order (from `START:STOP:COUNT` or `a,b,c`).
    List(Vec<Level>),
    /// A continuous range; `integer` when the key takes whole numbers only (the plan finds
    /// out from the scenario), in which case sampled values are rounded to the nearest one.
    Range { min: f64, max: f64, integer: bool },
}

/// One value a key takes: the TOML text handed to the scenario, and its number if it is one
/// (for plots and statistics; names such as `fermi` have none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub text: String,
    pub number: Option<f64>,
}

impl Level {
    /// A number as a TOML value: integers as such when `integer`, floats with a decimal
    /// point, rounded to 12 significant digits so that 0.1 + 0.2 is written 0.3.
    pub fn of_number(value: f64, integer: bool) -> Level {
        if integer {
            let rounded = value.round();
            return Level {
                text: format!("{rounded:.0}"),
                number: Some(rounded),
            };
        }
        let tidy: f64 = format!("{value:.11e}").parse().unwrap_or(value);
        let mut text = format!("{tidy}");
        if !text.contains(['.', 'e', 'E', 'i', 'n']) {
            text.push_str(".0");
        }
        Level {
            text,
            number: Some(tidy),
        }
    }
}

/// Why a `--vary` argument cannot be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("--vary {argument}: {reason}")]
pub struct VaryError {
    pub argument: String,
    pub reason: String,
}

/// The most values one `--vary` may list or generate.
pub const MAX_LEVELS: usize = 10_000;

impl Vary {
    /// Reads `KEY=START:STOP:COUNT`, `KEY=a,b,c` or `KEY=MIN:MAX`.
    pub fn parse(argument: &str) -> Result<Vary, VaryError> {
        let fail = |reason: String| VaryError {
            argument: argument.to_string(),
            reason,
        };
        let Some((key, spec)) = argument.split_once('=') else {
            return Err(fail(
                "expected KEY=START:STOP:COUNT, KEY=a,b,c or KEY=MIN:MAX, e.g. --vary policy.transparency=0:1:5".into(),
            ));
        };
        let (key, spec) = (key.trim(), spec.trim());
        if key.is_empty() || key.contains(char::is_whitespace) {
            return Err(fail(format!(
                "`{key}` is not a scenario key; write it dotted, e.g. policy.transparency"
            )));
        }
        if spec.is_empty() {
            return Err(fail("nothing after `=`".into()));
        }
        let values = if spec.contains(':') && !spec.starts_with(['"', '\'', '[', '{']) {
            parse_range(spec).map_err(fail)?
        } else {
            parse_list(spec).map_err(fail)?
        };
        Ok(Vary {
            key: key.to_string(),
            values,
        })
    }

    /// The values of a list, or `None` for a continuous range.
    pub fn levels(&self) -> Option<&[Level]> {
        match &self.values {
            VaryValues::List(levels) => Some(levels),
            VaryValues::Range { .. } => None,
        }
    }

    /// The value at position `unit` in [0, 1) of this key's range: for a range, the linear
    /// position (rounded for integer ranges); for a list, the element of the stratum `unit`
    /// falls in (so a Latin hypercube spreads evenly over the names).
    pub fn at_unit(&self, unit: f64) -> Level {
        match &self.values {
            VaryValues::Range { min, max, integer } => {
                let value = if unit >= 1.0 {
                    *max
                } else {
                    min + unit * (max - min)
                };
                Level::of_number(value, *integer)
            }
            VaryValues::List(levels) => {
                let index = ((unit * levels.len() as f64) as usize).min(levels.len() - 1);
                levels[index].clone()
            }
        }
    }

    /// `KEY=VALUE` for the scenario.
    pub fn assignment(&self, level: &Level) -> String {
        format!("{}={}", self.key, level.text)
    }
}

impl fmt::Display for Vary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.values {
            VaryValues::List(levels) => {
                let texts: Vec<&str> = levels.iter().map(|l| l.text.as_str()).collect();
                write!(f, "{}={}", self.key, texts.join(","))
            }
            VaryValues::Range { min, max, .. } => write!(f, "{}={min}:{max}", self.key),
        }
    }
}

fn parse_range(spec: &str) -> Result<VaryValues, String> {
    let parts: Vec<&str> = spec.split(':').map(str::trim).collect();
    let number = |text: &str| -> Result<f64, String> {
        text.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("`{text}` is not a finite number"))
    };
    let is_integer = |text: &str| text.parse::<i64>().is_ok();
    match parts.as_slice() {
        [min, max] => {
            let (low, high) = (number(min)?, number(max)?);
            if low >= high {
                return Err(format!("MIN ({min}) must be below MAX ({max})"));
            }
            Ok(VaryValues::Range {
                min: low,
                max: high,
                integer: false,
            })
        }
        [start, stop, count] => {
            let (first, last) = (number(start)?, number(stop)?);
            let count: usize = count
                .parse()
                .ok()
                .filter(|&n| (1..=MAX_LEVELS).contains(&n))
                .ok_or_else(|| {
                    format!("COUNT `{count}` must be a whole number from 1 to {MAX_LEVELS}")
                })?;
            if count > 1 && first == last {
                return Err(format!("START and STOP are equal ({start}); use COUNT 1"));
            }
            let step = if count > 1 {
                (last - first) / (count - 1) as f64
            } else {
                0.0
            };
            let integer = is_integer(start) && is_integer(stop) && step.fract() == 0.0;
            let levels = (0..count)
                .map(|i| {
                    let value = if i + 1 == count && count > 1 {
                        last
                    } else {
                        first + i as f64 * step
                    };
                    Level::of_number(value, integer)
                })
                .collect();
            Ok(VaryValues::List(levels))
        }
        _ => Err("a range is START:STOP:COUNT or MIN:MAX".into()),
    }
}

fn parse_list(spec: &str) -> Result<VaryValues, String> {
    let levels: Vec<Level> = split_top_level(spec)
        .into_iter()
        .map(|text| {
            let text = text.trim();
            Level {
                text: text.to_string(),
                number: text.parse::<f64>().ok().filter(|x| x.is_finite()),
            }
        })
        .collect();
    if let Some(empty) = levels.iter().position(|l| l.text.is_empty()) {
        return Err(format!("value {} of the list is empty", empty + 1));
    }
    if levels.len() > MAX_LEVELS {
        return Err(format!("more than {MAX_LEVELS} values"));
    }
    for (i, level) in levels.iter().enumerate() {
        if levels[..i].iter().any(|l| l.text == level.text) {
            return Err(format!("`{}` is listed twice", level.text));
        }
    }
    Ok(VaryValues::List(levels))
}

/// Splits at commas outside quotes and brackets, so `[1,2],[3,4]` is two values.
fn split_top_level(spec: &str) -> Vec<&str> {
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    let mut parts = Vec::new();
    for (i, c) in spec.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&spec[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&spec[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(vary: &Vary) -> Vec<String> {
        vary.levels()
            .unwrap()
            .iter()
            .map(|l| l.text.clone())
            .collect()
    }

    #[test]
    fn evenly_spaced_values_include_both_ends_and_print_tidily() {
        let vary = Vary::parse("policy.transparency=0.1:0.3:3").unwrap();
        assert_eq!(vary.key, "policy.transparency");
        assert_eq!(texts(&vary), ["0.1", "0.2", "0.3"]);
        let vary = Vary::parse("a.b=0:1:5").unwrap();
        assert_eq!(texts(&vary), ["0.0", "0.25", "0.5", "0.75", "1.0"]);
        let vary = Vary::parse("run.steps=10:50:5").unwrap();
        assert_eq!(texts(&vary), ["10", "20", "30", "40", "50"]);
        // Integer ends but a fractional step: floats.
        let vary = Vary::parse("x=0:1:3").unwrap();
        assert_eq!(texts(&vary), ["0.0", "0.5", "1.0"]);
        assert_eq!(texts(&Vary::parse("x=7:7:1").unwrap()), ["7"]);
    }

    #[test]
    fn lists_keep_names_and_toml_values() {
        let vary = Vary::parse("learning.rule=fermi,imitate_best, none").unwrap();
        assert_eq!(texts(&vary), ["fermi", "imitate_best", "none"]);
        assert_eq!(vary.levels().unwrap()[0].number, None);
        let vary = Vary::parse("k=[1,2],[3,4]").unwrap();
        assert_eq!(texts(&vary), ["[1,2]", "[3,4]"]);
        let vary = Vary::parse("k=0.5,2").unwrap();
        assert_eq!(vary.levels().unwrap()[1].number, Some(2.0));
        assert_eq!(vary.assignment(&vary.levels().unwrap()[0]), "k=0.5");
    }

    #[test]
    fn ranges_sample_inside_and_round_integers() {
        let mut vary = Vary::parse("x=2:4").unwrap();
        assert_eq!(
            vary.values,
            VaryValues::Range {
                min: 2.0,
                max: 4.0,
                integer: false
            }
        );
        assert_eq!(vary.at_unit(0.25).text, "2.5");
        vary.values = VaryValues::Range {
            min: 2.0,
            max: 4.0,
            integer: true,
        };
        assert_eq!(vary.at_unit(0.0).text, "2");
        assert_eq!(vary.at_unit(0.74).text, "3");
        assert_eq!(vary.at_unit(1.0).text, "4");
        let vary = Vary::parse("x=0.0:1").unwrap();
        assert_eq!(vary.at_unit(0.25).text, "0.25");
        let list = Vary::parse("r=a,b,c").unwrap();
        assert_eq!(list.at_unit(0.34).text, "b");
        assert_eq!(list.at_unit(0.999).text, "c");
    }

    #[test]
    fn bad_forms_say_what_would_be_valid() {
        for (argument, needle) in [
            ("transparency", "expected KEY=START:STOP:COUNT"),
            ("a=", "nothing after"),
            ("a=1:0", "must be below"),
            ("a=0:1:0", "COUNT `0`"),
            ("a=0:1:x", "COUNT `x`"),
            ("a=0:x:3", "`x` is not a finite number"),
            ("a=1:2:3:4", "START:STOP:COUNT or MIN:MAX"),
            ("a=1,,2", "value 2 of the list is empty"),
            ("a=1,1", "listed twice"),
            ("a=3:3:2", "use COUNT 1"),
            ("a b=1,2", "not a scenario key"),
        ] {
            let err = Vary::parse(argument).unwrap_err().to_string();
            assert!(err.contains(needle), "{argument}: {err}");
            assert!(err.starts_with(&format!("--vary {argument}")), "{err}");
        }
    }
}
