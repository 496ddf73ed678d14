use super::*;

#[test]
fn filters_parse_like_graph() {
    assert_eq!(
        parse_filter("startsWith(displayName,'Pay')"),
        Ok(Filter::StartsWithDisplayName("Pay".into()))
    );
    assert_eq!(
        parse_filter("startswith(displayName, 'O''Brien')"),
        Ok(Filter::StartsWithDisplayName("O'Brien".into()))
    );
    assert_eq!(
        parse_filter("appId eq 'abc'"),
        Ok(Filter::AppIdEq("abc".into()))
    );
    assert_eq!(
        parse_filter("displayName eq 'Payroll API'"),
        Ok(Filter::DisplayNameEq("Payroll API".into()))
    );
    assert_eq!(
        parse_filter("signInAudience eq 'x'").unwrap_err().0,
        "Request_UnsupportedQuery"
    );
    assert_eq!(
        parse_filter("displayName ne 'x'").unwrap_err().0,
        "Request_UnsupportedQuery"
    );
    assert_eq!(
        parse_filter("endsWith(displayName,'x')").unwrap_err().0,
        "BadRequest"
    );
    assert_eq!(
        parse_filter("appId eq 'x' and displayName eq 'y'")
            .unwrap_err()
            .0,
        "Request_UnsupportedQuery"
    );
    assert!(parse_filter("startsWith(displayName,'x'").is_err());
}

#[test]
fn search_and_skiptokens() {
    let s = parse_search("\"displayName:pay\" OR \"displayName:mail\"").unwrap();
    assert_eq!((s.terms.len(), s.all), (2, false));
    assert!(parse_search("displayName:pay").is_err());
    assert!(parse_search("\"appId:x\"").is_err());
    assert!(parse_search("\"displayName:a\" OR \"displayName:b\" AND \"displayName:c\"").is_err());
    assert_eq!(parse_skiptoken(&skiptoken(200)), Some(200));
    assert_eq!(parse_skiptoken("nope"), None);
}

#[test]
fn expand_owners_with_a_nested_select_and_nothing_else() {
    assert_eq!(parse_expand("owners"), Ok(Expand::default()));
    assert_eq!(
        parse_expand("owners($select=id,displayName,userPrincipalName)")
            .unwrap()
            .select
            .unwrap(),
        ["id", "displayName", "userPrincipalName"]
    );
    for refused in [
        "owners,tokenIssuancePolicies",
        "appManagementPolicies",
        "owners($filter=id eq 'x')",
        "owners($top=5)",
        "owners($select=shoeSize)",
        "owners($expand=memberOf)",
        "owners($select=id",
    ] {
        assert_eq!(
            parse_expand(refused).unwrap_err().0,
            "BadRequest",
            "{refused}"
        );
    }
    let headers = HeaderMap::new();
    let q = parse(
        Some("$select=id&$expand=owners&$top=999"),
        &headers,
        &["id"],
        "application",
    )
    .unwrap();
    assert_eq!(q.page_size(), EXPAND_MAX_PAGE);
    let q = parse(Some("$top=999"), &headers, &["id"], "application").unwrap();
    assert_eq!(q.page_size(), 999);
    let q = parse(
        Some("$expand=owners&$top=7"),
        &headers,
        &["id"],
        "application",
    )
    .unwrap();
    assert_eq!(q.page_size(), 7);
    // Only applications expand their owners here.
    assert!(parse(
        Some("$expand=owners"),
        &headers,
        &["id"],
        "servicePrincipal"
    )
    .is_err());
}
