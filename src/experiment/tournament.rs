//! Axelrod-style round-robin tournaments of the iterated prisoner's dilemma.
//!
//! Owns: what a tournament is (entrants, turns, payoffs, noise, repetitions, seed), the
//! checks on it, how one match is played, the round robin (every pair once and every entrant
//! against a copy of itself) and the ranking. The strategies are the simulation's own
//! ([`Strategy`]), acting on the same [`Memory`](crate::model::tie::Memory) as agents do.
//! Must never: write files, print, or build a thread pool (callers run it in the pool they
//! want; the results do not depend on it).
//!
//! Semantics follow the Axelrod Python library (reimplemented from its documentation):
//! - a match is `turns` simultaneous plays; each player's intended action is flipped with
//!   chance `noise`, and both players remember and are paid for the actions as flipped;
//! - bare `gtft` takes Axelrod's generosity for the game,
//!   min(1 − (T − R)/(R − S), (R − P)/(T − P)) (1/3 for (3, 0, 5, 1));
//! - an entrant's score in a repetition is its mean payoff per turn against the others,
//!   self-play excluded; entrants are ranked by the median of that score over repetitions,
//!   higher first, ties in the order the entrants were given.
//!
//! Randomness (strategy draws and noise) comes from [`Streams`] keyed by (seed, repetition,
//! turn, purpose) with the match and the player as entity, so a tournament gives the same
//! numbers with any number of threads.

use crate::engine::streams::{Purpose, Streams};
use crate::experiment::statistics::{Describe, describe};
use crate::model::game::{GameKind, Payoffs};
use crate::model::strategy::Strategy;
use crate::model::tie::{Action, ViewState};
use rayon::prelude::*;

/// Most lines `pairwise.csv` may have (repetitions × strategies²). Every line is held in
/// memory until the end: 200,000 repetitions of ten strategies (2·10⁷ lines) peaked at
/// 1.0 GB and wrote 490 MB, so this keeps a tournament near half a gigabyte.
pub const MAX_PAIRWISE_LINES: u64 = 10_000_000;

/// Most plays (turns × matches) of one tournament: at the measured 5.5 million plays per
/// second on this project's 2-core machine, about half an hour. There is no progress bar
/// or Ctrl-C handling, so a longer tournament is refused up front.
pub const MAX_PLAYS: u64 = 10_000_000_000;

/// One strategy in a tournament, with the name it was given on the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Entrant {
    /// As typed, e.g. `tft` or `gtft(0.1)`; unique within a tournament.
    pub name: String,
    pub strategy: Strategy,
}

/// A checked tournament.
#[derive(Clone, Debug, PartialEq)]
pub struct TournamentSpec {
    /// At least two, with distinct names.
    pub entrants: Vec<Entrant>,
    /// Plays per match (≥ 1).
    pub turns: u32,
    /// A prisoner's dilemma: T > R > P > S.
    pub payoffs: Payoffs,
    /// Chance in [0, 1] that an intended action is flipped.
    pub noise: f64,
    /// How many times the whole round robin is played (≥ 1).
    pub repetitions: u32,
    /// Master seed of the random streams.
    pub seed: u64,
}

/// Why a tournament cannot be played as asked.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TournamentError {
    #[error("--strategies: {0}")]
    Strategies(String),
    #[error("--payoffs: {0}")]
    Payoffs(String),
    #[error("--turns must be at least 1")]
    Turns,
    #[error("--repetitions must be at least 1")]
    Repetitions,
    #[error("--noise must be a number in [0, 1] (a chance per action), not {0}")]
    Noise(f64),
    #[error(
        "{repetitions} repetitions of {strategies} strategies would write {lines} lines of \
         pairwise results; the most is {MAX_PAIRWISE_LINES}: use fewer --repetitions"
    )]
    TooLarge {
        repetitions: u32,
        strategies: usize,
        lines: u64,
    },
    #[error(
        "{turns} turns × {matches} matches would be {plays} plays; the most is {MAX_PLAYS} \
         (about half an hour here): use fewer --turns or --repetitions"
    )]
    TooLong {
        turns: u32,
        matches: u64,
        plays: u64,
    },
}

impl TournamentSpec {
    /// Checks every setting; `strategies` is a comma-separated list such as
    /// `tft,alld,gtft(0.2)` and `payoffs` is `R,S,T,P`.
    pub fn new(
        strategies: &str,
        turns: u32,
        payoffs: &str,
        noise: f64,
        repetitions: u32,
        seed: u64,
    ) -> Result<TournamentSpec, TournamentError> {
        let payoffs = parse_payoffs(payoffs)?;
        let entrants = parse_entrants(strategies, &payoffs)?;
        if turns == 0 {
            return Err(TournamentError::Turns);
        }
        if repetitions == 0 {
            return Err(TournamentError::Repetitions);
        }
        if !(0.0..=1.0).contains(&noise) {
            return Err(TournamentError::Noise(noise));
        }
        let lines = repetitions as u64 * (entrants.len() as u64).pow(2);
        if lines > MAX_PAIRWISE_LINES {
            return Err(TournamentError::TooLarge {
                repetitions,
                strategies: entrants.len(),
                lines,
            });
        }
        let spec = TournamentSpec {
            entrants,
            turns,
            payoffs,
            noise,
            repetitions,
            seed,
        };
        let matches = spec.match_count();
        let plays = turns as u64 * matches;
        if plays > MAX_PLAYS {
            return Err(TournamentError::TooLong {
                turns,
                matches,
                plays,
            });
        }
        Ok(spec)
    }

    /// Number of matches: pairs and self-play, times repetitions.
    pub fn match_count(&self) -> u64 {
        let n = self.entrants.len() as u64;
        n * (n + 1) / 2 * self.repetitions as u64
    }
}

/// `R,S,T,P` as four finite numbers making a prisoner's dilemma (T > R > P > S).
pub fn parse_payoffs(text: &str) -> Result<Payoffs, TournamentError> {
    let fail = |why: String| TournamentError::Payoffs(why);
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.len() != 4 {
        return Err(fail(format!(
            "`{text}` has {} values; give four numbers R,S,T,P, e.g. 3,0,5,1",
            parts.len()
        )));
    }
    let mut values = [0.0; 4];
    for (value, part) in values.iter_mut().zip(&parts) {
        *value = part
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| fail(format!("`{part}` is not a finite number")))?;
    }
    let [reward, sucker, temptation, punishment] = values;
    let payoffs = Payoffs {
        reward,
        sucker,
        temptation,
        punishment,
    };
    payoffs
        .check_family(GameKind::Pd)
        .map_err(|_| {
            fail(format!(
                "R={reward}, S={sucker}, T={temptation}, P={punishment} is not a prisoner's \
                 dilemma, which needs T > R > P > S (e.g. 3,0,5,1)"
            ))
        })
        .map(|()| payoffs)
}

/// Axelrod's generosity of generous tit for tat for `payoffs`, clamped to [0, 1]:
/// min(1 − (T − R)/(R − S), (R − P)/(T − P)).
pub fn axelrod_generosity(payoffs: &Payoffs) -> f64 {
    let Payoffs {
        reward: r,
        sucker: s,
        temptation: t,
        punishment: p,
    } = *payoffs;
    (1.0 - (t - r) / (r - s))
        .min((r - p) / (t - p))
        .clamp(0.0, 1.0)
}

/// Strategies a tournament can play: all but `conditional`, which needs trust and a norm.
pub const TOURNAMENT_STRATEGIES: [&str; 10] = [
    "allc",
    "alld",
    "tft",
    "stft",
    "tf2t",
    "grudger",
    "wsls",
    "alternator",
    "gtft",
    "random",
];

fn valid_strategies() -> String {
    format!(
        "tournament strategies are {}, gtft(g) and random(p) with g, p in [0, 1]",
        TOURNAMENT_STRATEGIES.join(", ")
    )
}

/// The entrants of a comma-separated list of strategy names.
pub fn parse_entrants(text: &str, payoffs: &Payoffs) -> Result<Vec<Entrant>, TournamentError> {
    let fail = |why: String| TournamentError::Strategies(why);
    let mut entrants: Vec<Entrant> = Vec::new();
    for name in text.split(',').map(str::trim) {
        if name.is_empty() {
            return Err(fail(format!(
                "`{text}` has an empty name; separate names by single commas, e.g. tft,alld"
            )));
        }
        let family = name.split('(').next().unwrap_or(name).trim();
        if family == "conditional" {
            return Err(fail(format!(
                "`conditional` acts on trust and norm, which a tournament does not have; {}",
                valid_strategies()
            )));
        }
        if !TOURNAMENT_STRATEGIES.contains(&family) {
            let hint = crate::scenario::suggest(family, TOURNAMENT_STRATEGIES)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(fail(format!(
                "unknown strategy `{family}`{hint}; {}",
                valid_strategies()
            )));
        }
        let strategy = match name.parse::<Strategy>().map_err(fail)? {
            Strategy::Gtft { .. } if name == "gtft" => Strategy::Gtft {
                generosity: axelrod_generosity(payoffs),
            },
            other => other,
        };
        if entrants.iter().any(|e| e.name == name) {
            return Err(fail(format!("`{name}` is listed twice")));
        }
        entrants.push(Entrant {
            name: name.to_string(),
            strategy,
        });
    }
    if entrants.len() < 2 {
        return Err(fail(format!(
            "`{text}` names one strategy; a tournament needs at least two"
        )));
    }
    Ok(entrants)
}

/// What the two players of one match got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatchOutcome {
    /// Total payoff of each player over the match.
    pub totals: [f64; 2],
    /// Turns on which each player cooperated (after noise).
    pub cooperations: [u32; 2],
}

/// Plays one match of `turns` turns between `players[0]` and `players[1]`. `streams` are the
/// repetition's; `match_id` tells this match's streams from the others'.
pub fn play_match(
    players: [Strategy; 2],
    turns: u32,
    payoffs: &Payoffs,
    noise: f64,
    streams: &Streams,
    match_id: u64,
) -> MatchOutcome {
    let mut views = [ViewState::default(); 2];
    let mut outcome = MatchOutcome {
        totals: [0.0; 2],
        cooperations: [0; 2],
    };
    for turn in 0..turns as u64 {
        let played: [Action; 2] = std::array::from_fn(|k| {
            let entity = match_id << 1 | k as u64;
            let mut rng = streams.rng(Purpose::TournamentAction, turn, entity);
            let intended = players[k].choose(&views[k], 0.5, 0.5, &mut rng);
            let flip =
                noise > 0.0 && streams.uniform(Purpose::TournamentNoise, turn, entity) < noise;
            if flip { intended.opposite() } else { intended }
        });
        for k in 0..2 {
            let (own, other) = (played[k], played[1 - k]);
            views[k].memory.remember(own, other);
            outcome.totals[k] += payoffs.payoff(own, other);
            outcome.cooperations[k] += (own == Action::Cooperate) as u32;
        }
    }
    outcome
}

/// Everything a tournament produced.
#[derive(Clone, Debug, PartialEq)]
pub struct TournamentResult {
    /// Entrants, turns and the rest, as played.
    pub spec: TournamentSpec,
    /// `totals[repetition][i][j]`: the total payoff of entrant i against entrant j; on the
    /// diagonal the mean of the two copies' totals.
    pub totals: Vec<Vec<Vec<f64>>>,
    /// `cooperations[repetition][i][j]`: turns on which i cooperated against j (diagonal:
    /// mean of the two copies).
    pub cooperations: Vec<Vec<Vec<f64>>>,
}

/// One line of the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedEntrant {
    /// 1 for the best.
    pub rank: usize,
    /// Index into the entrants.
    pub entrant: usize,
    /// Median over repetitions of the mean payoff per turn against the others.
    pub median: f64,
    /// Mean, sd and 95% interval of the same over repetitions.
    pub stats: Describe,
    pub min: f64,
    pub max: f64,
}

/// Plays the round robin `spec.repetitions` times, matches in parallel on the current pool.
pub fn play_tournament(spec: &TournamentSpec) -> TournamentResult {
    let never = std::sync::atomic::AtomicBool::new(false);
    play_tournament_until(spec, &never).expect("never stopped")
}

/// [`play_tournament`], or `None` when `stop` is set before every match is played
/// (matches not yet started are skipped; a match under way finishes).
pub fn play_tournament_until(
    spec: &TournamentSpec,
    stop: &std::sync::atomic::AtomicBool,
) -> Option<TournamentResult> {
    use std::sync::atomic::Ordering;
    let n = spec.entrants.len();
    let matches: Vec<(u32, usize, usize)> = (0..spec.repetitions)
        .flat_map(|rep| (0..n).flat_map(move |i| (i..n).map(move |j| (rep, i, j))))
        .collect();
    let outcomes: Vec<MatchOutcome> = matches
        .par_iter()
        .map(|&(rep, i, j)| {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            let streams = Streams::new(spec.seed, rep as u64);
            let players = [spec.entrants[i].strategy, spec.entrants[j].strategy];
            let match_id = (i * n + j) as u64;
            Some(play_match(
                players,
                spec.turns,
                &spec.payoffs,
                spec.noise,
                &streams,
                match_id,
            ))
        })
        .collect::<Option<_>>()?;
    let empty = vec![vec![vec![0.0; n]; n]; spec.repetitions as usize];
    let (mut totals, mut cooperations) = (empty.clone(), empty);
    for (&(rep, i, j), outcome) in matches.iter().zip(&outcomes) {
        let (t, c) = (&mut totals[rep as usize], &mut cooperations[rep as usize]);
        let cooperated = outcome.cooperations.map(f64::from);
        if i == j {
            t[i][i] = (outcome.totals[0] + outcome.totals[1]) / 2.0;
            c[i][i] = (cooperated[0] + cooperated[1]) / 2.0;
        } else {
            (t[i][j], t[j][i]) = (outcome.totals[0], outcome.totals[1]);
            (c[i][j], c[j][i]) = (cooperated[0], cooperated[1]);
        }
    }
    Some(TournamentResult {
        spec: spec.clone(),
        totals,
        cooperations,
    })
}

impl TournamentResult {
    /// Entrant i's mean payoff per turn against the others (self-play excluded) in
    /// `repetition`, summed in entrant order.
    pub fn score(&self, repetition: usize, i: usize) -> f64 {
        let row = &self.totals[repetition][i];
        let others: f64 = (row.iter().enumerate())
            .filter(|(j, _)| *j != i)
            .map(|(_, total)| total)
            .sum();
        others / ((row.len() - 1) as f64 * self.spec.turns as f64)
    }

    /// Mean over repetitions of i's total payoff against j.
    pub fn mean_total(&self, i: usize, j: usize) -> f64 {
        let sum: f64 = self.totals.iter().map(|rep| rep[i][j]).sum();
        sum / self.totals.len() as f64
    }

    /// The entrants from best to worst by median score over repetitions.
    pub fn ranking(&self) -> Vec<RankedEntrant> {
        let mut rows: Vec<RankedEntrant> = (0..self.spec.entrants.len())
            .map(|i| {
                let scores: Vec<f64> = (0..self.totals.len()).map(|r| self.score(r, i)).collect();
                RankedEntrant {
                    rank: 0,
                    entrant: i,
                    median: median(&scores),
                    stats: describe(&scores),
                    min: scores.iter().copied().fold(f64::INFINITY, f64::min),
                    max: scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.median.total_cmp(&a.median)); // stable: ties keep input order
        for (k, row) in rows.iter_mut().enumerate() {
            row.rank = k + 1;
        }
        rows
    }
}

/// The median of non-empty `values` (the mean of the middle two for an even count).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

#[cfg(test)]
mod tests;
