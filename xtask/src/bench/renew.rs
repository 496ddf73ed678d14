//! `cargo xtask bench`, last part (or alone: `cargo xtask bench renew`): "Renew many at once"
//! with 200 secrets. Starts a fresh sandbox with the demo seed, runs
//! `tests/e2e/bench_renew.mjs` (it calls the sandbox's test hook `POST /_sandbox/renewals`, then
//! renews the hook's 200 secrets as Ada Admin in each scenario: clean, 429 and 5xx, lost
//! answers, all at once), writes the section "## Renewing many at once (200 secrets)" of
//! BENCHMARKS.md (other sections left alone) and fails when an invariant failed.

use crate::json::Json;
use crate::perf::replace_section_named;
use crate::services::start_sandbox;
use crate::util::target_dir;
use std::path::Path;

pub const SECTION: &str = "## Renewing many at once (200 secrets)";

/// Runs the browser part and writes the section; the sandbox must be built and dist/ present.
pub fn bench(root: &Path) -> Result<(), String> {
    println!("\n== renewing many at once: sandbox with the demo seed and /_sandbox/renewals");
    let log = target_dir(root).join("xtask/sandbox-renew.log");
    let sandbox = start_sandbox(root, Some(&log))?;
    super::runner::ensure_static(root)?;
    let result = super::runner::run_script(
        root,
        "tests/e2e/bench_renew.mjs",
        "BENCH-RESULT",
        None,
        sandbox,
        &log,
    )?;
    let section = section(&result)?;
    println!("\n{section}");
    super::runner::write_benchmarks(root, |old| replace_section_named(old, SECTION, &section))?;
    let failed = failures(&result);
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "renewing many at once: {} invariant(s) failed: {}",
            failed.len(),
            failed.join("; ")
        ))
    }
}

fn items(v: Option<&Json>) -> &[Json] {
    match v {
        Some(Json::Array(a)) => a,
        _ => &[],
    }
}

/// The value at a dotted path (`"addPassword.sent"`).
fn at<'a>(v: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(v, |v, k| v.get(k))
}

fn number(v: &Json, path: &str) -> Result<f64, String> {
    match at(v, path) {
        Some(Json::Number(n)) => Ok(*n),
        _ => Err(format!("the result has no number {path}")),
    }
}

fn mark(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "**FAIL**"
    }
}

/// (label, path in a scenario, unit: "" count, "s" seconds from ms, "ms").
const ROWS: [(&str, &str, &str); 18] = [
    (
        "Time from \"Renew 200 secrets\" to the report",
        "runMs",
        "s",
    ),
    ("… per secret", "perSecretMs", "ms"),
    (
        "addPassword requests sent by the browser",
        "addPassword.sent",
        "",
    ),
    ("… answered 2xx", "addPassword.ok", ""),
    ("… answer lost (connection cut)", "addPassword.lost", ""),
    (
        "addPassword run by the sandbox (its audit log)",
        "addPassword.run",
        "",
    ),
    ("New credentials kept", "addPassword.kept", ""),
    (
        "removePassword run by the sandbox (orphans removed)",
        "removePassword.run",
        "",
    ),
    (
        "… removePassword requests sent by the browser",
        "removePassword.sent",
        "",
    ),
    ("Vault secret PUTs sent", "vaultPut.sent", ""),
    ("… answered 2xx", "vaultPut.ok", ""),
    ("… answer lost (connection cut)", "vaultPut.lost", ""),
    ("Vault versions written", "vaultPut.written", ""),
    ("Vault secret GETs (where it stands)", "vaultGet", ""),
    ("GET /applications/{id} (where it stands)", "appGet", ""),
    ("Other requests (tokens, lists…)", "other", ""),
    ("All requests to the sandbox during the run", "total", ""),
    (
        "Find: requests (click → candidates ready)",
        "find.requests",
        "",
    ),
];

/// The Markdown section: what was run, a table of figures per scenario, the invariants.
pub fn section(result: &Json) -> Result<String, String> {
    let scenarios = items(result.get("scenarios"));
    if scenarios.is_empty() {
        return Err("bench_renew.mjs gave no scenarios".into());
    }
    let count = result.get("count").and_then(Json::as_u64).unwrap_or(0);
    let name = |s: &Json| {
        s.get("name")
            .and_then(Json::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());

    let mut header = String::from("| | ");
    header.push_str(&scenarios.iter().map(name).collect::<Vec<_>>().join(" | "));
    header.push_str(" |\n|---|");
    header.push_str(&"---:|".repeat(scenarios.len()));
    header.push('\n');

    let mut faults = String::new();
    for s in scenarios {
        let list: Vec<&str> = items(s.get("faults"))
            .iter()
            .filter_map(Json::as_str)
            .collect();
        let text = if list.is_empty() {
            "none".to_owned()
        } else {
            list.join(", ")
        };
        faults.push_str(&format!("- **{}**: {text}\n", name(s)));
    }

    let mut figures = header.clone();
    for (label, path, unit) in ROWS {
        figures.push_str(&format!("| {label} |"));
        for s in scenarios {
            let n = number(s, path)?;
            let cell = match unit {
                "s" => format!("{:.1} s", n / 1000.0),
                "ms" => format!("{n:.0} ms"),
                _ => format!("{n:.0}"),
            };
            figures.push_str(&format!(" {cell} |"));
        }
        figures.push('\n');
    }
    figures.push_str("| Find: time (click → candidates ready) |");
    for s in scenarios {
        figures.push_str(&format!(" {:.1} s |", number(s, "find.ms")? / 1000.0));
    }
    figures.push('\n');
    figures.push_str("| Report on screen: renewed / earlier / skipped / cancelled |");
    for s in scenarios {
        let r = |k: &str| number(s, &format!("report.{k}")).map(|n| format!("{n:.0}"));
        figures.push_str(&format!(
            " {} / {} / {} / {} |",
            r("renewed")?,
            r("earlier")?,
            r("skipped")?,
            r("cancelled")?
        ));
    }
    figures.push('\n');

    let mut checks = header;
    for (i, inv) in items(scenarios[0].get("invariants")).iter().enumerate() {
        let label = inv.get("name").and_then(Json::as_str).unwrap_or("?");
        checks.push_str(&format!("| {label} |"));
        for s in scenarios {
            let this = items(s.get("invariants")).get(i);
            let pass = matches!(this.and_then(|x| x.get("pass")), Some(Json::Bool(true)));
            let detail = this
                .and_then(|x| x.get("detail"))
                .and_then(Json::as_str)
                .unwrap_or("");
            let cell = if pass || detail.is_empty() {
                mark(pass).to_owned()
            } else {
                format!("{} ({})", mark(pass), detail.replace('|', "\\|"))
            };
            checks.push_str(&format!(" {cell} |"));
        }
        checks.push('\n');
    }

    Ok(format!(
        "{SECTION}\n\n\
         `cargo xtask bench` (alone: `cargo xtask bench renew`): a fresh sandbox with the demo seed \
         (a debug build), app release build, headless Chromium on {cores} cores over loopback, \
         signed in as Ada Admin. Each scenario starts from `POST /_sandbox/reset` and the test hook \
         `POST /_sandbox/renewals` `{{\"count\": {count}}}`: {count} apps, each with one secret that \
         ends in 20 days and its vault copy in kv-contoso-dev, tagged as secret-wizard tags it. The \
         Expiry overview's \"Find vault copies to renew\" (window 30 days) offers them; exactly \
         those {count} are ticked and renewed (4 at a time). Requests are counted with \
         `page.on('request')` from the click on \"Renew {count} secrets\" to the finished phase \
         (CORS preflights not included), answers with `page.on('response')`; the time is taken \
         in node around the click and the wait. Faults are armed through `POST /_sandbox/faults` \
         after the find, each on its own secret's path (its app's addPassword, its vault \
         secret's PUT), spread over the run, so no secret meets two; an injected status answers \
         without running the handler, a lost answer (`dropAfterAction`) runs it and closes the \
         connection. (`BENCH_RENEW_SCENARIOS=concentrated` arms the same faults on any path \
         instead: the first requests take them all, and a secret that meets 3 lost addPassword \
         answers is given up by design, \"Try again later\", with nothing left behind.) Then the \
         sandbox's state is checked, secret by secret.\n\n\
         {faults}\n{figures}\n\
         With a lost addPassword answer the sandbox *did* create that secret: the run finds it by \
         its description (an orphan: `Renews {{K}} …`, not the vault's `CredentialId`), removes it \
         and adds again, so the sandbox ran more addPassword than secrets were kept; its audit log \
         (`directoryAudits` in `/_sandbox/state`) counts what it ran, including a request the \
         browser itself resent after the cut, which `page.on('request')` does not see. A lost vault \
         PUT answer was stored: the run reads the secret back, finds its own `CredentialId` and \
         does not write again.\n\n\
         Invariants (the bench fails when one fails):\n\n{checks}"
    ))
}

/// The failed invariants, as "scenario: invariant (detail)".
pub fn failures(result: &Json) -> Vec<String> {
    let mut out = Vec::new();
    let scenarios = items(result.get("scenarios"));
    if scenarios.is_empty() {
        out.push("no scenario ran".to_owned());
    }
    for s in scenarios {
        let name = s.get("name").and_then(Json::as_str).unwrap_or("?");
        let invariants = items(s.get("invariants"));
        if invariants.is_empty() {
            out.push(format!("{name}: no invariants"));
        }
        for inv in invariants {
            if !matches!(inv.get("pass"), Some(Json::Bool(true))) {
                out.push(format!(
                    "{name}: {} ({})",
                    inv.get("name").and_then(Json::as_str).unwrap_or("?"),
                    inv.get("detail").and_then(Json::as_str).unwrap_or("")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn scenario(name: &str, pass: bool) -> String {
        format!(
            r#"{{"name":"{name}","faults":["429 on addPassword ×5"],"runMs":12345,"perSecretMs":61.7,
            "addPassword":{{"sent":209,"ok":200,"lost":2,"run":202,"kept":200}},
            "removePassword":{{"sent":2,"ok":2,"run":2}},
            "vaultPut":{{"sent":209,"ok":200,"lost":2,"written":200}},
            "vaultGet":404,"appGet":402,"other":3,"total":1231,"find":{{"requests":12,"ms":900}},
            "report":{{"renewed":200,"earlier":0,"skipped":0,"cancelled":0}},
            "invariants":[{{"name":"one new credential each","pass":{pass},"detail":"199 new | x"}}]}}"#
        )
    }

    #[test]
    fn the_section_has_a_column_a_scenario_and_marks_failures() {
        let text = format!(
            r#"{{"count":200,"pass":false,"scenarios":[{},{}]}}"#,
            scenario("clean", true),
            scenario("lost answers", false)
        );
        let result = json::parse(&text).unwrap();
        let s = section(&result).unwrap();
        assert!(s.starts_with(SECTION), "{s}");
        assert!(
            s.contains("| | clean | lost answers |\n|---|---:|---:|\n"),
            "{s}"
        );
        assert!(
            s.contains("| addPassword requests sent by the browser | 209 | 209 |"),
            "{s}"
        );
        assert!(s.contains("| addPassword run by the sandbox (its audit log) | 202 | 202 |"));
        assert!(s.contains("| Find: time (click → candidates ready) | 0.9 s | 0.9 s |"));
        assert!(s.contains("| Time from \"Renew 200 secrets\" to the report | 12.3 s | 12.3 s |"));
        assert!(s.contains("| … per secret | 62 ms | 62 ms |"));
        assert!(s.contains(
            "| Report on screen: renewed / earlier / skipped / cancelled | 200 / 0 / 0 / 0 |"
        ));
        assert!(
            s.contains("| one new credential each | PASS | **FAIL** (199 new \\| x) |"),
            "{s}"
        );
        assert!(s.contains("- **clean**: 429 on addPassword ×5"));
        assert_eq!(
            failures(&result),
            ["lost answers: one new credential each (199 new | x)"]
        );
        let ok = json::parse(&format!(
            r#"{{"count":200,"scenarios":[{}]}}"#,
            scenario("clean", true)
        ))
        .unwrap();
        assert!(failures(&ok).is_empty());
        assert!(!failures(&json::parse(r#"{"scenarios":[]}"#).unwrap()).is_empty());
        assert!(section(&json::parse(r#"{"scenarios":[{"name":"x"}]}"#).unwrap()).is_err());
    }
}
