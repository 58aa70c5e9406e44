//! Bad input gets exit code 2 and one clear message naming the file, line and key, and no
//! output folder is left behind.

mod common;
use common::{entries, gotong};
use std::path::Path;

/// A scenario that extends the default and adds `body`.
fn write_scenario(dir: &Path, name: &str, body: &str) -> String {
    let text = format!("extends = \"default.toml\"\n{body}");
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

/// Runs `gotong run FILE ARGS` and checks the failure: exit code 2, one `error:` line that
/// contains every `needle`, nothing written.
fn assert_refused(dir: &Path, args: &[&str], needles: &[&str]) {
    let mut full = vec!["run"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--out", "never", "--quiet"]);
    let result = gotong(dir, &full);
    assert_eq!(result.code, 2, "args {args:?}\nstderr: {}", result.stderr);
    let message = result.stderr.trim();
    assert!(message.starts_with("error: "), "{message}");
    assert_eq!(message.lines().count(), 1, "one message: {message}");
    assert!(!message.contains("panicked"), "{message}");
    for needle in needles {
        assert!(
            message.contains(needle),
            "expected {needle:?} in: {message}"
        );
    }
    assert!(!dir.join("never").exists(), "no folder for a refused run");
    assert!(
        entries(dir).iter().all(|e| !e.starts_with(".never")),
        "no partial folder: {:?}",
        entries(dir)
    );
    assert!(!dir.join("output").exists());
}

#[test]
fn malformed_toml_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "broken.toml", "[run]\nsteps = 10\nseed = \n");
    assert_refused(dir.path(), &[&file], &["broken.toml:4:", "not valid TOML"]);
}

#[test]
fn unknown_keys_list_the_valid_ones_and_suggest() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(
        dir.path(),
        "typo.toml",
        "\n[population.teacher]\ncont = 3\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "typo.toml:4:",
            "key `population.teacher.cont`",
            "Did you mean `count`?",
            "Valid keys here: count, share, norm",
        ],
    );
    let file = write_scenario(dir.path(), "table.toml", "[polcy]\ntransparency = 0.9\n");
    assert_refused(
        dir.path(),
        &[&file],
        &["table.toml:2:", "key `polcy`", "Did you mean `policy`?"],
    );
    let file = write_scenario(dir.path(), "role.toml", "[population.techer]\ncount = 3\n");
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "role.toml:2:",
            "population.techer",
            "Did you mean `teacher`?",
        ],
    );
}

#[test]
fn a_number_where_a_name_belongs_lists_the_valid_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "name.toml", "[learning]\nrule = 3\n");
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "name.toml:3:",
            "key `learning.rule`",
            "`3` is not a valid value",
            "Valid values: none, fermi, imitate_best",
        ],
    );
    let file = write_scenario(dir.path(), "kind.toml", "[network]\nkind = true\n");
    assert_refused(
        dir.path(),
        &[&file],
        &["kind.toml:3:", "key `network.kind`", "lattice"],
    );
}

#[test]
fn networks_too_large_to_build_are_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let standalone = |name: &str, body: &str| {
        std::fs::write(dir.path().join(name), body).unwrap();
        name.to_string()
    };
    let file = standalone(
        "dense.toml",
        "[population]\ntotal = 100000\n[population.student]\nshare = 1.0\n\
         [network]\nkind = \"erdos_renyi\"\nmean_degree = 30000\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "dense.toml:7:",
            "key `network.mean_degree`",
            "1500000000 ties",
            "1e9",
        ],
    );
    let file = standalone(
        "empty.toml",
        "[population.student]\nshare = 1.0\n[network]\nkind = \"lattice\"\nwidth = 0\n\
         height = 5\n[lifecycle]\nenabled = false\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &["empty.toml:5:", "key `network.width`", "no cells"],
    );
}

#[test]
fn out_of_range_values_say_what_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "range.toml", "[policy]\ntransparency = 1.5\n");
    assert_refused(
        dir.path(),
        &[&file],
        &["range.toml:3:", "key `policy.transparency`", "[0, 1]"],
    );
    let file = write_scenario(
        dir.path(),
        "pd.toml",
        "[game]\nkind = \"pd\"\npayoffs = { R = 3, S = 0, T = 2, P = 1 }\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &["pd.toml:4:", "key `game.payoffs`", "T > R > P > S"],
    );
    let file = write_scenario(
        dir.path(),
        "norm.toml",
        "[population.teacher]\nnorm = { mean = 1.4, sd = 0.1 }\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &["norm.toml:3:", "population.teacher.norm", "[0, 1]"],
    );
    let file = write_scenario(
        dir.path(),
        "lattice.toml",
        "[network]\nkind = \"lattice\"\nwidth = 10\nheight = 10\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &["lattice.toml:", "network.width", "100 cells", "agents"],
    );
}

#[test]
fn wrong_types_and_unknown_names_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(dir.path(), "type.toml", "[run]\nsteps = \"many\"\n");
    assert_refused(
        dir.path(),
        &[&file],
        &["type.toml:3:", "key `run.steps`", "invalid type"],
    );
    let file = write_scenario(dir.path(), "kind.toml", "[network]\nkind = \"latice\"\n");
    assert_refused(
        dir.path(),
        &[&file],
        &["kind.toml:3:", "network.kind", "Did you mean `lattice`?"],
    );
    let file = write_scenario(
        dir.path(),
        "strategy.toml",
        "[population.parent]\nstrategy = \"titfortat\"\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "strategy.toml:3:",
            "population.parent.strategy",
            "strategies are",
        ],
    );
    let file = write_scenario(dir.path(), "negative.toml", "[run]\nreplicates = -1\n");
    assert_refused(
        dir.path(),
        &[&file],
        &["negative.toml:3:", "run.replicates"],
    );
}

#[test]
fn missing_files_and_bad_parents_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    assert_refused(
        dir.path(),
        &["nowhere.toml"],
        &["nowhere.toml", "no such file", "Presets: default"],
    );
    assert_refused(
        dir.path(),
        &["defualt"],
        &["Did you mean the preset `default`?"],
    );
    std::fs::write(
        dir.path().join("orphan.toml"),
        "extends = \"missing.toml\"\n",
    )
    .unwrap();
    assert_refused(
        dir.path(),
        &["orphan.toml"],
        &["orphan.toml:1:", "key `extends`", "neither a file"],
    );
    std::fs::write(dir.path().join("a.toml"), "extends = \"b.toml\"\n").unwrap();
    std::fs::write(dir.path().join("b.toml"), "extends = \"a.toml\"\n").unwrap();
    assert_refused(dir.path(), &["a.toml"], &["cycle"]);
    std::fs::write(dir.path().join("empty.toml"), "").unwrap();
    assert_refused(
        dir.path(),
        &["empty.toml"],
        &["empty.toml", "population", "missing"],
    );
    std::fs::write(dir.path().join("binary.toml"), [0xff, 0xfe, 0x00, 0x41]).unwrap();
    assert_refused(dir.path(), &["binary.toml"], &["binary.toml", "not UTF-8"]);
}

#[test]
fn bad_overrides_name_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    assert_refused(
        dir.path(),
        &["--set", "policy.transparency=2"],
        &[
            "--set policy.transparency=2",
            "policy.transparency",
            "[0, 1]",
        ],
    );
    assert_refused(
        dir.path(),
        &["--set", "policy.transparancy=0.5"],
        &[
            "--set policy.transparancy=0.5",
            "Did you mean `transparency`?",
        ],
    );
    assert_refused(
        dir.path(),
        &["--set", "nonsense"],
        &["--set nonsense", "KEY=VALUE"],
    );
    assert_refused(
        dir.path(),
        &["--set", "run.steps=ten"],
        &["--set run.steps=ten", "run.steps"],
    );
    assert_refused(
        dir.path(),
        &["--set", "run.steps.x=1"],
        &["--set run.steps.x=1", "is a integer"],
    );
}

#[test]
fn validate_reports_every_file_and_fails_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_scenario(dir.path(), "good.toml", "[run]\nsteps = 3\n");
    let bad = write_scenario(dir.path(), "bad.toml", "[run]\nstep = 3\n");
    let result = gotong(dir.path(), &["validate", &good, &bad, "classroom"]);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(result.stdout.contains("ok: good.toml"), "{}", result.stdout);
    assert!(
        result.stdout.contains("ok: preset `classroom`"),
        "{}",
        result.stdout
    );
    assert!(
        result.stderr.contains("bad.toml:3: key `run.step`"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("Did you mean `steps`?"),
        "{}",
        result.stderr
    );
    assert!(
        result.stderr.contains("1 of 3 scenarios are not valid"),
        "{}",
        result.stderr
    );
}

#[test]
fn limits_are_refused_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(
        dir.path(),
        "twins.toml",
        "[[activity]]\nname = \"fair\"\nmembers = { parent = 2 }\n[[activity]]\nname = \"fair\"\nmembers = { parent = 3 }\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "twins.toml:6:",
            "activity[1].name",
            "also the name of activity[0]",
        ],
    );
    assert_refused(
        dir.path(),
        &["--set", "activity.0.per_step=1e12"],
        &["activity[0].per_step", "more than 1000"],
    );
    assert_refused(
        dir.path(),
        &["--set", "trust.acquaintance_prior.alpha=1e39"],
        &["trust.acquaintance_prior", "at most 1000000"],
    );
    assert_refused(
        dir.path(),
        &["--set", "run.replicates=4000000"],
        &["--set run.replicates=4000000", "run.replicates", "100000"],
    );
    assert_refused(
        dir.path(),
        &["--set", "run.replicates=50000"],
        &["--set run.replicates=50000", "record less often"],
    );
    let long = "x".repeat(300);
    assert_refused(
        dir.path(),
        &["--set", &format!("run.name={long}")],
        &["run.name", "at most 100 characters"],
    );
    let seed = gotong(
        dir.path(),
        &["run", "--seed", "18446744073709551615", "--out", "never"],
    );
    assert_eq!(seed.code, 2);
    assert!(
        seed.stderr.contains("'--seed <N>'") && seed.stderr.contains("0..=9223372036854775807"),
        "{}",
        seed.stderr
    );
    std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
    assert_refused(
        dir.path(),
        &["folder.toml"],
        &["folder.toml", "is a folder"],
    );
}

#[test]
fn a_game_kind_without_its_parameters_is_blamed_on_the_change() {
    let dir = tempfile::tempdir().unwrap();
    assert_refused(
        dir.path(),
        &["--set", "game.kind=snowdrift"],
        &[
            "--set game.kind=snowdrift",
            "key `game.payoffs`",
            "needs payoffs",
        ],
    );
    let file = write_scenario(dir.path(), "donate.toml", "[game]\nkind = \"pd\"\nb = 3\n");
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "donate.toml:4:",
            "key `game.b`",
            "does not apply to kind = \"pd\"",
        ],
    );
}

#[test]
fn self_interaction_belongs_to_the_default_game_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_scenario(
        dir.path(),
        "self.toml",
        "[game.conflict]\nself_interaction = true\n",
    );
    assert_refused(
        dir.path(),
        &[&file],
        &[
            "self.toml:",
            "game.conflict.self_interaction",
            "only the default [game]",
        ],
    );
}

#[test]
fn random_regular_degrees_that_cannot_be_built_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/validation/santos_pacheco_rr.toml"
    );
    let refused = |total: &str, degree: &str, needles: &[&str]| {
        let total = format!("population.total={total}");
        let degree = format!("network.degree={degree}");
        let args = [scenario, "--set", &total, "--set", &degree];
        assert_refused(dir.path(), &args, needles);
    };
    refused("999", "3", &["network.degree", "must be even"]);
    refused(
        "1000",
        "1000",
        &["network.degree", "below the number of agents"],
    );
    // 2.5·10⁹ ties would take tens of GB: refused before any memory is asked for.
    refused(
        "100000",
        "50000",
        &["network.degree", "2500000000 ties", "10000000"],
    );
}

#[test]
fn run_metrics_must_name_known_metrics_once() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 3] = [
        (
            "[run]\nmetrics = [\"ties\", \"cooperation_rat\"]\n",
            &[
                "run.metrics",
                "cooperation_rat",
                "Did you mean `cooperation_rate`?",
                "mean_trust",
            ],
        ),
        ("[run]\nmetrics = []\n", &["run.metrics", "at least one"]),
        (
            "[run]\nmetrics = [\"ties\", \"ties\"]\n",
            &["run.metrics", "twice"],
        ),
    ];
    for (k, (body, needles)) in cases.iter().enumerate() {
        let file = write_scenario(dir.path(), &format!("metrics{k}.toml"), body);
        let mut needles = needles.to_vec();
        let located = format!("metrics{k}.toml:3:");
        needles.push(&located);
        assert_refused(dir.path(), &[&file], &needles);
    }
}
