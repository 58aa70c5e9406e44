//! The animation of a run (`gotong run --animate`): replicate 0's network over the run in
//! `plots/network.gif`.
//!
//! Owns: positions that move gently from frame to frame (the first frame laid out as the
//! network picture is, each next one started from the previous positions, newcomers placed
//! next to a tied neighbour or on the rim, then a few cool iterations of [`layout::settle`]),
//! what a frame shows (roles in the colours of `network.png`, ties greyed by trust, "step S
//! · year Y"), the timing, one sample of agents for all frames when a frame has more than
//! [`MAX_ANIMATION_AGENTS`], and when a school is too large to animate at all.
//! Must never: change simulation state. Its only randomness is [`Purpose::Layout`] streams,
//! so the same seed gives the same GIF bytes on any number of threads.
//!
//! Cost: each frame takes [`FRAME_ITERATIONS`] layout iterations, O(n²) in the agents
//! drawn, and the GIF encoder's pass over 800×600 pixels. Measured with `/usr/bin/time
//! gotong run NAME --replicates 1 --threads 1 [--animate] --out DIR --quiet`, best of three
//! on a shared 2-core machine: classroom 1.8 s with, 0.3 s without; default 10.3 s with,
//! 2.1 s without (the default school reaches 2,052 agents, 1,500 of them drawn).

use super::charts::{self, AnimationFrame, ChartError, FrameTiming, NetworkEdge, NetworkNode};
use super::layout::{self, Sampling};
use crate::engine::streams::{Draw, Purpose, Streams};
use crate::model::role::Role;
use crate::observe::NetworkFrame;
use std::path::Path;

/// Most agents drawn in an animation: the network picture's sample size. When a frame has
/// more, one snowball sample of this many of all the agents of the run is drawn in every
/// frame (a sample per frame would flicker).
pub const MAX_ANIMATION_AGENTS: usize = super::plots::MAX_PICTURE_AGENTS;
/// Schools that start with more agents than this are not animated (no frames are even
/// kept): the largest network the layout is meant for ([`layout::MAX_LAYOUT_NODES`]).
pub const MAX_ANIMATED_SCHOOL: usize = layout::MAX_LAYOUT_NODES;
/// Each frame shows 120 ms: 50 frames play in 6 s.
pub const FRAME_MS: u32 = 120;
/// The last frame shows 10 times as long (1.2 s) before the loop starts again.
pub const LAST_FRAME_REPEATS: u32 = 10;
/// Layout iterations per frame after the first, and the longest move of the first of
/// them (in ideal edge lengths; it falls linearly to 0): a node moves at most 5.5 edge
/// lengths from one frame to the next, and usually much less.
pub const FRAME_ITERATIONS: usize = 20;
const FRAME_TEMPERATURE: f64 = 0.5;
/// How far from its tied neighbour a newcomer appears, and beyond the outermost node a
/// newcomer without a placed neighbour appears (in ideal edge lengths).
const NEWCOMER_OFFSET: f64 = 0.5;
const RIM_GAP: f64 = 1.5;
/// Stream entity of [`Purpose::Layout`] (at each frame's step) placing newcomers; entities
/// 0 and 1 at step 0 belong to [`layout`].
const NEWCOMER_STREAM: u64 = 2;

/// Why no animation was drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnimationSkipped {
    /// The school starts with more agents than [`MAX_ANIMATED_SCHOOL`].
    TooLarge { agents: usize },
}

impl std::fmt::Display for AnimationSkipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnimationSkipped::TooLarge { agents } => write!(
                f,
                "the school starts with {agents} agents, more than the {MAX_ANIMATED_SCHOOL} an animation lays out"
            ),
        }
    }
}

/// Whether a school of `agents` at the start is animated (see [`MAX_ANIMATED_SCHOOL`]).
pub fn animates(agents: usize) -> Result<(), AnimationSkipped> {
    if agents > MAX_ANIMATED_SCHOOL {
        Err(AnimationSkipped::TooLarge { agents })
    } else {
        Ok(())
    }
}

/// Writes the animation of `frames` (replicate 0's, in step order) to `path`.
/// `steps_per_year` numbers the school years of the counter (step 0 is in year 1).
pub fn write_network_animation(
    path: &Path,
    frames: &[NetworkFrame],
    steps_per_year: u32,
    streams: &Streams,
) -> Result<(), ChartError> {
    let most_active = frames.iter().map(NetworkFrame::active_count).max();
    let (sampled, sample_note);
    let frames = if most_active.is_some_and(|n| n > MAX_ANIMATION_AGENTS) {
        let all = frames.iter().map(|f| f.roles.len()).max().unwrap_or(0);
        sampled = sample_frames(frames, streams);
        sample_note =
            format!(" · a sample of {MAX_ANIMATION_AGENTS} of the {all} agents of the run");
        sampled.as_slice()
    } else {
        sample_note = String::new();
        frames
    };
    let roles: Vec<Role> = (Role::ALL.into_iter())
        .filter(|r| frames.iter().any(|f| f.roles.contains(&Some(*r))))
        .collect();
    let positions = gentle_positions(frames, streams);
    let pictures: Vec<AnimationFrame> = (frames.iter().zip(positions))
        .map(|(frame, positions)| picture(frame, positions, &roles, steps_per_year))
        .collect();
    let labels: Vec<String> = roles.iter().map(|r| r.name().to_string()).collect();
    let timing = FrameTiming {
        frame_ms: FRAME_MS,
        last_frame_repeats: LAST_FRAME_REPEATS,
    };
    let caption = format!("colour: role · darker line: more trust{sample_note}");
    let title = "The network over the run (replicate 0)";
    charts::network_animation(path, title, &pictures, &labels, &caption, timing)
}

/// The frames with only a snowball sample of [`MAX_ANIMATION_AGENTS`] agents (of all who
/// were ever in the run, joined by every tie they ever had) left active.
fn sample_frames(frames: &[NetworkFrame], streams: &Streams) -> Vec<NetworkFrame> {
    let all = frames.iter().map(|f| f.roles.len()).max().unwrap_or(0);
    let mut edges: Vec<(u32, u32)> = (frames.iter())
        .flat_map(|f| f.ties.iter().map(|t| (t.a, t.b)))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let sample = layout::sample_for_picture(
        all,
        &edges,
        MAX_ANIMATION_AGENTS,
        Sampling::Snowball,
        streams,
    );
    let kept = |id: u32| sample.new_id(id).is_some();
    (frames.iter())
        .map(|frame| NetworkFrame {
            step: frame.step,
            roles: (frame.roles.iter().enumerate())
                .map(|(id, role)| role.filter(|_| kept(id as u32)))
                .collect(),
            ties: (frame.ties.iter().copied())
                .filter(|t| kept(t.a) && kept(t.b))
                .collect(),
        })
        .collect()
}

/// Active agents of a frame in id order, and each agent's index among them.
fn active_agents(frame: &NetworkFrame) -> (Vec<u32>, Vec<u32>) {
    let mut dense = vec![u32::MAX; frame.roles.len()];
    let mut active = Vec::new();
    for (id, role) in frame.roles.iter().enumerate() {
        if role.is_some() {
            dense[id] = active.len() as u32;
            active.push(id as u32);
        }
    }
    (active, dense)
}

/// A frame's ties between active agents, in dense ids.
fn dense_ties(frame: &NetworkFrame, dense: &[u32]) -> Vec<(u32, u32)> {
    (frame.ties.iter())
        .map(|t| (dense[t.a as usize], dense[t.b as usize]))
        .filter(|&(a, b)| a != u32::MAX && b != u32::MAX)
        .collect()
}

/// Positions of each frame's active agents (in id order), each frame starting from the
/// one before.
fn gentle_positions(frames: &[NetworkFrame], streams: &Streams) -> Vec<Vec<(f64, f64)>> {
    let mut by_agent: Vec<Option<(f64, f64)>> = Vec::new();
    let mut all = Vec::with_capacity(frames.len());
    for (index, frame) in frames.iter().enumerate() {
        let (active, dense) = active_agents(frame);
        let edges = dense_ties(frame, &dense);
        let positions = if index == 0 {
            let iterations = layout::DEFAULT_ITERATIONS;
            layout::force_directed(active.len(), &edges, streams, iterations)
        } else {
            let mut rng = streams.rng(Purpose::Layout, frame.step as u64, NEWCOMER_STREAM);
            let mut positions = placed(&active, &edges, &by_agent, &mut rng);
            let mut tied: Vec<u32> = edges.iter().flat_map(|&(a, b)| [a, b]).collect();
            tied.sort_unstable();
            tied.dedup();
            let (iterations, temperature) = (FRAME_ITERATIONS, FRAME_TEMPERATURE);
            layout::settle(&mut positions, &edges, &tied, iterations, temperature);
            positions
        };
        by_agent.resize(frame.roles.len().max(by_agent.len()), None);
        for (&id, &position) in active.iter().zip(&positions) {
            by_agent[id as usize] = Some(position);
        }
        all.push(positions);
    }
    all
}

/// Where each active agent starts a frame: where it was, else next to a tied neighbour who
/// was placed, else on the rim around everyone placed.
fn placed(
    active: &[u32],
    edges: &[(u32, u32)],
    by_agent: &[Option<(f64, f64)>],
    rng: &mut impl Draw,
) -> Vec<(f64, f64)> {
    let previous = |dense: u32| {
        by_agent
            .get(active[dense as usize] as usize)
            .copied()
            .flatten()
    };
    let mut anchor: Vec<Option<(f64, f64)>> = vec![None; active.len()];
    for &(a, b) in edges {
        for (new, old) in [(a, b), (b, a)] {
            if previous(new).is_none() && anchor[new as usize].is_none() {
                anchor[new as usize] = previous(old);
            }
        }
    }
    let rim = (0..active.len() as u32)
        .filter_map(previous)
        .fold(0.0f64, |rim, (x, y)| rim.max(x.hypot(y)))
        + RIM_GAP;
    (0..active.len() as u32)
        .map(|node| {
            if let Some(position) = previous(node) {
                return position;
            }
            let angle = std::f64::consts::TAU * rng.uniform();
            let (centre, radius) = match anchor[node as usize] {
                Some(centre) => (centre, NEWCOMER_OFFSET),
                None => ((0.0, 0.0), rim),
            };
            (
                centre.0 + radius * angle.cos(),
                centre.1 + radius * angle.sin(),
            )
        })
        .collect()
}

fn picture(
    frame: &NetworkFrame,
    positions: Vec<(f64, f64)>,
    roles: &[Role],
    steps_per_year: u32,
) -> AnimationFrame {
    let (active, dense) = active_agents(frame);
    let group = |id: u32| {
        let role = frame.roles[id as usize];
        roles.iter().position(|r| Some(*r) == role).unwrap_or(0)
    };
    let nodes = (active.iter())
        .map(|&id| NetworkNode { group: group(id) })
        .collect();
    let edges = (frame.ties.iter())
        .filter(|t| dense[t.a as usize] != u32::MAX && dense[t.b as usize] != u32::MAX)
        .map(|t| NetworkEdge {
            a: dense[t.a as usize],
            b: dense[t.b as usize],
            weight: t.trust as f64,
            marked: false,
        })
        .collect();
    let year = frame.step / steps_per_year.max(1) + 1;
    AnimationFrame {
        counter: format!("step {} · year {year}", frame.step),
        nodes,
        edges,
        positions,
    }
}

#[cfg(test)]
mod tests;
