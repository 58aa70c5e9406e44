//! Strategies: the rules that pick cooperate or defect in a pairwise game.
//!
//! Owns: the list of strategies, their names in scenario files (`tft`, `gtft(0.3)`,
//! `random(0.5)`), and how each one turns what an agent remembers of a partner into an
//! action. Must never: touch state; a strategy reads a view's memory and returns an action.

use super::tie::{Action, ViewState};
use crate::engine::streams::Draw;
use serde::{Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A rule for choosing an action against one partner.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Strategy {
    /// Cooperate with probability `trust + norm − 0.5`, clamped to [0, 1]: rising with the
    /// trust toward the partner, shifted by the agent's own norm.
    Conditional,
    /// Tit for tat: cooperate first, then do what the partner did last (as perceived).
    Tft,
    /// Generous tit for tat: as TFT, but answer a defection with cooperation with
    /// probability `generosity` (in [0, 1]).
    Gtft { generosity: f64 },
    /// Win–stay, lose–shift (Pavlov): cooperate first; keep the last action after the
    /// partner cooperated (payoff R or T), switch after it defected (payoff S or P).
    Wsls,
    /// Cooperate until the partner defects once (as perceived), then defect for ever.
    Grudger,
    /// Always cooperate.
    Allc,
    /// Always defect.
    Alld,
    /// Cooperate with probability `p` (in [0, 1]), independently each time.
    Random { p: f64 },
    /// Suspicious tit for tat: defect first, then do what the partner did last.
    Stft,
    /// Tit for two tats: cooperate unless the partner's last two actions were both
    /// defections (as perceived).
    Tf2t,
    /// Cooperate first, then do the opposite of its own last action: C, D, C, D...
    Alternator,
}

/// Generosity of `gtft` when none is given: Nowak & Sigmund's value for the default
/// prisoner's dilemma (3, 0, 5, 1): min(1 − (T−R)/(R−S), (R−P)/(T−P)) = 1/3.
pub const DEFAULT_GENEROSITY: f64 = 1.0 / 3.0;

/// Every strategy name, for messages that list what is valid. New names go at the end:
/// the position is the family index of per-strategy tallies.
pub const STRATEGY_NAMES: [&str; 11] = [
    "conditional",
    "tft",
    "gtft",
    "wsls",
    "grudger",
    "allc",
    "alld",
    "random",
    "stft",
    "tf2t",
    "alternator",
];

/// The families every run reports in `strategy_share` (the first eight names); the later
/// ones are reported only by scenarios that use them, so older scenarios keep their files.
pub const ALWAYS_REPORTED_FAMILIES: usize = 8;

impl Strategy {
    /// The action toward a partner, given this agent's view of it, its trust in the partner
    /// (in [0, 1]) and its norm (in [0, 1]). `rng` is the agent's action stream this step.
    pub fn choose(self, view: &ViewState, trust: f64, norm: f64, rng: &mut impl Draw) -> Action {
        let partner_last = view.memory.partner_last();
        match self {
            Strategy::Conditional => Action::cooperate_if(rng.chance(trust + norm - 0.5)),
            Strategy::Tft => partner_last.unwrap_or(Action::Cooperate),
            Strategy::Gtft { generosity } => match partner_last {
                Some(Action::Defect) if !rng.chance(generosity) => Action::Defect,
                _ => Action::Cooperate,
            },
            Strategy::Wsls => match (view.memory.own_last(), partner_last) {
                (Some(own), Some(Action::Cooperate)) => own,
                (Some(own), Some(Action::Defect)) => own.opposite(),
                _ => Action::Cooperate,
            },
            Strategy::Grudger => Action::cooperate_if(!view.memory.grudge()),
            Strategy::Allc => Action::Cooperate,
            Strategy::Alld => Action::Defect,
            Strategy::Random { p } => Action::cooperate_if(rng.chance(p)),
            Strategy::Stft => partner_last.unwrap_or(Action::Defect),
            Strategy::Tf2t => Action::cooperate_if(!view.memory.partner_defected_twice()),
            Strategy::Alternator => view
                .memory
                .own_last()
                .map_or(Action::Cooperate, Action::opposite),
        }
    }

    /// Position in [`STRATEGY_NAMES`], for per-strategy tallies.
    pub fn family_index(self) -> usize {
        match self {
            Strategy::Conditional => 0,
            Strategy::Tft => 1,
            Strategy::Gtft { .. } => 2,
            Strategy::Wsls => 3,
            Strategy::Grudger => 4,
            Strategy::Allc => 5,
            Strategy::Alld => 6,
            Strategy::Random { .. } => 7,
            Strategy::Stft => 8,
            Strategy::Tf2t => 9,
            Strategy::Alternator => 10,
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::Gtft { generosity } => write!(f, "gtft({generosity})"),
            Strategy::Random { p } => write!(f, "random({p})"),
            other => f.write_str(STRATEGY_NAMES[other.family_index()]),
        }
    }
}

impl Serialize for Strategy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl FromStr for Strategy {
    type Err = String;
    /// Parses `tft`, `gtft`, `gtft(0.2)`, `random`, `random(0.3)`...; the message lists
    /// what is valid and suggests the nearest name.
    fn from_str(text: &str) -> Result<Strategy, String> {
        let text = text.trim();
        let (name, argument) = match text.split_once('(') {
            Some((name, rest)) => {
                let Some((inner, after)) = rest.split_once(')') else {
                    return Err(format!("`{text}` is missing its closing `)`"));
                };
                if !after.trim().is_empty() {
                    return Err(format!(
                        "`{text}` has `{}` after its closing `)`",
                        after.trim()
                    ));
                }
                let name = name.trim();
                if !matches!(name, "gtft" | "random") && STRATEGY_NAMES.contains(&name) {
                    return Err(format!(
                        "strategy `{name}` takes no parameter; only gtft(g) and random(p) do"
                    ));
                }
                (name, Some(parse_probability(text, inner)?))
            }
            None => (text, None),
        };
        let strategy = match (name, argument) {
            ("conditional", None) => Strategy::Conditional,
            ("tft", None) => Strategy::Tft,
            ("gtft", generosity) => Strategy::Gtft {
                generosity: generosity.unwrap_or(DEFAULT_GENEROSITY),
            },
            ("wsls", None) => Strategy::Wsls,
            ("grudger", None) => Strategy::Grudger,
            ("allc", None) => Strategy::Allc,
            ("alld", None) => Strategy::Alld,
            ("stft", None) => Strategy::Stft,
            ("tf2t", None) => Strategy::Tf2t,
            ("alternator", None) => Strategy::Alternator,
            ("random", p) => Strategy::Random {
                p: p.unwrap_or(0.5),
            },
            (unknown, _) => {
                let hint = crate::scenario::suggest(unknown, STRATEGY_NAMES)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "unknown strategy `{unknown}`{hint}; strategies are {}, gtft(g) and random(p) with g, p in [0, 1]",
                    STRATEGY_NAMES.join(", ")
                ));
            }
        };
        Ok(strategy)
    }
}

fn parse_probability(whole: &str, inner: &str) -> Result<f64, String> {
    match inner.trim().parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!(
            "the parameter of `{whole}` must be a number in [0, 1]"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Purpose, Streams};
    use crate::model::tie::Memory;

    fn view_after(partner: Option<Action>, own: Option<Action>) -> ViewState {
        let mut memory = Memory::default();
        if let (Some(partner), Some(own)) = (partner, own) {
            memory.remember(own, partner);
        }
        ViewState {
            memory,
            ..ViewState::default()
        }
    }

    #[test]
    fn names_round_trip_and_errors_help() {
        for text in [
            "conditional",
            "tft",
            "gtft(0.25)",
            "wsls",
            "grudger",
            "allc",
            "alld",
            "random(0.3)",
            "stft",
            "tf2t",
            "alternator",
        ] {
            let strategy: Strategy = text.parse().unwrap();
            assert_eq!(strategy.to_string(), text);
        }
        assert_eq!(
            "gtft".parse::<Strategy>().unwrap(),
            Strategy::Gtft {
                generosity: DEFAULT_GENEROSITY
            }
        );
        assert!(
            "tf".parse::<Strategy>()
                .unwrap_err()
                .contains("did you mean `tft`")
        );
        assert!(
            "random(2)"
                .parse::<Strategy>()
                .unwrap_err()
                .contains("[0, 1]")
        );
        assert!(
            "tft(0.1)"
                .parse::<Strategy>()
                .unwrap_err()
                .contains("takes no parameter")
        );
        assert!(
            "random(0.1"
                .parse::<Strategy>()
                .unwrap_err()
                .contains("closing")
        );
        let error = "allc()".parse::<Strategy>().unwrap_err();
        assert!(error.contains("`allc` takes no parameter"), "{error}");
        let error = "gtft(0.1)x".parse::<Strategy>().unwrap_err();
        assert!(error.contains("has `x` after its closing"), "{error}");
    }

    #[test]
    fn deterministic_strategies_answer_as_defined() {
        let mut rng = Streams::new(1, 0).rng(Purpose::Action, 0, 0);
        let (c, d) = (Action::Cooperate, Action::Defect);
        let fresh = view_after(None, None);
        for strategy in [
            Strategy::Tft,
            Strategy::Wsls,
            Strategy::Grudger,
            Strategy::Allc,
        ] {
            assert_eq!(strategy.choose(&fresh, 0.5, 0.5, &mut rng), c, "{strategy}");
        }
        assert_eq!(Strategy::Alld.choose(&fresh, 1.0, 1.0, &mut rng), d);
        assert_eq!(
            Strategy::Tft.choose(&view_after(Some(d), Some(c)), 0.5, 0.5, &mut rng),
            d
        );
        // WSLS: after (C, D) lose → shift to D; after (D, C) win → stay D; after (D, D) → C.
        assert_eq!(
            Strategy::Wsls.choose(&view_after(Some(d), Some(c)), 0.5, 0.5, &mut rng),
            d
        );
        assert_eq!(
            Strategy::Wsls.choose(&view_after(Some(c), Some(d)), 0.5, 0.5, &mut rng),
            d
        );
        assert_eq!(
            Strategy::Wsls.choose(&view_after(Some(d), Some(d)), 0.5, 0.5, &mut rng),
            c
        );
        // Grudger never forgives, even after the partner cooperates again.
        let mut grudging = view_after(Some(d), Some(c));
        grudging.memory.remember(c, c);
        assert_eq!(Strategy::Grudger.choose(&grudging, 0.5, 0.5, &mut rng), d);
        assert_eq!(Strategy::Tft.choose(&grudging, 0.5, 0.5, &mut rng), c);
        // Suspicious TFT opens with D, then copies.
        assert_eq!(Strategy::Stft.choose(&fresh, 1.0, 1.0, &mut rng), d);
        assert_eq!(
            Strategy::Stft.choose(&view_after(Some(c), Some(d)), 0.5, 0.5, &mut rng),
            c
        );
        // TF2T forgives one defection, not two in a row.
        let once = view_after(Some(d), Some(c));
        assert_eq!(Strategy::Tf2t.choose(&fresh, 0.5, 0.5, &mut rng), c);
        assert_eq!(Strategy::Tf2t.choose(&once, 0.5, 0.5, &mut rng), c);
        let mut twice = once;
        twice.memory.remember(c, d);
        assert_eq!(Strategy::Tf2t.choose(&twice, 0.5, 0.5, &mut rng), d);
        // The alternator opens with C and flips its own last action.
        assert_eq!(Strategy::Alternator.choose(&fresh, 0.5, 0.5, &mut rng), c);
        assert_eq!(Strategy::Alternator.choose(&once, 0.5, 0.5, &mut rng), d);
        assert_eq!(
            Strategy::Alternator.choose(&view_after(Some(c), Some(d)), 0.5, 0.5, &mut rng),
            c
        );
    }

    #[test]
    fn stochastic_strategies_match_their_probabilities() {
        let mut rng = Streams::new(2, 0).rng(Purpose::Action, 0, 0);
        let n = 40_000;
        let after_defection = view_after(Some(Action::Defect), Some(Action::Cooperate));
        let count = |strategy: Strategy, view: &ViewState, trust: f64, norm: f64, rng: &mut _| {
            (0..n)
                .filter(|_| strategy.choose(view, trust, norm, rng) == Action::Cooperate)
                .count() as f64
                / n as f64
        };
        // Binomial(40000, p): sd <= 0.0025; tolerance 0.015 is 6 sd.
        let gtft = count(
            Strategy::Gtft { generosity: 0.3 },
            &after_defection,
            0.5,
            0.5,
            &mut rng,
        );
        assert!((gtft - 0.3).abs() < 0.015, "{gtft}");
        let random = count(
            Strategy::Random { p: 0.7 },
            &after_defection,
            0.5,
            0.5,
            &mut rng,
        );
        assert!((random - 0.7).abs() < 0.015, "{random}");
        let conditional = count(Strategy::Conditional, &after_defection, 0.4, 0.7, &mut rng);
        assert!((conditional - 0.6).abs() < 0.015, "{conditional}");
        assert_eq!(
            count(Strategy::Conditional, &after_defection, 0.1, 0.2, &mut rng),
            0.0
        );
    }
}
