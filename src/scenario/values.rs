//! Value shapes that scenario files share: distributions, strategy mixes, role-pair maps.
//!
//! Each has a hand-written `Deserialize` so that a wrong value gets a message saying which
//! shapes are valid, instead of serde's "data did not match any variant".

use crate::engine::streams::Draw;
use crate::model::role::{PairTable, RolePair};
use crate::model::strategy::Strategy;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A distribution of an attribute over the agents of a role.
#[derive(Clone, Debug, PartialEq)]
pub enum Distribution {
    /// Every agent gets this value.
    Fixed(f64),
    /// Normal with this mean and standard deviation, clamped to the attribute's range.
    Normal { mean: f64, sd: f64 },
    /// Uniform on [min, max].
    Uniform { min: f64, max: f64 },
}

impl Distribution {
    /// A draw, clamped to [lower, upper].
    pub fn sample(&self, rng: &mut impl Draw, lower: f64, upper: f64) -> f64 {
        let value = match *self {
            Distribution::Fixed(value) => value,
            Distribution::Normal { mean, sd } => mean + sd * rng.standard_normal(),
            Distribution::Uniform { min, max } => min + (max - min) * rng.uniform(),
        };
        value.clamp(lower, upper)
    }

    /// Checks the parameters against the attribute's range; the message says what is valid.
    pub fn check(&self, lower: f64, upper: f64) -> Result<(), String> {
        let in_range = |x: f64| x.is_finite() && x >= lower && x <= upper;
        let range = if upper.is_finite() {
            format!("[{lower}, {upper}]")
        } else {
            format!("at least {lower}")
        };
        match *self {
            Distribution::Fixed(value) if !in_range(value) => {
                Err(format!("value {value} is out of range; it must be {range}"))
            }
            Distribution::Normal { mean, sd }
                if !(in_range(mean) && sd.is_finite() && sd >= 0.0) =>
            {
                Err(format!(
                    "mean must be {range} and sd a finite number >= 0 (got mean {mean}, sd {sd})"
                ))
            }
            Distribution::Uniform { min, max } if !in_range(min) || !in_range(max) || min > max => {
                Err(format!(
                    "min and max must be {range} with min <= max (got min {min}, max {max})"
                ))
            }
            _ => Ok(()),
        }
    }
}

impl Serialize for Distribution {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Distribution::Fixed(value) => serializer.serialize_f64(value),
            Distribution::Normal { mean, sd } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("mean", &mean)?;
                map.serialize_entry("sd", &sd)?;
                map.end()
            }
            Distribution::Uniform { min, max } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("min", &min)?;
                map.serialize_entry("max", &max)?;
                map.end()
            }
        }
    }
}

const DISTRIBUTION_SHAPES: &str = "a number, { mean = .., sd = .. } or { min = .., max = .. }";

impl<'de> Deserialize<'de> for Distribution {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DistributionVisitor;
        impl<'de> Visitor<'de> for DistributionVisitor {
            type Value = Distribution;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(DISTRIBUTION_SHAPES)
            }
            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Distribution, E> {
                Ok(Distribution::Fixed(value))
            }
            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Distribution, E> {
                Ok(Distribution::Fixed(value as f64))
            }
            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Distribution, E> {
                Ok(Distribution::Fixed(value as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Distribution, A::Error> {
                let mut fields: Vec<(String, f64)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !["mean", "sd", "min", "max"].contains(&key.as_str()) {
                        return Err(de::Error::unknown_field(
                            &key,
                            &["mean", "sd", "min", "max"],
                        ));
                    }
                    fields.push((key, map.next_value()?));
                }
                let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| *v);
                match (get("mean"), get("sd"), get("min"), get("max")) {
                    (Some(mean), Some(sd), None, None) => Ok(Distribution::Normal { mean, sd }),
                    (None, None, Some(min), Some(max)) => Ok(Distribution::Uniform { min, max }),
                    _ => Err(de::Error::custom(format!(
                        "a distribution is {DISTRIBUTION_SHAPES}; the keys given were {}",
                        fields
                            .iter()
                            .map(|(k, _)| k.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                }
            }
        }
        deserializer.deserialize_any(DistributionVisitor)
    }
}

/// Which strategies the agents of a role start with: one name, or shares of several.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategyMix(pub Vec<(Strategy, f64)>);

impl StrategyMix {
    /// Everybody plays `strategy`.
    pub fn single(strategy: Strategy) -> StrategyMix {
        StrategyMix(vec![(strategy, 1.0)])
    }

    /// A draw from the mix.
    pub fn sample(&self, rng: &mut impl Draw) -> Strategy {
        if self.0.len() == 1 {
            return self.0[0].0;
        }
        let shares: Vec<f64> = self.0.iter().map(|(_, share)| *share).collect();
        let index = rng.weighted_index(&shares).unwrap_or(0);
        self.0[index].0
    }

    /// Shares must be in [0, 1] and add up to 1.
    pub fn check(&self) -> Result<(), String> {
        if self.0.is_empty() {
            return Err("name at least one strategy".into());
        }
        let total: f64 = self.0.iter().map(|(_, share)| share).sum();
        if self.0.iter().any(|(_, share)| !(0.0..=1.0).contains(share))
            || (total - 1.0).abs() > 1e-9
        {
            return Err(format!(
                "strategy shares must each be in [0, 1] and add up to 1 (they add up to {total})"
            ));
        }
        Ok(())
    }
}

impl Default for StrategyMix {
    fn default() -> Self {
        StrategyMix::single(Strategy::Conditional)
    }
}

impl Serialize for StrategyMix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let [(strategy, _)] = self.0.as_slice() {
            return serializer.collect_str(strategy);
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (strategy, share) in &self.0 {
            map.serialize_entry(&strategy.to_string(), share)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for StrategyMix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MixVisitor;
        impl<'de> Visitor<'de> for MixVisitor {
            type Value = StrategyMix;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a strategy name such as \"tft\", or shares such as { tft = 0.5, alld = 0.5 }",
                )
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<StrategyMix, E> {
                text.parse().map(StrategyMix::single).map_err(E::custom)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StrategyMix, A::Error> {
                let mut mix = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let strategy: Strategy = name.parse().map_err(de::Error::custom)?;
                    mix.push((strategy, map.next_value()?));
                }
                Ok(StrategyMix(mix))
            }
        }
        deserializer.deserialize_any(MixVisitor)
    }
}

/// Values by role pair (`"teacher~parent" = 0.1`), with an optional `default` for pairs
/// not listed.
#[derive(Clone, Debug, PartialEq)]
pub struct PairMap<T> {
    /// Value for pairs not listed.
    pub default: Option<T>,
    /// Listed pairs, in file order.
    pub pairs: Vec<(RolePair, T)>,
}

impl<T> Default for PairMap<T> {
    fn default() -> Self {
        PairMap {
            default: None,
            pairs: Vec::new(),
        }
    }
}

impl<T: Clone> PairMap<T> {
    /// A map with only a default.
    pub fn with_default(value: T) -> PairMap<T> {
        PairMap {
            default: Some(value),
            pairs: Vec::new(),
        }
    }

    /// A full role × role table: listed pairs, else `default`, else `fallback`.
    pub fn to_table(&self, fallback: T) -> PairTable<T> {
        let mut table = PairTable::filled(self.default.clone().unwrap_or(fallback));
        for (pair, value) in &self.pairs {
            table.set(*pair, value.clone());
        }
        table
    }

    /// Every value with the key it is written under (`default` or `a~b`).
    pub fn entries(&self) -> impl Iterator<Item = (String, &T)> {
        self.default
            .iter()
            .map(|v| ("default".to_string(), v))
            .chain(self.pairs.iter().map(|(pair, v)| (pair.to_string(), v)))
    }
}

impl<T: Serialize> Serialize for PairMap<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.pairs.len() + 1))?;
        if let Some(default) = &self.default {
            map.serialize_entry("default", default)?;
        }
        for (pair, value) in &self.pairs {
            map.serialize_entry(&pair.to_string(), value)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for PairMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PairMapVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for PairMapVisitor<T> {
            type Value = PairMap<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a table of role pairs such as { \"teacher~parent\" = .., default = .. }",
                )
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PairMap<T>, A::Error> {
                let mut out = PairMap::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "default" {
                        out.default = Some(map.next_value()?);
                        continue;
                    }
                    let pair: RolePair = key.parse().map_err(de::Error::custom)?;
                    if out.pairs.iter().any(|(p, _)| *p == pair) {
                        return Err(de::Error::custom(format!(
                            "role pair `{pair}` is given twice (as `{key}` and in the other order)"
                        )));
                    }
                    out.pairs.push((pair, map.next_value()?));
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(PairMapVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::streams::{Purpose, Streams};
    use crate::model::role::Role;

    #[derive(Debug, Deserialize)]
    struct Holder {
        value: Distribution,
        mix: StrategyMix,
        pairs: PairMap<f64>,
    }

    #[test]
    fn shapes_parse_and_round_trip() {
        let text = "value = { mean = 0.6, sd = 0.1 }\nmix = { tft = 0.25, alld = 0.75 }\npairs = { default = 0.1, \"parent~teacher\" = 0.5 }\n";
        let holder: Holder = toml::from_str(text).unwrap();
        assert_eq!(holder.value, Distribution::Normal { mean: 0.6, sd: 0.1 });
        assert_eq!(holder.mix.0.len(), 2);
        assert!(holder.mix.check().is_ok());
        let table = holder.pairs.to_table(0.0);
        assert_eq!(*table.get(Role::Teacher, Role::Parent), 0.5);
        assert_eq!(*table.get(Role::Firm, Role::Parent), 0.1);
        let json = serde_json::to_string(&holder.pairs).unwrap();
        assert_eq!(json, r#"{"default":0.1,"teacher~parent":0.5}"#);
    }

    #[test]
    fn bad_shapes_say_what_is_valid() {
        let err = toml::from_str::<Holder>("value = { mean = 1 }\nmix = \"tft\"\npairs = {}\n")
            .unwrap_err();
        assert!(err.message().contains("{ min = .., max = .. }"), "{err}");
        let err = toml::from_str::<Holder>("value = 1\nmix = \"tt\"\npairs = {}\n").unwrap_err();
        assert!(err.message().contains("did you mean `tft`"), "{err}");
        let err = toml::from_str::<Holder>("value = 1\nmix = \"tft\"\npairs = { \"a~b\" = 1 }\n")
            .unwrap_err();
        assert!(err.message().contains("unknown role `a`"), "{err}");
        let dup = "value = 1\nmix = \"tft\"\npairs = { \"a~a\" = 1 }\n"
            .replace("a~a", "teacher~parent\" = 1, \"parent~teacher");
        let err = toml::from_str::<Holder>(&dup).unwrap_err();
        assert!(err.message().contains("given twice"), "{err}");
        assert!(StrategyMix(vec![(Strategy::Tft, 0.5)]).check().is_err());
        assert!(
            Distribution::Normal { mean: 2.0, sd: 0.1 }
                .check(0.0, 1.0)
                .is_err()
        );
        assert!(
            Distribution::Uniform { min: 0.5, max: 0.2 }
                .check(0.0, 1.0)
                .is_err()
        );
        assert!(Distribution::Fixed(f64::NAN).check(0.0, 1.0).is_err());
    }

    #[test]
    fn samples_stay_in_range() {
        let mut rng = Streams::new(3, 0).rng(Purpose::Attributes, 0, 0);
        let dist = Distribution::Normal { mean: 0.9, sd: 0.5 };
        for _ in 0..1000 {
            let x = dist.sample(&mut rng, 0.0, 1.0);
            assert!((0.0..=1.0).contains(&x));
        }
        let mix = StrategyMix(vec![(Strategy::Tft, 0.0), (Strategy::Alld, 1.0)]);
        assert_eq!(mix.sample(&mut rng), Strategy::Alld);
    }
}
