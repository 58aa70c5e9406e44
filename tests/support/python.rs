//! A Python with pinned packages for peer tests (networkx today, mesa later).
//!
//! Owns: a virtualenv at `<target dir>/peers-venv`, made on first use and reused while its
//! Python works, and the rule of the house for comparisons: such a test installs what it
//! needs itself and says so (what, where, how long) on stderr.
//! Must never: install outside that virtualenv, accept an unpinned requirement, or turn a
//! real failure into a skip. Only a missing Python (or one that cannot make a virtualenv)
//! and an unreachable package index are reasons to skip; a pip error while the index answers
//! and a failing script fail the test.
//!
//! Concurrency: tests of one binary are serialised by a mutex, test binaries (or two
//! `cargo test` runs) by a lock file created with `create_new`, which is atomic. A new
//! virtualenv is built in a side directory and renamed into place, so a half-built one is
//! never taken for a working one; a requirement set counts as installed once its marker
//! file exists, written after pip succeeded.

use std::fmt;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// Why a peer test cannot run here; the test prints `SKIPPED: <reason>` and returns.
#[derive(Debug)]
pub struct Skip(pub String);

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Serialises set-up between the tests of one binary (the lock file does it across them).
/// It also remembers skips, as (requirements, reason), so that one binary asks pip once.
static SETUP: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// A lock file older than this is left over from a killed run.
const STALE_LOCK: Duration = Duration::from_secs(20 * 60);

/// The Python of the peers virtualenv, with `requirements` (each pinned with `==`)
/// installed. Panics on a failure that is not a reason to skip.
pub fn python_with(requirements: &[&str]) -> Result<PathBuf, Skip> {
    for requirement in requirements {
        assert!(
            requirement.contains("=="),
            "peer requirement {requirement:?} must be pinned with =="
        );
    }
    let mut skipped = SETUP
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let wanted = requirements.join(" ");
    if let Some((_, reason)) = skipped.iter().find(|(set, _)| *set == wanted) {
        return Err(Skip(reason.clone()));
    }
    let ready = set_up(requirements);
    if let Err(skip) = &ready {
        skipped.push((wanted, skip.0.clone()));
    }
    ready
}

/// [`python_with`] under the in-process mutex: the virtualenv and the requirements.
fn set_up(requirements: &[&str]) -> Result<PathBuf, Skip> {
    let target = target_dir();
    fs::create_dir_all(&target).expect("create the target directory");
    let venv = target.join("peers-venv");
    let _across_processes = LockFile::acquire(target.join("peers-venv.lock"));
    let python = ensure_venv(&venv)?;
    let marker = venv.join(format!(
        "gotong-installed-{:016x}.txt",
        fnv1a(&requirements.join("\n"))
    ));
    if marker.exists() {
        let (what, place) = (requirements.join(" "), venv.display());
        say(&format!(
            "peers: using {what} from {place} (already installed)"
        ));
    } else {
        install(&python, &venv, requirements)?;
        fs::write(&marker, requirements.join("\n")).expect("write the install marker");
    }
    Ok(python)
}

/// Writes a line to the process's stderr directly, past the test harness's capture of
/// `eprintln!`, so that installs and skips are seen even when the test passes.
pub fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Runs `python script args...` and returns its stdout; panics with its stderr if it fails.
pub fn run_python(python: &Path, script: &Path, args: &[&Path]) -> String {
    let output = Command::new(python)
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", python.display()));
    assert!(
        output.status.success(),
        "{} failed ({}):\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("script output is UTF-8")
}

/// The crate's target directory: the parent of `CARGO_TARGET_TMPDIR` (set by cargo for
/// integration tests), else `<manifest dir>/target`.
fn target_dir() -> PathBuf {
    if let Some(tmp) = option_env!("CARGO_TARGET_TMPDIR") {
        if let Some(parent) = Path::new(tmp).parent() {
            return parent.to_path_buf();
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Reuses `venv` if its Python runs, else builds a new one beside it and renames it in.
fn ensure_venv(venv: &Path) -> Result<PathBuf, Skip> {
    let python = venv_python(venv);
    if runs(Command::new(&python).args(["-c", "import sys"])) {
        return Ok(python);
    }
    let system = system_python()?;
    let partial = venv.with_extension("partial");
    for stale in [venv, partial.as_path()] {
        if stale.exists() {
            fs::remove_dir_all(stale).unwrap_or_else(|e| panic!("remove {}: {e}", stale.display()));
        }
    }
    say(&format!(
        "peers: creating a virtualenv at {} with {}",
        venv.display(),
        system.display()
    ));
    let made = Command::new(&system)
        .args(["-m", "venv"])
        .arg(&partial)
        .output();
    match made {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            let why = String::from_utf8_lossy(&out.stderr);
            return Err(Skip(format!(
                "{} cannot create a virtualenv: {}",
                system.display(),
                why.trim()
            )));
        }
        Err(e) => return Err(Skip(format!("cannot run {}: {e}", system.display()))),
    }
    fs::rename(&partial, venv).unwrap_or_else(|e| panic!("rename {}: {e}", partial.display()));
    Ok(python)
}

/// `python3` (or `python`) from PATH, if it runs.
fn system_python() -> Result<PathBuf, Skip> {
    for name in ["python3", "python"] {
        if runs(Command::new(name).arg("--version")) {
            return Ok(PathBuf::from(name));
        }
    }
    Err(Skip("no python3 or python on PATH".to_string()))
}

fn runs(command: &mut Command) -> bool {
    command.output().is_ok_and(|out| out.status.success())
}

/// pip-installs `requirements`; an unreachable index is a skip, any other failure a panic.
fn install(python: &Path, venv: &Path, requirements: &[&str]) -> Result<(), Skip> {
    let version = Command::new(python)
        .arg("--version")
        .output()
        .map(stdout_text);
    let version = version.unwrap_or_default();
    say(&format!(
        "peers: installing {} into {} ({}) with pip",
        requirements.join(" "),
        venv.display(),
        version.trim()
    ));
    let started = Instant::now();
    // Bounded retries and timeout: a dead network should skip in a minute, not hang.
    let output = Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--no-input",
            "--disable-pip-version-check",
        ])
        .args(["--retries", "2", "--timeout", "30"])
        .args(requirements)
        .output()
        .unwrap_or_else(|e| panic!("cannot run pip: {e}"));
    if output.status.success() {
        say(&format!(
            "peers: pip install took {:.1} s",
            started.elapsed().as_secs_f64()
        ));
        return Ok(());
    }
    let pip_said = String::from_utf8_lossy(&output.stderr).into_owned();
    let index = index_url(python);
    match probe(python, &index) {
        Err(why) => Err(Skip(format!(
            "package index {index} unreachable ({why}); pip said: {}",
            last_line(&pip_said)
        ))),
        Ok(()) => panic!(
            "pip install {} failed while {index} answers:\n{pip_said}",
            requirements.join(" ")
        ),
    }
}

fn stdout_text(output: Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The last non-blank line of `text`: pip and Python put their conclusion there.
fn last_line(text: &str) -> &str {
    text.lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

/// The index pip uses: `PIP_INDEX_URL`, else `index-url` from `pip config list`, else PyPI.
fn index_url(python: &Path) -> String {
    if let Ok(url) = std::env::var("PIP_INDEX_URL") {
        return url;
    }
    let listed = Command::new(python)
        .args(["-m", "pip", "config", "list"])
        .output();
    let listed = listed.map(stdout_text).unwrap_or_default();
    listed
        .lines()
        .filter_map(|line| line.split_once('='))
        .find(|(key, _)| key.ends_with(".index-url"))
        .map(|(_, value)| value.trim().trim_matches('\'').to_string())
        .unwrap_or_else(|| "https://pypi.org/simple/".to_string())
}

/// Whether `url` answers an HTTP request within 20 s (asked through Python's urllib, which
/// honours the same proxy variables as pip).
fn probe(python: &Path, url: &str) -> Result<(), String> {
    let script = "import sys, urllib.request\n\
                  try:\n    urllib.request.urlopen(sys.argv[1], timeout=20)\n\
                  except Exception as e:\n    sys.exit(str(e))\n";
    let output = Command::new(python)
        .args(["-c", script, url])
        .output()
        .map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(())
    } else {
        Err(last_line(&String::from_utf8_lossy(&output.stderr)).to_string())
    }
}

/// FNV-1a, 64 bit: a stable name for a requirement set (std's hasher may change).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ byte as u64).wrapping_mul(0x100_0000_01b3)
    })
}

/// A lock file held for the life of the value; created atomically, removed on drop.
struct LockFile(PathBuf);

impl LockFile {
    fn acquire(path: PathBuf) -> LockFile {
        let deadline = Instant::now() + STALE_LOCK + Duration::from_secs(60);
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return LockFile(path),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => panic!("cannot create lock file {}: {e}", path.display()),
            }
            if is_stale(&path) {
                say(&format!("peers: removing stale lock {}", path.display()));
                let _ = fs::remove_file(&path);
                continue;
            }
            assert!(
                Instant::now() < deadline,
                "gave up waiting for {}",
                path.display()
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

fn is_stale(path: &Path) -> bool {
    let modified = fs::metadata(path).and_then(|m| m.modified());
    let age = modified
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok());
    age.is_some_and(|age| age > STALE_LOCK)
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}
