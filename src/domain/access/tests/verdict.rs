//! Probably-not, checking and unknown verdicts, and the permissions they read with.

use super::*;

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
