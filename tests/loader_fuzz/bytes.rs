//! Files of random bytes, random edits of a real scenario's bytes, and edge-case files
//! (empty, blank, NUL, one huge line).

use crate::{check_refusal, load_path};
use proptest::prelude::*;
use std::path::Path;

const DEFAULT_PRESET: &[u8] = include_bytes!("../../scenarios/default.toml");

/// Writes `bytes` as `dir/case.toml`, loads it and checks the outcome.
fn load_bytes(dir: &Path, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join("case.toml");
    std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
    match load_path(&path, &[]) {
        Ok(()) => Ok(()),
        Err(err) => check_refusal(&err, &path, bytes),
    }
}

/// One edit of a byte string: overwrite, insert or delete at a position given as a
/// fraction of the length (so it applies to any length).
#[derive(Clone, Debug)]
enum Edit {
    Overwrite(f64, Vec<u8>),
    Insert(f64, Vec<u8>),
    Delete(f64, usize),
    Truncate(f64),
}

fn edit() -> impl Strategy<Value = Edit> {
    let bytes = proptest::collection::vec(any::<u8>(), 1..8);
    prop_oneof![
        (0.0..1.0, bytes.clone()).prop_map(|(at, b)| Edit::Overwrite(at, b)),
        (0.0..1.0, bytes).prop_map(|(at, b)| Edit::Insert(at, b)),
        (0.0..1.0, 1usize..200).prop_map(|(at, n)| Edit::Delete(at, n)),
        (0.0..1.0).prop_map(Edit::Truncate),
    ]
}

fn apply(text: &mut Vec<u8>, edit: &Edit) {
    let at = |fraction: f64, len: usize| ((fraction * len as f64) as usize).min(len);
    match edit {
        Edit::Overwrite(f, bytes) => {
            let start = at(*f, text.len());
            for (offset, b) in bytes.iter().enumerate() {
                if let Some(slot) = text.get_mut(start + offset) {
                    *slot = *b;
                }
            }
        }
        Edit::Insert(f, bytes) => {
            let start = at(*f, text.len());
            text.splice(start..start, bytes.iter().copied());
        }
        Edit::Delete(f, n) => {
            let start = at(*f, text.len());
            let end = (start + n).min(text.len());
            text.drain(start..end);
        }
        Edit::Truncate(f) => text.truncate(at(*f, text.len())),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_refused_or_loaded_never_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        let dir = tempfile::tempdir().unwrap();
        prop_assert_eq!(load_bytes(dir.path(), &bytes), Ok(()));
    }

    #[test]
    fn random_edits_of_the_default_preset_are_refused_or_loaded(
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let mut text = DEFAULT_PRESET.to_vec();
        for e in &edits {
            apply(&mut text, e);
        }
        let dir = tempfile::tempdir().unwrap();
        prop_assert_eq!(load_bytes(dir.path(), &text), Ok(()));
    }
}

#[test]
fn edge_case_files_are_refused_with_their_name() {
    let huge_line = {
        let mut line = b"description = \"".to_vec();
        line.extend(std::iter::repeat_n(b'x', 4 << 20));
        line.extend(b"\"");
        line
    };
    let cases: [(&str, Vec<u8>); 7] = [
        ("empty", Vec::new()),
        ("blank", b" \n\t\n\r\n   ".to_vec()),
        ("nul", vec![0]),
        ("nul_in_value", b"[run]\nsteps = 1\0\n".to_vec()),
        (
            "bom_and_latin1",
            b"\xef\xbb\xbf[run]\nname = \"caf\xe9\"\n".to_vec(),
        ),
        ("huge_line", huge_line),
        ("huge_bare_line", vec![b'a'; 4 << 20]),
    ];
    for (name, bytes) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("case.toml");
        std::fs::write(&path, &bytes).unwrap();
        let err = load_path(&path, &[]).expect_err(name);
        assert_eq!(check_refusal(&err, &path, &bytes), Ok(()), "{name}");
    }
}
