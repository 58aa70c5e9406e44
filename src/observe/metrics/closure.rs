//! Coleman's closure (1988; DESIGN §1): where the adults around a child know each other,
//! norms can be enforced.
//!
//! - `parent_student_teacher`: among chains parent – student – teacher (the parent tied to
//!   the student, the student tied to the teacher; any tied parent, not only its own), the
//!   share whose parent and teacher are tied;
//! - `parent_parent`: among tied pairs of students whose parents (`Agents::parent`) are
//!   two different agents, the share whose parents are tied;
//! - `all`: both pooled, closed chains and pairs over all chains and pairs.
//!
//! Counts are integers gathered per agent block; the cost is O(views × degree) at worst
//! (each parent of a student is merged once with the student's neighbour list).
//! Owns: these counts and the neighbourhood helpers the learning index shares.
//! Must never: record a share over no chains or pairs.

use super::{Observed, Sink};
use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::model::role::Role;
use crate::model::world::{NO_AGENT, World};
use crate::network::{AgentId, Graph};

/// Chains and pairs, and how many of them are closed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct ClosureCounts {
    pub chains: u64,
    pub closed_chains: u64,
    pub pairs: u64,
    pub closed_pairs: u64,
}

impl ClosureCounts {
    /// Counts over every active student of `world`.
    pub fn of(world: &World) -> ClosureCounts {
        let n = world.agents.count();
        let partials = map_blocks(n, agent_blocks(n), |_, block| {
            let mut counts = ClosureCounts::default();
            for s in block {
                let agents = &world.agents;
                if agents.active[s] && agents.role[s] == Role::Student {
                    counts.add_student(world, s as AgentId);
                }
            }
            counts
        });
        partials
            .into_iter()
            .fold(ClosureCounts::default(), |total, part| ClosureCounts {
                chains: total.chains + part.chains,
                closed_chains: total.closed_chains + part.closed_chains,
                pairs: total.pairs + part.pairs,
                closed_pairs: total.closed_pairs + part.closed_pairs,
            })
    }

    /// The chains through `student`, and its pairs with higher-numbered tied students.
    fn add_student(&mut self, world: &World, student: AgentId) {
        let (graph, agents) = (&world.graph, &world.agents);
        let teachers = tied_of_role(world, student, Role::Teacher);
        for &p in graph.neighbours(student) {
            if agents.role[p as usize] == Role::Parent {
                self.chains += teachers.len() as u64;
                views_toward(graph, p, &teachers, |_| self.closed_chains += 1);
            }
        }
        let parent = agents.parent[student as usize];
        if parent == NO_AGENT {
            return;
        }
        for &other in graph.neighbours(student) {
            let other_parent = agents.parent[other as usize];
            if other <= student
                || agents.role[other as usize] != Role::Student
                || other_parent == NO_AGENT
                || other_parent == parent
            {
                continue;
            }
            self.pairs += 1;
            self.closed_pairs += graph.has_tie(parent, other_parent) as u64;
        }
    }
}

/// `closure`: the three shares.
pub(super) fn closure(o: &Observed, sink: &mut Sink) {
    let c = ClosureCounts::of(o.world);
    let share = |closed: u64, of: u64| (of > 0).then(|| closed as f64 / of as f64);
    let groups = [
        ("parent_student_teacher", share(c.closed_chains, c.chains)),
        ("parent_parent", share(c.closed_pairs, c.pairs)),
        (
            "all",
            share(c.closed_chains + c.closed_pairs, c.chains + c.pairs),
        ),
    ];
    for (group, value) in groups {
        if let Some(value) = value {
            sink.push(group, value);
        }
    }
}

/// The contacts of `agent` with `role`, sorted by id.
pub(super) fn tied_of_role(world: &World, agent: AgentId, role: Role) -> Vec<AgentId> {
    world
        .graph
        .neighbours(agent)
        .iter()
        .copied()
        .filter(|&j| world.agents.role[j as usize] == role)
        .collect()
}

/// Calls `found` with every view of `agent` whose target is in `sorted` (sorted by id), by
/// merging the two sorted lists: O(degree + |sorted|).
pub(super) fn views_toward(
    graph: &Graph,
    agent: AgentId,
    sorted: &[AgentId],
    mut found: impl FnMut(usize),
) {
    let views = graph.views(agent);
    let targets = &graph.targets()[views.clone()];
    let (mut a, mut b) = (0, 0);
    while a < targets.len() && b < sorted.len() {
        match targets[a].cmp(&sorted[b]) {
            std::cmp::Ordering::Less => a += 1,
            std::cmp::Ordering::Greater => b += 1,
            std::cmp::Ordering::Equal => {
                found(views.start + a);
                a += 1;
                b += 1;
            }
        }
    }
}
