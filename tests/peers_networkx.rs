//! Peer check: our network metrics and deterministic generators against networkx.
//!
//! Owns: the claim of DESIGN §8 and §10 that network metrics equal networkx's on the same
//! graph (Zachary's karate club and graphs from our own generators), and that lattices and
//! Watts–Strogatz without rewiring are networkx's graphs tie for tie.
//! Must never: skip for any reason other than a missing Python or an unreachable package
//! index (see `support::python`); integers must match exactly, floats within 1e-12
//! relative (degree assortativity within [`ASSORTATIVITY_TOLERANCE`]), and a value
//! networkx leaves undefined (NaN, or an exception) must be NaN here too.
//!
//! The test installs networkx and numpy (which networkx's assortativity needs) itself,
//! pinned, into `target/peers-venv`, and says so on stderr. networkx's side is
//! `tests/peers/networkx_metrics.py`, run once per test on a list of jobs. With
//! `-- --nocapture` the test prints both sides of the path-length and assortativity
//! comparisons (the rows of docs/validation.md).

mod support;

use gotong::engine::streams::{Purpose, SETUP_STEP, Streams};
use gotong::network::generators::{self, Boundary, Edge, Neighbourhood};
use gotong::network::{AgentId, Graph, metrics};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use support::python::{python_with, run_python, say};

/// The networkx this comparison was written against.
const NETWORKX: &str = "networkx==3.6.1";
/// The numpy networkx's `degree_assortativity_coefficient` computes with.
const NUMPY: &str = "numpy==2.4.6";

/// Average shortest-path length must have networkx's bits: both sides divide two exact
/// integers, correctly rounded (JSON is parsed with serde_json's `float_roundtrip`).
const PATH_LENGTH_TOLERANCE: f64 = 0.0;

/// Relative tolerance for degree assortativity against networkx. networkx computes it in
/// floating point from the normalised mixing matrix, and its covariance Σ xy(e − ab)
/// cancels: when r is near 0 its relative error grows (2.9e-12 measured on G(200, 0.05)
/// seed 2, r = −2.1e-4), so 1e-12 does not hold there. Ours comes from exact integer sums
/// and is checked against the exact rational value to [`EXACT_TOLERANCE`].
const ASSORTATIVITY_TOLERANCE: f64 = 1e-9;

/// Ours against a value computed in exact arithmetic and rounded once: our two
/// conversions and one division round at most three times (3 × 2⁻⁵³ ≈ 3.3e-16).
const EXACT_TOLERANCE: f64 = 1e-15;

/// networkx's Python, or `None` after printing why the test is skipped.
fn networkx() -> Option<PathBuf> {
    match python_with(&[NETWORKX, NUMPY]) {
        Ok(python) => Some(python),
        Err(skip) => {
            say(&format!("SKIPPED: {skip}"));
            None
        }
    }
}

/// Runs the networkx script on `jobs` (written to `dir`) and returns one result per job.
fn networkx_results(python: &Path, dir: &Path, jobs: &[Value]) -> Vec<Value> {
    let jobs_file = dir.join("jobs.json");
    std::fs::write(&jobs_file, serde_json::to_vec(jobs).expect("jobs to JSON"))
        .expect("write jobs");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/networkx_metrics.py");
    let stdout = run_python(python, &script, &[&jobs_file]);
    let mut answer: Value = serde_json::from_str(&stdout).expect("networkx script prints JSON");
    for (package, pinned) in [("networkx", NETWORKX), ("numpy", NUMPY)] {
        let version = answer[package].as_str().unwrap_or("?");
        assert_eq!(
            format!("{package}=={version}"),
            pinned,
            "the pinned {package} answered"
        );
    }
    let results = answer["results"].take();
    let results: Vec<Value> = serde_json::from_value(results).expect("a list of results");
    assert_eq!(results.len(), jobs.len());
    results
}

fn write_edges_csv(path: &Path, edges: &[Edge]) {
    let mut text = String::from("source,target\n");
    for (a, b) in edges {
        writeln!(text, "{a},{b}").expect("write to a String");
    }
    std::fs::write(path, text).expect("write edge list");
}

fn read_edges_csv(path: &Path) -> Vec<Edge> {
    let text = std::fs::read_to_string(path).expect("read edge list");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("source,target"),
        "{}: header",
        path.display()
    );
    lines
        .map(|line| {
            let (a, b) = line.split_once(',').expect("two columns");
            (
                a.trim().parse().expect("an agent id"),
                b.trim().parse().expect("an agent id"),
            )
        })
        .collect()
}

fn relative_difference(ours: f64, theirs: f64) -> f64 {
    let scale = ours.abs().max(theirs.abs());
    if scale == 0.0 {
        0.0
    } else {
        (ours - theirs).abs() / scale
    }
}

fn close(ours: f64, theirs: f64) -> bool {
    relative_difference(ours, theirs) <= 1e-12
}

fn assert_float(ours: f64, theirs: &Value, what: &str) {
    let theirs = theirs
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: networkx gave {theirs}"));
    assert!(
        close(ours, theirs),
        "{what}: ours {ours}, networkx {theirs}"
    );
}

/// A value the `peer` may leave undefined (`null`): then ours must be NaN; otherwise
/// within `tolerance` relative (0: the same bits). Prints both sides.
fn assert_defined_alike(ours: f64, theirs: &Value, peer: &str, tolerance: f64, what: &str) {
    let Some(theirs) = theirs.as_f64() else {
        assert!(theirs.is_null(), "{what}: {peer} gave {theirs}");
        assert!(ours.is_nan(), "{what}: ours {ours}, {peer} undefined");
        eprintln!("{what}: {peer} undefined, ours NaN");
        return;
    };
    let difference = relative_difference(ours, theirs);
    eprintln!("{what}: {peer} {theirs:?}, ours {ours:?}, relative difference {difference:.1e}");
    assert!(
        difference <= tolerance,
        "{what}: ours {ours}, {peer} {theirs}, relative difference {difference:e} > {tolerance:e}"
    );
}

fn assert_floats(ours: &[f64], theirs: &Value, what: &str) {
    let theirs = theirs
        .as_array()
        .unwrap_or_else(|| panic!("{what}: not a list"));
    assert_eq!(ours.len(), theirs.len(), "{what}: length");
    for (agent, (o, t)) in ours.iter().zip(theirs).enumerate() {
        assert_float(*o, t, &format!("{what} of agent {agent}"));
    }
}

fn assert_int(ours: u64, theirs: &Value, what: &str) {
    assert_eq!(
        Some(ours),
        theirs.as_u64(),
        "{what}: ours {ours}, networkx {theirs}"
    );
}

/// Every metric of ours on `graph` against networkx's `result` for the same graph.
fn assert_metrics_match(name: &str, graph: &Graph, result: &Value) {
    assert_float(
        metrics::average_clustering(graph),
        &result["average_clustering"],
        &format!("{name}: average clustering"),
    );
    assert_float(
        metrics::transitivity(graph),
        &result["transitivity"],
        &format!("{name}: transitivity"),
    );
    assert_float(
        metrics::density(graph),
        &result["density"],
        &format!("{name}: density"),
    );
    let parts = metrics::components(graph);
    assert_int(
        parts.count as u64,
        &result["components"],
        &format!("{name}: components"),
    );
    assert_int(
        parts.largest as u64,
        &result["largest_component"],
        &format!("{name}: largest component"),
    );
    assert_floats(
        &metrics::local_clustering(graph),
        &result["clustering"],
        &format!("{name}: clustering"),
    );
    let theirs = result["triangles"].as_array().expect("triangles list");
    let ours = metrics::triangles(graph);
    assert_eq!(ours.len(), theirs.len());
    for (agent, (o, t)) in ours.iter().zip(theirs).enumerate() {
        assert_int(*o, t, &format!("{name}: triangles of agent {agent}"));
    }
    let betweenness = metrics::betweenness_centrality(graph, true);
    assert_floats(
        &betweenness,
        &result["betweenness"],
        &format!("{name}: betweenness"),
    );
    assert_defined_alike(
        metrics::average_shortest_path_length(graph),
        &result["average_shortest_path_length"],
        "networkx",
        PATH_LENGTH_TOLERANCE,
        &format!("{name}: average_shortest_path_length"),
    );
    let assortativity = metrics::degree_assortativity_coefficient(graph);
    assert_defined_alike(
        assortativity,
        &result["degree_assortativity_coefficient"],
        "networkx",
        ASSORTATIVITY_TOLERANCE,
        &format!("{name}: degree_assortativity_coefficient"),
    );
    assert_defined_alike(
        assortativity,
        &result["degree_assortativity_exact"],
        "exact arithmetic",
        EXACT_TOLERANCE,
        &format!("{name}: degree_assortativity_coefficient"),
    );
}

#[test]
fn karate_club_metrics_equal_networkx() {
    let Some(python) = networkx() else { return };
    let csv = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/karate_club.csv");
    let edges = read_edges_csv(&csv);
    let graph = Graph::from_edges(34, &edges);
    assert_eq!(
        (graph.agent_count(), graph.tie_count()),
        (34, 78),
        "Zachary's karate club"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let job = json!({"kind": "metrics", "agents": 34, "edges": csv});
    let results = networkx_results(&python, dir.path(), &[job]);
    assert_metrics_match("karate club", &graph, &results[0]);
}

fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
    Streams::new(seed, 0).rng(Purpose::Network, SETUP_STEP, 0)
}

/// Graphs from our generators, of several kinds, sizes and seeds, as (name, agents, ties).
fn generated_graphs() -> Vec<(String, usize, Vec<Edge>)> {
    let mut graphs = Vec::new();
    for (n, p, seed) in [
        (200, 0.05, 1),
        (200, 0.05, 2),
        (300, 0.004, 3),
        (600, 0.02, 4),
    ] {
        let edges = generators::erdos_renyi(n, p, &mut rng(seed)).expect("valid G(n, p)");
        graphs.push((format!("G({n}, {p}) seed {seed}"), n, edges));
    }
    for (n, k, rewire, seed) in [(300, 6, 0.1, 1), (200, 4, 0.5, 2)] {
        let edges = generators::watts_strogatz(n, k, rewire, &mut rng(seed)).expect("valid WS");
        graphs.push((format!("WS({n}, {k}, {rewire}) seed {seed}"), n, edges));
    }
    for (n, m, seed) in [(500, 3, 1), (100, 1, 2)] {
        let edges = generators::barabasi_albert(n, m, &mut rng(seed)).expect("valid BA");
        graphs.push((format!("BA({n}, {m}) seed {seed}"), n, edges));
    }
    for (w, h, boundary) in [(12, 10, Boundary::Periodic), (7, 5, Boundary::Fixed)] {
        let edges = generators::lattice(w, h, Neighbourhood::Moore, boundary).expect("lattice");
        graphs.push((format!("Moore {w}x{h} {boundary:?}"), w * h, edges));
    }
    let blocks = [0..100, 100..250, 250..300];
    let density = |a: usize, b: usize| if a == b { 0.15 } else { 0.01 };
    for seed in [1, 2] {
        let edges = generators::stochastic_block(&blocks, density, &Streams::new(seed, 0))
            .expect("valid block model");
        graphs.push((format!("SBM 100/150/50 seed {seed}"), 300, edges));
    }
    graphs
}

#[test]
fn generated_graph_metrics_equal_networkx() {
    let Some(python) = networkx() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let graphs = generated_graphs();
    let jobs: Vec<Value> = graphs
        .iter()
        .enumerate()
        .map(|(k, (_, agents, edges))| {
            let path = dir.path().join(format!("graph_{k}.csv"));
            write_edges_csv(&path, edges);
            json!({"kind": "metrics", "agents": agents, "edges": path})
        })
        .collect();
    let results = networkx_results(&python, dir.path(), &jobs);
    for ((name, agents, edges), result) in graphs.iter().zip(&results) {
        assert_metrics_match(name, &Graph::from_edges(*agents, edges), result);
    }
}

fn edge_set(value: &Value) -> BTreeSet<Edge> {
    let pairs: Vec<(AgentId, AgentId)> = serde_json::from_value(value.clone()).expect("edge pairs");
    pairs.into_iter().collect()
}

#[test]
fn watts_strogatz_without_rewiring_equals_networkx() {
    let Some(python) = networkx() else { return };
    let cases = [(20, 4), (7, 6), (101, 10), (10, 2), (9, 0)];
    let jobs: Vec<Value> = cases
        .iter()
        .map(|(n, k)| json!({"kind": "watts_strogatz", "n": n, "k": k}))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let results = networkx_results(&python, dir.path(), &jobs);
    for ((n, k), result) in cases.iter().zip(&results) {
        let ours = generators::watts_strogatz(*n, *k, 0.0, &mut rng(1)).expect("valid WS");
        let ours: BTreeSet<Edge> = ours.into_iter().collect();
        assert_eq!(ours, edge_set(&result["edges"]), "WS({n}, {k}, 0)");
    }
}

#[test]
fn von_neumann_lattices_equal_grid_2d_graph() {
    let Some(python) = networkx() else { return };
    let sizes = [
        (1, 1),
        (1, 5),
        (5, 1),
        (2, 2),
        (2, 3),
        (3, 3),
        (4, 7),
        (10, 6),
    ];
    let mut cases = Vec::new();
    for (width, height) in sizes {
        for periodic in [false, true] {
            cases.push((width, height, periodic));
        }
    }
    let jobs: Vec<Value> = cases
        .iter()
        .map(|(w, h, periodic)| json!({"kind": "grid_2d", "rows": h, "columns": w, "periodic": periodic}))
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let results = networkx_results(&python, dir.path(), &jobs);
    for (&(width, height, periodic), result) in cases.iter().zip(&results) {
        let boundary = if periodic {
            Boundary::Periodic
        } else {
            Boundary::Fixed
        };
        let ours = generators::lattice(width, height, Neighbourhood::VonNeumann, boundary)
            .expect("lattice");
        let theirs = edge_set(&result["edges"]);
        let what = format!("{width}x{height} periodic={periodic}");
        let degrees = |edges: &BTreeSet<Edge>| {
            let graph =
                Graph::from_edges(width * height, &edges.iter().copied().collect::<Vec<_>>());
            (0..graph.agent_count() as AgentId)
                .map(|a| graph.degree(a))
                .collect::<Vec<_>>()
        };
        let ours: BTreeSet<Edge> = ours.into_iter().collect();
        assert_eq!(degrees(&ours), degrees(&theirs), "{what}: degree sequence");
        assert_eq!(ours, theirs, "{what}: ties");
    }
}

/// The recorded value of `metric`/all for replicate 0 at `step`, from a run's timeseries;
/// `None` when it was not recorded.
fn recorded_if_any(timeseries: &str, step: u32, metric: &str) -> Option<f64> {
    let prefix = format!("0,{step},{metric},all,");
    let line = timeseries.lines().find(|l| l.starts_with(&prefix))?;
    Some(line[prefix.len()..].parse().expect("a number"))
}

/// The recorded value of `metric`/all for replicate 0 at `step`, from a run's timeseries.
fn recorded(timeseries: &str, step: u32, metric: &str) -> f64 {
    recorded_if_any(timeseries, step, metric)
        .unwrap_or_else(|| panic!("{metric} at step {step} recorded"))
}

#[test]
fn exported_networks_read_by_networkx_give_the_recorded_metrics() {
    let Some(python) = networkx() else { return };
    let dir = tempfile::tempdir().expect("a temp dir");
    for (scenario, steps) in [("classroom", 30), ("default", 12)] {
        let out = dir.path().join(scenario);
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_gotong"))
            .args([
                "run",
                scenario,
                "--replicates",
                "1",
                "--quiet",
                "--no-plots",
                "--steps",
            ])
            .arg(steps.to_string())
            .arg("--out")
            .arg(&out)
            .status()
            .expect("gotong runs");
        assert!(status.success());
        let timeseries = std::fs::read_to_string(out.join("timeseries.csv")).expect("timeseries");
        for step in [0, steps] {
            let file = out.join(format!("networks/replicate0_step{step}.graphml"));
            let job = json!({"kind": "graphml", "path": file});
            let result = &networkx_results(&python, dir.path(), &[job])[0];
            let what = |m: &str| format!("{scenario} step {step}: {m}");
            assert_int(
                recorded(&timeseries, step, "ties") as u64,
                &result["ties"],
                &what("ties"),
            );
            assert_int(
                recorded(&timeseries, step, "components") as u64,
                &result["components"],
                &what("components"),
            );
            for metric in [
                "density",
                "transitivity",
                "largest_component_share",
                "mean_trust",
            ] {
                assert_float(
                    recorded(&timeseries, step, metric),
                    &result[metric],
                    &what(metric),
                );
            }
            assert_float(
                recorded(&timeseries, step, "avg_clustering"),
                &result["average_clustering"],
                &what("avg_clustering"),
            );
            // The final network's metrics: at the last step only, NaN when undefined.
            for (ours, theirs, tolerance) in [
                (
                    "average_shortest_path_length",
                    "average_shortest_path_length",
                    PATH_LENGTH_TOLERANCE,
                ),
                (
                    "degree_assortativity",
                    "degree_assortativity_coefficient",
                    ASSORTATIVITY_TOLERANCE,
                ),
            ] {
                let value = recorded_if_any(&timeseries, step, ours);
                if step == 0 {
                    assert_eq!(value, None, "{}", what(ours));
                } else {
                    let value = value.unwrap_or(f64::NAN);
                    assert_defined_alike(
                        value,
                        &result[theirs],
                        "networkx",
                        tolerance,
                        &what(ours),
                    );
                }
            }
        }
    }
}
