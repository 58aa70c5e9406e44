//! `[game]`: pairwise games as written in a scenario, and turning them into games to play.
//!
//! Owns: the `[game]` table (a default game, overrides per tie kind, the conflict game),
//! filling missing keys (from the default game, or from the built-in ones), and the checks
//! that a game has the keys its kind needs and no keys it ignores.

use crate::model::game::{GAME_KIND_NAMES, GameKind, PairGame, Payoffs};
use crate::model::role::TieKind;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A pairwise game as written: the fields a kind needs (DESIGN §5.1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GameSpec {
    /// pd | snowdrift | stag_hunt | matrix | donation | weak_pd.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<GameKind>,
    /// { R, S, T, P } for pd, snowdrift, stag_hunt and matrix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payoffs: Option<Payoffs>,
    /// donation: benefit to the receiver; weak_pd: the temptation T.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<f64>,
    /// donation: cost to the giver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub c: Option<f64>,
    /// Each agent also plays itself once per step (Nowak & May); only in the default
    /// `[game]`, and the game played is that of its own role pair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_interaction: Option<bool>,
}

/// `[game]`: the default game, `[game.<tie kind>]` overrides per kind of tie, and
/// `[game.conflict]` the dissociative game played on conflict ties. An override's missing
/// keys are taken from the default game.
#[derive(Clone, Debug, PartialEq)]
pub struct GameSettings {
    pub default: GameSpec,
    pub by_kind: BTreeMap<TieKind, GameSpec>,
    pub conflict: GameSpec,
}

impl Default for GameSettings {
    fn default() -> Self {
        GameSettings {
            default: GameSpec {
                kind: Some(GameKind::Pd),
                payoffs: Some(Payoffs {
                    reward: 3.0,
                    sucker: 0.0,
                    temptation: 5.0,
                    punishment: 1.0,
                }),
                ..GameSpec::default()
            },
            by_kind: BTreeMap::new(),
            conflict: GameSpec {
                kind: Some(GameKind::Matrix),
                payoffs: Some(Payoffs {
                    reward: 1.0,
                    sucker: -2.0,
                    temptation: 2.0,
                    punishment: -1.0,
                }),
                ..GameSpec::default()
            },
        }
    }
}

const GAME_KEYS: [&str; 10] = [
    "kind",
    "payoffs",
    "b",
    "c",
    "self_interaction",
    "educative",
    "cultural",
    "institutional",
    "internal",
    "conflict",
];

impl Serialize for GameSettings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        let spec = &self.default;
        if let Some(kind) = &spec.kind {
            map.serialize_entry("kind", kind)?;
        }
        if let Some(payoffs) = &spec.payoffs {
            map.serialize_entry("payoffs", payoffs)?;
        }
        for (key, value) in [("b", spec.b), ("c", spec.c)] {
            if let Some(value) = value {
                map.serialize_entry(key, &value)?;
            }
        }
        if let Some(flag) = spec.self_interaction {
            map.serialize_entry("self_interaction", &flag)?;
        }
        for (kind, spec) in &self.by_kind {
            map.serialize_entry(kind.name(), spec)?;
        }
        map.serialize_entry("conflict", &self.conflict)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for GameSettings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct GameVisitor;
        impl<'de> Visitor<'de> for GameVisitor {
            type Value = GameSettings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a [game] table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GameSettings, A::Error> {
                let mut games = GameSettings::default();
                let mut default_given = GameSpec::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "kind" => default_given.kind = Some(map.next_value()?),
                        "payoffs" => default_given.payoffs = Some(map.next_value()?),
                        "b" => default_given.b = Some(map.next_value()?),
                        "c" => default_given.c = Some(map.next_value()?),
                        "self_interaction" => {
                            default_given.self_interaction = Some(map.next_value()?)
                        }
                        "conflict" => games.conflict = map.next_value()?,
                        other => match TieKind::ALL.iter().find(|k| k.name() == other) {
                            Some(kind) => {
                                games.by_kind.insert(*kind, map.next_value()?);
                            }
                            None => return Err(de::Error::unknown_field(other, &GAME_KEYS)),
                        },
                    }
                }
                games.default = fill_from_builtin(default_given);
                Ok(games)
            }
        }
        deserializer.deserialize_map(GameVisitor)
    }
}

/// The default game as given, its missing keys taken from the built-in prisoner's dilemma
/// (its payoffs only when the kind is still `pd`).
fn fill_from_builtin(given: GameSpec) -> GameSpec {
    let builtin = GameSettings::default().default;
    let same_kind = given.kind.is_none() || given.kind == builtin.kind;
    GameSpec {
        kind: given.kind.or(builtin.kind),
        payoffs: given
            .payoffs
            .or(if same_kind { builtin.payoffs } else { None }),
        ..given
    }
}

/// What is wrong with a game: the key (`payoffs`, `b`, `c`) and why.
pub type GameProblem = (&'static str, String);

/// The game a spec describes, its missing keys taken from `default`; `Err` names the key
/// and says what is wrong (validation adds the table's path).
pub fn resolve_game(
    spec: &GameSpec,
    default: &GameSpec,
) -> (Result<PairGame, GameProblem>, GameKind) {
    let kind = spec.kind.or(default.kind).unwrap_or(GameKind::Pd);
    let merged = GameSpec {
        kind: Some(kind),
        payoffs: spec.payoffs.or(default.payoffs),
        b: spec.b.or(default.b),
        c: spec.c.or(default.c),
        self_interaction: spec.self_interaction.or(default.self_interaction),
    };
    (build_game(&merged, kind), kind)
}

/// The conflict game: missing keys come from the built-in conflict game, not the default.
pub fn resolve_conflict_game(spec: &GameSpec) -> (Result<PairGame, GameProblem>, GameKind) {
    resolve_game(spec, &GameSettings::default().conflict)
}

fn build_game(spec: &GameSpec, kind: GameKind) -> Result<PairGame, GameProblem> {
    let payoffs = match kind {
        GameKind::Donation => match (spec.b, spec.c) {
            (Some(b), Some(c)) if b.is_finite() && c.is_finite() && b > c && c > 0.0 => {
                Payoffs::donation(b, c)
            }
            (Some(b), Some(c)) => {
                // Blame the cost when it is itself out of range, else the benefit.
                let key = if c.is_finite() && c > 0.0 { "b" } else { "c" };
                return Err((
                    key,
                    format!("a donation game needs b > c > 0 (got b = {b}, c = {c})"),
                ));
            }
            (None, _) => {
                return Err((
                    "b",
                    "a donation game needs `b` (benefit) and `c` (cost), e.g. b = 3, c = 1".into(),
                ));
            }
            (_, None) => {
                return Err((
                    "c",
                    "a donation game needs `c` (cost) as well as `b`, e.g. b = 3, c = 1".into(),
                ));
            }
        },
        GameKind::WeakPd => match spec.b {
            Some(b) if b.is_finite() && b >= 1.0 => Payoffs::weak_pd(b),
            Some(b) => return Err(("b", format!("weak_pd needs b >= 1 (got {b})"))),
            None => {
                return Err((
                    "b",
                    "weak_pd needs `b`, the temptation (e.g. b = 1.9)".into(),
                ));
            }
        },
        _ => {
            let payoffs = spec.payoffs.ok_or_else(|| {
                (
                    "payoffs",
                    "this game needs payoffs = { R = .., S = .., T = .., P = .. }".to_string(),
                )
            })?;
            payoffs
                .check_family(kind)
                .map_err(|message| ("payoffs", message))?;
            payoffs
        }
    };
    Ok(PairGame {
        payoffs,
        self_interaction: spec.self_interaction.unwrap_or(false),
    })
}

/// Keys a spec gives itself that its kind does not use (`payoffs` of a donation game).
pub fn unused_game_keys(spec: &GameSpec, kind: GameKind) -> Option<(&'static str, String)> {
    let name = GAME_KIND_NAMES[kind as usize];
    let uses_matrix = !matches!(kind, GameKind::Donation | GameKind::WeakPd);
    if spec.payoffs.is_some() && !uses_matrix {
        return Some((
            "payoffs",
            format!(
                "does not apply to kind = \"{name}\", which takes b{}",
                if kind == GameKind::Donation {
                    " and c"
                } else {
                    ""
                }
            ),
        ));
    }
    if spec.b.is_some() && uses_matrix {
        return Some((
            "b",
            format!("does not apply to kind = \"{name}\", which takes payoffs = {{ R, S, T, P }}"),
        ));
    }
    if spec.c.is_some() && kind != GameKind::Donation {
        return Some((
            "c",
            format!("does not apply to kind = \"{name}\"; only donation takes c"),
        ));
    }
    None
}
