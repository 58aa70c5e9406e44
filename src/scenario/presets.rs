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
    preset!("transparency"),
    preset!("pta"),
    preset!("industry_class"),
    preset!("sister_school"),
    preset!("university_partnership"),
    preset!("community_service"),
    preset!("principal_turnover"),
    preset!("newcomer_onboarding"),
    preset!("funding_cut"),
    preset!("scandal"),
    preset!("pandemic_closure"),
    preset!("governance_professional"),
    preset!("governance_advocacy"),
    preset!("governance_partnership"),
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

/// The text of `preset` for a user to copy anywhere: a preset that extends another names
/// it as `preset:NAME`, so the copy does not pick up an unrelated file that happens to sit
/// next to it, and says where the keys it does not set come from.
pub fn standalone_text(preset: &Preset) -> String {
    let mut out = String::with_capacity(preset.text.len() + 200);
    for line in preset.text.lines() {
        let parent = line
            .strip_prefix("extends = \"")
            .and_then(|rest| rest.split('"').next())
            .and_then(find);
        match parent {
            Some(parent) => {
                out.push_str(&format!(
                    "# Every key not set in this file comes from the `{0}` preset; `gotong init FILE --preset {0}`\n\
                     # writes that one with every key explained.\n\
                     extends = \"{1}{0}\"\n",
                    parent.name,
                    super::source::PRESET_PREFIX
                ));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standalone_copies_extend_presets_by_name() {
        let classroom = find("classroom").unwrap();
        let text = standalone_text(classroom);
        assert!(text.contains("extends = \"preset:default\""), "{text}");
        assert!(!text.contains("extends = \"default.toml\""));
        assert_eq!(standalone_text(default_preset()), default_preset().text);
    }
}
