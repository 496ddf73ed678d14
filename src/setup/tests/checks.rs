use zeroize::Zeroizing;

use crate::auth::claims::TokenClaims;
use crate::auth::AuthError;
use crate::net::{HttpResponse, Resource};
use crate::setup::checks::*;

fn claims(scp: &str) -> TokenClaims {
    TokenClaims {
        scp: scp.into(),
        aud: String::new(),
    }
}

fn response(status: u16, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: Zeroizing::new(String::new()),
    }
}

#[test]
fn permissions_required_and_optional_apart() {
    let all =
        claims("Application.ReadWrite.All User.Read Policy.Read.All RoleManagement.Read.Directory");
    assert!(matches!(
        permissions_line(Resource::Graph, Ok(&all)),
        Status::Ok(t) if t.contains("Optional, granted: RoleManagement.Read.Directory, Policy.Read.All")
    ));

    // The README's required set: fine, with a note of what the optional ones would add.
    let required = claims("Application.ReadWrite.All User.Read");
    match permissions_line(Resource::Graph, Ok(&required)) {
        Status::Note { what, fix } => {
            assert!(
                what.contains("Optional, not granted: RoleManagement.Read.Directory, for telling")
            );
            assert!(what.contains("; Policy.Read.All, for knowing"));
            assert!(what.contains("longest allowed secret lifetime"));
            assert!(fix.contains("Grant admin consent") && fix.contains("Policy.Read.All"));
        }
        other => panic!("{other:?}"),
    }
    // A broader grant counts (Directory.Read.All covers reading role assignments).
    let broad = claims("Directory.ReadWrite.All User.Read Directory.Read.All Policy.Read.All");
    assert!(matches!(
        permissions_line(Resource::Graph, Ok(&broad)),
        Status::Ok(_)
    ));

    // A required one missing: a problem naming it and what it is for.
    match permissions_line(Resource::Graph, Ok(&claims("User.Read"))) {
        Status::Problem { what, fix } => {
            assert!(what.contains("not Application.ReadWrite.All"), "{what}");
            assert!(what.contains("adding or removing secrets"));
            assert!(fix.contains("Microsoft Graph → Delegated: Application.ReadWrite.All"));
        }
        other => panic!("{other:?}"),
    }
    // ARM has nothing optional.
    assert!(matches!(
        permissions_line(Resource::Arm, Ok(&claims("user_impersonation"))),
        Status::Ok(_)
    ));
}

#[test]
fn no_consent_for_a_resource_says_who_grants_it() {
    let refused = AuthError::from_parts(
        "invalid_grant",
        "consent_required",
        "InteractionRequiredAuthError",
    )
    .for_resource(Resource::Arm);
    match permissions_line(Resource::Arm, Err(&refused)) {
        Status::Problem { what, fix } => {
            assert!(what.contains("No admin consent for Azure Resource Manager"));
            assert!(fix.contains("Azure Resource Manager → Delegated: user_impersonation"));
        }
        other => panic!("{other:?}"),
    }
    let other = AuthError::Network;
    assert!(permissions_line(Resource::Graph, Err(&other)).is_problem());
}

#[test]
fn the_redirect_page_must_come_without_coop_and_uncached() {
    let good = response(200, &[("cache-control", "no-store, no-cache")]);
    assert!(matches!(
        redirect_line("/redirect.html", Ok(&good)),
        Status::Ok(_)
    ));

    let coop = response(
        200,
        &[
            ("cache-control", "no-store"),
            ("cross-origin-opener-policy", "same-origin"),
        ],
    );
    match redirect_line("/redirect.html", Ok(&coop)) {
        Status::Problem { what, fix } => {
            assert!(what.contains("Cross-Origin-Opener-Policy: same-origin"));
            assert!(fix.contains("deploy/headers.json"));
        }
        other => panic!("{other:?}"),
    }
    let cached = response(200, &[("cache-control", "max-age=3600")]);
    assert!(matches!(
        redirect_line("/redirect.html", Ok(&cached)),
        Status::Problem { what, .. } if what.contains("may be cached (Cache-Control: max-age=3600)")
    ));
    assert!(matches!(
        redirect_line("/redirect.html", Ok(&response(200, &[]))),
        Status::Problem { what, .. } if what.contains("Cache-Control: none")
    ));
    assert!(matches!(
        redirect_line("/auth.html", Ok(&response(404, &[("cache-control", "no-store")]))),
        Status::Problem { what, .. } if what.contains("/auth.html answered 404")
    ));
    assert!(redirect_line("/redirect.html", Err("offline".into())).is_problem());
}

#[test]
fn services_and_vaults() {
    assert!(matches!(graph_line(Ok(1)), Status::Ok(_)));
    assert!(graph_line(Err("403".into())).is_problem());
    assert!(
        matches!(arm_line(Ok((2, 5))), Status::Ok(t) if t.contains("2 subscription(s) and 5 key vault(s)"))
    );
    assert!(arm_line(Ok((0, 0))).is_problem());
    assert!(arm_line(Ok((1, 0))).is_problem());
    assert!(arm_line(Err("x".into())).is_problem());
    assert!(matches!(vault_line("kv-a", Ok(true)), Status::Ok(_)));
    assert!(matches!(vault_line("kv-a", Ok(false)), Status::Note { .. }));
    assert!(vault_line("kv-a", Err("404".into())).is_problem());
    assert!(matches!(sign_in_line(None), Status::NotChecked(_)));
    assert_eq!(sign_in_line(Some("Dev Dan")).label(), "OK");
}
