//! Ctrl-C (SIGINT) or SIGTERM during a run: the process stops between steps, exits with
//! 130, and leaves no run folder, not even a hidden partial one. A hard kill (SIGKILL),
//! which no process can catch, leaves only the hidden partial folder, whose manifest says
//! `"status": "incomplete"`: never a folder with the run's name.

mod common;
use common::entries;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts a long run in `dir`, waits until its partial folder exists, sends `signal`, and
/// returns what the process printed and its exit status.
fn signal_mid_run(dir: &std::path::Path, signal: &str) -> std::process::Output {
    // Long enough to still be running after a second on any machine (about a minute).
    let mut child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args([
            "run",
            "large_school",
            "--steps",
            "2000",
            "--replicates",
            "2",
            "--out",
            "long",
            "--no-plots",
        ])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gotong starts");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "still running when signalled"
    );
    assert!(
        entries(dir).iter().any(|e| e.starts_with(".long.partial-")),
        "a partial folder exists while running: {:?}",
        entries(dir)
    );
    let sent = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let waited = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        waited.elapsed() < Duration::from_secs(30),
        "stopped promptly"
    );
    output
}

fn interrupt_with(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let output = signal_mid_run(dir.path(), signal);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        entries(dir.path()).is_empty(),
        "nothing left behind: {:?}",
        entries(dir.path())
    );
}

#[test]
fn ctrl_c_leaves_nothing_behind() {
    interrupt_with("-INT");
}

#[test]
fn sigterm_leaves_nothing_behind() {
    interrupt_with("-TERM");
}

#[test]
fn a_hard_kill_leaves_only_a_hidden_folder_marked_incomplete() {
    let dir = tempfile::tempdir().unwrap();
    let output = signal_mid_run(dir.path(), "-KILL");
    assert_eq!(output.status.code(), None, "killed by the signal");
    let left = entries(dir.path());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(left[0].starts_with(".long.partial-"), "{left:?}");
    let manifest = std::fs::read_to_string(dir.path().join(&left[0]).join("manifest.json"))
        .expect("the manifest is written before the first step");
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(manifest["status"], "incomplete");
}

#[test]
fn an_interrupted_tournament_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // Some minutes of matches on one thread: still playing when the signal comes.
    let child = Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args([
            "tournament",
            "--strategies",
            "allc,alld,tft,grudger,wsls,random",
            "--turns",
            "1000000",
            "--repetitions",
            "200",
            "--threads",
            "1",
            "--out",
            "t",
            "--no-plots",
        ])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gotong starts");
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}
