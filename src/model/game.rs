//! Pairwise games: 2×2 payoff matrices and the named families they come from.
//!
//! Owns: the game kinds of DESIGN §5.1 (prisoner's dilemma, snowdrift, stag hunt, any
//! matrix, the donation game, and Nowak & May's weak prisoner's dilemma), the conditions
//! that make a matrix belong to its family, and the payoff of one play.
//! Must never: pick actions (strategies do) or touch state.

use super::tie::Action;
use serde::{Deserialize, Serialize};

/// The family a pairwise game belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GameKind {
    /// Prisoner's dilemma given as (R, S, T, P) with T > R > P > S.
    Pd,
    /// Snowdrift (hawk–dove, chicken) with T > R > S > P.
    Snowdrift,
    /// Stag hunt with R > T ≥ P > S.
    StagHunt,
    /// Any finite (R, S, T, P).
    Matrix,
    /// Donation game: giving costs the giver `c` and brings the receiver `b` (b > c > 0):
    /// R = b − c, S = −c, T = b, P = 0.
    Donation,
    /// Nowak & May's weak prisoner's dilemma: R = 1, T = b (b ≥ 1), S = P = 0.
    WeakPd,
}

/// Names of the game kinds as written in scenario files.
pub const GAME_KIND_NAMES: [&str; 6] = [
    "pd",
    "snowdrift",
    "stag_hunt",
    "matrix",
    "donation",
    "weak_pd",
];

/// Payoffs of a symmetric 2×2 game to the row player: R (both cooperate), S (row
/// cooperates, column defects), T (row defects, column cooperates), P (both defect).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payoffs {
    #[serde(rename = "R")]
    pub reward: f64,
    #[serde(rename = "S")]
    pub sucker: f64,
    #[serde(rename = "T")]
    pub temptation: f64,
    #[serde(rename = "P")]
    pub punishment: f64,
}

impl Payoffs {
    /// The payoff to a player who played `own` against `other`.
    #[inline]
    pub fn payoff(&self, own: Action, other: Action) -> f64 {
        match (own, other) {
            (Action::Cooperate, Action::Cooperate) => self.reward,
            (Action::Cooperate, Action::Defect) => self.sucker,
            (Action::Defect, Action::Cooperate) => self.temptation,
            (Action::Defect, Action::Defect) => self.punishment,
        }
    }

    /// The donation game's matrix for benefit `b` and cost `c`.
    pub fn donation(benefit: f64, cost: f64) -> Payoffs {
        Payoffs {
            reward: benefit - cost,
            sucker: -cost,
            temptation: benefit,
            punishment: 0.0,
        }
    }

    /// Nowak & May's matrix for temptation `b`.
    pub fn weak_pd(temptation: f64) -> Payoffs {
        Payoffs {
            reward: 1.0,
            sucker: 0.0,
            temptation,
            punishment: 0.0,
        }
    }

    /// Checks that the matrix belongs to `kind`; the message states the condition.
    pub fn check_family(&self, kind: GameKind) -> Result<(), String> {
        let Payoffs {
            reward: r,
            sucker: s,
            temptation: t,
            punishment: p,
        } = *self;
        if ![r, s, t, p].iter().all(|x| x.is_finite()) {
            return Err("payoffs must be finite numbers".into());
        }
        let (holds, condition) = match kind {
            GameKind::Pd => (t > r && r > p && p > s, "T > R > P > S"),
            GameKind::Snowdrift => (t > r && r > s && s > p, "T > R > S > P"),
            GameKind::StagHunt => (r > t && t >= p && p > s, "R > T >= P > S"),
            _ => (true, ""),
        };
        if holds {
            Ok(())
        } else {
            Err(format!(
                "payoffs R={r}, S={s}, T={t}, P={p} do not make a {} game, which needs {condition}; \
                 change them, or use kind = \"matrix\" for any payoffs",
                GAME_KIND_NAMES[kind as usize]
            ))
        }
    }
}

/// A pairwise game ready to play.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PairGame {
    /// The payoff matrix.
    pub payoffs: Payoffs,
    /// Whether each agent also plays against itself once per step (Nowak & May).
    pub self_interaction: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::{Cooperate as C, Defect as D};

    #[test]
    fn payoffs_by_action_pair() {
        let game = Payoffs {
            reward: 3.0,
            sucker: 0.0,
            temptation: 5.0,
            punishment: 1.0,
        };
        assert_eq!(game.payoff(C, C), 3.0);
        assert_eq!(game.payoff(C, D), 0.0);
        assert_eq!(game.payoff(D, C), 5.0);
        assert_eq!(game.payoff(D, D), 1.0);
        assert!(game.check_family(GameKind::Pd).is_ok());
        let err = game.check_family(GameKind::Snowdrift).unwrap_err();
        assert!(
            err.contains("T > R > S > P") && err.contains("matrix"),
            "{err}"
        );
    }

    #[test]
    fn donation_and_weak_pd_families() {
        let donation = Payoffs::donation(3.0, 1.0);
        assert_eq!(
            (
                donation.reward,
                donation.sucker,
                donation.temptation,
                donation.punishment
            ),
            (2.0, -1.0, 3.0, 0.0)
        );
        assert!(donation.check_family(GameKind::Pd).is_ok());
        let weak = Payoffs::weak_pd(1.85);
        assert_eq!(weak.payoff(D, C), 1.85);
        assert_eq!(weak.payoff(D, D), 0.0);
        assert!(
            Payoffs::weak_pd(f64::NAN)
                .check_family(GameKind::Matrix)
                .is_err()
        );
        let stag = Payoffs {
            reward: 4.0,
            sucker: 0.0,
            temptation: 3.0,
            punishment: 2.0,
        };
        assert!(stag.check_family(GameKind::StagHunt).is_ok());
    }
}
