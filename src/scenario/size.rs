//! The expected size of a scenario's initial network, from the scenario alone.
//!
//! Owns: how many ties each generator is expected to make (the mean over replicates, from
//! its parameters and the head counts), for the limit validation puts on the initial
//! network and for the memory estimate made before a run (`engine::memory`).
//! Must never: build a network or draw a random number.

use super::schema::{Neighbourhood, NetworkKind, Scenario};
use crate::model::role::Role;

impl Scenario {
    /// Expected number of ties the generator makes at the start: exact for the lattice
    /// (torus; a fixed boundary has fewer), Watts–Strogatz, Barabási–Albert (m (n − m), as
    /// networkx), random regular and complete graphs; the mean for the block model and
    /// Erdős–Rényi (density × pairs).
    pub fn expected_generated_ties(&self) -> f64 {
        let network = &self.network;
        let counts = self.role_counts();
        let n = counts.iter().map(|(_, c)| *c as f64).sum::<f64>();
        let pairs = n * (n - 1.0).max(0.0) / 2.0;
        match network.kind {
            NetworkKind::Sbm => {
                let density = network.density.clone().unwrap_or_default().to_table(0.0);
                let mut ties = 0.0;
                for (i, &(a, na)) in counts.iter().enumerate() {
                    for &(b, nb) in &counts[i..] {
                        let (na, nb) = (na as f64, nb as f64);
                        let block_pairs = if a == b {
                            na * (na - 1.0).max(0.0) / 2.0
                        } else {
                            na * nb
                        };
                        ties += block_pairs * density.get(a, b);
                    }
                }
                ties
            }
            NetworkKind::Lattice => {
                let per_agent = match network.neighbourhood {
                    Some(Neighbourhood::VonNeumann) => 2.0,
                    _ => 4.0,
                };
                n * per_agent
            }
            NetworkKind::ErdosRenyi => match (network.p, network.mean_degree) {
                (Some(p), _) => p * pairs,
                (None, degree) => degree.unwrap_or(0.0) * n / 2.0,
            },
            NetworkKind::WattsStrogatz => n * network.k.unwrap_or(0) as f64 / 2.0,
            NetworkKind::BarabasiAlbert => {
                let m = network.m.unwrap_or(0) as f64;
                (m * (n - m)).max(0.0)
            }
            NetworkKind::RandomRegular => n * network.degree.unwrap_or(0) as f64 / 2.0,
            NetworkKind::Complete => pairs,
            NetworkKind::Import => self.imported.as_ref().map_or(0.0, |n| n.ties.len() as f64),
        }
    }

    /// Family ties made at the start: one per student when there are parents (a few may
    /// coincide with a generated tie), but none for a student an imported file ties to a
    /// parent.
    pub fn family_ties(&self) -> f64 {
        let count = |role: Role| {
            self.role_counts()
                .iter()
                .find(|(r, _)| *r == role)
                .map_or(0, |(_, n)| *n)
        };
        let tied_in_file = self.imported.as_ref().map_or(0, |n| n.family.len());
        if count(Role::Parent) == 0 {
            0.0
        } else {
            (count(Role::Student) as usize - tied_in_file) as f64
        }
    }

    /// Expected ties at step 0: generated plus family ties.
    pub fn expected_initial_ties(&self) -> f64 {
        self.expected_generated_ties() + self.family_ties()
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::from_text;

    #[test]
    fn expected_ties_follow_each_generator() {
        let sbm = "[population.teacher]\ncount = 10\n[population.student]\ncount = 100\n\
                   [network.density]\ndefault = 0.0\n\"teacher~teacher\" = 0.5\n\
                   \"teacher~student\" = 0.1\n";
        let scenario = from_text("t", sbm, &[]).unwrap();
        // 45 teacher pairs × 0.5 + 1000 teacher–student pairs × 0.1; no parents, no families
        assert_eq!(scenario.expected_initial_ties(), 22.5 + 100.0);
        let families = format!("{sbm}[population.parent]\ncount = 50\n");
        let scenario = from_text("t", &families, &[]).unwrap();
        assert_eq!(scenario.family_ties(), 100.0);
        let kinds = [
            ("kind = \"erdos_renyi\"\np = 0.1", 0.1 * 100.0 * 99.0 / 2.0),
            ("kind = \"erdos_renyi\"\nmean_degree = 4.0", 200.0),
            ("kind = \"watts_strogatz\"\nk = 4", 200.0),
            ("kind = \"barabasi_albert\"\nm = 3", 3.0 * 97.0),
            ("kind = \"random_regular\"\ndegree = 6", 300.0),
            ("kind = \"complete\"", 4950.0),
        ];
        for (network, ties) in kinds {
            let text = format!("[population.student]\ncount = 100\n[network]\n{network}\n");
            let scenario = from_text("t", &text, &[]).unwrap();
            assert_eq!(scenario.expected_initial_ties(), ties, "{network}");
        }
        let lattice = "[population.student]\nshare = 1.0\n[network]\nkind = \"lattice\"\n\
                       width = 10\nheight = 10\n[lifecycle]\nenabled = false\n";
        let scenario = from_text("t", lattice, &[]).unwrap();
        assert_eq!(scenario.expected_initial_ties(), 400.0); // Moore torus: 8 per cell / 2
    }
}
