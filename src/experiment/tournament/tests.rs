//! Match scores worked out by hand from the strategy definitions, the ranking rule, noise,
//! and the checks on a tournament's settings.

use super::*;

/// Axelrod's (and gotong's default) prisoner's dilemma: R = 3, S = 0, T = 5, P = 1.
const PD: Payoffs = Payoffs {
    reward: 3.0,
    sucker: 0.0,
    temptation: 5.0,
    punishment: 1.0,
};

fn strategy(name: &str) -> Strategy {
    name.parse().unwrap()
}

/// Totals and cooperations of a noiseless match of `turns` turns.
fn noiseless(a: &str, b: &str, turns: u32) -> ([f64; 2], [u32; 2]) {
    let outcome = play_match(
        [strategy(a), strategy(b)],
        turns,
        &PD,
        0.0,
        &Streams::new(1, 0),
        0,
    );
    (outcome.totals, outcome.cooperations)
}

#[test]
fn match_scores_follow_from_the_definitions() {
    // Each fixture: 10 turns with (R, S, T, P) = (3, 0, 5, 1); moves written row / column.
    let fixtures: [(&str, &str, [f64; 2], [u32; 2]); 12] = [
        // TFT C then D×9 against D×10: 0 + 9·1 = 9; ALLD 5 + 9·1 = 14.
        ("tft", "alld", [9.0, 14.0], [1, 0]),
        // STFT D,C,D,C… and TFT C,D,C,D…: each alternates T and S: 5·5 = 25 each.
        ("stft", "tft", [25.0, 25.0], [5, 5]),
        // Alternator C,D,C,D…; TF2T never sees two D in a row, so always C:
        // TF2T 5·R + 5·S = 15, Alternator 5·R + 5·T = 40.
        ("tf2t", "alternator", [15.0, 40.0], [10, 5]),
        // WSLS C (lose) → D; (D,D) lose → C; so C,D,C,D… against D×10:
        // WSLS 5·S + 5·P = 5; ALLD 5·T + 5·P = 30.
        ("wsls", "alld", [5.0, 30.0], [5, 0]),
        // (C,C), (C,D), then Grudger D for ever against C,D,C,D…: turns 3–10 are 4×(D,C)
        // and 4×(D,D): Grudger 3 + 0 + 20 + 4 = 27; Alternator 3 + 5 + 0 + 4 = 12.
        ("grudger", "alternator", [27.0, 12.0], [2, 5]),
        // TFT C,C,D,C,D…(copies) against C,D,C,D…: turn 1 (C,C), then 5×(C,D) on even
        // turns and 4×(D,C) on odd ones: TFT 3 + 4·5 = 23; Alternator 3 + 5·5 = 28.
        ("tft", "alternator", [23.0, 28.0], [6, 5]),
        // TF2T C,C (one D is forgiven) against STFT D, then C for ever:
        // TF2T 0 + 9·3 = 27, STFT 5 + 9·3 = 32.
        ("tf2t", "stft", [27.0, 32.0], [10, 9]),
        // TF2T C,C,D×8 against D×10: 0 + 0 + 8·1 = 8; ALLD 5 + 5 + 8 = 18.
        ("tf2t", "alld", [8.0, 18.0], [2, 0]),
        // WSLS vs Alternator: (C,C) win-stay; then a cycle of four (C,D) (D,C) (D,D) (C,C)
        // worth 9 to each, twice (turns 2–9), and turn 10 (C,D): WSLS 3 + 18 + 0 = 21,
        // Alternator 3 + 18 + 5 = 26.
        ("wsls", "alternator", [21.0, 26.0], [6, 5]),
        // Two suspicious TFTs defect for ever: 10·P each.
        ("stft", "stft", [10.0, 10.0], [0, 0]),
        ("allc", "alld", [0.0, 50.0], [10, 0]),
        ("wsls", "tft", [30.0, 30.0], [10, 10]),
    ];
    for (a, b, totals, cooperations) in fixtures {
        assert_eq!(noiseless(a, b, 10), (totals, cooperations), "{a} vs {b}");
    }
}

#[test]
fn bare_gtft_takes_axelrods_generosity_for_the_game() {
    assert!((axelrod_generosity(&PD) - 1.0 / 3.0).abs() < 1e-15);
    // (4, 0, 6, 1): min(1 − 2/4, 3/5) = 0.5.
    let other = parse_payoffs("4,0,6,1").unwrap();
    assert_eq!(axelrod_generosity(&other), 0.5);
    let entrants = parse_entrants("gtft,gtft(0.1)", &other).unwrap();
    assert_eq!(entrants[0].strategy, Strategy::Gtft { generosity: 0.5 });
    assert_eq!(entrants[1].strategy, Strategy::Gtft { generosity: 0.1 });
    assert_eq!(entrants[0].name, "gtft");
}

#[test]
fn gtft_forgives_at_its_generosity_and_noise_flips_at_its_rate() {
    let streams = Streams::new(7, 0);
    // GTFT(0.3) against ALLD: after turn 1 it cooperates with chance 0.3 each turn.
    // Binomial(19999, 0.3): sd of the share 0.0032; tolerance 0.02 is > 6 sd.
    let turns = 20_000;
    let gtft = play_match(
        [strategy("gtft(0.3)"), Strategy::Alld],
        turns,
        &PD,
        0.0,
        &streams,
        0,
    );
    let share = (gtft.cooperations[0] - 1) as f64 / (turns - 1) as f64;
    assert!((share - 0.3).abs() < 0.02, "{share}");
    // ALLC against ALLC with noise 0.1: each action is D with chance 0.1, so a player's
    // expected payoff per turn is 0.81·R + 0.09·S + 0.09·T + 0.01·P = 2.89. Its sd per turn
    // is below 1.1, so over 20000 turns the mean's sd is below 0.008; tolerance 0.05.
    let noisy = play_match(
        [Strategy::Allc, Strategy::Allc],
        turns,
        &PD,
        0.1,
        &streams,
        1,
    );
    let per_turn = noisy.totals[0] / turns as f64;
    assert!((per_turn - 2.89).abs() < 0.05, "{per_turn}");
    let flipped = 1.0 - noisy.cooperations[1] as f64 / turns as f64;
    assert!((flipped - 0.1).abs() < 0.013, "{flipped}"); // sd 0.0021
}

#[test]
fn ranking_matches_the_axelrod_documentation_example() {
    // Axelrod library tutorial "Summarising tournaments": Cooperator, Defector, TitForTat
    // and Grudger, 10 turns, 3 repetitions rank Defector 2.6, TFT 2.3, Grudger 2.3,
    // Cooperator 2.0. By hand: ALLD 50 + 14 + 14 = 78 over 30 turns = 2.6; TFT
    // 30 + 9 + 30 = 69 → 2.3; Grudger the same; ALLC 30 + 0 + 30 = 60 → 2.0.
    let spec = TournamentSpec::new("allc,alld,tft,grudger", 10, "3,0,5,1", 0.0, 3, 1).unwrap();
    let result = play_tournament(&spec);
    let ranking = result.ranking();
    let names: Vec<&str> = (ranking.iter())
        .map(|r| spec.entrants[r.entrant].name.as_str())
        .collect();
    assert_eq!(names, ["alld", "tft", "grudger", "allc"]);
    let medians: Vec<f64> = ranking.iter().map(|r| r.median).collect();
    assert_eq!(
        medians,
        [78.0 / 30.0, 69.0 / 30.0, 69.0 / 30.0, 60.0 / 30.0]
    );
    assert_eq!(ranking[0].stats.sd, Some(0.0));
    // Self-play is on the diagonal and not in the score: TFT vs TFT is 30.
    assert_eq!(result.mean_total(2, 2), 30.0);
    assert_eq!(result.mean_total(2, 1), 9.0);
    assert_eq!(result.mean_total(1, 2), 14.0);
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let spec = TournamentSpec::new("tft,random,gtft,wsls,alld", 50, "3,0,5,1", 0.05, 4, 9).unwrap();
    let on = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| play_tournament(&spec))
    };
    let one = on(1);
    assert_eq!(one, on(3));
    let other_seed = TournamentSpec { seed: 10, ..spec };
    assert_ne!(one.totals, play_tournament(&other_seed).totals);
}

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
}

#[test]
fn bad_settings_say_what_is_valid() {
    let spec = |strategies: &str, payoffs: &str, turns, noise, repetitions| {
        TournamentSpec::new(strategies, turns, payoffs, noise, repetitions, 0).unwrap_err()
    };
    let message = spec("tft,tfx", "3,0,5,1", 10, 0.0, 1).to_string();
    assert!(message.contains("did you mean `tft`"), "{message}");
    assert!(message.contains("alternator"), "{message}");
    let message = spec("tft,conditional", "3,0,5,1", 10, 0.0, 1).to_string();
    assert!(message.contains("trust and norm"), "{message}");
    let message = spec("tft,tft", "3,0,5,1", 10, 0.0, 1).to_string();
    assert!(message.contains("twice"), "{message}");
    let message = spec("tft", "3,0,5,1", 10, 0.0, 1).to_string();
    assert!(message.contains("at least two"), "{message}");
    let message = spec("tft,,alld", "3,0,5,1", 10, 0.0, 1).to_string();
    assert!(message.contains("empty name"), "{message}");
    let message = spec("tft,alld", "3,0,5", 10, 0.0, 1).to_string();
    assert!(message.contains("has 3 values"), "{message}");
    let message = spec("tft,alld", "3,0,five,1", 10, 0.0, 1).to_string();
    assert!(
        message.contains("`five` is not a finite number"),
        "{message}"
    );
    let message = spec("tft,alld", "5,0,3,1", 10, 0.0, 1).to_string();
    assert!(message.contains("T > R > P > S"), "{message}");
    assert_eq!(
        spec("tft,alld", "3,0,5,1", 0, 0.0, 1),
        TournamentError::Turns
    );
    // 3 matches (two pairs of self-play and one between) × 10⁴ repetitions × 10⁹ turns.
    let message = spec("tft,alld", "3,0,5,1", 1_000_000_000, 0.0, 10_000).to_string();
    assert!(
        message.contains("30000 matches") && message.contains("fewer --turns"),
        "{message}"
    );
    assert_eq!(
        spec("tft,alld", "3,0,5,1", 1, 0.0, 0),
        TournamentError::Repetitions
    );
    assert!(matches!(
        spec("tft,alld", "3,0,5,1", 1, 1.5, 1),
        TournamentError::Noise(_)
    ));
    assert!(matches!(
        spec("tft,alld", "3,0,5,1", 1, f64::NAN, 1),
        TournamentError::Noise(_)
    ));
    // 10⁶ repetitions of three would hold 9·10⁶ lines (accepted); of four, 1.6·10⁷.
    assert!(TournamentSpec::new("tft,alld,allc", 1, "3,0,5,1", 0.0, 1_000_000, 0).is_ok());
    let message = spec("tft,alld,allc,wsls", "3,0,5,1", 1, 0.0, 1_000_000).to_string();
    assert!(
        message.contains("16000000 lines") && message.contains("fewer --repetitions"),
        "{message}"
    );
}
