//! Tests of the summaries and two-sample tests against values worked by hand or from tables.

use super::*;

#[test]
fn t_quantiles_match_tables() {
    // Two-sided 95% critical values from standard tables.
    for (df, expected) in [
        (1, 12.706),
        (2, 4.303),
        (9, 2.262),
        (19, 2.093),
        (30, 2.042),
        (1000, 1.962),
    ] {
        assert!(
            (t_quantile_975(df) - expected).abs() < 1e-3,
            "df {df}: {}",
            t_quantile_975(df)
        );
    }
}

#[test]
fn describe_small_samples() {
    let one = describe(&[2.5]);
    assert_eq!((one.n, one.mean, one.sd, one.ci), (1, 2.5, None, None));
    let d = describe(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(d.mean, 2.5);
    let sd = (5.0f64 / 3.0).sqrt();
    assert!((d.sd.unwrap() - sd).abs() < 1e-12);
    let half = 3.182446305284263 * sd / 2.0; // t(0.975, 3)
    let (low, high) = d.ci.unwrap();
    assert!((low - (2.5 - half)).abs() < 1e-9 && (high - (2.5 + half)).abs() < 1e-9);
}

#[test]
fn summary_groups_cells_across_replicates() {
    let row = |step, metric, group: &str, value| Row {
        step,
        metric,
        group: group.into(),
        value,
    };
    let first = vec![
        row(0, 1, "all", 1.0),
        row(0, 1, "teacher", 2.0),
        row(0, 0, "all", 0.5),
    ];
    let second = vec![row(0, 1, "all", 3.0), row(0, 0, "all", 0.7)];
    let summary = Summary::from_replicates([first.as_slice(), second.as_slice()]);
    let keys: Vec<(u16, &str, usize)> = summary
        .rows
        .iter()
        .map(|r| (r.metric, r.group.as_str(), r.stats.n))
        .collect();
    assert_eq!(keys, vec![(0, "all", 2), (1, "all", 2), (1, "teacher", 1)]);
    assert_eq!(summary.rows[1].stats.mean, 2.0);
}

#[test]
fn t_quantiles_match_published_values() {
    // Reference values: the t quantile function of a standard statistics library (the
    // first three are also in every t table to 4 decimals: 12.7062, 2.2281, 2.0423).
    for (p, freedom, expected) in [
        (0.975, 1.0, 12.706_204_736_174_694),
        (0.975, 10.0, 2.228_138_851_986_274),
        (0.975, 30.0, 2.042_272_456_301_238),
        (0.975, 7.941_176_470_588_235, 2.308_980_787_887_76),
        (0.025, 4.5, -2.658_912_347_204_404),
        (0.9, 2.5, 1.730_250_928_807_177),
        (0.5, 3.3, 0.0),
    ] {
        let got = t_quantile(p, freedom);
        assert!(
            (got - expected).abs() < 1e-10,
            "t({p}, {freedom}) = {got}, want {expected}"
        );
    }
    // Infinite freedom is the normal distribution; nonsense gives NaN, not a panic.
    assert!((t_quantile(0.975, f64::INFINITY) - 1.959_963_984_540_054).abs() < 1e-9);
    assert!(t_quantile(1.5, 3.0).is_nan() && t_quantile(0.5, 0.0).is_nan());
    assert!(t_quantile(0.5, f64::NAN).is_nan());
    assert_eq!(t_quantile(1.0, 3.0), f64::INFINITY);
}

#[test]
fn welch_test_worked_by_hand() {
    // a = 2, 4, 6, 8:        mean 5,  var = (9 + 1 + 1 + 9) / 3 = 20/3
    // b = 5, 7, ..., 15:     mean 10, var = (25 + 9 + 1 + 1 + 9 + 25) / 5 = 14
    // squared standard errors: (20/3)/4 = 5/3 and 14/6 = 7/3; their sum 4, so se = 2
    // t = (10 − 5) / 2 = 2.5
    // df = 4² / ((5/3)²/3 + (7/3)²/5) = 16 / (25/27 + 49/45) = 16 / (272/135) = 2160/272
    //    = 7.9411764706
    // p = 2 P(T_7.94 > 2.5) = 0.0371497 (between the table's 0.05 at t = 2.306 and 0.02 at
    // t = 2.896 for 8 df; the value is the library's t distribution at fractional df)
    // 95% CI = 5 ± t(0.975, 7.94) × 2 = 5 ± 2.3089808 × 2 = (0.3820384, 9.6179616)
    let a = [2.0, 4.0, 6.0, 8.0];
    let b = [5.0, 7.0, 9.0, 11.0, 13.0, 15.0];
    let test = welch_test(&a, &b).unwrap();
    assert!((test.difference - 5.0).abs() < 1e-12);
    assert!((test.t - 2.5).abs() < 1e-12);
    assert!((test.freedom - 2160.0 / 272.0).abs() < 1e-12);
    assert!(
        (test.p_value - 0.037_149_656_991_251).abs() < 1e-8,
        "{}",
        test.p_value
    );
    assert!(
        (test.ci.0 - 0.382_038_424_224_481).abs() < 1e-8,
        "{:?}",
        test.ci
    );
    assert!(
        (test.ci.1 - 9.617_961_575_775_519).abs() < 1e-8,
        "{:?}",
        test.ci
    );
    // Swapping the samples flips the sign and keeps the p-value.
    let swapped = welch_test(&b, &a).unwrap();
    assert!((swapped.t + 2.5).abs() < 1e-12 && (swapped.p_value - test.p_value).abs() < 1e-15);
}

#[test]
fn welch_test_edge_cases() {
    assert_eq!(welch_test(&[1.0], &[2.0, 3.0]), None);
    // Both constant: undefined, the caller reports the plain difference.
    assert_eq!(welch_test(&[1.0, 1.0], &[2.0, 2.0, 2.0]), None);
    // One constant: df is the other's n − 1 (here 2), t = (3 − 1) / sqrt(1/3) = 2 sqrt(3).
    let one = welch_test(&[1.0, 1.0], &[2.0, 3.0, 4.0]).unwrap();
    assert!((one.freedom - 2.0).abs() < 1e-12);
    assert!((one.t - 2.0 * 3f64.sqrt()).abs() < 1e-12);
    // Identical samples: t = 0, p = 1.
    let same = welch_test(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]).unwrap();
    assert_eq!(same.t, 0.0);
    assert!((same.p_value - 1.0).abs() < 1e-12);
}

#[test]
fn cohens_d_worked_by_hand() {
    // Same samples as the Welch test: pooled variance (3 × 20/3 + 5 × 14) / (4 + 6 − 2)
    // = 90 / 8 = 11.25, d = 5 / sqrt(11.25) = 1.4907120.
    let d = cohens_d(&[2.0, 4.0, 6.0, 8.0], &[5.0, 7.0, 9.0, 11.0, 13.0, 15.0]).unwrap();
    assert!((d - 5.0 / 11.25f64.sqrt()).abs() < 1e-12);
    assert!((d - 1.490_712).abs() < 1e-6);
    assert_eq!(cohens_d(&[1.0, 1.0], &[1.0, 1.0]), None);
    assert_eq!(cohens_d(&[1.0], &[1.0, 2.0]), None);
}

#[test]
fn mann_whitney_exact_counted_by_hand() {
    // Sorted together: 1.1a 2.3a 3.0b 4.0a 5.5b 6.1b 7.2b. Ranks of a: 1, 2, 4, sum 7,
    // U_a = 7 − 3·4/2 = 1; U_b = 3·4 − 1 = 11.
    // Of the C(7, 3) = 35 equally likely places for a's three values, U_a = 0 only for
    // ranks {1,2,3} and U_a = 1 only for {1,2,4}: P(U ≤ 1) = 2/35 = P(U ≥ 11) by symmetry;
    // two-sided p = 2 × 2/35 = 4/35 = 0.1142857.
    let test = mann_whitney(&[1.1, 2.3, 4.0], &[3.0, 5.5, 6.1, 7.2]).unwrap();
    assert_eq!(test.u, 1.0);
    assert!(test.exact);
    assert!((test.p_value - 4.0 / 35.0).abs() < 1e-15);
    // The reverse order reports U of its own first sample and the same p.
    let reverse = mann_whitney(&[3.0, 5.5, 6.1, 7.2], &[1.1, 2.3, 4.0]).unwrap();
    assert_eq!(reverse.u, 11.0);
    assert!((reverse.p_value - 4.0 / 35.0).abs() < 1e-15);
}

#[test]
fn mann_whitney_exact_for_eight_against_twelve() {
    // Reference: scipy.stats.mannwhitneyu(a, b) (method "auto" picks "exact": 8 ≤ 8, no
    // ties) gives statistic 33.0, pvalue 0.2702706993728666.
    let a = [0.3, 1.7, 2.2, 4.1, 4.9, 6.0, 7.5, 8.8];
    let b = [1.0, 2.0, 3.0, 3.5, 5.2, 5.9, 6.6, 7.0, 9.1, 9.9, 10.4, 11.2];
    let test = mann_whitney(&a, &b).unwrap();
    assert_eq!((test.u, test.exact), (33.0, true));
    assert!(
        (test.p_value - 0.270_270_699_372_866_6).abs() < 1e-12,
        "{}",
        test.p_value
    );
}

#[test]
fn mann_whitney_normal_approximation_with_ties_worked_by_hand() {
    // a = 1 2 2 3 3 3 4 5 5 6, b = 3 4 4 5 6 6 7 7 8 9 (ties: normal approximation).
    // Midranks: 1→1, 2→2.5 (×2), 3→5.5 (×4), 4→9 (×3), 5→12 (×3), 6→15 (×3), 7→17.5 (×2),
    // 8→19, 9→20. Rank sum of a = 1 + 2·2.5 + 3·5.5 + 9 + 2·12 + 15 = 70.5,
    // U_a = 70.5 − 10·11/2 = 15.5, U_b = 100 − 15.5 = 84.5.
    // Tie groups t = 2, 4, 3, 3, 3, 2: Σ(t³ − t) = 6 + 60 + 24 + 24 + 24 + 6 = 144.
    // var U = 10·10/12 × (21 − 144/(20·19)) = 8.3333 × 20.6210526 = 171.842105, sd 13.108856
    // z = (84.5 − 50 − 0.5) / 13.108856 = 2.5936676; p = 2 (1 − Φ(z)) = 0.0094958561
    let a = [1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, 5.0, 6.0];
    let b = [3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0, 7.0, 8.0, 9.0];
    let test = mann_whitney(&a, &b).unwrap();
    assert_eq!((test.u, test.exact), (15.5, false));
    assert!(
        (test.p_value - 0.009_495_856_104_837).abs() < 1e-9,
        "{}",
        test.p_value
    );
}

#[test]
fn mann_whitney_chooses_like_scipy() {
    // Nine against nine without ties: both > 8, so the normal approximation. Reference:
    // scipy gives statistic 10.0, pvalue 0.008071487425268009.
    let a: Vec<f64> = (1..=9).map(f64::from).collect();
    let b: Vec<f64> = a.iter().map(|x| x + 4.5).collect();
    let test = mann_whitney(&a, &b).unwrap();
    assert_eq!((test.u, test.exact), (10.0, false));
    assert!((test.p_value - 0.008_071_487_425_268).abs() < 1e-9);
    // One each: exact, U = 0, p = 2 × P(U ≥ 1) = 2 × 1/2 = 1.
    let tiny = mann_whitney(&[1.0], &[2.0]).unwrap();
    assert_eq!((tiny.u, tiny.p_value, tiny.exact), (0.0, 1.0, true));
    // A tie inside one sample is a tie too (scipy: pvalue 0.4795001221869535).
    let tied = mann_whitney(&[1.0, 1.0], &[2.0]).unwrap();
    assert!(!tied.exact && (tied.p_value - 0.479_500_122_186_953_5).abs() < 1e-9);
    assert_eq!(mann_whitney(&[], &[1.0]), None);
    assert_eq!(mann_whitney(&[2.0, 2.0], &[2.0]), None);
    assert_eq!(mann_whitney(&[f64::NAN], &[2.0]), None);
}
