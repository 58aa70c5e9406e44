//! Counter-based random streams: the only source of randomness in a simulation.
//!
//! Owns: how a random number is keyed. Every decision draws from a stream whose key is
//! (seed, replicate, step, [`Purpose`]) and whose stream number is the entity deciding (an
//! agent id, a tie's two ends, an activity index). Nothing is shared between decisions, so
//! the numbers an agent sees do not depend on which thread ran it, in which order, or on
//! how many replicates a run has: replicate 3 of a 10-replicate run equals replicate 3 of a
//! 4-replicate run.
//! Must never: keep a generator that outlives one decision-maker's work in one step, or
//! read a global or thread-local generator.
//!
//! Two kinds of stream:
//! - [`Streams::rng`]: a ChaCha8 generator (rand_chacha) whose 256-bit key holds seed,
//!   replicate, step and purpose, and whose 64-bit stream number is the entity. Keys and
//!   stream numbers are laid out side by side, never hashed, so two different
//!   (seed, replicate, step, purpose, entity) tuples can never collide.
//! - [`Streams::uniform`] and [`Streams::pair_uniform`]: one uniform number for an entity,
//!   or for an unordered pair of agents (decisions both ends of a tie must agree on without
//!   talking: is this tie active this step?). It is a keyed integer hash (the SplitMix64 finaliser applied in a chain over the
//!   key words, in the spirit of Random123's counter-based generators): a ChaCha block per
//!   tie per step would cost more than the rest of the step.
//!
//! Sampling helpers ([`Draw`]) are written here rather than taken from `rand`'s
//! distributions so that a dependency upgrade can never change the numbers a scenario gives.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What a random draw decides. Part of every stream key; add new purposes at the end so
/// existing scenarios keep their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Role assignment to network positions.
    Population = 1,
    /// Agent attributes at the start (norm, resources, strategy).
    Attributes = 2,
    /// The initial network (per generator block).
    Network = 3,
    /// Whether a tie is active this step (pair-keyed).
    Contact = 4,
    /// An agent's choice of action in its games this step.
    Action = 5,
    /// Misreading of observed actions.
    Misread = 6,
    /// Membership of group activities (per activity).
    Activity = 7,
    // 8 was a pair-keyed draw for activity ties, now drawn with the activity (`Activity`).
    /// Introductions through mutual contacts.
    Introduction = 9,
    /// Chance meetings.
    ChanceMeeting = 10,
    /// Strategy and norm learning.
    Learning = 11,
    /// Layout of network pictures (output only; never feeds back into the state).
    Layout = 12,
    /// How many activities of a type run this step (per activity type).
    ActivityCount = 13,
    /// The action an agent takes against itself (self-interaction games).
    SelfPlay = 14,
    /// Year-end events: who leaves, who arrives and with what (per event kind or agent).
    Lifecycle = 15,
    /// Random parts of interventions.
    Intervention = 16,
    /// Knowledge and opinion diffusion.
    Diffusion = 17,
    /// Contests: who competes, who wins.
    Contest = 18,
    /// Networking events.
    NetworkingEvent = 19,
    /// Mediation of conflict ties (pair-keyed).
    Mediation = 20,
    /// Programme meetings and membership.
    Programme = 21,
    /// Placements of graduates.
    Placement = 22,
    /// Ideas and their implementation in group activities.
    Innovation = 23,
    /// Sanctions in group activities.
    Sanction = 24,
    /// Onboarding of newcomers.
    Onboarding = 25,
    /// A player's choice in a tournament match (stream: the match and the player; step:
    /// the turn; replicate: the repetition).
    TournamentAction = 26,
    /// Noise in a tournament match: whether a player's intended action is flipped.
    TournamentNoise = 27,
    /// One elementary update of random sequential learning: which agent, and its draws
    /// (stream: the update's index within the round).
    SequentialLearning = 28,
    /// Points of an experiment design in the unit cube (Latin hypercube, Morris trajectories,
    /// Saltelli base matrices): step names the design and its matrix, stream the column or
    /// trajectory (see `experiment::sampling`).
    ExperimentDesign = 29,
    /// Bootstrap resamples of an experiment's results (stream: the resample's index).
    Bootstrap = 30,
}

/// Keyed stream factory for one replicate of one run. Cheap to copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streams {
    seed: u64,
    replicate: u64,
}

/// The step number used for draws made before the first step (initial state).
pub const SETUP_STEP: u64 = u64::MAX;

impl Streams {
    /// Streams of replicate `replicate` of a run with master seed `seed`.
    pub fn new(seed: u64, replicate: u64) -> Streams {
        Streams { seed, replicate }
    }

    /// The replicate these streams belong to.
    pub fn replicate(&self) -> u64 {
        self.replicate
    }

    /// A generator for `entity` deciding `purpose` at `step` (use [`SETUP_STEP`] for the
    /// initial state). Create one per decision-maker per step, not one per draw.
    pub fn rng(&self, purpose: Purpose, step: u64, entity: u64) -> ChaCha8Rng {
        let mut key = [0u8; 32];
        key[0..8].copy_from_slice(&self.seed.to_le_bytes());
        key[8..16].copy_from_slice(&self.replicate.to_le_bytes());
        key[16..24].copy_from_slice(&step.to_le_bytes());
        key[24..32].copy_from_slice(&(purpose as u64).to_le_bytes());
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(entity);
        rng
    }

    /// A uniform number in [0, 1) for the unordered pair {a, b} deciding `purpose` at `step`;
    /// `pair_uniform(p, s, a, b) == pair_uniform(p, s, b, a)`.
    #[inline]
    pub fn pair_uniform(&self, purpose: Purpose, step: u64, a: u32, b: u32) -> f64 {
        self.uniforms(purpose, step).of_pair(a, b)
    }

    /// One uniform number in [0, 1) for `entity` deciding `purpose` at `step`: for a single
    /// yes/no that usually says "nothing happens" (does this agent seek an introduction?),
    /// where a whole ChaCha generator would cost more than the decision. A separate
    /// generator from [`Streams::rng`] with the same key: the two never share numbers.
    #[inline]
    pub fn uniform(&self, purpose: Purpose, step: u64, entity: u64) -> f64 {
        self.uniforms(purpose, step).of(entity)
    }

    /// The single uniform numbers of every entity (and pair) deciding `purpose` at `step`,
    /// with the key mixed in once: a pass that draws for every tie makes this once per
    /// step, not once per draw. Gives exactly [`Streams::uniform`]'s numbers.
    #[inline]
    pub fn uniforms(&self, purpose: Purpose, step: u64) -> Uniforms {
        let mut state = mix64(self.seed ^ 0x6a09_e667_f3bc_c908);
        state = mix64(state ^ self.replicate.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        state = mix64(state ^ step.wrapping_mul(0xbf58_476d_1ce4_e5b9));
        Uniforms {
            keyed: mix64(state ^ (purpose as u64).wrapping_mul(0x94d0_49bb_1331_11eb)),
        }
    }
}

impl Streams {
    /// [`Streams::rng`], made only at its first draw: a decision-maker that may not draw at
    /// all this step (a tit-for-tat player, a game without misreading) then costs nothing.
    /// Gives exactly the numbers of `rng(purpose, step, entity)`.
    #[inline]
    pub fn lazy_rng(&self, purpose: Purpose, step: u64, entity: u64) -> LazyRng {
        LazyRng {
            streams: *self,
            purpose,
            step,
            entity,
            rng: None,
        }
    }
}

/// A generator of [`Streams::lazy_rng`].
#[derive(Clone, Debug)]
pub struct LazyRng {
    streams: Streams,
    purpose: Purpose,
    step: u64,
    entity: u64,
    rng: Option<ChaCha8Rng>,
}

impl LazyRng {
    #[inline]
    fn made(&mut self) -> &mut ChaCha8Rng {
        let (streams, purpose, step, entity) = (self.streams, self.purpose, self.step, self.entity);
        self.rng
            .get_or_insert_with(|| streams.rng(purpose, step, entity))
    }
}

impl rand::TryRng for LazyRng {
    type Error = std::convert::Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.made().next_u32())
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        Ok(self.made().next_u64())
    }

    fn try_fill_bytes(&mut self, bytes: &mut [u8]) -> Result<(), Self::Error> {
        self.made().fill_bytes(bytes);
        Ok(())
    }
}

/// One (seed, replicate, step, purpose) key, mixed: see [`Streams::uniforms`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uniforms {
    keyed: u64,
}

impl Uniforms {
    /// The uniform number in [0, 1) of `entity`.
    #[inline]
    pub fn of(&self, entity: u64) -> f64 {
        unit_from_bits(mix64(mix64(self.keyed ^ entity)))
    }

    /// The uniform number in [0, 1) of the unordered pair {a, b} (the same both ways).
    #[inline]
    pub fn of_pair(&self, a: u32, b: u32) -> f64 {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        self.of(((low as u64) << 32) | high as u64)
    }
}

/// The SplitMix64 finaliser: a bijection on u64 with full avalanche.
#[inline]
fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The top 53 bits of `bits` as a number in [0, 1).
#[inline]
fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Sampling on any generator, defined here so the numbers are ours to keep stable.
pub trait Draw {
    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64;
    /// True with probability `p` (p ≤ 0: never, p ≥ 1: always).
    fn chance(&mut self, p: f64) -> bool;
    /// Uniform integer in [0, n); `n` must be > 0.
    fn below(&mut self, n: u64) -> u64;
    /// Standard normal (Box–Muller; one of the pair is discarded for simplicity).
    fn standard_normal(&mut self) -> f64;
    /// Fisher–Yates shuffle.
    fn shuffle<T>(&mut self, items: &mut [T]);
    /// Index drawn with probability proportional to `weights` (non-negative, not all zero);
    /// `None` when every weight is zero.
    fn weighted_index(&mut self, weights: &[f64]) -> Option<usize>;
    /// The indices in 0..n each kept independently with chance `p`, in increasing order,
    /// by geometric skipping (O(number kept)).
    fn bernoulli_subset(&mut self, n: usize, p: f64) -> Vec<usize>;
    /// `whole part of x` plus one more with chance `fraction of x` (x >= 0): an integer whose
    /// mean is x.
    fn round_stochastic(&mut self, x: f64) -> u64;
}

impl<R: Rng> Draw for R {
    #[inline]
    fn uniform(&mut self) -> f64 {
        unit_from_bits(self.next_u64())
    }

    #[inline]
    fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.uniform() < p
        }
    }

    /// Lemire's multiply-and-reject method: exact, one multiplication in the common case.
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0, "below(0)");
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = (self.next_u64() as u128) * (n as u128);
            if (product as u64) >= threshold {
                return (product >> 64) as u64;
            }
        }
    }

    fn standard_normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1], so ln is finite
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    fn weighted_index(&mut self, weights: &[f64]) -> Option<usize> {
        let total: f64 = weights.iter().sum();
        if total <= 0.0 || total.is_nan() {
            return None;
        }
        let target = self.uniform() * total;
        let mut cumulative = 0.0;
        let mut last_positive = None;
        for (index, weight) in weights.iter().enumerate() {
            if *weight > 0.0 {
                cumulative += weight;
                last_positive = Some(index);
                if target < cumulative {
                    return Some(index);
                }
            }
        }
        last_positive // rounding left target at the very top
    }

    fn bernoulli_subset(&mut self, n: usize, p: f64) -> Vec<usize> {
        if p <= 0.0 || n == 0 {
            return Vec::new();
        }
        if p >= 1.0 {
            return (0..n).collect();
        }
        let log_q = (1.0 - p).ln();
        let mut kept = Vec::new();
        let mut next = 0usize;
        loop {
            let skip = ((1.0 - self.uniform()).ln() / log_q).floor();
            if skip.is_nan() || skip >= (n - next) as f64 {
                return kept;
            }
            next += skip as usize;
            kept.push(next);
            next += 1;
            if next >= n {
                return kept;
            }
        }
    }

    fn round_stochastic(&mut self, x: f64) -> u64 {
        let whole = x.floor();
        whole as u64 + self.chance(x - whole) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_numbers_other_key_other_numbers() {
        let streams = Streams::new(42, 3);
        let a: Vec<u64> = {
            let mut rng = streams.rng(Purpose::Action, 7, 11);
            (0..4).map(|_| rng.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut rng = Streams::new(42, 3).rng(Purpose::Action, 7, 11);
            (0..4).map(|_| rng.next_u64()).collect()
        };
        assert_eq!(a, b);
        for other in [
            Streams::new(43, 3).rng(Purpose::Action, 7, 11),
            Streams::new(42, 4).rng(Purpose::Action, 7, 11),
            Streams::new(42, 3).rng(Purpose::Misread, 7, 11),
            Streams::new(42, 3).rng(Purpose::Action, 8, 11),
            Streams::new(42, 3).rng(Purpose::Action, 7, 12),
        ] {
            let mut other = other;
            let c: Vec<u64> = (0..4).map(|_| other.next_u64()).collect();
            assert_ne!(a, c);
        }
    }

    #[test]
    fn lazy_and_hoisted_streams_give_the_eager_numbers() {
        let streams = Streams::new(42, 3);
        let mut eager = streams.rng(Purpose::Misread, 7, 11);
        let mut lazy = streams.lazy_rng(Purpose::Misread, 7, 11);
        let eager: Vec<f64> = (0..40).map(|_| eager.uniform()).collect();
        let lazy: Vec<f64> = (0..40).map(|_| lazy.uniform()).collect();
        assert_eq!(eager, lazy);
        let hoisted = streams.uniforms(Purpose::Contact, 9);
        for (a, b) in [(1, 2), (5, 3), (0, u32::MAX)] {
            assert_eq!(
                hoisted.of_pair(a, b),
                streams.pair_uniform(Purpose::Contact, 9, a, b)
            );
            assert_eq!(
                hoisted.of(a as u64),
                streams.uniform(Purpose::Contact, 9, a as u64)
            );
        }
    }

    #[test]
    fn pair_uniform_is_symmetric_and_uniform() {
        let streams = Streams::new(1, 0);
        assert_eq!(
            streams.pair_uniform(Purpose::Contact, 5, 3, 9),
            streams.pair_uniform(Purpose::Contact, 5, 9, 3)
        );
        // Mean of 200k draws of U(0,1): sd of the mean is 0.2887/sqrt(2e5) = 6.5e-4;
        // a tolerance of 0.004 is over 6 standard deviations.
        let n = 200_000u32;
        let mut sum = 0.0;
        let mut below_tenth = 0u32;
        for k in 0..n {
            let u = streams.pair_uniform(Purpose::Contact, (k % 7) as u64, k, k / 3 + 1);
            assert!((0.0..1.0).contains(&u));
            sum += u;
            below_tenth += (u < 0.1) as u32;
        }
        assert!((sum / n as f64 - 0.5).abs() < 0.004);
        // share below 0.1: sd = sqrt(0.09/2e5) = 6.7e-4
        assert!((below_tenth as f64 / n as f64 - 0.1).abs() < 0.004);
    }

    #[test]
    fn below_and_shuffle_stay_in_range() {
        let mut rng = Streams::new(9, 0).rng(Purpose::Learning, 0, 0);
        let mut counts = [0u32; 5];
        for _ in 0..50_000 {
            counts[rng.below(5) as usize] += 1;
        }
        // each count ~ Binomial(50000, 0.2): sd 89; tolerance 600 is > 6 sd
        for count in counts {
            assert!((count as i64 - 10_000).abs() < 600, "{counts:?}");
        }
        let mut items: Vec<u32> = (0..100).collect();
        rng.shuffle(&mut items);
        let mut sorted = items.clone();
        sorted.sort();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(items, sorted);
    }

    #[test]
    fn bernoulli_subsets_have_the_right_size_and_no_repeats() {
        let mut rng = Streams::new(4, 0).rng(Purpose::Lifecycle, 1, 0);
        let (n, p, trials) = (1000, 0.03, 400);
        let mut total = 0usize;
        for _ in 0..trials {
            let kept = rng.bernoulli_subset(n, p);
            assert!(kept.windows(2).all(|w| w[0] < w[1]) && kept.iter().all(|&k| k < n));
            total += kept.len();
        }
        // mean 30 per draw; sd of the mean over 400 draws = sqrt(1000 × 0.03 × 0.97 / 400) = 0.27
        let mean = total as f64 / trials as f64;
        assert!((mean - 30.0).abs() < 1.6, "{mean}");
        assert_eq!(rng.bernoulli_subset(5, 1.0), vec![0, 1, 2, 3, 4]);
        assert!(rng.bernoulli_subset(5, 0.0).is_empty());
        let rounded: u64 = (0..10_000).map(|_| rng.round_stochastic(2.25)).sum();
        assert!((rounded as f64 / 10_000.0 - 2.25).abs() < 0.03); // sd 0.0043
    }

    #[test]
    fn normal_has_unit_moments_and_weights_are_respected() {
        let mut rng = Streams::new(5, 1).rng(Purpose::Attributes, SETUP_STEP, 0);
        let n = 100_000;
        let draws: Vec<f64> = (0..n).map(|_| rng.standard_normal()).collect();
        let mean = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.02, "mean {mean}"); // sd of mean 0.0032
        assert!((var - 1.0).abs() < 0.03, "var {var}"); // sd of var ~0.0045
        assert_eq!(rng.weighted_index(&[0.0, 0.0]), None);
        assert_eq!(rng.weighted_index(&[0.0, 2.0, 0.0]), Some(1));
    }
}
