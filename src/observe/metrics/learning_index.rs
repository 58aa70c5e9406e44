//! The student learning index (DESIGN §8): how well the adults around a student work
//! together, and how much the student gets from programmes.
//!
//! For an active student s with teachers T_s (the teachers it is tied to) and parent p
//! (`Agents::parent`), three parts in [0, 1]:
//! - teacher collaboration: mean trust over the views t → t' between tied teachers t, t'
//!   of T_s (undefined with fewer than two teachers or no tie among them);
//! - home–school: mean trust over the views p → t and t → p for the teachers t of T_s tied
//!   to p (undefined without a parent or such a tie);
//! - enrichment: s's `enrichment` (always defined).
//!
//! The student's index is the mean of its defined parts; `learning_index` is the mean over
//! students (group `all`), and each part's group is its mean over the students for whom
//! it is defined. Float sums are built per agent block and added in block order.
//! Owns: these formulas. Must never: record a mean over no students.

use super::closure::{tied_of_role, views_toward};
use super::{Observed, Sink};
use crate::engine::parallel::{agent_blocks, map_blocks};
use crate::model::role::Role;
use crate::model::world::{NO_AGENT, World};
use crate::network::AgentId;

/// Names of the parts, in the order of [`parts`].
pub(super) const PARTS: [&str; 3] = ["teacher_collaboration", "home_school", "enrichment"];

/// Sums over students of the index and of each defined part.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct LearningTotals {
    pub students: u64,
    pub index: f64,
    pub part_sums: [f64; 3],
    pub part_counts: [u64; 3],
}

impl LearningTotals {
    /// Totals over every active student of `world`.
    pub fn of(world: &World) -> LearningTotals {
        let n = world.agents.count();
        let partials = map_blocks(n, agent_blocks(n), |_, block| {
            let mut totals = LearningTotals::default();
            for s in block {
                let agents = &world.agents;
                if agents.active[s] && agents.role[s] == Role::Student {
                    totals.add(parts(world, s as AgentId));
                }
            }
            totals
        });
        let mut totals = LearningTotals::default();
        for part in partials {
            totals.students += part.students;
            totals.index += part.index;
            for k in 0..3 {
                totals.part_sums[k] += part.part_sums[k];
                totals.part_counts[k] += part.part_counts[k];
            }
        }
        totals
    }

    fn add(&mut self, parts: [Option<f64>; 3]) {
        let defined: Vec<f64> = parts.iter().flatten().copied().collect();
        self.students += 1;
        self.index += defined.iter().sum::<f64>() / defined.len() as f64;
        for (k, part) in parts.iter().enumerate() {
            if let Some(value) = part {
                self.part_sums[k] += value;
                self.part_counts[k] += 1;
            }
        }
    }
}

/// The three parts for `student` (see the module doc).
pub(super) fn parts(world: &World, student: AgentId) -> [Option<f64>; 3] {
    let (graph, views) = (&world.graph, &world.views);
    let teachers = tied_of_role(world, student, Role::Teacher);
    let mean = |sum: f64, count: u32| (count > 0).then(|| sum / count as f64);
    let collaboration = if teachers.len() < 2 {
        None
    } else {
        let (mut sum, mut count) = (0.0, 0u32);
        for &t in &teachers {
            views_toward(graph, t, &teachers, |v| {
                sum += views[v].trust();
                count += 1;
            });
        }
        mean(sum, count)
    };
    let parent = world.agents.parent[student as usize];
    let home_school = if parent == NO_AGENT || !world.agents.active[parent as usize] {
        None
    } else {
        let (mut sum, mut count) = (0.0, 0u32);
        views_toward(graph, parent, &teachers, |v| {
            sum += views[v].trust() + views[graph.reverse(v)].trust();
            count += 2;
        });
        mean(sum, count)
    };
    let enrichment = Some(world.agents.enrichment[student as usize]);
    [collaboration, home_school, enrichment]
}

/// `learning_index`: the mean over students, and each part's mean where defined.
pub(super) fn learning_index(o: &Observed, sink: &mut Sink) {
    let totals = LearningTotals::of(o.world);
    if totals.students == 0 {
        return;
    }
    sink.push("all", totals.index / totals.students as f64);
    for (k, name) in PARTS.iter().enumerate() {
        if totals.part_counts[k] > 0 {
            sink.push(*name, totals.part_sums[k] / totals.part_counts[k] as f64);
        }
    }
}
