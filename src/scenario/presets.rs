//! Scenarios shipped inside the binary, so `gotong run` works with no files around.
//!
//! Each preset is the text of a file in `scenarios/`, embedded with `include_str!`; a test
//! checks that every file there is listed here and that every preset validates.

/// A scenario embedded in the binary.
#[derive(Debug, PartialEq, Eq)]
pub struct Preset {
    /// Name used on the command line (`gotong run default`).
    pub name: &'static str,
    /// File name under `scenarios/`.
    pub file: &'static str,
    /// The file's text.
    pub text: &'static str,
}

macro_rules! preset {
    ($name:literal) => {
        Preset {
            name: $name,
            file: concat!($name, ".toml"),
            text: include_str!(concat!("../../scenarios/", $name, ".toml")),
        }
    };
}

/// Every preset, the default first.
pub static PRESETS: &[Preset] = &[
    preset!("default"),
    preset!("classroom"),
    preset!("large_school"),
];

/// The built-in default school.
pub fn default_preset() -> &'static Preset {
    &PRESETS[0]
}

/// The preset called `name` (a trailing `.toml` is ignored).
pub fn find(name: &str) -> Option<&'static Preset> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    PRESETS.iter().find(|preset| preset.name == name)
}

/// Names of all presets.
pub fn names() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|preset| preset.name)
}
