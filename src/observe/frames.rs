//! Small copies of the network at evenly spaced steps, for the animation of a run
//! (`gotong run --animate`, drawn by `crate::output::animation`).
//!
//! Owns: which recorded steps become frames ([`frame_steps`], at most [`FRAME_BUDGET`]) and
//! what a frame keeps ([`NetworkFrame`]: roles, ties and their trust; nothing else, so that
//! fifty of them cost about 12 bytes per tie and 1 per agent each).
//! Must never: change the world, or write files.

use crate::model::role::Role;
use crate::model::world::World;
use crate::network::AgentId;

/// Most frames in an animation: 50 frames at [`crate::output::animation`]'s 120 ms each
/// play for 6 s, a few seconds as a slide needs, while a frame every 4 weeks of the
/// default school's 200 is frequent enough for the network to move smoothly.
pub const FRAME_BUDGET: usize = 50;

/// One tie of a frame, low id first.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameTie {
    pub a: AgentId,
    pub b: AgentId,
    /// Mean of the trusts of the two ends toward each other, in (0, 1).
    pub trust: f32,
}

/// The network of one world at one step, reduced to what the animation draws.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkFrame {
    pub step: u32,
    /// Role of every agent by id; `None` for agents who have left (ids are never reused,
    /// so later frames hold at least as many entries as earlier ones).
    pub roles: Vec<Option<Role>>,
    pub ties: Vec<FrameTie>,
}

impl NetworkFrame {
    /// A frame of `world` as it is now.
    pub fn of(world: &World) -> NetworkFrame {
        let agents = &world.agents;
        let roles = (0..agents.count())
            .map(|i| agents.active[i].then_some(agents.role[i]))
            .collect();
        let ties = (world.graph.ties())
            .map(|(a, b, view)| {
                let back = world.graph.reverse(view);
                let trust = (world.views[view].trust() + world.views[back].trust()) / 2.0;
                FrameTie {
                    a,
                    b,
                    trust: trust as f32,
                }
            })
            .collect();
        NetworkFrame {
            step: world.step,
            roles,
            ties,
        }
    }

    /// Agents still in the community at this step.
    pub fn active_count(&self) -> usize {
        self.roles.iter().filter(|role| role.is_some()).count()
    }
}

/// At most [`FRAME_BUDGET`] of the `recorded` steps (ascending), evenly spaced, always
/// the first and the last; all of them when there are not more.
pub fn frame_steps(recorded: &[u32]) -> Vec<u32> {
    if recorded.len() <= FRAME_BUDGET {
        return recorded.to_vec();
    }
    let last = recorded.len() - 1;
    let mut steps: Vec<u32> = (0..FRAME_BUDGET)
        .map(|i| recorded[(i * last + (FRAME_BUDGET - 1) / 2) / (FRAME_BUDGET - 1)])
        .collect();
    steps.dedup();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_recorded_steps_are_all_frames() {
        assert_eq!(frame_steps(&[0, 5, 10]), vec![0, 5, 10]);
        assert_eq!(frame_steps(&[]), Vec::<u32>::new());
    }

    #[test]
    fn many_recorded_steps_are_thinned_evenly_keeping_both_ends() {
        let recorded: Vec<u32> = (0..=200).collect();
        let steps = frame_steps(&recorded);
        assert_eq!(steps.len(), FRAME_BUDGET);
        assert_eq!((steps[0], steps[FRAME_BUDGET - 1]), (0, 200));
        // 200 steps in 49 gaps: every gap is 4 or 5 steps.
        assert!(steps.windows(2).all(|w| (4..=5).contains(&(w[1] - w[0]))));
        // Recorded every 10 weeks to 1000: 101 steps, gaps of 20 or 30.
        let sparse: Vec<u32> = (0..=100).map(|i| i * 10).collect();
        let steps = frame_steps(&sparse);
        assert_eq!((steps.len(), steps[49]), (FRAME_BUDGET, 1000));
        assert!(steps.windows(2).all(|w| [20, 30].contains(&(w[1] - w[0]))));
    }
}
