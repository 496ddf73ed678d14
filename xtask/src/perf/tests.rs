//! Tests of the budget check and the bench report.

use super::bench::{replace_section, spread};
use super::*;
use crate::json::Json;

const PAGE: &str = r#"<html><head><link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/app-1.css" integrity="x"/><link rel="preconnect" href="/nope">
<script src="/msal-browser.min.js"></script><script type="module" src="/init-2.js"></script>
<script>inline()</script><LINK REL="modulepreload" HREF="/sw-3.js">
<link rel="preload" href="/sw-3_bg.wasm" as="fetch"><script src="https://cdn.example/x.js"></script>
<link rel="stylesheet" href="/app-1.css"></head></html>"#;

#[test]
fn the_first_load_is_what_the_page_references() {
    assert_eq!(
        first_load_paths(PAGE),
        [
            "/favicon.svg",
            "/app-1.css",
            "/msal-browser.min.js",
            "/init-2.js",
            "/sw-3.js",
            "/sw-3_bg.wasm"
        ]
    );
}

fn a(path: &str, gzip: u64) -> Asset {
    Asset {
        path: path.into(),
        raw: gzip * 3,
        gzip,
    }
}

fn sizes(boot_wasm: u64, first_load: u64, app_wasm: u64, signed_in: u64) -> Sizes {
    Sizes {
        boot_wasm,
        first_load,
        app_wasm,
        signed_in,
    }
}

#[test]
fn sizes_add_up_what_each_load_fetches() {
    let first = [
        a("/", 1_000),
        a("/x_bg.wasm", 100_000),
        a("/msal.js", 80_000),
    ];
    let popup = [a("/redirect.html", 500), a("/bridge.js", 2_500)];
    let app = [a("/app/x.js", 9_000), a("/app/x_bg.wasm", 150_000)];
    assert_eq!(
        Sizes::of(&first, &popup, &app),
        sizes(100_000, 181_000, 150_000, 343_000)
    );
}

#[test]
fn the_budget_is_judged_on_each_limit_and_names_the_goal() {
    // Exactly at every ceiling passes; a byte over any fails and names it (and only it).
    let at = sizes(
        BOOT_WASM.ceiling,
        FIRST_LOAD.ceiling,
        APP_WASM.ceiling,
        SIGNED_IN.ceiling,
    );
    let line = verdict(&at).unwrap();
    assert!(
        line.starts_with(&format!(
            "boot wasm {} of {}, first load {} of {}, full app wasm {} of {} (goal {}),",
            kb(BOOT_WASM.ceiling),
            kb(BOOT_WASM.ceiling),
            kb(FIRST_LOAD.ceiling),
            kb(FIRST_LOAD.ceiling),
            kb(APP_WASM.ceiling),
            kb(APP_WASM.ceiling),
            kb(APP_WASM.goal)
        )),
        "{line}"
    );
    assert!(line.ends_with(" (gzip)"), "{line}");
    let mut fat = at;
    fat.app_wasm += 1;
    assert_eq!(
        verdict(&fat).unwrap_err(),
        format!(
            "over budget: full app wasm {} > {}",
            kb(APP_WASM.ceiling + 1),
            kb(APP_WASM.ceiling)
        )
    );
    let mut heavy = at;
    heavy.first_load += 1;
    heavy.signed_in += 1;
    assert_eq!(
        verdict(&heavy).unwrap_err(),
        format!(
            "over budget: first load {} > {}, signed-in total {} > {}",
            kb(FIRST_LOAD.ceiling + 1),
            kb(FIRST_LOAD.ceiling),
            kb(SIGNED_IN.ceiling + 1),
            kb(SIGNED_IN.ceiling)
        )
    );
    // The size targets: the first load held where it was, the full app and the signed-in total as goals.
    assert_eq!((BOOT_WASM.ceiling, FIRST_LOAD.ceiling), (200_000, 231_000));
    assert_eq!((APP_WASM.goal, SIGNED_IN.goal), (200_000, 400_000));
    for (limit, _) in at.judged() {
        assert!(limit.goal <= limit.ceiling, "{limit:?}");
    }
    let heavy = [a("/x_bg.wasm", 150_000), a("/msal.js", 150_001)];
    let t = assets_table(Load::First, &heavy, &[("/msal.js".into(), 450_003)]);
    assert!(
        t.contains("| `/msal.js` | 450.0 KB | 150.0 KB | 450.0 KB |"),
        "{t}"
    );
    assert!(
        t.contains("| **total** | 900.0 KB | **300.0 KB** | 450.0 KB |"),
        "{t}"
    );
}

#[test]
fn gzip_sizes_come_from_the_files() {
    let dir = std::env::temp_dir().join(format!("xtask-perf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("zeros.bin");
    std::fs::write(&file, vec![0u8; 100_000]).unwrap();
    let n = gzip_size(&file).unwrap();
    assert!(n > 20 && n < 1_000, "{n}");
    assert!(gzip_size(&dir.join("missing")).is_err());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn medians_and_sections() {
    let runs = |xs: &[f64]| -> Vec<Json> {
        xs.iter()
            .map(|x| Json::Object(vec![("v".into(), Json::Number(*x))]))
            .collect()
    };
    assert_eq!(
        spread(&runs(&[3.0, 1.0, 2.0]), "v").unwrap(),
        (2.0, 1.0, 3.0)
    );
    assert_eq!(
        spread(&runs(&[4.0, 1.0, 2.0, 3.0]), "v").unwrap(),
        (2.5, 1.0, 4.0)
    );
    assert!(spread(&runs(&[1.0]), "w").is_err());

    let new = format!("{SECTION}\n\nnew\n");
    assert_eq!(
        replace_section("", &new),
        format!("# Benchmarks\n\n{SECTION}\n\nnew\n")
    );
    let old = format!("# Benchmarks\n\n{SECTION}\n\nold\n\n## Overview (5,000 apps)\n\ny\n");
    assert_eq!(
        replace_section(&old, &new),
        format!("# Benchmarks\n\n{SECTION}\n\nnew\n\n## Overview (5,000 apps)\n\ny\n")
    );
    let other = "# Benchmarks\n\n## Overview (5,000 apps)\n\ny\n";
    assert!(replace_section(other, &new).ends_with(&format!("y\n\n{SECTION}\n\nnew\n")));
}

#[test]
fn the_bench_section_reads_the_runner_result() {
    let root = std::env::temp_dir().join(format!("xtask-perf-root-{}", std::process::id()));
    std::fs::create_dir_all(root.join("dist")).unwrap();
    std::fs::write(
        root.join("dist/index.html"),
        "<html><meta name=\"secret-wizard-app\" content=\"/app/full.js\">".repeat(5),
    )
    .unwrap();
    std::fs::write(root.join("dist/a_bg.wasm"), vec![7u8; 5_000]).unwrap();
    std::fs::write(
        root.join("dist/redirect.html"),
        "<script src=\"/bridge.js\"></script><script src=\"/a_bg.wasm\"></script>",
    )
    .unwrap();
    std::fs::write(root.join("dist/bridge.js"), vec![3u8; 2_000]).unwrap();
    std::fs::create_dir_all(root.join("dist/app")).unwrap();
    std::fs::write(root.join("dist/app/full.js"), vec![1u8; 1_000]).unwrap();
    std::fs::write(root.join("dist/app/full_bg.wasm"), vec![2u8; 9_000]).unwrap();
    let load = |ms: u32| {
        format!(
            r#"{{"signInMs":{ms},"requests":[{{"path":"/","status":200,"encoded":500}},
            {{"path":"/a_bg.wasm","status":200,"encoded":5200}}]}}"#
        )
    };
    let flow = r#"{"clicks":5,"typed":1,"clicked":["Payroll API","Create secret"],
        "createRequests":1,"createAfter":1,"createAfterWhat":["/graph/v1.0/applications/x"],
        "createMs":20,"storeRequests":1,"storeMs":12}"#;
    let text = format!(
        r#"{{"runs":3,"loads":[{},{},{}],"flows":[{flow},{flow},{flow}]}}"#,
        load(120),
        load(90),
        load(200)
    );
    let s = super::bench::section(&root, &crate::json::parse(&text).unwrap()).unwrap();
    std::fs::remove_dir_all(&root).unwrap();
    assert!(s.starts_with(SECTION), "{s}");
    assert!(
        s.contains("| Navigation → Sign-in button enabled (cold cache) | 120 ms | 90 ms – 200 ms | ≤ 150 ms |"),
        "{s}"
    );
    assert!(
        s.contains(
            "| Clicks from the signed-in landing page to a stored secret | 5 | 5 – 5 | ≤ 6 |"
        ),
        "{s}"
    );
    assert!(s.contains("5 clicks (Payroll API → Create secret)"), "{s}");
    assert!(s.contains("| `/a_bg.wasm` | 5.0 KB |"), "{s}");
    assert!(s.contains("5.2 KB |"), "bytes on the wire: {s}");
    assert!(s.contains("`GET /graph/v1.0/applications/x`"), "{s}");
    assert!(s.contains("| asset (after sign-in) |"), "{s}");
    // The sign-in window's page and its bridge, but not what the first load already fetched.
    assert!(s.contains("| asset (sign-in window) |"), "{s}");
    assert!(s.contains("| `/bridge.js` | 2.0 KB |"), "{s}");
    assert_eq!(s.matches("| `/a_bg.wasm` |").count(), 1, "{s}");
    assert!(
        s.contains(
            "| Signed-in total, gzip: the first load, the sign-in window and the full app |"
        ),
        "{s}"
    );
    assert!(s.contains("| `/app/full_bg.wasm` | 9.0 KB |"), "{s}");
}

#[test]
fn the_full_app_module_is_found_from_the_meta_tag() {
    let html = "<meta name=\"secret-wizard-app\" content=\"/app/secret-wizard-ab12.js\">";
    assert_eq!(
        crate::app_module::url_in(html).as_deref(),
        Some("/app/secret-wizard-ab12.js")
    );
    assert_eq!(
        crate::app_module::url_in("<meta name=\"secret-wizard-app\" content=\"\">"),
        None
    );
}

#[test]
fn the_first_load_counts_msal_where_the_app_loads_it_from() {
    // The boot module adds MSAL's <script> itself (src/auth/msal_raw.rs), from this URL.
    let auth = include_str!("../../../src/auth/mod.rs");
    let line = format!(
        "pub const MSAL_SCRIPT_URL: &str = \"{}\";",
        FETCHED_BY_THE_APP[1]
    );
    assert!(auth.contains(&line), "src/auth/mod.rs should have {line}");
    let boot = include_str!("../../../src/app/boot.rs");
    assert!(boot.contains(&format!(
        "pub const CONFIG_URL: &str = \".{}\";",
        FETCHED_BY_THE_APP[0]
    )));
}
