//! One served simulation: the world of replicate 0 of a scenario, stepped on request, with
//! the levers and shocks the page changes and the metrics the page charts.
//!
//! Owns: the session's [`World`], [`Schedule`], [`Params`] and [`Streams`]; lever changes
//! (validated with the scenario's own rules: `Policy::with_lever` and
//! [`crate::scenario::check_policy`]); shocks, which become `[[intervention]]` entries of the
//! session's `Params` at the next step, so the model's own intervention rule applies them;
//! the metric history; and the JSON shapes of `/api/state`, `/api/network` and the updates.
//! Must never: do I/O, know about HTTP, or draw random numbers other than through
//! `Streams` (a session with no lever change or shock steps exactly like `gotong run`'s
//! replicate 0 of the same scenario and seed).

use crate::engine::schedule::Schedule;
use crate::engine::streams::Streams;
use crate::model::params::{Params, recorded_metrics};
use crate::model::role::{Role, TIE_KIND_COUNT, TieKind};
use crate::model::rules::standard_rules;
use crate::model::setup::{SetupError, build_world};
use crate::model::world::World;
use crate::observe::{METRICS, Recorder};
use crate::output::layout;
use crate::scenario::{Intervention, Policy, Scenario, check_policy};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The metrics the page charts, as named in [`METRICS`].
pub const DASHBOARD_METRICS: [&str; 5] = [
    "cooperation_rate",
    "mean_trust",
    "ties",
    "conflict_ties",
    "agents",
];

/// Most steps one `step` request may ask for (a few seconds for a few hundred agents).
pub const MAX_STEPS_PER_REQUEST: u32 = 1000;

/// Playing speeds, in steps per second.
pub const SPEEDS: std::ops::RangeInclusive<u32> = 1..=30;

/// Iterations of the server's starting layout (the page then moves it gently).
const LAYOUT_ITERATIONS: usize = 60;

/// What the page charts about one step.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepMetrics {
    pub step: u32,
    /// Share of this step's pairwise games in which the player cooperated, in [0, 1]; none
    /// when no game was played.
    pub cooperation_rate: Option<f64>,
    /// Mean trust over tie views, in (0, 1); none without ties.
    pub mean_trust: Option<f64>,
    /// Number of ties.
    pub ties: u64,
    /// Ties by kind, in the order of [`TieKind::ALL`].
    pub ties_by_kind: [u64; TIE_KIND_COUNT],
    /// Ties that either end regards as a conflict tie.
    pub conflict_ties: u64,
    /// Active agents.
    pub agents: u64,
}

/// A lever change or a shock, for the page's event list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionEvent {
    /// The step at whose start it applies (a lever change: the next step computed).
    pub at: u32,
    /// `lever`, `scandal` or `funding_cut`.
    pub kind: String,
    /// The lever's name, for a lever change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lever: Option<String>,
    /// The new value (lever) or the size of the shock.
    pub value: Value,
}

/// Why a lever change or a shock was refused; the message names the key and what is valid.
#[derive(Debug, PartialEq, thiserror::Error)]
pub enum RequestError {
    #[error("{0}")]
    Invalid(String),
}

/// A shock the page can set off, taking effect at the start of the next step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shock {
    /// Every view toward the principal loses this much trust, in [0, 1].
    Scandal(f64),
    /// Resources of the principal, teachers and staff × this factor, in [0, 1].
    FundingCut(f64),
}

/// The world of one served run and everything needed to step, change and show it.
pub struct Session {
    scenario: Scenario,
    params: Params,
    schedule: Schedule,
    streams: Streams,
    world: World,
    /// Starting positions of the agents present at step 0 (layout units, centred on 0).
    positions: Vec<(f64, f64)>,
    history: Vec<StepMetrics>,
    events: Vec<SessionEvent>,
    /// Whether the session steps on its own, at `speed` steps per second.
    pub playing: bool,
    /// Steps per second while playing, in [`SPEEDS`].
    pub speed: u32,
    /// Counts every change (step, lever, shock, control): a page ignores a state older
    /// than one it has shown.
    revision: u64,
}

impl Session {
    /// A session of `scenario` (validated) at step 0, with its own seed.
    pub fn new(scenario: Scenario) -> Result<Session, SetupError> {
        let mut params = Params::new(&scenario);
        params.recorded_metrics = recorded_metrics(Some(&DASHBOARD_METRICS.map(String::from)));
        let streams = Streams::new(scenario.run.seed, 0);
        let world = build_world(&scenario, &params, streams)?;
        let edges: Vec<(u32, u32)> = world.graph.ties().map(|(a, b, _)| (a, b)).collect();
        let positions =
            layout::force_directed(world.agents.count(), &edges, &streams, LAYOUT_ITERATIONS);
        let mut session = Session {
            scenario,
            params,
            schedule: Schedule::new(standard_rules()),
            streams,
            world,
            positions,
            history: Vec::new(),
            events: Vec::new(),
            playing: false,
            speed: 5,
            revision: 0,
        };
        session.history.push(session.measure());
        Ok(session)
    }

    /// Starts again from step 0 with `seed` (the scenario's levers, no shocks), keeping the
    /// speed and whether it plays.
    pub fn reset(&mut self, seed: u64) -> Result<(), SetupError> {
        let mut scenario = self.scenario.clone();
        scenario.run.seed = seed;
        let mut fresh = Session::new(scenario)?;
        fresh.playing = self.playing;
        fresh.speed = self.speed;
        fresh.revision = self.revision + 1;
        *self = fresh;
        Ok(())
    }

    /// Marks a change made from outside (play, pause, speed), for [`Session::state`]'s
    /// `revision`.
    pub fn touch(&mut self) {
        self.revision += 1;
    }

    /// The seed the session was built from.
    pub fn seed(&self) -> u64 {
        self.scenario.run.seed
    }

    /// The steps done so far.
    pub fn step_count(&self) -> u32 {
        self.world.step
    }

    /// The world as it is now.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Metrics of every step so far, from step 0.
    pub fn history(&self) -> &[StepMetrics] {
        &self.history
    }

    /// Runs `n` steps, recording the metrics of each.
    pub fn step(&mut self, n: u32) {
        for _ in 0..n {
            self.schedule
                .step(&mut self.world, self.streams, &self.params);
            self.history.push(self.measure());
            self.revision += 1;
        }
    }

    fn measure(&self) -> StepMetrics {
        let mut recorder = Recorder::new(false, u32::MAX);
        crate::engine::Observer::observe(&mut recorder, &self.world, &self.params);
        let mut metrics = StepMetrics {
            step: self.world.step,
            cooperation_rate: None,
            mean_trust: None,
            ties: 0,
            ties_by_kind: [0; TIE_KIND_COUNT],
            conflict_ties: 0,
            agents: 0,
        };
        for row in recorder.rows.iter() {
            let (name, group) = (METRICS[row.metric as usize].name, row.group.as_str());
            match (name, group) {
                ("cooperation_rate", "all") => metrics.cooperation_rate = Some(row.value),
                ("mean_trust", "all") => metrics.mean_trust = Some(row.value),
                ("ties", "all") => metrics.ties = row.value as u64,
                ("conflict_ties", "all") => metrics.conflict_ties = row.value as u64,
                ("agents", "all") => metrics.agents = row.value as u64,
                ("ties", kind) => {
                    if let Some(k) = TieKind::ALL.iter().position(|t| t.name() == kind) {
                        metrics.ties_by_kind[k] = row.value as u64;
                    }
                }
                _ => {}
            }
        }
        metrics
    }

    /// Sets the levers in `changes` (`{"transparency": 0.8, ...}`; a `policy.` prefix is
    /// allowed) all at once, or none if any is refused. They are in force from the next step.
    pub fn set_levers(&mut self, changes: &Map<String, Value>) -> Result<(), RequestError> {
        if changes.is_empty() {
            return Err(RequestError::Invalid(
                "no lever given; send an object such as {\"transparency\": 0.8}".into(),
            ));
        }
        let mut policy = self.world.policy.clone();
        for (key, value) in changes {
            let lever = key.strip_prefix("policy.").unwrap_or(key);
            let value = toml_value(value).ok_or_else(|| {
                RequestError::Invalid(format!(
                    "`{lever}`: {value} is not a number, a boolean or a name"
                ))
            })?;
            policy = policy
                .with_lever(&format!("policy.{lever}"), &value)
                .map_err(RequestError::Invalid)?;
        }
        let agents = self.world.agents.active_count() as u64;
        check_policy("policy", &policy, agents)
            .map_err(|(path, message)| RequestError::Invalid(format!("`{path}`: {message}")))?;
        for (key, value) in changes {
            self.events.push(SessionEvent {
                at: self.world.step + 1,
                kind: "lever".into(),
                lever: Some(key.strip_prefix("policy.").unwrap_or(key).to_string()),
                value: value.clone(),
            });
        }
        self.world.policy = policy;
        self.revision += 1;
        Ok(())
    }

    /// Schedules `shock` at the start of the next step, as an intervention of the model.
    pub fn shock(&mut self, shock: Shock) -> Result<u32, RequestError> {
        let (name, size) = match shock {
            Shock::Scandal(d) => ("scandal", d),
            Shock::FundingCut(f) => ("funding_cut", f),
        };
        if !(0.0..=1.0).contains(&size) {
            return Err(RequestError::Invalid(format!(
                "`{name}`: {size} is out of range; it must be a number in [0, 1]"
            )));
        }
        let at = self.world.step + 1;
        let intervention = Intervention {
            at,
            set: BTreeMap::new(),
            start: Vec::new(),
            stop: Vec::new(),
            funding_cut: matches!(shock, Shock::FundingCut(_)).then_some(size),
            scandal: matches!(shock, Shock::Scandal(_)).then_some(size),
            closure: None,
            replace_principal: false,
        };
        let list = &mut self.params.interventions;
        let position = list.partition_point(|i| i.at <= at);
        list.insert(position, intervention);
        self.events.push(SessionEvent {
            at,
            kind: name.into(),
            lever: None,
            value: json!(size),
        });
        self.revision += 1;
        Ok(at)
    }

    /// `GET /api/state`: step, school year, the latest metrics, levers, controls, events.
    pub fn state(&self) -> Value {
        let steps_per_year = self.params.steps_per_year.max(1);
        json!({
            "revision": self.revision,
            "scenario": self.scenario.run.name,
            "seed": self.seed(),
            "step": self.world.step,
            "scenario_steps": self.scenario.run.steps,
            "steps_per_year": steps_per_year,
            "year": self.world.step / steps_per_year + 1,
            "week": self.world.step % steps_per_year,
            "playing": self.playing,
            "speed": self.speed,
            "metrics": self.history.last(),
            "levers": policy_json(&self.world.policy),
            "events": self.events,
        })
    }

    /// `GET /api/network`: every agent (role, whether active, starting position) and tie
    /// (trust as the mean of both views, kind, conflict mark).
    pub fn network(&self) -> Value {
        let agents = &self.world.agents;
        let nodes: Vec<Value> = (0..agents.count())
            .map(|i| {
                let position = self.positions.get(i);
                json!({
                    "id": i,
                    "role": agents.role[i].name(),
                    "active": agents.active[i],
                    "x": position.map(|p| p.0),
                    "y": position.map(|p| p.1),
                })
            })
            .collect();
        let ties: Vec<Value> = self
            .tie_rows()
            .map(|(a, b, trust, kind, conflict)| {
                json!({"a": a, "b": b, "trust": trust, "kind": kind.name(), "conflict": conflict})
            })
            .collect();
        json!({ "step": self.world.step, "roles": Role::names(), "nodes": nodes, "ties": ties })
    }

    /// The compact update sent after each step: the state, roles by agent (index into
    /// [`Role::ALL`], −1 once gone) and ties as a flat list of (a, b, trust in
    /// percent, kind index × 2 + conflict).
    pub fn update(&self) -> Value {
        let agents = &self.world.agents;
        let roles: Vec<i8> = (0..agents.count())
            .map(|i| {
                if agents.active[i] {
                    agents.role[i].index() as i8
                } else {
                    -1
                }
            })
            .collect();
        let mut ties = Vec::with_capacity(self.world.graph.tie_count() * 4);
        for (a, b, trust, kind, conflict) in self.tie_rows() {
            let flags = kind.index() as u32 * 2 + conflict as u32;
            ties.extend([a, b, (trust * 100.0).round() as u32, flags]);
        }
        let mut update = self.state();
        update["type"] = json!("update");
        update["roles"] = json!(roles);
        update["ties"] = json!(ties);
        update
    }

    fn tie_rows(&self) -> impl Iterator<Item = (u32, u32, f64, TieKind, bool)> + '_ {
        let (world, roles) = (&self.world, &self.world.agents.role);
        world.graph.ties().map(move |(a, b, view)| {
            let (forward, backward) = (&world.views[view], &world.views[world.graph.reverse(view)]);
            let trust = (forward.trust() + backward.trust()) / 2.0;
            let kind = TieKind::between(roles[a as usize], roles[b as usize]);
            (a, b, trust, kind, forward.conflict || backward.conflict)
        })
    }
}

/// The levers as JSON (`{"transparency": 0.5, "governance": "advocacy", ...}`).
pub fn policy_json(policy: &Policy) -> Value {
    serde_json::to_value(policy).unwrap_or(Value::Null)
}

/// A JSON number, boolean or string as a TOML value (what `Policy::with_lever` takes).
fn toml_value(value: &Value) -> Option<toml::Value> {
    match value {
        Value::Bool(b) => Some(toml::Value::Boolean(*b)),
        Value::String(s) => Some(toml::Value::String(s.clone())),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Some(toml::Value::Integer(i)),
            None => n.as_f64().map(toml::Value::Float),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests;
