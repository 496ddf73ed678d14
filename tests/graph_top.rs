//! Graph's page size: "The default and maximum page sizes are 100 and 999 application objects"
//! (../shared/specs/graph-docs/application-list.md), and a `$top` over 999 is refused with 400
//! `Request_UnsupportedQuery` (../shared/docs/azure-apis.md §7.4). The app never asks for more:
//! every Graph request builder that sets `$top` is checked here, and a scan of the source finds
//! any `$top=` a new builder adds, so it cannot go unchecked.

use std::path::{Path, PathBuf};

use secret_wizard::graph::{self, AppQuery};
use secret_wizard::net::HttpRequest;
use secret_wizard::overview::load;

/// Graph's largest page.
const GRAPH_MAX_TOP: u32 = 999;
const BASE: &str = "https://graph.microsoft.com";

/// The `$top` of a request, if it has one.
fn top_of(req: &HttpRequest) -> Option<u32> {
    let query = req.url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|p| {
            p.strip_prefix("$top=")
                .or_else(|| p.strip_prefix("%24top="))
        })
        .map(|v| {
            v.parse()
                .unwrap_or_else(|_| panic!("$top={v} in {}", req.url))
        })
}

#[test]
fn every_graph_builder_that_sets_top_stays_within_999() {
    let id = "631a96bc-a705-4eda-9f99-fdaf9f54f6a2";
    let builders: Vec<(&str, HttpRequest)> = vec![
        (
            "list_applications All",
            graph::list_applications(BASE, &AppQuery::All),
        ),
        (
            "list_applications NameStartsWith",
            graph::list_applications(BASE, &AppQuery::NameStartsWith("Pay".into())),
        ),
        (
            "list_applications AppId",
            graph::list_applications(BASE, &AppQuery::AppId(id.into())),
        ),
        (
            "list_applications Search",
            graph::list_applications(BASE, &AppQuery::Search("Pay".into())),
        ),
        ("my_applications", graph::my_applications(BASE)),
        ("overview all_apps", load::all_apps(BASE)),
        ("overview owned_apps", load::owned_apps(BASE)),
        (
            "overview owners ($expand)",
            graph::owners::overview_owners(BASE),
        ),
        (
            "credential_history (Review: the audit log)",
            graph::audit::credential_history(BASE, id),
        ),
        (
            "find_service_principals (Done: the workload's identity)",
            graph::service_principals::find_service_principals(BASE, "id-payroll"),
        ),
    ];
    for (name, req) in &builders {
        let top = top_of(req).unwrap_or_else(|| panic!("{name} sets no $top: {}", req.url));
        assert!(
            (1..=GRAPH_MAX_TOP).contains(&top),
            "{name}: $top={top} in {}",
            req.url
        );
    }
    const { assert!(graph::APP_PAGE_SIZE <= GRAPH_MAX_TOP) };
    assert_eq!(
        load::OVERVIEW_PAGE_SIZE,
        GRAPH_MAX_TOP,
        "the overview uses the largest page"
    );
    // With $expand Graph returns at most 100 a page (known issues): asking for more is pointless.
    assert_eq!(graph::owners::EXPAND_PAGE_SIZE, 100);
    const { assert!(graph::service_principals::SP_PAGE_SIZE <= GRAPH_MAX_TOP) };
    const { assert!(graph::audit::HISTORY_TOP <= GRAPH_MAX_TOP) };
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `$top=` in the app's source (tests aside) is a literal ≤ 999, or one of the page-size
/// constants checked above, or ARM's (which has its own limits and is not Graph).
#[test]
fn no_graph_request_in_the_source_asks_for_more_than_999() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut sites = 0;
    for file in files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let is_test = rel.contains("tests") || rel.ends_with("_tests.rs");
        if is_test || rel.starts_with("arm/") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        // Stop at an inline test module: what follows is test code.
        let code = text.split("#[cfg(test)]").next().unwrap();
        for (at, _) in code.match_indices("$top=") {
            sites += 1;
            let rest = &code[at + "$top=".len()..];
            let value: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '{' | '}' | '_'))
                .collect();
            let line = code[..at].lines().count();
            match value.as_str() {
                "{APP_PAGE_SIZE}"
                | "{OVERVIEW_PAGE_SIZE}"
                | "{EXPAND_PAGE_SIZE}"
                | "{SP_PAGE_SIZE}"
                | "{HISTORY_TOP}" => {}
                literal if literal.bytes().all(|b| b.is_ascii_digit()) && !literal.is_empty() => {
                    let n: u32 = literal.parse().unwrap();
                    assert!(
                        (1..=GRAPH_MAX_TOP).contains(&n),
                        "src/{rel}:{line}: $top={n} is over Graph's 999"
                    );
                }
                other => panic!(
                    "src/{rel}:{line}: $top={other}: check this builder in \
                     every_graph_builder_that_sets_top_stays_within_999"
                ),
            }
        }
    }
    assert!(sites >= 4, "the scan found the known builders ({sites})");
}
