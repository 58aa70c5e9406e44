//! Imported networks through the command line (issue 8): bad files exit 2 with one
//! `error:` line and no run folder, the survey example runs the same bytes on 1 and 2
//! threads and from CSV or GraphML, metrics recomputed from an exported network equal the
//! recorded ones, and a million-edge file runs.

mod common;
use common::{entries, gotong, scenarios_dir};
use gotong::model::role::{Role, TieKind};
use gotong::network::metrics::{self as net, PathLength};
use gotong::network::{AgentId, Graph};
use gotong::scenario::import::graphml::read_graphml;
use std::collections::HashMap;
use std::path::Path;

/// A scenario importing `ties.csv` with `people.csv`, in `dir`.
const CSV_SCENARIO: &str = "[run]\nsteps = 3\nreplicates = 1\nnetworks = false\n\
                            [lifecycle]\nenabled = false\n\
                            [network]\nkind = \"import\"\nfile = \"ties.csv\"\nnodes = \"people.csv\"\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("the scratch folder is writable");
}

/// Runs `scenario.toml` in `dir`, which must fail with exit 2 and one `error:` line
/// containing every one of `wanted`; no output folder may appear.
fn refused(dir: &Path, wanted: &[&str]) {
    let result = gotong(dir, &["run", "scenario.toml", "--quiet", "--no-plots"]);
    assert_eq!(result.code, 2, "stderr: {}", result.stderr);
    let lines: Vec<&str> = result.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {}", result.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    for text in wanted {
        assert!(lines[0].contains(text), "`{text}` in: {}", lines[0]);
    }
    assert!(
        !entries(dir).contains(&"output".to_string()),
        "no run folder"
    );
}

fn csv_case(people: &[u8], ties: &[u8], wanted: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "scenario.toml", CSV_SCENARIO.as_bytes());
    write(dir.path(), "people.csv", people);
    write(dir.path(), "ties.csv", ties);
    refused(dir.path(), wanted);
}

#[test]
fn bad_csv_files_exit_2_naming_the_file_and_line() {
    let people = b"id,role\nA,teacher\nB,parent\n";
    csv_case(
        people,
        b"source,target\nA,B\nA,Z\n",
        &["ties.csv:3:", "target `Z` is not a node"],
    );
    csv_case(
        b"id,role\nA,teacher\nB,parnet\n",
        b"source,target\n",
        &[
            "people.csv:3:",
            "unknown role `parnet`. Did you mean `parent`?",
        ],
    );
    csv_case(
        b"id,role\nA,teacher\nB,parent\nA,parent\n",
        b"source,target\n",
        &["people.csv:4:", "listed twice (first on line 2)"],
    );
    csv_case(
        people,
        b"source,weight\nA,B\n",
        &["ties.csv:1:", "source, target (or from, to)"],
    );
    csv_case(b"", b"source,target\n", &["people.csv: the file is empty"]);
    csv_case(
        people,
        b"source,target\nA,B\n\xff\xfe,A\n",
        &["ties.csv:3:", "not UTF-8"],
    );
}

#[test]
fn a_missing_file_or_key_names_the_scenario_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "scenario.toml", CSV_SCENARIO.as_bytes());
    write(dir.path(), "people.csv", b"id,role\nA,teacher\n");
    refused(
        dir.path(),
        &[
            "scenario.toml:9: key `network.file`: cannot read",
            "ties.csv",
        ],
    );
    let without_nodes = CSV_SCENARIO.replace("nodes = \"people.csv\"\n", "");
    write(dir.path(), "scenario.toml", without_nodes.as_bytes());
    refused(dir.path(), &["key `network.nodes`: missing", "id,role"]);
}

/// A named pipe would make a plain read wait for a writer for ever: it is refused at once.
#[test]
fn a_pipe_or_device_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "scenario.toml", CSV_SCENARIO.as_bytes());
    write(dir.path(), "people.csv", b"id,role\nA,teacher\n");
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("ties.csv"))
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    refused(dir.path(), &["key `network.file`", "not a regular file"]);
}

#[test]
fn malformed_graphml_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let scenario =
        "[run]\nsteps = 3\nreplicates = 1\n[network]\nkind = \"import\"\nfile = \"g.graphml\"\n";
    write(dir.path(), "scenario.toml", scenario.as_bytes());
    let graph = "<graphml>\n<key id=\"r\" for=\"node\" attr.name=\"role\"/>\n<graph>\n\
                 <node id=\"a\"><data key=\"r\">teacher</data></node>\n<edge source=\"a\" target=\"a\">\n</graph>\n</graphml>\n";
    write(dir.path(), "g.graphml", graph.as_bytes());
    refused(dir.path(), &["g.graphml:6:", "not well-formed XML"]);
}

fn survey_run(dir: &Path, scenario: &str, out: &str, threads: &str) -> String {
    let path = scenarios_dir().join("examples/survey").join(scenario);
    let args = [
        "run",
        path.to_str().unwrap(),
        "--out",
        out,
        "--quiet",
        "--no-plots",
        "--steps",
        "60",
        "--replicates",
        "3",
        "--threads",
        threads,
    ];
    let result = gotong(dir, &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    result.stdout
}

fn read(dir: &Path, out: &str, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(out).join(file)).expect("the run wrote it")
}

#[test]
fn the_survey_example_gives_the_same_bytes_on_1_and_2_threads_and_from_graphml() {
    let dir = tempfile::tempdir().unwrap();
    let stdout = survey_run(dir.path(), "survey.toml", "one", "1");
    assert!(
        stdout.contains("population from ")
            && stdout.contains("ties.csv: 1 principal, 4 teacher, 2 staff, 20 student, 15 parent, 3 community; 126 ties (3 duplicates merged, 1 self-loop dropped)"),
        "{stdout}"
    );
    survey_run(dir.path(), "survey.toml", "two", "2");
    survey_run(dir.path(), "survey_graphml.toml", "graphml", "2");
    for file in ["timeseries.csv", "summary.csv"] {
        let one = read(dir.path(), "one", file);
        assert!(
            one == read(dir.path(), "two", file),
            "{file}: 1 vs 2 threads"
        );
        assert!(
            one == read(dir.path(), "graphml", file),
            "{file}: CSV vs GraphML"
        );
    }
    let manifest = String::from_utf8(read(dir.path(), "one", "manifest.json")).unwrap();
    assert!(manifest.contains("\"imported_ids.csv\""), "{manifest}");
    assert!(manifest.contains("\"fnv1a64\": \""), "{manifest}");
    assert!(manifest.contains("\"self_loops_dropped\": 1"), "{manifest}");
}

/// `imported_ids.csv` maps every person of `people.csv` to one agent, with the same role,
/// numbered role by role as the GraphML snapshots number them.
#[test]
fn imported_ids_map_every_person_back_to_an_agent() {
    let dir = tempfile::tempdir().unwrap();
    survey_run(dir.path(), "survey.toml", "ids", "2");
    let written = String::from_utf8(read(dir.path(), "ids", "imported_ids.csv")).unwrap();
    let people = std::fs::read_to_string(scenarios_dir().join("examples/survey/people.csv"))
        .expect("the example is there");
    let mut from_file: Vec<(String, String)> = (people.lines())
        .filter(|line| !line.starts_with('#') && !line.is_empty() && *line != "id,role")
        .map(|line| {
            let (id, role) = line.split_once(',').unwrap();
            (id.to_string(), role.to_string())
        })
        .collect();
    let mut lines = written.lines();
    assert_eq!(lines.next(), Some("node,id,role"));
    let mut mapped: Vec<(String, String)> = Vec::new();
    let mut previous_role = 0;
    for (agent, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], format!("n{agent}"), "{line}");
        let role: Role = fields[2].parse().unwrap();
        assert!(
            role.index() >= previous_role,
            "numbered role by role: {line}"
        );
        previous_role = role.index();
        mapped.push((fields[1].to_string(), fields[2].to_string()));
    }
    from_file.sort();
    mapped.sort();
    assert_eq!(mapped, from_file);
}

/// Recorded values of replicate 0 at `step`: (metric, group) → value.
fn recorded(timeseries: &str, step: u32) -> HashMap<(String, String), f64> {
    let prefix = format!("0,{step},");
    timeseries
        .lines()
        .filter_map(|line| line.strip_prefix(&prefix))
        .map(|rest| {
            let fields: Vec<&str> = rest.split(',').collect();
            let value = fields[2].parse().expect("a number");
            ((fields[0].to_string(), fields[1].to_string()), value)
        })
        .collect()
}

/// Issue 8's invariant: the network metrics recomputed from the exported GraphML equal
/// the values recorded for that step, exactly (the CSV prints shortest round-trip
/// decimals, so parsing gives back the very f64). Step 60 comes after a school year's
/// graduations, so agents have left and the export's node ids have gaps.
#[test]
fn metrics_recomputed_from_an_exported_network_equal_the_recorded_ones() {
    let dir = tempfile::tempdir().unwrap();
    survey_run(dir.path(), "survey.toml", "run", "2");
    let timeseries = String::from_utf8(read(dir.path(), "run", "timeseries.csv")).unwrap();
    for step in [0, 60] {
        let file = dir
            .path()
            .join(format!("run/networks/replicate0_step{step}.graphml"));
        let text = std::fs::read_to_string(&file).expect("the run exported it");
        let network = read_graphml(&file, &text).expect("gotong reads its own GraphML");
        assert_eq!((network.duplicate_ties, network.self_loops), (0, 0));
        let edges: Vec<(AgentId, AgentId)> = network.ties.clone();
        let graph = Graph::from_edges(network.ids.len(), &edges);
        let triangles = net::triangles(&graph);
        let parts = net::components(&graph);
        let largest = parts.largest as f64 / graph.agent_count() as f64;
        let mut expected = vec![
            ("ties", "all", graph.tie_count() as f64),
            ("density", "all", net::density(&graph)),
            ("mean_degree", "all", net::mean_degree(&graph)),
            (
                "avg_clustering",
                "all",
                net::average_clustering_from_triangles(&graph, &triangles),
            ),
            (
                "transitivity",
                "all",
                net::transitivity_from_triangles(&graph, &triangles),
            ),
            ("components", "all", parts.count as f64),
            ("largest_component_share", "all", largest),
        ];
        let roles = &network.roles;
        let kind_of = |&(a, b): &(u32, u32)| TieKind::between(roles[a as usize], roles[b as usize]);
        for kind in TieKind::ALL {
            let count = network.ties.iter().filter(|t| kind_of(t) == kind).count();
            expected.push(("ties", kind.name(), count as f64));
        }
        let bridging = (network.ties.iter())
            .filter(|&&(a, b)| roles[a as usize] != roles[b as usize])
            .count();
        expected.push((
            "bridging_share",
            "all",
            bridging as f64 / network.ties.len() as f64,
        ));
        if step == 60 {
            let path = net::average_shortest_path_length_in(&graph, &parts, PathLength::Exact);
            expected.push(("average_shortest_path_length", "all", path));
            let assortativity = net::degree_assortativity_coefficient(&graph);
            expected.push(("degree_assortativity", "all", assortativity));
        }
        let values = recorded(&timeseries, step);
        for (metric, group, value) in expected {
            let key = (metric.to_string(), group.to_string());
            let recorded = values.get(&key).copied();
            assert_eq!(recorded, Some(value), "step {step}: {metric} {group}");
        }
        assert!(
            roles.contains(&Role::Alumnus) || step == 0,
            "graduates became alumni"
        );
    }
}

/// A step of a school of 100,000 people and 1,000,000 survey ties runs (no timing is
/// asserted; docs/performance.md gives the measured load time and memory).
#[test]
fn a_million_edge_file_runs() {
    let dir = tempfile::tempdir().unwrap();
    let nodes = 100_000u64;
    let mut people = String::from("id,role\n");
    for id in 0..nodes {
        let role = match id % 20 {
            0 => "teacher",
            1..=9 => "student",
            _ => "parent",
        };
        people.push_str(&format!("p{id},{role}\n"));
    }
    let mut ties = String::with_capacity(20_000_000);
    ties.push_str("source,target\n");
    let mut state = 0x2545_f491_4f6c_dd1du64; // xorshift: the same file every time
    for _ in 0..1_000_000 {
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % nodes
        };
        let (a, b) = (next(), next());
        ties.push_str(&format!("p{a},p{b}\n"));
    }
    write(dir.path(), "people.csv", people.as_bytes());
    write(dir.path(), "ties.csv", ties.as_bytes());
    let scenario = "[network]\nkind = \"import\"\nfile = \"ties.csv\"\nnodes = \"people.csv\"\n";
    write(dir.path(), "million.toml", scenario.as_bytes());
    let args = [
        "run",
        "million.toml",
        "--steps",
        "1",
        "--replicates",
        "1",
        "--no-plots",
        "--quiet",
        "--set",
        "run.networks=false",
        "--out",
        "run",
    ];
    let result = gotong(dir.path(), &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let timeseries = String::from_utf8(read(dir.path(), "run", "timeseries.csv")).unwrap();
    let step0 = recorded(&timeseries, 0);
    let ties = step0[&("ties".to_string(), "all".to_string())];
    assert!(
        (999_000.0..1_046_000.0).contains(&ties),
        "about a million file ties plus family ties for students without a parent tie: {ties}"
    );
}
