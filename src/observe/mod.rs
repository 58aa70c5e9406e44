//! What is recorded about a world, and how.
//!
//! Owns: the metric registry ([`metrics::METRICS`]: each metric declared once with its name,
//! meaning and how to compute it, so it reaches CSV, summary and plots with no further
//! edit), the rows a replicate records, network snapshots for pictures and GraphML, and
//! the lighter frames of an animation ([`frames`]).
//! Must never: change the world, or write files (the `output` module does).

pub mod frames;
pub mod metrics;
pub mod snapshot;

use crate::engine::Observer;
use crate::model::params::Params;
use crate::model::world::World;
pub use frames::NetworkFrame;
pub use metrics::{METRICS, MetricDef};
pub use snapshot::NetworkSnapshot;

/// One recorded value: `metric` for `group` at `step`.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Step the value describes (0: the initial state).
    pub step: u32,
    /// Index of the metric in [`METRICS`].
    pub metric: u16,
    /// Group within the metric: `all`, a role, a role pair `a~b`, a direction `a>b`, a tie
    /// kind, a strategy, an activity name.
    pub group: String,
    /// The value (never NaN: undefined values are not recorded).
    pub value: f64,
}

/// Collects the rows of one replicate and, if asked, network snapshots.
#[derive(Debug, Default)]
pub struct Recorder {
    /// Rows in recording order.
    pub rows: Vec<Row>,
    /// Snapshots at the first and the last recorded step, when `snapshots` is on.
    pub snapshots: Vec<NetworkSnapshot>,
    /// Frames at the steps given to [`Recorder::with_frames`], in step order.
    pub frames: Vec<NetworkFrame>,
    keep_snapshots: bool,
    /// Steps to keep a frame at, ascending (empty: no frames).
    frame_steps: Vec<u32>,
    last_step: u32,
    /// Indices into [`METRICS`] recorded at steps before the last (`None`: every metric).
    between: Option<Vec<usize>>,
}

impl Recorder {
    /// A recorder for a run that ends at step `last_step`; `keep_snapshots` keeps the
    /// network at step 0 and at `last_step`. Metrics of the final network (average
    /// shortest-path length, degree assortativity) are recorded at `last_step` only.
    pub fn new(keep_snapshots: bool, last_step: u32) -> Recorder {
        Recorder {
            keep_snapshots,
            last_step,
            ..Recorder::default()
        }
    }

    /// Records only `metrics` (indices into [`METRICS`]) before the last step, and every
    /// recorded metric (`Params::recorded_metrics`) at the last step: what an experiment
    /// needs, at a fraction of the cost.
    pub fn recording_between(mut self, metrics: Vec<usize>) -> Recorder {
        self.between = Some(metrics);
        self
    }

    /// Also keeps a [`NetworkFrame`] at each of `steps` (ascending; see
    /// [`frames::frame_steps`]) that is recorded.
    pub fn with_frames(mut self, steps: Vec<u32>) -> Recorder {
        self.frame_steps = steps;
        self
    }
}

/// Where metric values go while a metric computes them.
pub struct Sink<'a> {
    rows: &'a mut Vec<Row>,
    step: u32,
    metric: u16,
}

impl Sink<'_> {
    /// Records `value` for `group`; NaN and infinite values are dropped (undefined).
    pub fn push(&mut self, group: impl Into<String>, value: f64) {
        if value.is_finite() {
            self.rows.push(Row {
                step: self.step,
                metric: self.metric,
                group: group.into(),
                value,
            });
        }
    }
}

impl Observer for Recorder {
    fn observe(&mut self, world: &World, params: &Params) {
        let step = world.step;
        let last = step == self.last_step;
        let observed = metrics::Observed::new(world, params).at_last_step(last);
        for &index in &params.recorded_metrics {
            if !last && self.between.as_ref().is_some_and(|m| !m.contains(&index)) {
                continue;
            }
            let metric = &METRICS[index];
            let mut sink = Sink {
                rows: &mut self.rows,
                step,
                metric: index as u16,
            };
            (metric.compute)(&observed, &mut sink);
        }
        if self.keep_snapshots && (step == 0 || step == self.last_step) {
            self.snapshots.push(NetworkSnapshot::of(world));
        }
        if self.frame_steps.binary_search(&step).is_ok() {
            self.frames.push(NetworkFrame::of(world));
        }
    }
}
