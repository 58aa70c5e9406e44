use super::*;
use crate::observe::frames::FrameTie;

fn tie(a: u32, b: u32) -> FrameTie {
    FrameTie { a, b, trust: 0.5 }
}

/// A ring of `size` teachers; agent `size` (a student) arrives in the second frame tied to
/// agent 0, agent `size + 1` arrives untied, and agent 1 has left.
fn two_frames(size: u32) -> Vec<NetworkFrame> {
    let ring: Vec<FrameTie> = (0..size).map(|i| tie(i, (i + 1) % size)).collect();
    let first = NetworkFrame {
        step: 0,
        roles: vec![Some(Role::Teacher); size as usize],
        ties: ring.clone(),
    };
    let mut roles = first.roles.clone();
    roles[1] = None;
    roles.extend([Some(Role::Student), Some(Role::Student)]);
    let mut ties: Vec<FrameTie> = ring.into_iter().filter(|t| t.a != 1 && t.b != 1).collect();
    ties.push(tie(0, size));
    let second = NetworkFrame {
        step: 40,
        roles,
        ties,
    };
    vec![first, second]
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

#[test]
fn frames_start_where_the_last_ended_and_newcomers_near_their_tie() {
    let frames = two_frames(12);
    let positions = gentle_positions(&frames, &Streams::new(4, 0));
    let (first, second) = (&positions[0], &positions[1]);
    assert_eq!((first.len(), second.len()), (12, 13));
    // Agent 0 keeps dense id 0; agents 2.. move down one id in the second frame. Nobody
    // moves further than the bound of FRAME_ITERATIONS cooling steps (5.5 edge lengths)...
    let old_ids = (2..12).map(|id| (id, id - 1));
    for (old, new) in std::iter::once((0, 0)).chain(old_ids) {
        assert!(distance(first[old], second[new]) <= 5.5 + 1e-9);
    }
    // ... the tied newcomer (dense 11) stays within two edge lengths of agent 0, and the
    // untied one (dense 12) is left where it was put: on the rim, outside everyone else.
    assert!(distance(second[11], second[0]) < 2.0, "{second:?}");
    let rim = first.iter().map(|&(x, y)| x.hypot(y)).fold(0.0, f64::max);
    assert!((second[12].0.hypot(second[12].1) - (rim + RIM_GAP)).abs() < 1e-9);
    // The same inputs give the same positions.
    assert_eq!(gentle_positions(&frames, &Streams::new(4, 0)), positions);
}

#[test]
fn pictures_count_years_and_colour_roles_present() {
    let frames = two_frames(6);
    let roles = [Role::Teacher, Role::Student];
    let picture = picture(&frames[1], vec![(0.0, 0.0); 7], &roles, 40);
    assert_eq!(picture.counter, "step 40 · year 2");
    let groups: Vec<usize> = picture.nodes.iter().map(|n| n.group).collect();
    assert_eq!(groups, [0, 0, 0, 0, 0, 1, 1]);
    // The ring less agent 1's two ties, plus the newcomer's tie to agent 0 (dense 5).
    assert_eq!(picture.edges.len(), 5);
    assert!(picture.edges.iter().any(|e| (e.a, e.b) == (0, 5)));
}

#[test]
fn large_networks_are_sampled_once_for_all_frames_and_huge_schools_skipped() {
    // Agents in tied pairs (0, 1), (2, 3)...: the first half present from the start, the
    // rest arriving by the second frame.
    let all = MAX_ANIMATION_AGENTS + 100;
    let pairs: Vec<FrameTie> = (0..all as u32 / 2).map(|i| tie(2 * i, 2 * i + 1)).collect();
    let first = NetworkFrame {
        step: 0,
        roles: vec![Some(Role::Parent); all / 2],
        ties: pairs[..all / 4].to_vec(),
    };
    let second = NetworkFrame {
        step: 1,
        roles: vec![Some(Role::Parent); all],
        ties: pairs.clone(),
    };
    let sampled = sample_frames(&[first, second], &Streams::new(1, 0));
    assert_eq!(sampled[1].active_count(), MAX_ANIMATION_AGENTS);
    // An agent left out is left out of both frames, and so are its ties.
    let left_out = (0..all / 2).find(|&id| sampled[1].roles[id].is_none());
    let left_out = left_out.expect("someone of the first half is left out");
    assert!(sampled[0].roles[left_out].is_none());
    let touches = |t: &FrameTie| t.a as usize == left_out || t.b as usize == left_out;
    assert!(!sampled.iter().any(|f| f.ties.iter().any(touches)));
    assert_eq!(animates(MAX_ANIMATED_SCHOOL), Ok(()));
    let agents = MAX_ANIMATED_SCHOOL + 1;
    assert_eq!(animates(agents), Err(AnimationSkipped::TooLarge { agents }));
}
