//! The action matcher, the scopes, and the role table against its source lines.

use super::*;

#[test]
fn the_matcher_takes_the_action_and_the_wildcards_that_cover_it() {
    for yes in [
        CREDENTIALS_UPDATE,
        "microsoft.directory/applications/allProperties/allTasks",
        "microsoft.directory/applications/allProperties/update",
        "microsoft.directory/applications/credentials/allTasks",
        "MICROSOFT.DIRECTORY/Applications/Credentials/Update",
        " microsoft.directory/applications/credentials/update ",
        "microsoft.directory/applications.myOrganization/credentials/update",
        "microsoft.directory/applications.myOrganization/allProperties/allTasks",
    ] {
        assert!(covers_credentials_update(yes, MY_ORG), "{yes}");
    }
    for no in [
        "microsoft.directory/applications/allProperties/read",
        "microsoft.directory/applications/credentials/read",
        "microsoft.directory/applications/standard/read",
        "microsoft.directory/applications/basic/update",
        "microsoft.directory/applications/create",
        "microsoft.directory/applications/delete",
        "microsoft.directory/servicePrincipals/credentials/update",
        "microsoft.directory/servicePrincipals/allProperties/allTasks",
        "microsoft.directory/applications/credentials/update/more",
        "microsoft.directory/applications/credentials",
        "microsoft.azure/applications/credentials/update",
        "microsoft.directory/allEntities/allProperties/allTasks",
        "microsoft.directory/applications*/credentials/update",
        "",
    ] {
        assert!(!covers_credentials_update(no, MY_ORG), "{no}");
    }
    // The single-tenant subtype doesn't reach a multi-tenant app, or an unknown audience.
    let my_org = "microsoft.directory/applications.myOrganization/credentials/update";
    assert!(!covers_credentials_update(
        my_org,
        Some("AzureADMultipleOrgs")
    ));
    assert!(!covers_credentials_update(my_org, None));
}

#[test]
fn scopes_are_the_tenant_or_this_app() {
    assert_eq!(scope_of(Some("/"), APP), Some(Scope::Tenant));
    assert_eq!(
        scope_of(Some(&format!("/{}", APP.to_uppercase())), APP),
        Some(Scope::ThisApp)
    );
    assert_eq!(
        scope_of(Some("/22222222-2222-4222-8222-222222222222"), APP),
        None
    );
    assert_eq!(scope_of(Some("/administrativeUnits/x"), APP), None);
    assert_eq!(scope_of(Some(""), APP), None);
    assert_eq!(scope_of(None, APP), None);
}

/// The source lines: `## name · template ID · …` then `> | action | description |` rows.
fn fixture_roles() -> Vec<(String, String, Vec<String>)> {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/entra/built-in-roles-credentials.md"
    ));
    let mut roles: Vec<(String, String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("## ") {
            let parts: Vec<&str> = head.split(" · ").collect();
            if parts.len() == 5 {
                roles.push((parts[0].into(), parts[1].into(), Vec::new()));
            }
        } else if let (Some(row), Some(last)) = (line.strip_prefix("> | "), roles.last_mut()) {
            last.2
                .push(row.split(" | ").next().unwrap().trim().to_string());
        }
    }
    roles
}

#[test]
fn the_table_is_exactly_the_roles_whose_source_lines_grant_it() {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/entra/built-in-roles-credentials.md"
    ));
    let roles = fixture_roles();
    assert_eq!(roles.len(), 7, "five that grant it, two near misses");
    let mut granting = Vec::new();
    for (name, template, actions) in &roles {
        assert!(!actions.is_empty(), "{name} has its action rows");
        // Each template ID is the one the "All roles" table gives.
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("> | [{name}](")))
            .unwrap_or_else(|| panic!("{name} is in the All roles rows"));
        assert!(row.ends_with(&format!("| {template} |")), "{row}");
        // Multi-tenant audience: the single-tenant subtype must not make a role count.
        if let Some(a) = actions
            .iter()
            .find(|a| covers_credentials_update(a, Some("AzureADMultipleOrgs")))
        {
            granting.push(BuiltInRole {
                name: Box::leak(name.clone().into_boxed_str()),
                template_id: Box::leak(template.clone().into_boxed_str()),
                action: Box::leak(a.clone().into_boxed_str()),
            });
        }
    }
    assert_eq!(granting, CREDENTIAL_ROLES);
    assert_eq!(
        credential_role("9B895D92-2CD3-44C7-9D02-A6AC2D5EA5C3")
            .unwrap()
            .name,
        "Application Administrator"
    );
    assert!(
        credential_role("8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2").is_none(),
        "Hybrid Identity Administrator"
    );
    assert!(
        credential_role("b79fbf4d-3ef9-4689-8143-76b194e85509").is_none(),
        "the member template"
    );
}
