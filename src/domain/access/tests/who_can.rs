//! Who can: owners, roles in the sign-in, assignments, and what does not count.

use super::*;

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
