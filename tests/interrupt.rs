//! Ctrl-C (SIGINT) or SIGTERM during a run: the process stops between steps, exits with
//! 130, and leaves no run folder, not even a hidden partial one.

mod common;
use common::entries;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn interrupt_with(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
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
        .current_dir(dir.path())
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
        entries(dir.path())
            .iter()
            .any(|e| e.starts_with(".long.partial-")),
        "a partial folder exists while running: {:?}",
        entries(dir.path())
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
