//! `cargo xtask bench`, first load and flows: runs `tests/e2e/perf.mjs`, adds the gzip sizes of
//! what the browser fetched, and writes the "## First load and flows" section of BENCHMARKS.md.

use super::{
    asset, assets_table, kb, verdict, Asset, Load, Sizes, APP_WASM, BOOT_WASM, FIRST_LOAD, SECTION,
    SIGNED_IN, SIGN_IN_BUDGET_MS,
};
use crate::json::Json;
use crate::services::start_sandbox;
use crate::util::target_dir;
use std::path::Path;

/// The browser half of `cargo xtask bench` (after the overview): the normal demo seed, the
/// static server already running (bench started it) or started here.
pub fn bench(root: &Path, runs: u32) -> Result<(), String> {
    println!("\n== first load and flows: sandbox with the demo seed");
    let log = target_dir(root).join("xtask/sandbox-perf.log");
    let sandbox = start_sandbox(root, Some(&log))?;
    crate::bench::runner::ensure_static(root)?;
    let result = crate::bench::runner::run_script(
        root,
        "tests/e2e/perf.mjs",
        "PERF-RESULT",
        Some(runs),
        sandbox,
        &log,
    )?;
    let section = section(root, &result)?;
    println!("\n{section}");
    crate::bench::runner::write_benchmarks(root, |old| replace_section(old, &section))
}

fn items(v: Option<&Json>) -> &[Json] {
    match v {
        Some(Json::Array(a)) => a,
        _ => &[],
    }
}

fn num(v: Option<&Json>) -> Option<f64> {
    match v {
        Some(Json::Number(n)) => Some(*n),
        _ => None,
    }
}

/// (median, min, max) of a field over the runs.
pub fn spread(runs: &[Json], key: &str) -> Result<(f64, f64, f64), String> {
    let mut xs: Vec<f64> = runs.iter().filter_map(|r| num(r.get(key))).collect();
    if xs.is_empty() || xs.len() != runs.len() {
        return Err(format!("the runs lack {key}"));
    }
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    let median = if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    };
    Ok((median, xs[0], xs[xs.len() - 1]))
}

fn row(label: &str, (med, min, max): (f64, f64, f64), unit: &str, goal: &str) -> String {
    let f = |x: f64| {
        if unit.is_empty() {
            format!("{x:.0}")
        } else {
            format!("{x:.0} {unit}")
        }
    };
    format!(
        "| {label} | {} | {} – {} | {goal} |\n",
        f(med),
        f(min),
        f(max)
    )
}

/// The section text: the metric table, then the per-asset table.
pub(super) fn section(root: &Path, result: &Json) -> Result<String, String> {
    let loads = items(result.get("loads"));
    let flows = items(result.get("flows"));
    if loads.is_empty() || flows.is_empty() {
        return Err("perf.mjs gave no runs".into());
    }
    // The browser decides what the first load is: take its paths, sizes from the files.
    let mut paths: Vec<String> = Vec::new();
    let mut wire: Vec<(String, u64)> = Vec::new();
    for r in items(loads[0].get("requests")) {
        let path = r
            .get("path")
            .and_then(Json::as_str)
            .unwrap_or("")
            .to_string();
        if !path.is_empty() && !paths.contains(&path) {
            let per_run: Vec<Json> = loads
                .iter()
                .filter_map(|l| {
                    items(l.get("requests"))
                        .iter()
                        .find(|q| q.get("path").and_then(Json::as_str) == Some(&path))
                })
                .map(|q| {
                    Json::Object(vec![(
                        "b".into(),
                        q.get("encoded").cloned().unwrap_or(Json::Null),
                    )])
                })
                .collect();
            let (bytes, ..) = spread(&per_run, "b").unwrap_or((0.0, 0.0, 0.0));
            wire.push((path.clone(), bytes as u64));
            paths.push(path);
        }
    }
    let assets: Vec<Asset> = paths
        .iter()
        .map(|p| asset(root, p))
        .collect::<Result<_, _>>()?;
    let popup = super::signing_in(root, &assets)?;
    let app = super::after_sign_in(root)?;
    let sizes = Sizes::of(&assets, &popup, &app);
    let judged = verdict(&sizes).unwrap_or_else(|e| e);
    let clicks = spread(flows, "clicks")?;
    let typed = spread(flows, "typed")?.0;
    let clicked = items(flows[0].get("clicked"))
        .iter()
        .filter_map(Json::as_str)
        .collect::<Vec<_>>()
        .join(" → ");
    let follow = items(flows[0].get("createAfterWhat"))
        .iter()
        .filter_map(Json::as_str)
        .map(|p| format!("`GET {p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mut table =
        String::from("| metric | median | min – max | budget / goal |\n|---|---:|---:|---|\n");
    let limit = |l: super::Limit| {
        if l.goal < l.ceiling {
            format!("≤ {} (goal ≤ {})", kb(l.ceiling), kb(l.goal))
        } else {
            format!("≤ {}", kb(l.ceiling))
        }
    };
    for (what, size, l) in [
        (
            "First-load transfer, gzip (the first table below, MSAL included)",
            sizes.first_load,
            FIRST_LOAD,
        ),
        (
            "… of which our wasm (the boot module)",
            sizes.boot_wasm,
            BOOT_WASM,
        ),
        (
            "Signed-in total, gzip: the first load, the sign-in window and the full app",
            sizes.signed_in,
            SIGNED_IN,
        ),
        (
            "… of which the full app's wasm (loaded after sign-in)",
            sizes.app_wasm,
            APP_WASM,
        ),
    ] {
        table.push_str(&format!("| {what} | {} | – | {} |\n", kb(size), limit(l)));
    }
    table.push_str(&row(
        "Navigation → Sign-in button enabled (cold cache)",
        spread(loads, "signInMs")?,
        "ms",
        &format!("≤ {SIGN_IN_BUDGET_MS:.0} ms"),
    ));
    table.push_str(&row(
        "Requests from \"Create secret\" to the value on screen",
        spread(flows, "createRequests")?,
        "",
        "1",
    ));
    table.push_str(&row(
        "… sent once it is shown (duplicate check)",
        spread(flows, "createAfter")?,
        "",
        "–",
    ));
    table.push_str(&row(
        "Time from \"Create secret\" to the value on screen",
        spread(flows, "createMs")?,
        "ms",
        "–",
    ));
    table.push_str(&row(
        "Requests from \"Store in Key Vault\" to stored",
        spread(flows, "storeRequests")?,
        "",
        "1",
    ));
    table.push_str(&row(
        "Time from \"Store in Key Vault\" to stored",
        spread(flows, "storeMs")?,
        "ms",
        "–",
    ));
    table.push_str(&row(
        "Clicks from the signed-in landing page to a stored secret",
        clicks,
        "",
        "≤ 6",
    ));
    Ok(format!(
        "{SECTION}\n\n\
         `cargo xtask bench`: app release build, sandbox with the demo seed, headless Chromium on \
         {cores} cores over loopback; median of {} first loads (each in a fresh browser context: \
         empty cache) and {} runs of the flow. Sizes are `gzip -9` of the files the browser \
         fetched on the first load (the xtask server does not compress; its bytes on the wire \
         are shown for comparison); KB = 1,000 bytes. Budget check (`cargo xtask test`, step \
         `budget`): {judged}. The Sign-in time is when a MutationObserver installed before any \
         page script first sees an enabled \"Sign in\" button (`performance.now()`, from \
         navigation start). The flow is Dev Dan storing a new Payroll API secret in \
         kv-contoso-dev, counted from the signed-in landing page: {:.0} clicks ({clicked}) \
         and {typed:.0} typed field (the app search). Requests are the app's fetches to the \
         sandbox (Resource Timing; CORS preflights not counted) with a warm token cache; after \
         the value is on screen the page also reads the app again ({follow}) to spot duplicates, \
         which is not on the way to the value.\n\n{table}\n{}\nThe sign-in window (redirect.html, \
         MSAL's redirect bridge):\n\n{}\nLoaded after sign-in (the full app; the boot module \
         hands over to it):\n\n{}",
        loads.len(),
        flows.len(),
        clicks.0,
        assets_table(Load::First, &assets, &wire),
        assets_table(Load::SigningIn, &popup, &[]),
        assets_table(Load::AfterSignIn, &app, &[])
    ))
}

/// `old` with this section replaced (or appended); other sections are kept as they are.
pub fn replace_section(old: &str, new_section: &str) -> String {
    replace_section_named(old, SECTION, new_section)
}

/// `old` with the section headed `heading` replaced by `new_section` (or appended).
pub fn replace_section_named(old: &str, heading: &str, new_section: &str) -> String {
    let body = if old.trim().is_empty() {
        "# Benchmarks\n\n".to_string()
    } else {
        old.to_string()
    };
    let Some(start) = body.find(heading) else {
        return format!("{}\n\n{}\n", body.trim_end(), new_section.trim_end());
    };
    let after = start + heading.len();
    let end = body[after..]
        .find("\n## ")
        .map_or(body.len(), |i| after + i + 1);
    let mut out = body[..start].to_string();
    out.push_str(new_section.trim_end());
    out.push('\n');
    if end < body.len() {
        out.push('\n');
        out.push_str(&body[end..]);
    }
    out
}
