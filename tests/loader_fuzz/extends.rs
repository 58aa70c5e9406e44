//! `extends` chains in a temporary folder: random graphs of four files, each extending
//! another file, a missing one, a folder or a preset, or holding bad content, checked
//! against the outcome the graph implies (cycles, missing parents and bad parents are
//! refused naming the file at fault and its line); and a chain deeper than the limit.

use crate::load_path;
use gotong::scenario::{ScenarioError, ScenarioErrorKind};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const FILES: usize = 4;

/// What one file `fK.toml` holds besides `pad` comment lines at the top.
#[derive(Clone, Debug)]
enum Role {
    /// `extends = "fJ.toml"`.
    Extends(usize),
    /// `extends = "missing.toml"`, which does not exist.
    Missing,
    /// `extends = "sub"`, a folder.
    Folder,
    /// `extends = "preset:classroom"`: a valid end of the chain.
    Preset,
    /// The preset, then a line that is not TOML.
    Syntax,
    /// The preset, then `[run] replicates = -3`.
    BadValue,
    /// `extends = 3`.
    NotAName,
    /// Bytes that are not UTF-8.
    Binary,
}

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        4 => (0..FILES).prop_map(Role::Extends),
        1 => Just(Role::Missing),
        1 => Just(Role::Folder),
        2 => Just(Role::Preset),
        1 => Just(Role::Syntax),
        1 => Just(Role::BadValue),
        1 => Just(Role::NotAName),
        1 => Just(Role::Binary),
    ]
}

/// The text of a file and the line of its `extends` (or of its bad content).
fn contents(role: &Role, pad: usize) -> (Vec<u8>, usize) {
    let mut text = "# padding\n".repeat(pad);
    let extends_line = pad + 1;
    let (body, line) = match role {
        Role::Extends(j) => (format!("extends = \"f{j}.toml\"\n"), extends_line),
        Role::Missing => ("extends = \"missing.toml\"\n".into(), extends_line),
        Role::Folder => ("extends = \"sub\"\n".into(), extends_line),
        Role::Preset => ("extends = \"preset:classroom\"\n".into(), extends_line),
        Role::Syntax => (
            "extends = \"preset:classroom\"\n[run]\nsteps = = 1\n".into(),
            extends_line + 2,
        ),
        Role::BadValue => (
            "extends = \"preset:classroom\"\n[run]\nreplicates = -3\n".into(),
            extends_line + 2,
        ),
        Role::NotAName => ("extends = 3\n".into(), extends_line),
        Role::Binary => return (vec![0xff, 0xfe, b'\n', 0x80], 0),
    };
    text.push_str(&body);
    (text.into_bytes(), line)
}

/// What loading `f0.toml` must give: `None` if it loads, else the file at fault, its line,
/// its key, the kind and a word of the message.
type Expected = Option<(
    usize,
    Option<usize>,
    Option<&'static str>,
    ScenarioErrorKind,
    &'static str,
)>;

fn expected(roles: &[(Role, usize)]) -> Expected {
    let mut seen = Vec::new();
    let mut current = 0;
    loop {
        seen.push(current);
        let (role, pad) = &roles[current];
        let (_, line) = contents(role, *pad);
        use ScenarioErrorKind as K;
        return match role {
            Role::Extends(j) if seen.contains(j) => {
                Some((current, Some(line), Some("extends"), K::Extends, "cycle"))
            }
            Role::Extends(j) => {
                current = *j;
                continue;
            }
            Role::Missing => Some((current, Some(line), Some("extends"), K::Extends, "neither")),
            Role::Folder => Some((current, Some(line), Some("extends"), K::Extends, "folder")),
            Role::Preset => None,
            Role::Syntax => Some((current, Some(line), None, K::Syntax, "not valid TOML")),
            Role::BadValue => Some((
                current,
                Some(line),
                Some("run.replicates"),
                K::InvalidValue,
                "",
            )),
            Role::NotAName => Some((
                current,
                Some(line),
                Some("extends"),
                K::InvalidValue,
                "name",
            )),
            Role::Binary => Some((current, None, None, K::NotFound, "not UTF-8")),
        };
    }
}

fn write_files(dir: &Path, roles: &[(Role, usize)]) -> PathBuf {
    std::fs::create_dir(dir.join("sub")).unwrap();
    for (k, (role, pad)) in roles.iter().enumerate() {
        std::fs::write(dir.join(format!("f{k}.toml")), contents(role, *pad).0).unwrap();
    }
    dir.join("f0.toml")
}

fn check(err: &ScenarioError, dir: &Path, expected: Expected) -> Result<(), String> {
    let Some((file, line, key, kind, word)) = expected else {
        return Err(format!("expected to load, got: {err}"));
    };
    let origin = dir.join(format!("f{file}.toml")).display().to_string();
    let wanted = (origin.as_str(), line, key, kind);
    let got = (err.origin.as_str(), err.line, err.key.as_deref(), err.kind);
    if wanted != got || !err.message.contains(word) {
        return Err(format!(
            "expected {wanted:?} and {word:?}, got {got:?}: {err}"
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn extends_graphs_load_or_blame_the_file_at_fault(
        roles in proptest::collection::vec((role(), 0usize..3), FILES),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let top = write_files(dir.path(), &roles);
        let wanted = expected(&roles);
        match load_path(&top, &[]) {
            Ok(()) => prop_assert!(wanted.is_none(), "loaded, expected {:?}", wanted),
            Err(err) => prop_assert_eq!(check(&err, dir.path(), wanted), Ok(())),
        }
    }
}

#[test]
fn a_file_that_extends_itself_is_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let top = write_files(dir.path(), &[(Role::Extends(0), 1)]);
    let err = load_path(&top, &[]).unwrap_err();
    assert_eq!(
        check(&err, dir.path(), expected(&[(Role::Extends(0), 1)])),
        Ok(())
    );
}

/// The limit counts presets too: fourteen files, `classroom` and the `default` it extends
/// are sixteen scenarios and load; a chain of twenty files is refused at the `extends` of
/// the sixteenth.
#[test]
fn a_chain_of_more_than_sixteen_scenarios_is_refused_at_the_extends_past_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut roles: Vec<(Role, usize)> = (1..20).map(|j| (Role::Extends(j), 0)).collect();
    roles.push((Role::Preset, 0));
    let top = write_files(dir.path(), &roles);
    let err = load_path(&top, &[]).unwrap_err();
    assert_eq!(err.kind, ScenarioErrorKind::Extends, "{err}");
    assert_eq!(
        err.origin,
        dir.path().join("f15.toml").display().to_string()
    );
    assert_eq!((err.line, err.key.as_deref()), (Some(1), Some("extends")));
    assert!(err.message.contains("longer than 16"), "{err}");
    let short = tempfile::tempdir().unwrap();
    let mut roles: Vec<(Role, usize)> = (1..14).map(|j| (Role::Extends(j), 0)).collect();
    roles.push((Role::Preset, 0));
    assert_eq!(load_path(&write_files(short.path(), &roles), &[]), Ok(()));
}
