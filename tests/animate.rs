//! `gotong run --animate`: plots/network.gif, its frames, its determinism, and refusals.

mod common;
use common::{entries, gotong};
use image::AnimationDecoder;
use std::path::Path;

fn run_animated(dir: &Path, out: &str, threads: &str) -> Vec<u8> {
    let args = [
        "run",
        "classroom",
        "--steps",
        "30",
        "--replicates",
        "1",
        "--animate",
        "--quiet",
        "--out",
        out,
        "--threads",
        threads,
    ];
    let run = gotong(dir, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("plots/network.gif"), "{}", run.stdout);
    let manifest = std::fs::read_to_string(dir.join(out).join("manifest.json")).unwrap();
    assert!(manifest.contains("\"plots/network.gif\""), "{manifest}");
    std::fs::read(dir.join(out).join("plots/network.gif")).unwrap()
}

#[test]
fn animate_writes_the_same_gif_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let one = run_animated(dir.path(), "one", "1");
    let two = run_animated(dir.path(), "two", "2");
    assert!(one == two, "the GIFs differ between 1 and 2 threads");
    let decoder = image::codecs::gif::GifDecoder::new(one.as_slice()).unwrap();
    let frames = decoder.into_frames().collect_frames().unwrap();
    // Steps 0 to 30 are all recorded (31 ≤ the budget of 50), and the last frame is
    // shown 10 times.
    assert_eq!(frames.len(), 31 + 9);
    assert_eq!(frames[0].buffer().dimensions(), (800, 600));
    assert_ne!(frames[0].buffer(), frames[30].buffer());
    assert_ne!(frames[29].buffer(), frames[30].buffer());
    assert_eq!(frames[30].buffer(), frames[39].buffer());
}

#[test]
fn animate_with_no_plots_is_refused_and_leaves_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "run",
        "classroom",
        "--steps",
        "3",
        "--animate",
        "--no-plots",
        "--out",
        "r",
    ];
    let run = gotong(dir.path(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--no-plots"), "{}", run.stderr);
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}
