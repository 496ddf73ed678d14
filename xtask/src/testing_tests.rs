//! Tests of how `cargo xtask test` counts and reports: one unit per step, skips named with why,
//! `--strict`, and the closing line.

use super::*;

fn tally(lines: &[(&str, Outcome, Option<u64>)]) -> Tally {
    Tally {
        lines: lines
            .iter()
            .map(|(name, outcome, ms)| Line {
                name: name.to_string(),
                outcome: outcome.clone(),
                took: ms.map(Duration::from_millis),
            })
            .collect(),
    }
}

fn pass() -> Outcome {
    Outcome::Pass(String::new())
}

/// The closing line as a machine would read it: (passed, failed, skipped).
fn parse_closing(line: &str) -> Option<(u32, u32, u32)> {
    let mut n = line.split(", ").map(|part| {
        let (count, word) = part.split_once(' ')?;
        Some((count.parse::<u32>().ok()?, word))
    });
    match (n.next()??, n.next()??, n.next()??, n.next()) {
        ((p, "passed"), (f, "failed"), (s, "skipped"), None) => Some((p, f, s)),
        _ => None,
    }
}

#[test]
fn reads_the_runner_summary_line() {
    assert_eq!(
        parse_summary(r#"E2E-SUMMARY {"passed":4,"failed":1,"total":5}"#),
        Some((4, 1))
    );
    assert_eq!(parse_summary(r#"E2E-SUMMARY {"passed":4}"#), None);
    assert_eq!(parse_summary("ok 4 passed, 1 failed"), None);
    assert_eq!(parse_summary("E2E-SUMMARY {broken"), None);
}

#[test]
fn a_skip_is_named_with_why_and_counted_apart_from_passes() {
    let t = tally(&[
        ("fmt", pass(), Some(1_200)),
        (
            "advisories",
            Outcome::Skip("advisory database unreachable (git could not fetch it)".into()),
            Some(3_000),
        ),
        (
            "npm-audit",
            Outcome::Skip("npm audit endpoint unavailable (ENOTFOUND)".into()),
            Some(900),
        ),
        ("build", pass(), Some(65_000)),
    ]);
    assert_eq!(t.counts(), (2, 0, 2));
    let summary = t.summary(Duration::from_secs(70), false);
    assert_eq!(
        summary,
        [
            "== summary (1m10s)",
            "   ok   fmt             1.2s",
            "   SKIP advisories      3.0s  advisory database unreachable (git could not fetch it)",
            "   SKIP npm-audit       0.9s  npm audit endpoint unavailable (ENOTFOUND)",
            "   ok   build          1m05s",
            "   skipped: advisories, npm-audit (not checked by this run; --strict fails on a skip)",
            "2 passed, 0 failed, 2 skipped",
        ]
    );
    assert_eq!(t.exit_code(false), 0, "a skip alone is not a failure");
    assert_eq!(t.exit_code(true), 1, "--strict fails on any skip");
    let strict = t.summary(Duration::from_secs(70), true);
    assert_eq!(
        strict[strict.len() - 2],
        "   skipped: advisories, npm-audit (--strict: each fails this run)"
    );
    assert_eq!(
        parse_closing(strict.last().unwrap()),
        Some((2, 0, 2)),
        "the last line stays machine-readable"
    );
}

#[test]
fn without_a_skip_there_is_no_skip_list_and_strict_changes_nothing() {
    let t = tally(&[("fmt", pass(), Some(100)), ("test", pass(), Some(100))]);
    let summary = t.summary(Duration::from_secs(1), true);
    assert!(
        !summary.iter().any(|l| l.contains("skipped:")),
        "{summary:?}"
    );
    assert_eq!(summary.last().unwrap(), "2 passed, 0 failed, 0 skipped");
    assert_eq!(t.exit_code(true), 0);
    let failed = tally(&[("fmt", Outcome::Fail("`cargo fmt` exited".into()), Some(10))]);
    assert_eq!(failed.exit_code(false), 1);
    assert_eq!(failed.closing_line(), "0 passed, 1 failed, 0 skipped");
}

#[test]
fn the_e2e_step_is_one_unit_with_its_test_counts_in_the_note() {
    let ok = e2e_outcome(Ok((84, 0)));
    assert_eq!(ok, Outcome::Pass("84 passed, 0 failed".into()));
    let bad = e2e_outcome(Ok((82, 2)));
    assert_eq!(bad, Outcome::Fail("82 passed, 2 failed".into()));
    let t = tally(&[("build", pass(), Some(1_000)), ("e2e", ok, Some(190_000))]);
    assert_eq!(
        t.counts(),
        (2, 0, 0),
        "84 e2e tests are one step, not 84 units"
    );
    assert_eq!(
        t.summary(Duration::ZERO, false)[2],
        "   ok   e2e            3m10s  84 passed, 0 failed"
    );
    let t = tally(&[("e2e", bad, Some(1_000))]);
    assert_eq!((t.counts(), t.exit_code(false)), ((0, 1, 0), 1));
    let broken = e2e_outcome(Err(
        "the e2e runner exited with 1 without a summary line".into()
    ));
    assert!(matches!(broken, Outcome::Fail(e) if e.contains("without a summary")));
}

#[test]
fn steps_that_cannot_run_say_why() {
    assert_eq!(skip_reason("e2e", true, true, None), Some("--skip-e2e"));
    assert_eq!(skip_reason("test-wasm", true, true, None), None);
    for step in ["test-wasm", "e2e"] {
        let why = skip_reason(step, false, false, Some(true)).unwrap();
        assert!(why.contains("no browser"), "{step}: {why}");
    }
    for step in ["budget", "e2e"] {
        let why = skip_reason(step, false, true, Some(false)).unwrap();
        assert!(why.contains("build failed"), "{step}: {why}");
        assert_eq!(skip_reason(step, false, true, Some(true)), None);
        assert_eq!(
            skip_reason(step, false, true, None),
            None,
            "no build step: dist/ as it is"
        );
    }
    for step in ["fmt", "supply", "clippy", "test", "build"] {
        assert_eq!(skip_reason(step, true, false, Some(false)), None, "{step}");
    }
}

#[test]
fn only_selects_without_listing_the_rest_as_skipped() {
    let only = |s: &[&str]| selected(&s.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert_eq!(only(&[]).unwrap(), STEPS);
    assert_eq!(
        only(&["e2e", "build"]).unwrap(),
        ["build", "e2e"],
        "run order, not --only's"
    );
    assert!(only(&["fmt", "lint"]).unwrap_err().contains("\"lint\""));
}

#[test]
fn a_skipped_error_is_a_skip_and_any_other_error_a_failure() {
    assert_eq!(Outcome::of(Ok(())), pass());
    assert_eq!(
        Outcome::of(Err(format!("{SKIPPED}endpoint unavailable"))),
        Outcome::Skip("endpoint unavailable".into())
    );
    assert_eq!(
        Outcome::of(Err("found 2 problems".into())),
        Outcome::Fail("found 2 problems".into())
    );
}

#[test]
fn a_long_failure_shows_its_first_line_and_a_step_decided_up_front_no_time() {
    let t = tally(&[
        (
            "build",
            Outcome::Fail("trunk failed\nsecond line".into()),
            Some(500),
        ),
        ("budget", Outcome::Skip("the app build failed".into()), None),
    ]);
    let s = t.summary(Duration::ZERO, false);
    assert_eq!(s[1], "   FAIL build           0.5s  trunk failed");
    assert_eq!(s[2], "   SKIP budget             -  the app build failed");
    assert_eq!(s.last().unwrap(), "0 passed, 1 failed, 1 skipped");
}

#[test]
fn the_closing_line_parser_refuses_other_lines() {
    assert_eq!(
        parse_closing("3 passed, 1 failed, 0 skipped"),
        Some((3, 1, 0))
    );
    assert_eq!(parse_closing("3 passed, 1 failed"), None);
    assert_eq!(parse_closing("e2e: 3 passed, 1 failed, 0 skipped"), None);
}
