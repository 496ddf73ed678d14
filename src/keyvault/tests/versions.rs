//! Version pages, their next links, the newest version and a free name.

use super::*;

#[test]
fn versions_pages_parse_with_their_next_link() {
    let req = secret_versions(VAULT, "payroll-api");
    assert_eq!(
        req.url,
        "http://127.0.0.1:8400/kv/kv-payroll/secrets/payroll-api/versions?maxresults=25&api-version=7.5"
    );
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.resource, Resource::KeyVault);
    let body = example("GetSecretVersions-example.json")["responses"]["200"]["body"].to_string();
    let page = parse_versions_page(&HttpResponse::new(200, body))
        .unwrap()
        .unwrap();
    assert_eq!(page.versions.len(), 1);
    assert_eq!(
        page.versions[0].version(),
        Some("11a536561da34d6b8b452d880df58f3a")
    );
    assert!(page.next_link.as_deref().unwrap().starts_with(
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/versions?"
    ));
    let free = HttpResponse::new(
        404,
        kv_error(
            "SecretNotFound",
            None,
            "A secret with (name/id) payroll-api was not found in this key vault.",
        )
        .to_string(),
    );
    assert_eq!(parse_versions_page(&free).unwrap(), None);
    let empty = parse_versions_page(&HttpResponse::new(
        200,
        r#"{"value":[],"nextLink":"https://v.vault.azure.net:443/secrets/a/versions?$skiptoken=x"}"#,
    ))
    .unwrap()
    .unwrap();
    assert!(empty.versions.is_empty() && empty.next_link.is_some());
    let last = parse_versions_page(&HttpResponse::new(200, r#"{"value":[],"nextLink":null}"#))
        .unwrap()
        .unwrap();
    assert_eq!(last.next_link, None);
    let denied = HttpResponse::new(
        403,
        kv_error("Forbidden", Some("ForbiddenByRbac"), "m").to_string(),
    );
    assert!(parse_versions_page(&denied).is_err());
}

/// The spec example's nextLink, with `:443`.
fn example_next_link() -> String {
    example("GetSecretVersions-example.json")["responses"]["200"]["body"]["nextLink"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_next_link_goes_to_the_base_the_first_page_went_to() {
    let link = example_next_link();
    let query = link.split_once('?').unwrap().1;
    // To the vault's own URI (the `:443` is the same origin) …
    let direct = versions_page(
        "https://myvault.vault.azure.net/",
        "listsecretversionstest",
        &link,
    )
    .unwrap();
    assert_eq!(
        direct.url,
        format!("https://myvault.vault.azure.net/secrets/listsecretversionstest/versions?{query}")
    );
    assert_eq!(direct.resource, Resource::KeyVault);
    assert_eq!(direct.method, Method::Get);
    // … or to the gateway in front of it, which the browser can reach.
    let gateway = versions_page(
        "https://wizard.contoso.com/kv-gateway",
        "listsecretversionstest",
        &link,
    )
    .unwrap();
    assert_eq!(
        gateway.url,
        format!(
            "https://wizard.contoso.com/kv-gateway/secrets/listsecretversionstest/versions?{query}"
        )
    );
    // A link to another secret, without a query, or not a URL is refused, never followed.
    for bad in [
        "https://myvault.vault.azure.net:443/secrets/other/versions?$skiptoken=x",
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/versions",
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/versions?",
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest?$skiptoken=x",
        "/secrets/listsecretversionstest/versions?$skiptoken=x",
        "javascript:alert(1)//secrets/listsecretversionstest/versions?x",
        "https://myvault.vault.azure.net/secrets/listsecretversionstest/versions?a b",
    ] {
        assert!(
            matches!(
                versions_page(
                    "https://myvault.vault.azure.net/",
                    "listsecretversionstest",
                    bad
                ),
                Err(KeyVaultError::Malformed { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn the_newest_version_is_the_latest_created_over_all_pages() {
    let (mut scan, first) = VersionScan::start("https://myvault.vault.azure.net/", "s");
    assert_eq!(
        first,
        secret_versions("https://myvault.vault.azure.net/", "s")
    );
    let answers = [
        page(vec![], Some("$skiptoken=1")),
        page(
            vec![
                version("b2", Some(200), Some(200)),
                version("a9", Some(900), Some(900)),
            ],
            Some("$skiptoken=2"),
        ),
        page(vec![], Some("$skiptoken=3")),
        page(
            vec![
                version("ff", Some(100), Some(950)),
                version("00", None, Some(999)),
            ],
            None,
        ),
    ];
    let mut sent = vec![];
    for (i, res) in answers.iter().enumerate() {
        match scan.feed(res).unwrap() {
            VersionsNext::Send(req) => sent.push(req.url),
            VersionsNext::Done(newest) => {
                assert_eq!(i, answers.len() - 1, "done only after the last page");
                let newest = newest.unwrap();
                assert_eq!(
                    newest.version(),
                    Some("a9"),
                    "the latest created, from page 2"
                );
            }
        }
    }
    assert_eq!(
        sent,
        ["$skiptoken=1", "$skiptoken=2", "$skiptoken=3"]
            .map(|q| format!("https://myvault.vault.azure.net/secrets/s/versions?{q}"))
    );
    assert_eq!(scan.versions(), 4);
    assert_eq!(scan.pages(), 4);
    // The same versions in any order and paging give the same answer.
    let (mut other, _) = VersionScan::start("https://myvault.vault.azure.net/", "s");
    other
        .feed(&page(
            vec![
                version("00", None, Some(999)),
                version("a9", Some(900), Some(900)),
                version("ff", Some(100), Some(950)),
                version("b2", Some(200), Some(200)),
            ],
            None,
        ))
        .unwrap();
    assert_eq!(other.newest(), scan.newest());
}

#[test]
fn ties_on_created_fall_to_updated_then_to_the_version_id() {
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let done = scan
        .feed(&page(
            vec![
                version("aa", Some(500), Some(500)),
                version("cc", Some(500), Some(600)),
                version("bb", Some(500), Some(600)),
            ],
            None,
        ))
        .unwrap();
    let VersionsNext::Done(Some(newest)) = done else {
        panic!("{done:?}")
    };
    assert_eq!(newest.version(), Some("cc"));
}

#[test]
fn a_free_name_and_the_page_limit() {
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let free = HttpResponse::new(
        404,
        kv_error(
            "SecretNotFound",
            None,
            "A secret with (name/id) s was not found.",
        )
        .to_string(),
    );
    assert_eq!(scan.feed(&free).unwrap(), VersionsNext::Done(None));
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    assert_eq!(
        scan.feed(&page(vec![], None)).unwrap(),
        VersionsNext::Done(None),
        "one empty page without a nextLink: no versions"
    );
    // A service that never stops sending nextLinks is followed MAX_VERSION_PAGES times.
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let mut sends = 0;
    loop {
        match scan
            .feed(&page(
                vec![version("aa", Some(1), None)],
                Some("$skiptoken=x"),
            ))
            .unwrap()
        {
            VersionsNext::Send(_) => sends += 1,
            VersionsNext::Done(newest) => {
                assert!(newest.is_some());
                break;
            }
        }
        assert!(sends < 1000, "runaway");
    }
    assert_eq!(sends, MAX_VERSION_PAGES - 1);
    // An error page ends the reading with the error.
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let denied = HttpResponse::new(
        403,
        kv_error("Forbidden", Some("ForbiddenByRbac"), "m").to_string(),
    );
    assert!(scan.feed(&denied).is_err());
}
