//! Roles of a school community and the kinds of ties between them.
//!
//! Owns: the closed list of [`Role`]s, unordered role pairs ([`RolePair`], written
//! `teacher~parent`), and the rule that derives a tie's [`TieKind`] from its role pair
//! (DESIGN §1: educative, cultural, institutional networking, plus ties inside the school).
//! Must never: hold per-agent state or read scenario files; it is pure vocabulary.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A stakeholder of the school (DESIGN §3). The order is the canonical order used in
/// outputs (tables, legends, role-pair names).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Role {
    Principal,
    Teacher,
    Staff,
    Student,
    Parent,
    Alumnus,
    Firm,
    Government,
    University,
    OtherSchool,
    Ngo,
    Community,
}

/// Number of roles; role-indexed tables have this length.
pub const ROLE_COUNT: usize = 12;

impl Role {
    /// Every role in canonical order.
    pub const ALL: [Role; ROLE_COUNT] = [
        Role::Principal,
        Role::Teacher,
        Role::Staff,
        Role::Student,
        Role::Parent,
        Role::Alumnus,
        Role::Firm,
        Role::Government,
        Role::University,
        Role::OtherSchool,
        Role::Ngo,
        Role::Community,
    ];

    /// Position in [`Role::ALL`], for role-indexed tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The role at `index` of [`Role::ALL`].
    pub fn from_index(index: usize) -> Role {
        Role::ALL[index]
    }

    /// The name used in scenario files and outputs (`other_school`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Principal => "principal",
            Role::Teacher => "teacher",
            Role::Staff => "staff",
            Role::Student => "student",
            Role::Parent => "parent",
            Role::Alumnus => "alumnus",
            Role::Firm => "firm",
            Role::Government => "government",
            Role::University => "university",
            Role::OtherSchool => "other_school",
            Role::Ngo => "ngo",
            Role::Community => "community",
        }
    }

    /// Every role name, for error messages that list what is valid.
    pub fn names() -> Vec<&'static str> {
        Role::ALL.iter().map(|r| r.name()).collect()
    }

    /// Members of the school itself: their ties to each other are `internal`.
    pub fn is_inside_school(self) -> bool {
        matches!(
            self,
            Role::Principal | Role::Teacher | Role::Staff | Role::Student
        )
    }

    /// Organisations the school networks with institutionally (DESIGN §1).
    pub fn is_institution(self) -> bool {
        matches!(
            self,
            Role::Firm | Role::Government | Role::University | Role::OtherSchool
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(text: &str) -> Result<Role, String> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.name() == text)
            .ok_or_else(|| format!("unknown role `{text}`"))
    }
}

/// The kind of networking a tie represents, derived from its role pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum TieKind {
    /// School staff or students with parents (teacher–parent is the paper's example).
    Educative,
    /// The school with the wider community: alumni, NGOs, community members.
    Cultural,
    /// The school with firms, government, universities and other schools.
    Institutional,
    /// Between members of the school (principal, teachers, staff, students).
    Internal,
}

/// Number of tie kinds.
pub const TIE_KIND_COUNT: usize = 4;

impl TieKind {
    /// Every kind in canonical order.
    pub const ALL: [TieKind; TIE_KIND_COUNT] = [
        TieKind::Educative,
        TieKind::Cultural,
        TieKind::Institutional,
        TieKind::Internal,
    ];

    /// Position in [`TieKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            TieKind::Educative => "educative",
            TieKind::Cultural => "cultural",
            TieKind::Institutional => "institutional",
            TieKind::Internal => "internal",
        }
    }

    /// The kind of a tie between roles `a` and `b` (order does not matter).
    ///
    /// Both inside the school: internal. One inside: the outside role decides
    /// (parent: educative; firm, government, university, other school: institutional;
    /// alumnus, NGO, community: cultural). Both outside: institutional if either is an
    /// institution, otherwise cultural.
    pub fn between(a: Role, b: Role) -> TieKind {
        match (a.is_inside_school(), b.is_inside_school()) {
            (true, true) => TieKind::Internal,
            (true, false) => TieKind::of_outside(b),
            (false, true) => TieKind::of_outside(a),
            (false, false) if a.is_institution() || b.is_institution() => TieKind::Institutional,
            (false, false) => TieKind::Cultural,
        }
    }

    /// Whether a tie between roles `a` and `b` joins a member of the school (principal,
    /// teacher, staff, student) with an outsider.
    pub fn crosses_school_boundary(a: Role, b: Role) -> bool {
        a.is_inside_school() != b.is_inside_school()
    }

    fn of_outside(role: Role) -> TieKind {
        if role == Role::Parent {
            TieKind::Educative
        } else if role.is_institution() {
            TieKind::Institutional
        } else {
            TieKind::Cultural
        }
    }
}

impl fmt::Display for TieKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unordered pair of roles, stored in canonical order (`low <= high`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RolePair {
    low: Role,
    high: Role,
}

impl RolePair {
    /// The pair {a, b}; `RolePair::new(a, b) == RolePair::new(b, a)`.
    pub fn new(a: Role, b: Role) -> RolePair {
        if a <= b {
            RolePair { low: a, high: b }
        } else {
            RolePair { low: b, high: a }
        }
    }

    /// The roles in canonical order.
    pub fn roles(self) -> (Role, Role) {
        (self.low, self.high)
    }

    /// Index into a symmetric role × role table stored as a full matrix.
    pub fn matrix_index(self) -> usize {
        self.low.index() * ROLE_COUNT + self.high.index()
    }

    /// The kind of tie between these roles.
    pub fn tie_kind(self) -> TieKind {
        TieKind::between(self.low, self.high)
    }

    /// Every unordered pair in canonical order.
    pub fn all() -> impl Iterator<Item = RolePair> {
        Role::ALL.into_iter().flat_map(|a| {
            Role::ALL
                .into_iter()
                .filter(move |b| *b >= a)
                .map(move |b| RolePair::new(a, b))
        })
    }
}

impl fmt::Display for RolePair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}~{}", self.low, self.high)
    }
}

impl FromStr for RolePair {
    type Err = String;
    /// Parses `teacher~parent` (either order). The message names the valid roles.
    fn from_str(text: &str) -> Result<RolePair, String> {
        let Some((a, b)) = text.split_once('~') else {
            return Err(format!(
                "`{text}` is not a role pair; write two roles joined by `~`, e.g. `teacher~parent`"
            ));
        };
        let parse = |name: &str| {
            name.trim().parse::<Role>().map_err(|_| {
                let hint = crate::scenario::suggest(name.trim(), Role::names().iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                format!(
                    "unknown role `{}` in `{text}`{hint}; roles are {}",
                    name.trim(),
                    Role::names().join(", ")
                )
            })
        };
        Ok(RolePair::new(parse(a)?, parse(b)?))
    }
}

/// A symmetric table of values by role pair, stored as a full 12 × 12 matrix so lookups on
/// the hot path are one multiply and one add.
#[derive(Clone, Debug, PartialEq)]
pub struct PairTable<T> {
    cells: Vec<T>,
}

impl<T: Clone> PairTable<T> {
    /// A table holding `value` for every pair.
    pub fn filled(value: T) -> PairTable<T> {
        PairTable {
            cells: vec![value; ROLE_COUNT * ROLE_COUNT],
        }
    }

    /// Sets the value of pair {a, b} (both orientations).
    pub fn set(&mut self, pair: RolePair, value: T) {
        let (a, b) = pair.roles();
        self.cells[a.index() * ROLE_COUNT + b.index()] = value.clone();
        self.cells[b.index() * ROLE_COUNT + a.index()] = value;
    }
}

impl<T> PairTable<T> {
    /// The value for roles `a` and `b`, in either order.
    #[inline]
    pub fn get(&self, a: Role, b: Role) -> &T {
        &self.cells[a.index() * ROLE_COUNT + b.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_kinds_follow_the_paper() {
        assert_eq!(
            TieKind::between(Role::Teacher, Role::Parent),
            TieKind::Educative
        );
        assert_eq!(
            TieKind::between(Role::Parent, Role::Teacher),
            TieKind::Educative
        );
        assert_eq!(
            TieKind::between(Role::Principal, Role::Firm),
            TieKind::Institutional
        );
        assert_eq!(
            TieKind::between(Role::Community, Role::Teacher),
            TieKind::Cultural
        );
        assert_eq!(
            TieKind::between(Role::Teacher, Role::Student),
            TieKind::Internal
        );
        assert_eq!(
            TieKind::between(Role::Parent, Role::Parent),
            TieKind::Cultural
        );
        assert_eq!(
            TieKind::between(Role::Parent, Role::Firm),
            TieKind::Institutional
        );
    }

    #[test]
    fn role_pairs_are_unordered_and_round_trip() {
        let pair: RolePair = "parent~teacher".parse().unwrap();
        assert_eq!(pair, RolePair::new(Role::Teacher, Role::Parent));
        assert_eq!(pair.to_string(), "teacher~parent");
        assert_eq!(RolePair::all().count(), ROLE_COUNT * (ROLE_COUNT + 1) / 2);
        for pair in RolePair::all() {
            assert_eq!(pair.to_string().parse::<RolePair>().unwrap(), pair);
        }
    }

    #[test]
    fn bad_role_pairs_say_what_is_valid() {
        let err = "techer~parent".parse::<RolePair>().unwrap_err();
        assert!(err.contains("did you mean `teacher`"), "{err}");
        let err = "teacher".parse::<RolePair>().unwrap_err();
        assert!(err.contains("joined by `~`"), "{err}");
    }

    #[test]
    fn pair_tables_are_symmetric() {
        let mut table = PairTable::filled(0.0);
        table.set(RolePair::new(Role::Parent, Role::Teacher), 0.5);
        assert_eq!(*table.get(Role::Teacher, Role::Parent), 0.5);
        assert_eq!(*table.get(Role::Parent, Role::Teacher), 0.5);
        assert_eq!(*table.get(Role::Parent, Role::Parent), 0.0);
    }
}
