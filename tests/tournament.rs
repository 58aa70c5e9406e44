//! `gotong tournament` end to end: the folder, its files, determinism across thread counts,
//! and bad arguments.

mod common;
use common::{entries, gotong};
use std::path::Path;

fn read(folder: &Path, file: &str) -> String {
    std::fs::read_to_string(folder.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", folder.join(file).display()))
}

#[test]
fn a_tournament_writes_pairwise_ranking_plot_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "tournament",
        "--strategies",
        "allc,alld,tft,grudger",
        "--turns",
        "10",
        "--payoffs",
        "3,0,5,1",
        "--repetitions",
        "3",
        "--out",
        "result",
    ];
    let result = gotong(dir.path(), &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    assert!(
        result.stdout.contains("Results in result"),
        "{}",
        result.stdout
    );
    let folder = dir.path().join("result");
    assert_eq!(
        entries(&folder),
        ["manifest.json", "pairwise.csv", "plots", "ranking.csv"]
    );
    assert_eq!(
        entries(&folder.join("plots")),
        ["pairwise.png", "pairwise.svg"]
    );
    // The Axelrod library's tutorial example (see docs/validation.md): by hand, ALLD
    // 50 + 14 + 14 = 78 over 3 × 10 turns = 2.6, TFT 30 + 9 + 30 = 69 → 2.3, Grudger the
    // same (listed after TFT, as given), ALLC 30 + 0 + 30 = 60 → 2.
    assert_eq!(
        read(&folder, "ranking.csv"),
        "rank,strategy,median,mean,sd,min,max\n\
         1,alld,2.6,2.6,0,2.6,2.6\n\
         2,tft,2.3,2.3,0,2.3,2.3\n\
         3,grudger,2.3,2.3,0,2.3,2.3\n\
         4,allc,2,2,0,2,2\n"
    );
    let pairwise = read(&folder, "pairwise.csv");
    let lines: Vec<&str> = pairwise.lines().collect();
    assert_eq!(
        lines[0],
        "repetition,row,column,total_payoff,payoff_per_turn,cooperation_rate"
    );
    assert_eq!(lines.len(), 1 + 3 * 16);
    for expected in [
        "0,tft,alld,9,0.9,0.1",
        "0,alld,tft,14,1.4,0",
        "2,alld,allc,50,5,0",
        "1,grudger,grudger,30,3,1",
        "2,allc,alld,0,0,1",
    ] {
        assert!(lines.contains(&expected), "{expected} in\n{pairwise}");
    }
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&folder, "manifest.json")).unwrap();
    assert_eq!(manifest["status"], "complete");
    assert_eq!(manifest["turns"], 10);
    assert_eq!(manifest["payoffs"]["T"], 5.0);
    assert_eq!(manifest["files"].as_array().unwrap().len(), 5);
}

#[test]
fn without_out_a_new_folder_appears_under_output() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "tournament",
        "--strategies",
        "tft,stft",
        "--turns",
        "5",
        "--no-plots",
    ];
    for _ in 0..2 {
        let result = gotong(dir.path(), &args);
        assert_eq!(result.code, 0, "{}", result.stderr);
    }
    let runs = entries(&dir.path().join("output"));
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert!(
        runs.iter().all(|r| r.starts_with("tournament-")),
        "{runs:?}"
    );
    let folder = dir.path().join("output").join(&runs[0]);
    assert_eq!(
        entries(&folder),
        ["manifest.json", "pairwise.csv", "ranking.csv"]
    );
    // STFT against TFT over 5 turns: D,C,D,C,D against C,D,C,D,C: STFT 3·T = 15, TFT 2·T = 10.
    assert!(read(&folder, "pairwise.csv").contains("0,stft,tft,15,3,0.4\n"));
}

#[test]
fn noisy_tournaments_are_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &str, threads: &str, seed: &str| {
        let args = [
            "tournament",
            "--strategies",
            "tft,random,gtft(0.2),wsls,tf2t,alternator",
            "--turns",
            "100",
            "--repetitions",
            "6",
            "--noise",
            "0.05",
            "--seed",
            seed,
            "--threads",
            threads,
            "--no-plots",
            "--out",
            out,
        ];
        let result = gotong(dir.path(), &args);
        assert_eq!(result.code, 0, "{}", result.stderr);
        let folder = dir.path().join(out);
        (read(&folder, "pairwise.csv"), read(&folder, "ranking.csv"))
    };
    let one = run("t1", "1", "5");
    assert_eq!(one, run("t2", "2", "5"), "1 vs 2 threads");
    assert_eq!(one, run("t4", "4", "5"), "1 vs 4 threads");
    assert_ne!(
        one.0,
        run("other", "2", "6").0,
        "another seed, other numbers"
    );
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 9] = [
        (
            &["--strategies", "tft,titfortat"],
            "tournament strategies are allc, alld",
        ),
        (&["--strategies", "tft,grudgr"], "did you mean `grudger`"),
        (&["--strategies", "tft,conditional"], "trust and norm"),
        (&["--strategies", "tft", "--turns", "5"], "at least two"),
        (
            &["--strategies", "tft,alld", "--payoffs", "3,0,5"],
            "give four numbers",
        ),
        (
            &["--strategies", "tft,alld", "--payoffs", "5,0,3,1"],
            "T > R > P > S",
        ),
        (
            &["--strategies", "tft,alld", "--turns", "0"],
            "--turns must be at least 1",
        ),
        (&["--strategies", "tft,alld", "--noise", "1.5"], "in [0, 1]"),
        (
            &["--strategies", "tft,alld", "--noise", "-0.1"],
            "in [0, 1]",
        ),
    ];
    for (args, expected) in cases {
        let mut all = vec!["tournament"];
        all.extend_from_slice(args);
        let result = gotong(dir.path(), &all);
        assert_eq!(result.code, 2, "{args:?}: {}", result.stderr);
        assert!(
            result.stderr.contains(expected),
            "{args:?}: {}",
            result.stderr
        );
        assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
    }
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));

    let occupied = dir.path().join("taken");
    std::fs::create_dir(&occupied).unwrap();
    std::fs::write(occupied.join("keep.txt"), "mine").unwrap();
    let args = ["tournament", "--strategies", "tft,alld", "--out", "taken"];
    let result = gotong(dir.path(), &args);
    assert_eq!(result.code, 2, "{}", result.stderr);
    assert!(
        result.stderr.contains("never overwritten"),
        "{}",
        result.stderr
    );
    assert_eq!(entries(&occupied), ["keep.txt"]);
    assert_eq!(entries(dir.path()), ["taken"], "no partial folder left");
}

#[test]
fn tit_for_tat_wins_the_noiseless_round_robin_of_the_ten_strategies() {
    // Axelrod's classic result, for our ten strategies with the defaults (200 turns,
    // 3,0,5,1, 10 repetitions, seed 42). Measured: tft 2.5842, grudger 2.5611, gtft 2.5306,
    // tf2t 2.4856 per turn; over seeds 1–20 the same four led in the same order every time.
    let dir = tempfile::tempdir().unwrap();
    let strategies = "allc,alld,tft,stft,tf2t,grudger,wsls,alternator,gtft,random";
    let args = [
        "tournament",
        "--strategies",
        strategies,
        "--no-plots",
        "--out",
        "r",
    ];
    let result = gotong(dir.path(), &args);
    assert_eq!(result.code, 0, "{}", result.stderr);
    let ranking = read(&dir.path().join("r"), "ranking.csv");
    let top: Vec<&str> = (ranking.lines().skip(1).take(4))
        .map(|line| line.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(top, ["tft", "grudger", "gtft", "tf2t"], "{ranking}");
    assert!(ranking.contains("1,tft,2.584166666666666"), "{ranking}");
}
