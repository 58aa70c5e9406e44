//! libFuzzer target: the bytes are a scenario file, loaded the way `gotong run FILE` loads
//! it (`gotong::scenario::load`: read, follow `extends`, merge, deserialize, validate).
//!
//! A crash is a panic, an abort or a hang in the loader, or a refusal whose message does
//! not start with the file's name (the promise of tests/bad_inputs.rs). The file lives in
//! a folder of its own per process, beside a `parent.toml` that inputs can `extends`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The folder of this process's scenario file, made once, with a valid parent in it.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("gotong-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        std::fs::write(dir.join("parent.toml"), "extends = \"preset:classroom\"\n")
            .expect("the parent file");
        dir
    })
}

fuzz_target!(|bytes: &[u8]| {
    let path = scratch().join("case.toml");
    std::fs::write(&path, bytes).expect("the case file");
    let name = path.to_str().expect("a UTF-8 temporary path");
    if let Err(err) = gotong::scenario::load(Some(name), &[]) {
        let message = err.to_string();
        assert!(message.starts_with(name), "message without the file: {message}");
        assert!(!message.contains('\n'), "message of several lines: {message}");
    }
});
