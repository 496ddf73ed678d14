use super::*;
use crate::model::RolePermission;

const APP: &str = "11111111-1111-4111-8111-111111111111";
const ME: &str = "d0d0d0d0-0000-4000-8000-00000000da11";
const MY_ORG: Option<&str> = Some("AzureADMyOrg");

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

fn owner(id: &str) -> Owner {
    Owner {
        id: id.into(),
        odata_type: Some("#microsoft.graph.user".into()),
        display_name: Some("Dev Dan".into()),
        user_principal_name: Some("dan@contoso.example".into()),
        mail: None,
    }
}

fn definition(name: &str, actions: &[&str], condition: Option<&str>) -> RoleDefinition {
    RoleDefinition {
        id: format!("def-{name}"),
        display_name: Some(name.into()),
        template_id: None,
        is_built_in: Some(false),
        is_enabled: Some(true),
        role_permissions: vec![RolePermission {
            allowed_resource_actions: actions.iter().map(|a| a.to_string()).collect(),
            condition: condition.map(str::to_string),
            excluded_resource_actions: Vec::new(),
        }],
    }
}

fn assignment(scope: &str, d: Option<RoleDefinition>, definition_id: &str) -> RoleAssignment {
    RoleAssignment {
        id: "a".into(),
        principal_id: "p".into(),
        role_definition_id: definition_id.into(),
        directory_scope_id: Some(scope.into()),
        app_scope_id: None,
        role_definition: d,
    }
}

struct World {
    owners: Option<Vec<Owner>>,
    owners_failed: bool,
    me: Option<&'static str>,
    wids: Vec<String>,
    roles: RoleKnowledge,
    refused: bool,
}

impl World {
    fn new() -> Self {
        World {
            owners: Some(vec![owner("someone-else")]),
            owners_failed: false,
            me: Some(ME),
            wids: Vec::new(),
            roles: RoleKnowledge::NotGranted,
            refused: false,
        }
    }

    fn decide(&self) -> Access {
        decide(&Facts {
            app_object_id: APP,
            sign_in_audience: MY_ORG,
            me: self.me,
            me_failed: false,
            owners: self.owners.as_deref(),
            owners_failed: self.owners_failed,
            token_roles: &self.wids,
            roles: &self.roles,
            refused: self.refused,
        })
    }

    fn read(mut self, assignments: Vec<(RoleAssignment, bool)>) -> Self {
        self.roles = RoleKnowledge::Read {
            assignments,
            groups_complete: true,
        };
        self
    }
}

#[test]
fn owners_can() {
    let mut w = World::new();
    w.owners = Some(vec![owner("x"), owner(&ME.to_uppercase())]);
    w.roles = RoleKnowledge::Pending;
    assert_eq!(
        w.decide(),
        Access::Can(Grant::Owner),
        "no need to wait for roles"
    );
}

#[test]
fn a_role_in_the_sign_in_can_and_others_in_it_do_not() {
    let mut w = World::new();
    w.wids = vec!["b79fbf4d-3ef9-4689-8143-76b194e85509".into()];
    assert!(matches!(w.decide(), Access::ProbablyNot { .. }));
    w.wids.push("62e90394-69f5-4237-9190-012177145e10".into());
    w.owners = None; // not even the owners are needed
    assert_eq!(
        w.decide(),
        Access::Can(Grant::Role {
            name: "Global Administrator".into(),
            scope: Scope::Tenant,
            source: Source::SignIn
        })
    );
}

#[test]
fn assignments_at_the_tenant_or_on_this_app_can() {
    let custom = definition(
        "Application Credential Rotator",
        &[CREDENTIALS_UPDATE],
        None,
    );
    let w = World::new().read(vec![(
        assignment("/", Some(custom.clone()), &custom.id),
        true,
    )]);
    assert_eq!(
        w.decide(),
        Access::Can(Grant::Role {
            name: "Application Credential Rotator".into(),
            scope: Scope::Tenant,
            source: Source::Group
        })
    );
    let admin = definition(
        "Application Administrator",
        &[
            "microsoft.directory/applications/basic/update",
            CREDENTIALS_UPDATE,
        ],
        None,
    );
    let w = World::new().read(vec![(
        assignment(&format!("/{APP}"), Some(admin.clone()), "x"),
        false,
    )]);
    assert_eq!(
        w.decide(),
        Access::Can(Grant::Role {
            name: "Application Administrator".into(),
            scope: Scope::ThisApp,
            source: Source::Assignment
        })
    );
    // Scoped to another app: not here.
    let w = World::new().read(vec![(
        assignment(
            "/22222222-2222-4222-8222-222222222222",
            Some(admin.clone()),
            "x",
        ),
        false,
    )]);
    assert!(matches!(
        w.decide(),
        Access::ProbablyNot {
            roles: RolesSeen::All,
            ..
        }
    ));
    // Without the expanded definition, a built-in role is known by its template ID.
    let w = World::new().read(vec![(
        assignment("/", None, "62e90394-69f5-4237-9190-012177145e10"),
        false,
    )]);
    assert!(matches!(
        w.decide(),
        Access::Can(Grant::Role {
            scope: Scope::Tenant,
            ..
        })
    ));
    // A tenant-wide role wins over one scoped to this app.
    let w = World::new().read(vec![
        (
            assignment(&format!("/{APP}"), Some(admin.clone()), "x"),
            false,
        ),
        (assignment("/", Some(custom.clone()), "y"), true),
    ]);
    assert!(matches!(
        w.decide(),
        Access::Can(Grant::Role {
            scope: Scope::Tenant,
            source: Source::Group,
            ..
        })
    ));
}

#[test]
fn conditions_reads_and_app_scopes_do_not_count() {
    // The default user role's owner-only permission, for one.
    let owner_only = definition(
        "User",
        &[CREDENTIALS_UPDATE],
        Some("@Subject.objectId Any_of @Resource.owners"),
    );
    let reader = definition(
        "Global Reader",
        &["microsoft.directory/applications/allProperties/read"],
        None,
    );
    let mut excluded = definition(
        "Odd",
        &["microsoft.directory/applications/allProperties/allTasks"],
        None,
    );
    excluded.role_permissions[0].excluded_resource_actions = vec![CREDENTIALS_UPDATE.into()];
    let mut app_scoped = assignment(
        "/",
        Some(definition("Catalog", &[CREDENTIALS_UPDATE], None)),
        "c",
    );
    app_scoped.app_scope_id = Some("/AccessPackageCatalog/x".into());
    let w = World::new().read(vec![
        (assignment("/", Some(owner_only), "u"), false),
        (assignment("/", Some(reader), "r"), false),
        (assignment("/", Some(excluded), "o"), false),
        (app_scoped, false),
    ]);
    assert!(matches!(w.decide(), Access::ProbablyNot { .. }));
}

#[test]
fn probably_not_names_the_owners_and_still_offers_create() {
    let mut w = World::new();
    w.owners = Some(vec![owner("dan")]);
    let a = w.decide();
    assert_eq!(
        a,
        Access::ProbablyNot {
            owners: vec!["Dev Dan (dan@contoso.example)".into()],
            roles: RolesSeen::NotGranted { token_roles: false }
        }
    );
    assert!(a.allows_create() && !a.is_known_allowed());
    w.wids = vec!["b79fbf4d-3ef9-4689-8143-76b194e85509".into()];
    assert!(matches!(
        w.decide(),
        Access::ProbablyNot {
            roles: RolesSeen::NotGranted { token_roles: true },
            ..
        }
    ));
    w.roles = RoleKnowledge::Refused;
    assert!(matches!(
        w.decide(),
        Access::ProbablyNot {
            roles: RolesSeen::NoReaderRole { token_roles: true },
            ..
        }
    ));
    w.roles = RoleKnowledge::Failed;
    assert!(matches!(
        w.decide(),
        Access::ProbablyNot {
            roles: RolesSeen::Unknown { token_roles: true },
            ..
        }
    ));
    // Not asked yet (the granted permissions aren't known): the verdict doesn't wait.
    w.roles = RoleKnowledge::Unasked;
    assert!(matches!(
        w.decide(),
        Access::ProbablyNot {
            roles: RolesSeen::Unknown { token_roles: true },
            ..
        }
    ));
    w.roles = RoleKnowledge::Read {
        assignments: Vec::new(),
        groups_complete: false,
    };
    assert!(matches!(
        w.decide(),
        Access::ProbablyNot {
            roles: RolesSeen::WithoutGroups,
            ..
        }
    ));
}

#[test]
fn role_read_permissions_are_the_list_pages() {
    let granted = |p: &[&str]| may_read_roles(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    assert!(!granted(&[
        "Application.ReadWrite.All",
        "User.Read",
        "Policy.Read.All"
    ]));
    assert!(granted(&["User.Read", "rolemanagement.read.directory"]));
    assert!(granted(&["Directory.Read.All"]));
    assert!(!granted(&[]));
}

#[test]
fn checking_until_owners_me_and_roles_are_known() {
    let mut w = World::new();
    w.owners = None;
    assert_eq!(w.decide(), Access::Checking);
    assert!(!Access::Checking.allows_create());
    let mut w = World::new();
    w.me = None;
    assert_eq!(w.decide(), Access::Checking);
    let mut w = World::new();
    w.roles = RoleKnowledge::Pending;
    assert_eq!(w.decide(), Access::Checking);
}

#[test]
fn unreadable_owners_are_unknown_and_graphs_403_is_refused() {
    let mut w = World::new();
    w.owners = None;
    w.owners_failed = true;
    let a = w.decide();
    assert_eq!(
        a,
        Access::Unknown {
            roles: RolesSeen::NotGranted { token_roles: false }
        }
    );
    assert!(a.allows_create());
    // A role still decides when the owners can't be read.
    w.wids = vec!["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3".into()];
    assert!(w.decide().is_known_allowed());
    // Graph's refusal outranks everything we inferred.
    w.refused = true;
    w.owners = Some(vec![owner("dan")]);
    let refused = w.decide();
    assert_eq!(
        refused,
        Access::Refused {
            owners: vec!["Dev Dan (dan@contoso.example)".into()]
        }
    );
    assert!(!refused.allows_create());
}
