//! The school year (DESIGN §5 step 7): at the end of every `run.steps_per_year` steps,
//! in this order:
//! 1. graduation: students in their last year (`tenure = school_years − 1`) become alumni;
//!    their ties to teachers and students keep `alumni_tie_strength` of their strength,
//!    and a parent left with no child at the school becomes a member of the community;
//! 2. placements: every active alumnus not yet placed (this year's graduates included) tries
//!    each firm and university it is tied to, succeeding with chance
//!    `placement_rate × that partner's trust in it` (twice that when both are members of a
//!    programme that places students: a graduate is still listed until the programme's
//!    next meeting);
//! 3. the other agents complete a year (`tenure + 1`);
//! 4. intake: `intake × graduates` new students (the fraction by chance), each with a
//!    parent (new with chance `new_parent_chance`, else one already there) and a family tie;
//! 5. teachers transfer (each with chance `teacher_transfer`, replaced by a new teacher),
//!    the principal is replaced with chance `principal_change`, each firm leaves with
//!    chance `firm_exit`, and `firm_entry` new firms arrive (the fraction by chance).
//!
//! Newcomers arrive as `model::population` describes (strangers unless onboarded).

use crate::engine::schedule::{Phase, Rule, StepContext};
use crate::engine::streams::{Draw, Purpose};
use crate::model::population::{arrive, depart, settle};
use crate::model::role::Role;
use crate::model::world::World;
use crate::network::AgentId;

/// Year-end events.
pub struct SchoolYear;

/// Stream keys of the year-end events (high 32 bits) for `Purpose::Lifecycle`.
const INTAKE: u64 = 1 << 32;
const TEACHERS: u64 = 2 << 32;
const PRINCIPAL: u64 = 3 << 32;
const FIRMS: u64 = 4 << 32;
/// Stream key of the `k`-th arrival of a year end.
const ARRIVAL: u64 = 5 << 32;

impl Rule for SchoolYear {
    fn name(&self) -> &'static str {
        "school_year"
    }

    fn phase(&self) -> Phase {
        Phase::Lifecycle
    }

    fn apply(&self, world: &mut World, context: &StepContext) {
        let params = context.params;
        if !params.lifecycle.enabled || context.step % params.steps_per_year != 0 {
            return;
        }
        let graduates = graduate(world, context);
        place_alumni(world, context);
        for (i, tenure) in world.agents.tenure.iter_mut().enumerate() {
            if world.agents.active[i] && world.agents.role[i] != Role::Alumnus {
                *tenure += 1;
            }
        }
        let mut arrivals = 0u64;
        admit_students(world, context, graduates, &mut arrivals);
        turn_over(world, context, &mut arrivals);
        settle(world, params);
    }
}

fn place_alumni(world: &mut World, context: &StepContext) {
    let rate = context.params.diffusion.placement_rate;
    let step = context.step as u64;
    let candidates: Vec<AgentId> = world.agents.by_role[Role::Alumnus.index()]
        .iter()
        .copied()
        .filter(|&a| !world.agents.placed[a as usize])
        .collect();
    for alumnus in candidates {
        for v in world.graph.views(alumnus) {
            let partner = world.graph.targets()[v];
            if !matches!(
                world.agents.role[partner as usize],
                Role::Firm | Role::University
            ) {
                continue;
            }
            let boost = if in_placing_programme_with(world, context, alumnus, partner) {
                2.0
            } else {
                1.0
            };
            let trust = world.views[world.graph.reverse(v)].trust();
            let draw = context
                .streams
                .pair_uniform(Purpose::Placement, step, alumnus, partner);
            if draw < (rate * trust * boost).min(1.0) {
                world.agents.placed[alumnus as usize] = true;
                world.scratch.placements += 1;
                world.ledger.placements += 1;
                break;
            }
        }
    }
}

/// Whether `member` and `partner` are both in a running programme that places students.
fn in_placing_programme_with(
    world: &World,
    context: &StepContext,
    member: AgentId,
    partner: AgentId,
) -> bool {
    context
        .params
        .programmes
        .iter()
        .zip(&world.programmes)
        .any(|(programme, state)| {
            programme.places_students()
                && state.members.contains(&member)
                && state.members.contains(&partner)
        })
}

/// Students in their last year become alumni; returns how many.
fn graduate(world: &mut World, context: &StepContext) -> u64 {
    let last_year = context.params.lifecycle.school_years - 1;
    let keep = context.params.lifecycle.alumni_tie_strength as f32;
    let graduates: Vec<AgentId> = world.agents.by_role[Role::Student.index()]
        .iter()
        .copied()
        .filter(|&s| world.agents.tenure[s as usize] >= last_year)
        .collect();
    for &student in &graduates {
        let s = student as usize;
        for v in world.graph.views(student) {
            // A tie between two graduates is weakened once: by the first of them, while
            // the other is still a student.
            let partner_role = world.agents.role[world.graph.targets()[v] as usize];
            if matches!(partner_role, Role::Teacher | Role::Student) {
                world.views[v].strength *= keep;
                let back = world.graph.reverse(v);
                world.views[back].strength *= keep;
            }
        }
        world.agents.role[s] = Role::Alumnus;
        world.agents.tenure[s] = 0;
    }
    world.agents.index_roles();
    let has_child_at_school = parents_of_students(world);
    for &student in &graduates {
        let parent = world.agents.parent[student as usize];
        if parent != crate::model::world::NO_AGENT && !has_child_at_school[parent as usize] {
            world.agents.role[parent as usize] = Role::Community;
        }
    }
    world.agents.index_roles();
    graduates.len() as u64
}

/// Per agent, whether it is the parent of an active student: one pass over the students
/// (asking each graduate's parent in turn would cost graduates × students).
fn parents_of_students(world: &World) -> Vec<bool> {
    let mut is_parent = vec![false; world.agents.count()];
    for &student in &world.agents.by_role[Role::Student.index()] {
        let parent = world.agents.parent[student as usize];
        if parent != crate::model::world::NO_AGENT {
            is_parent[parent as usize] = true;
        }
    }
    is_parent
}

fn admit_students(world: &mut World, context: &StepContext, graduates: u64, arrivals: &mut u64) {
    let params = context.params;
    let (step, streams) = (context.step, &context.streams);
    let mut rng = streams.rng(Purpose::Lifecycle, step as u64, INTAKE);
    let intake = rng.round_stochastic(params.lifecycle.intake * graduates as f64);
    for _ in 0..intake {
        let student = arrive(
            world,
            params,
            streams,
            step,
            Role::Student,
            ARRIVAL + next(arrivals),
        );
        let existing = &world.agents.by_role[Role::Parent.index()];
        let parent = if existing.is_empty() || rng.chance(params.lifecycle.new_parent_chance) {
            arrive(
                world,
                params,
                streams,
                step,
                Role::Parent,
                ARRIVAL + next(arrivals),
            )
        } else {
            existing[rng.below(existing.len() as u64) as usize]
        };
        world.agents.parent[student as usize] = parent;
        world.scratch.new_ties.push((student, parent));
        world.scratch.acquainted.push((student, parent));
    }
}

fn next(counter: &mut u64) -> u64 {
    *counter += 1;
    *counter
}

/// Teachers transfer, the principal may change, firms leave and arrive.
fn turn_over(world: &mut World, context: &StepContext, arrivals: &mut u64) {
    let (params, step, streams) = (context.params, context.step, &context.streams);
    let lifecycle = &params.lifecycle;
    let mut rng = streams.rng(Purpose::Lifecycle, step as u64, TEACHERS);
    let leaving: Vec<AgentId> = world.agents.by_role[Role::Teacher.index()]
        .clone()
        .into_iter()
        .filter(|_| rng.chance(lifecycle.teacher_transfer))
        .collect();
    replace(world, context, &leaving, Role::Teacher, arrivals);
    let mut rng = streams.rng(Purpose::Lifecycle, step as u64, PRINCIPAL);
    if rng.chance(lifecycle.principal_change) {
        let principals = world.agents.by_role[Role::Principal.index()].clone();
        replace(world, context, &principals, Role::Principal, arrivals);
    }
    let mut rng = streams.rng(Purpose::Lifecycle, step as u64, FIRMS);
    let firms = world.agents.by_role[Role::Firm.index()].clone();
    for firm in firms {
        if rng.chance(lifecycle.firm_exit) {
            depart(world, firm);
        }
    }
    for _ in 0..rng.round_stochastic(lifecycle.firm_entry) {
        arrive(
            world,
            params,
            streams,
            step,
            Role::Firm,
            ARRIVAL + next(arrivals),
        );
    }
}

/// All of `leaving` depart, then as many newcomers of `role` take their places (so no
/// newcomer picks a leaver as a partner or mentor).
pub fn replace(
    world: &mut World,
    context: &StepContext,
    leaving: &[AgentId],
    role: Role,
    arrivals: &mut u64,
) {
    for &agent in leaving {
        depart(world, agent);
    }
    for _ in leaving {
        arrive(
            world,
            context.params,
            &context.streams,
            context.step,
            role,
            ARRIVAL + next(arrivals),
        );
    }
}
