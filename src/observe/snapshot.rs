//! A copy of the network at one step, for GraphML files and pictures.

use crate::model::role::{Role, TieKind};
use crate::model::world::World;
use crate::network::AgentId;

/// One agent in a snapshot.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotNode {
    /// Whether the agent is still in the community (agents who left keep their id).
    pub active: bool,
    pub role: Role,
    /// The strategy as written in scenario files (`tft`, `gtft(0.3)`).
    pub strategy: String,
    pub norm: f64,
    pub resources: f64,
    pub knowledge: f64,
}

/// One tie in a snapshot, low id first.
#[derive(Clone, Debug, PartialEq)]
pub struct SnapshotTie {
    pub a: AgentId,
    pub b: AgentId,
    /// Trust of a toward b, in (0, 1).
    pub trust_ab: f64,
    /// Trust of b toward a, in (0, 1).
    pub trust_ba: f64,
    /// Strength as a feels it, in [0, 1].
    pub strength_ab: f64,
    /// Strength as b feels it, in [0, 1].
    pub strength_ba: f64,
    pub kind: TieKind,
    /// Either side regards it as a conflict tie.
    pub conflict: bool,
}

/// The network of one world at one step.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkSnapshot {
    pub step: u32,
    pub nodes: Vec<SnapshotNode>,
    pub ties: Vec<SnapshotTie>,
}

impl NetworkSnapshot {
    /// A snapshot of `world` as it is now.
    pub fn of(world: &World) -> NetworkSnapshot {
        let agents = &world.agents;
        let nodes = (0..agents.count())
            .map(|i| SnapshotNode {
                active: agents.active[i],
                role: agents.role[i],
                strategy: agents.strategy[i].to_string(),
                norm: agents.norm[i],
                resources: agents.resources[i],
                knowledge: agents.knowledge[i],
            })
            .collect();
        let ties = world
            .graph
            .ties()
            .map(|(a, b, view)| {
                let (forward, backward) =
                    (&world.views[view], &world.views[world.graph.reverse(view)]);
                SnapshotTie {
                    a,
                    b,
                    trust_ab: forward.trust(),
                    trust_ba: backward.trust(),
                    strength_ab: forward.strength as f64,
                    strength_ba: backward.strength as f64,
                    kind: TieKind::between(agents.role[a as usize], agents.role[b as usize]),
                    conflict: forward.conflict || backward.conflict,
                }
            })
            .collect();
        NetworkSnapshot {
            step: world.step,
            nodes,
            ties,
        }
    }
}
