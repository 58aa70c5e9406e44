//! One agent's view of one tie: its trust belief, the tie's strength, and its memory.
//!
//! Owns: the per-view record ([`ViewState`], 16 bytes), the Beta trust belief arithmetic
//! (DESIGN §4) and the bit-packed memory strategies read. Must never: know about the graph
//! or about other views; the view of j→i lives elsewhere and is written only by j.

/// An action in a pairwise game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Cooperate,
    Defect,
}

impl Action {
    /// `Cooperate` if `cooperate` holds, else `Defect`.
    #[inline]
    pub fn cooperate_if(cooperate: bool) -> Action {
        if cooperate {
            Action::Cooperate
        } else {
            Action::Defect
        }
    }

    /// The other action.
    #[inline]
    pub fn opposite(self) -> Action {
        match self {
            Action::Cooperate => Action::Defect,
            Action::Defect => Action::Cooperate,
        }
    }

    /// One-letter code used in files: `C` or `D`.
    pub fn letter(self) -> char {
        match self {
            Action::Cooperate => 'C',
            Action::Defect => 'D',
        }
    }

    fn code(self) -> u8 {
        match self {
            Action::Cooperate => 1,
            Action::Defect => 2,
        }
    }

    fn from_code(code: u8) -> Option<Action> {
        match code {
            1 => Some(Action::Cooperate),
            2 => Some(Action::Defect),
            _ => None,
        }
    }
}

/// What an agent did on one view this step, one byte per view: the action (none when the
/// tie was not active) and whether the agent regards the tie as a conflict tie. Written in
/// the decision pass, read by both ends in the play pass.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepRecord(u8);

impl StepRecord {
    /// The tie was not active this step.
    pub const IDLE: StepRecord = StepRecord(0);

    /// A game was played with `action`; `conflict` is the actor's view of the tie.
    #[inline]
    pub fn played(action: Action, conflict: bool) -> StepRecord {
        StepRecord(action.code() | ((conflict as u8) << 2))
    }

    /// The action, if the tie was active.
    #[inline]
    pub fn action(self) -> Option<Action> {
        Action::from_code(self.0 & 0b11)
    }

    /// Whether the actor regarded the tie as a conflict tie.
    #[inline]
    pub fn conflict(self) -> bool {
        self.0 & 0b100 != 0
    }
}

/// What an agent remembers of its games with one partner, packed in a byte:
/// bits 0–1 the partner's last action as perceived, bits 2–3 the agent's own last action,
/// bit 4 whether the partner was ever perceived to defect (for `grudger`), bit 5 whether
/// the partner's action before the last was perceived as a defection (for `tf2t`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Memory(u8);

impl Memory {
    /// The partner's last action as this agent perceived it (`None` before the first game).
    #[inline]
    pub fn partner_last(self) -> Option<Action> {
        Action::from_code(self.0 & 0b11)
    }

    /// This agent's own last action toward the partner.
    #[inline]
    pub fn own_last(self) -> Option<Action> {
        Action::from_code((self.0 >> 2) & 0b11)
    }

    /// Whether the partner was ever perceived to defect.
    #[inline]
    pub fn grudge(self) -> bool {
        self.0 & 0b1_0000 != 0
    }

    /// Whether the partner's last two actions were both perceived as defections.
    #[inline]
    pub fn partner_defected_twice(self) -> bool {
        self.partner_last() == Some(Action::Defect) && self.0 & 0b10_0000 != 0
    }

    /// Records one game: what this agent did and what it perceived the partner did.
    #[inline]
    pub fn remember(&mut self, own: Action, partner_perceived: Action) {
        let grudge = self.grudge() || partner_perceived == Action::Defect;
        let defected_before = self.partner_last() == Some(Action::Defect);
        self.0 = partner_perceived.code()
            | (own.code() << 2)
            | ((grudge as u8) << 4)
            | ((defected_before as u8) << 5);
    }
}

/// A Beta(alpha, beta) belief about a partner's cooperativeness (DESIGN §4).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BetaBelief {
    /// Pseudo-count of cooperations (> 0).
    pub alpha: f64,
    /// Pseudo-count of defections (> 0).
    pub beta: f64,
}

impl BetaBelief {
    /// The expected cooperativeness α/(α+β), in (0, 1): what "trust" means here.
    pub fn mean(self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }
}

/// One agent's view of one tie. Written only by the agent that holds it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ViewState {
    /// Beta α: prior plus perceived cooperations (decayed by forgetting).
    pub alpha: f32,
    /// Beta β: prior plus perceived defections (decayed by forgetting).
    pub beta: f32,
    /// Strength of the tie as this agent feels it, in [0, 1].
    pub strength: f32,
    /// Memory of the last game.
    pub memory: Memory,
    /// Whether this agent regards the tie as a conflict (dissociative) tie.
    pub conflict: bool,
}

impl ViewState {
    /// A fresh view with `prior` as belief and `strength` in [0, 1].
    pub fn new(prior: BetaBelief, strength: f64) -> ViewState {
        ViewState {
            alpha: prior.alpha as f32,
            beta: prior.beta as f32,
            strength: strength as f32,
            memory: Memory::default(),
            conflict: false,
        }
    }

    /// Trust toward the partner: the belief's mean α/(α+β), in (0, 1).
    #[inline]
    pub fn trust(&self) -> f64 {
        let (alpha, beta) = (self.alpha as f64, self.beta as f64);
        alpha / (alpha + beta)
    }

    /// Adds one perceived action to the belief.
    #[inline]
    pub fn observe(&mut self, perceived: Action) {
        match perceived {
            Action::Cooperate => self.alpha += 1.0,
            Action::Defect => self.beta += 1.0,
        }
    }

    /// A repaired tie (mediation): the belief restarts from `prior` and the conflict mark
    /// is dropped; strength and memory stay.
    #[inline]
    pub fn restart(&mut self, prior: BetaBelief) {
        self.alpha = prior.alpha as f32;
        self.beta = prior.beta as f32;
        self.conflict = false;
    }

    /// Forgetting: moves the belief toward `prior` by the share `rate` (in [0, 1]).
    #[inline]
    pub fn forget(&mut self, prior: BetaBelief, rate: f64) {
        let keep = 1.0 - rate;
        self.alpha = (prior.alpha + keep * (self.alpha as f64 - prior.alpha)) as f32;
        self.beta = (prior.beta + keep * (self.beta as f64 - prior.beta)) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_state_is_compact() {
        assert_eq!(std::mem::size_of::<ViewState>(), 16);
        assert_eq!(std::mem::size_of::<StepRecord>(), 1);
        let record = StepRecord::played(Action::Defect, true);
        assert_eq!(
            (record.action(), record.conflict()),
            (Some(Action::Defect), true)
        );
        assert_eq!(StepRecord::IDLE.action(), None);
    }

    #[test]
    fn memory_packs_and_unpacks() {
        let mut memory = Memory::default();
        assert_eq!(memory.partner_last(), None);
        assert_eq!(memory.own_last(), None);
        memory.remember(Action::Defect, Action::Cooperate);
        assert_eq!(memory.partner_last(), Some(Action::Cooperate));
        assert_eq!(memory.own_last(), Some(Action::Defect));
        assert!(!memory.grudge());
        memory.remember(Action::Cooperate, Action::Defect);
        memory.remember(Action::Cooperate, Action::Cooperate);
        assert!(memory.grudge());
        assert_eq!(memory.partner_last(), Some(Action::Cooperate));
        assert!(!memory.partner_defected_twice());
        memory.remember(Action::Cooperate, Action::Defect);
        assert!(!memory.partner_defected_twice(), "C then D is not twice");
        memory.remember(Action::Cooperate, Action::Defect);
        assert!(memory.partner_defected_twice());
        memory.remember(Action::Defect, Action::Cooperate);
        assert!(!memory.partner_defected_twice());
        assert_eq!(memory.own_last(), Some(Action::Defect));
    }

    #[test]
    fn trust_learns_and_forgets() {
        let prior = BetaBelief {
            alpha: 1.0,
            beta: 2.0,
        };
        let mut view = ViewState::new(prior, 0.5);
        assert!((view.trust() - 1.0 / 3.0).abs() < 1e-7);
        for _ in 0..7 {
            view.observe(Action::Cooperate);
        }
        assert!((view.trust() - 0.8).abs() < 1e-7);
        view.forget(prior, 1.0);
        assert!((view.trust() - prior.mean()).abs() < 1e-7);
        view.observe(Action::Defect);
        view.forget(prior, 0.5);
        assert!((view.beta - 2.5).abs() < 1e-6);
    }
}
