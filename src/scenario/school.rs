//! The school model's tables: the principal's levers, the school year, programmes,
//! interventions, contests, solidarity, diffusion and the progress index weights
//! (DESIGN §5 steps 6–8, §7, §8).
//!
//! Owns: the keys, defaults, units and ranges of these tables and the one mechanical effect
//! each lever has (written on the field; docs/model.md gives the formulas). Must never:
//! implement an effect (the rules in `model::rules` do).

use crate::model::role::Role;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[policy]`: the principal's levers (DESIGN §7). Each is in [0, 1] unless stated and has
/// one mechanical effect; at 0 (the default, except transparency and governance) it does
/// nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Shared goals make school work worth more: the synergy factor of every group activity
    /// and programme is multiplied by (1 + shared_goals / 2).
    pub shared_goals: f64,
    /// Clear roles put expertise where the task needs it: an activity that names
    /// `expertise` roles gets synergy × (1 + role_clarity × share of members of those roles).
    pub role_clarity: f64,
    /// Agreed rules allow sanctions: in a group activity each cooperating member (share at
    /// least `cooperate_above`) fines each free rider with this chance; the fine costs the
    /// fining member 0.1 × endowment and the free rider 0.3 × endowment.
    pub agreed_rules: f64,
    /// Chance a newcomer is onboarded: it is introduced (all its first ties start from the
    /// acquaintance prior, both ways, instead of the stranger prior), takes the median norm
    /// of its role, and gets a mentor tie to a random member of its role who has been at
    /// the school at least a year.
    pub onboarding: f64,
    /// Chance an idea raised in a group activity is implemented (an innovation). An
    /// occurrence raises an idea with chance `diffusion.idea_rate` × its members' mean
    /// knowledge; openness × the members' mean share decides whether it is implemented.
    pub openness: f64,
    /// Chance per step that a conflict tie is repaired: both ends drop the conflict mark and
    /// their beliefs restart from the stranger prior of the pair.
    pub mediation: f64,
    /// Fair workloads even out the burden: in a group activity every member's share moves
    /// toward the members' mean share by this fraction.
    pub fair_workload: f64,
    /// Fewer misread observations: the misreading chance is `trust.misread × (1 − transparency)`.
    pub transparency: f64,
    /// Recognition rewards contributors: each member of a group activity whose share is at
    /// least `cooperate_above` receives recognition × endowment from the school.
    pub recognition: f64,
    /// Steps between reviews that expose free riders (0: never): at a review, every agent
    /// whose reputation is below 0.5 is seen defecting by each of its contacts (β + 1).
    pub evaluation_every: u32,
    /// Networking events per year (>= 0): each brings `diffusion.event_size` random agents
    /// together, and each pair of them meets (forms a tie if strangers) with chance
    /// `diffusion.event_tie_chance`.
    pub networking_events: f64,
    /// How decisions and information flow between the school and its stakeholders.
    pub governance: Governance,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            shared_goals: 0.0,
            role_clarity: 0.0,
            agreed_rules: 0.0,
            onboarding: 0.0,
            openness: 0.0,
            mediation: 0.0,
            fair_workload: 0.0,
            transparency: 0.5,
            recognition: 0.0,
            evaluation_every: 0,
            networking_events: 0.0,
            governance: Governance::Advocacy,
        }
    }
}

/// Names of the levers in `[policy]`, for `[[intervention]] set` and messages.
pub const LEVERS: [&str; 12] = [
    "shared_goals",
    "role_clarity",
    "agreed_rules",
    "onboarding",
    "openness",
    "mediation",
    "fair_workload",
    "transparency",
    "recognition",
    "evaluation_every",
    "networking_events",
    "governance",
];

/// Keith & Girling's models of school–stakeholder relations (DESIGN §1, §7). The effect is
/// on ties between the school (principal, teachers, staff, students) and outsiders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Governance {
    /// One-way: contact chances on school–outside ties × 0.8; outsiders' knowledge does not
    /// reach the school (Kowalski: one-way communication loses what the community knows).
    Professional,
    /// Contact chances unchanged; outsiders' knowledge reaches the school at half the rate.
    Advocacy,
    /// Two-way: contact chances on school–outside ties × 1.2; knowledge flows both ways at
    /// the full rate.
    Partnership,
}

impl Governance {
    /// Multiplier of contact chances on ties between the school and outsiders.
    pub fn outside_contact_factor(self) -> f64 {
        match self {
            Governance::Professional => 0.8,
            Governance::Advocacy => 1.0,
            Governance::Partnership => 1.2,
        }
    }

    /// Share of the knowledge diffusion rate at which outsiders' knowledge reaches members
    /// of the school.
    pub fn inflow_factor(self) -> f64 {
        match self {
            Governance::Professional => 0.0,
            Governance::Advocacy => 0.5,
            Governance::Partnership => 1.0,
        }
    }
}

/// `[lifecycle]`: what happens at the end of every school year (every `run.steps_per_year`
/// steps). Newcomers get ties as the initial network would give an agent of their role
/// (with a block model: each agent of each role with that pair's density; with another
/// generator: about its mean degree of ties to agents drawn uniformly), and start as
/// strangers (stranger prior) unless onboarded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lifecycle {
    /// Whether year ends happen at all.
    pub enabled: bool,
    /// Years a student stays (>= 1): each year end the students in their last year graduate
    /// and become alumni. Students start spread evenly over the years.
    pub school_years: u32,
    /// New students each year as a share of that year's graduates (>= 0; 1 keeps the school's
    /// size). Each arrives with a parent.
    pub intake: f64,
    /// Chance a new student's parent is new to the school (else a parent already there).
    pub new_parent_chance: f64,
    /// Graduates keep their ties to teachers and students, at this share of their strength.
    pub alumni_tie_strength: f64,
    /// Share of teachers who transfer away each year, each replaced by a new teacher.
    pub teacher_transfer: f64,
    /// Chance per year that the principal is replaced by a new one.
    pub principal_change: f64,
    /// Chance per year that each firm leaves.
    pub firm_exit: f64,
    /// Expected new firms per year (>= 0; the fraction arrives by chance).
    pub firm_entry: f64,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            enabled: true,
            school_years: 3,
            intake: 1.0,
            new_parent_chance: 0.8,
            alumni_tie_strength: 0.5,
            teacher_transfer: 0.05,
            principal_change: 0.1,
            firm_exit: 0.1,
            firm_entry: 0.6,
        }
    }
}

/// The kinds of programme a school runs (DESIGN §1, §7; the paper's examples and Epstein's
/// involvement types). Each kind has default members, frequency and game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeKind {
    /// Parents, teachers and the principal (Epstein: decision making, communicating).
    ParentTeacherAssociation,
    /// A class run with a firm (the paper's vocational-school example); its students are
    /// placed with the firm more often when they graduate.
    IndustryClass,
    /// An exchange with another school.
    SisterSchool,
    /// An admission partnership with a university; its students are placed (admitted) more
    /// often when they graduate.
    UniversityPartnership,
    /// Students, parents, NGOs and the community serving together (gotong royong).
    CommunityService,
    /// Anything else: give `members` yourself.
    Custom,
}

/// `[[programme]]`: a named, recurring group activity with standing members (drawn when it
/// starts; a member who leaves the school is replaced). Unset keys take the kind's defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub kind: ProgrammeKind,
    /// Name in outputs and interventions (default: the kind's name).
    #[serde(default)]
    pub name: String,
    /// Members by role (default: the kind's).
    #[serde(default)]
    pub members: BTreeMap<Role, u32>,
    /// First step it runs (0: from the start).
    #[serde(default)]
    pub start: u32,
    /// Last step it runs (none: to the end).
    #[serde(default)]
    pub end: Option<u32>,
    /// Steps between meetings (>= 1; default: the kind's).
    #[serde(default)]
    pub every: Option<u32>,
    /// What each member could put in per meeting (>= 0; default: the kind's).
    #[serde(default)]
    pub endowment: Option<f64>,
    /// Synergy factor of the pot (>= 0; default: the kind's).
    #[serde(default)]
    pub synergy: Option<f64>,
    /// Chance per meeting that two members who are strangers form a tie (default 0.2).
    #[serde(default)]
    pub new_tie_chance: Option<f64>,
    /// Whether it runs from `start` (false: only when an intervention starts it).
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// `[[intervention]]`: something that happens at the start of step `at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    /// The step at whose start it applies (>= 1).
    pub at: u32,
    /// Levers to set, e.g. { "policy.transparency" = 0.9 }.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub set: BTreeMap<String, toml::Value>,
    /// Names of programmes to start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub start: Vec<String>,
    /// Names of programmes to stop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop: Vec<String>,
    /// Funding cut: the resources of the principal, teachers and staff are multiplied by
    /// this factor (in [0, 1]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding_cut: Option<f64>,
    /// Scandal: every view toward the principal loses this much trust (in [0, 1]; the belief
    /// keeps its weight α + β).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scandal: Option<f64>,
    /// School closure: contact chances × `factor` for `steps` steps (as in a pandemic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<Closure>,
    /// The principal leaves and a new one arrives, a stranger to all (unless onboarding
    /// introduces it).
    #[serde(default)]
    pub replace_principal: bool,
}

/// A school closure: contact chances × `factor` (in [0, 1]) for `steps` steps (>= 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub factor: f64,
    pub steps: u32,
}

/// `[[contest]]`: competition, the paper's dissociative side (DESIGN §1). Every `every`
/// steps, `contestants` agents of `role` compete for `prize`: each spends effort
/// e = 1 − norm / 2 at a cost of `effort_cost` × e, wins with chance e / Σ e, and each
/// loser's trust toward every rival drops (β + `rivalry`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contest {
    pub name: String,
    pub role: Role,
    /// Steps between contests (>= 1).
    pub every: u32,
    /// Contestants drawn at random (>= 2).
    pub contestants: u32,
    /// The prize (resource units, >= 0).
    pub prize: f64,
    /// Cost per unit of effort (>= 0).
    #[serde(default = "one")]
    pub effort_cost: f64,
    /// Pseudo-defections a loser adds to its belief about each rival (>= 0).
    #[serde(default = "one")]
    pub rivalry: f64,
}

fn one() -> f64 {
    1.0
}

/// `[solidarity]`: those with more share with those in need (DESIGN §1; off at share 0).
/// Each step, an agent with resources above `threshold` gives `share` of the excess to the
/// contact with the least resources, if that contact has less than the threshold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Solidarity {
    /// Resources above which an agent gives (>= 0).
    pub threshold: f64,
    /// Share of the excess given per step, in [0, 1].
    pub share: f64,
}

impl Default for Solidarity {
    fn default() -> Self {
        Solidarity {
            threshold: 50.0,
            share: 0.0,
        }
    }
}

/// `[diffusion]`: what networking brings (DESIGN §1): knowledge, word of mouth, ideas,
/// placements, networking events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Diffusion {
    /// Per step, an agent closes this share (in [0, 1]) of the mean knowledge gap to its
    /// contacts who know more and whom it trusts at least `trust_above`.
    pub knowledge_rate: f64,
    /// Trust needed to learn from a contact or heed its word (in [0, 1]).
    pub trust_above: f64,
    /// Per step, an outsider's opinion of the school closes this share (in [0, 1]) of the
    /// gap to what it hears: its trust in the school members it knows and the opinions of
    /// outsiders it trusts.
    pub word_of_mouth: f64,
    /// Chance per group activity, times the members' mean knowledge, that an idea is raised.
    pub idea_rate: f64,
    /// Chance per graduate and per firm or university it is tied to, times its trust in the
    /// graduate, of a placement (a job or an admission); programme partners count double.
    pub placement_rate: f64,
    /// Agents brought together by a networking event (>= 2).
    pub event_size: u32,
    /// Chance each pair at a networking event meets, in [0, 1].
    pub event_tie_chance: f64,
}

impl Default for Diffusion {
    fn default() -> Self {
        Diffusion {
            knowledge_rate: 0.02,
            trust_above: 0.5,
            word_of_mouth: 0.05,
            idea_rate: 0.05,
            placement_rate: 0.3,
            event_size: 30,
            event_tie_chance: 0.05,
        }
    }
}

/// `[outcomes]`: weights of the progress index (Szogs et al. 2003), non-negative, adding to 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Outcomes {
    pub innovation: f64,
    pub networking: f64,
    pub technology: f64,
    pub natural_resources: f64,
}

impl Default for Outcomes {
    fn default() -> Self {
        Outcomes {
            innovation: 0.45,
            networking: 0.25,
            technology: 0.20,
            natural_resources: 0.10,
        }
    }
}

/// What a programme kind brings when its `[[programme]]` table does not say.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgrammeDefaults {
    pub members: &'static [(Role, u32)],
    pub every: u32,
    pub endowment: f64,
    pub synergy: f64,
}

impl ProgrammeKind {
    /// The name used in files and, by default, in outputs.
    pub fn name(self) -> &'static str {
        match self {
            ProgrammeKind::ParentTeacherAssociation => "parent_teacher_association",
            ProgrammeKind::IndustryClass => "industry_class",
            ProgrammeKind::SisterSchool => "sister_school",
            ProgrammeKind::UniversityPartnership => "university_partnership",
            ProgrammeKind::CommunityService => "community_service",
            ProgrammeKind::Custom => "custom",
        }
    }

    /// The kind's default members, meeting interval (steps), endowment and synergy.
    pub fn defaults(self) -> ProgrammeDefaults {
        use Role::*;
        let (members, every, endowment, synergy): (&'static [(Role, u32)], u32, f64, f64) =
            match self {
                ProgrammeKind::ParentTeacherAssociation => {
                    (&[(Principal, 1), (Teacher, 4), (Parent, 10)], 4, 2.0, 1.8)
                }
                ProgrammeKind::IndustryClass => {
                    (&[(Firm, 1), (Teacher, 2), (Student, 20)], 1, 1.0, 2.0)
                }
                ProgrammeKind::SisterSchool => (
                    &[(OtherSchool, 1), (Teacher, 4), (Student, 10)],
                    8,
                    1.0,
                    1.8,
                ),
                ProgrammeKind::UniversityPartnership => {
                    (&[(University, 1), (Teacher, 2), (Student, 10)], 4, 1.0, 1.8)
                }
                ProgrammeKind::CommunityService => (
                    &[(Student, 10), (Parent, 5), (Community, 5), (Ngo, 1)],
                    2,
                    1.0,
                    1.7,
                ),
                ProgrammeKind::Custom => (&[], 4, 1.0, 1.6),
            };
        ProgrammeDefaults {
            members,
            every,
            endowment,
            synergy,
        }
    }
}

impl Programme {
    /// The name in outputs: `name`, or the kind's.
    pub fn display_name(&self) -> &str {
        if self.name.is_empty() {
            self.kind.name()
        } else {
            &self.name
        }
    }

    /// Members by role: the table's, or the kind's defaults.
    pub fn member_counts(&self) -> BTreeMap<Role, u32> {
        if self.members.is_empty() {
            self.kind.defaults().members.iter().copied().collect()
        } else {
            self.members.clone()
        }
    }

    /// Steps between meetings.
    pub fn interval(&self) -> u32 {
        self.every.unwrap_or(self.kind.defaults().every)
    }

    /// Endowment per member per meeting.
    pub fn endowment_or_default(&self) -> f64 {
        self.endowment.unwrap_or(self.kind.defaults().endowment)
    }

    /// Synergy factor.
    pub fn synergy_or_default(&self) -> f64 {
        self.synergy.unwrap_or(self.kind.defaults().synergy)
    }

    /// Whether the programme places its graduating students with its partner organisation.
    pub fn places_students(&self) -> bool {
        matches!(
            self.kind,
            ProgrammeKind::IndustryClass | ProgrammeKind::UniversityPartnership
        )
    }
}

impl Policy {
    /// This policy with lever `key` (`policy.<lever>`) set to `value`; the message says what
    /// is wrong (an unknown lever, a wrong type). Ranges are checked by validation.
    pub fn with_lever(&self, key: &str, value: &toml::Value) -> Result<Policy, String> {
        let lever = key.strip_prefix("policy.").unwrap_or("");
        if !LEVERS.contains(&lever) {
            let hint = super::suggest(key.trim_start_matches("policy."), LEVERS)
                .map(|s| format!(" Did you mean `policy.{s}`?"))
                .unwrap_or_default();
            return Err(format!(
                "`{key}` is not a lever.{hint} Levers: policy.{}",
                LEVERS.join(", policy.")
            ));
        }
        let mut table = toml::Table::try_from(self).map_err(|e| e.to_string())?;
        table.insert(lever.to_string(), value.clone());
        toml::Value::Table(table)
            .try_into::<Policy>()
            .map_err(|e| format!("`{key}`: {}", e.message().trim_end()))
    }
}
