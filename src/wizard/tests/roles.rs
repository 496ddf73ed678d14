//! Who may add a secret, from each source: owners, the sign-in's `wids`, the user's role
//! assignments, their groups' (chunked), scoped to one app; what is asked and when; what the
//! Review note says for each answer.

use serde_json::json;

use super::*;
use crate::domain::access::{Scope, Source};
use crate::wizard::{access_note, Access, Grant, RolesSeen, Step, Tone};

const GROUP_A: &str = "aaaa0000-0000-4000-8000-0000000000a1";
const OTHER_APP: &str = "33333333-3333-4333-8333-333333333333";

fn custom_rotator() -> serde_json::Value {
    definition(
        "c0ffee00-0000-4000-8000-000000000001",
        "Application Credential Rotator",
        false,
        &["microsoft.directory/applications/credentials/update"],
    )
}

/// Rita (owns nothing) signed in with `extra` permissions granted, Payroll API (Dan's) open.
fn rita_with(extra: &[&str]) -> Harness {
    let mut h = Harness::new(config());
    h.send(Msg::Start);
    h.ok(Call::Me, 200, me(RITA, "rita@contoso.example"));
    h.send(Msg::GraphPermissions(granted(extra)));
    h
}

fn open_payroll(h: &mut Harness) {
    h.open_app(payroll(), owners(&[dan_owner()]));
}

#[test]
fn without_the_permission_nothing_is_asked_and_the_note_says_what_would_help() {
    let mut h = rita_with(&["Policy.Read.All"]);
    open_payroll(&mut h);
    assert_eq!(h.count(Call::Roles), 0, "no 403 on purpose");
    let access = h.w.access();
    assert!(matches!(
        access,
        Access::ProbablyNot {
            roles: RolesSeen::NotGranted { token_roles: false },
            ..
        }
    ));
    let note = access_note(&access);
    assert_eq!(note.tone, Tone::Warning);
    assert_eq!(
        note.aside.as_deref(),
        Some(
            "secret-wizard can't see your directory roles: an administrator can grant it the \
             optional RoleManagement.Read.Directory permission to check them here."
        )
    );
}

#[test]
fn a_global_administrator_from_the_sign_in_can_without_asking_graph() {
    let mut h = rita_with(&[]);
    h.send(Msg::TokenRoles(vec![
        GLOBAL_ADMINISTRATOR.to_uppercase(),
        "b79fbf4d-3ef9-4689-8143-76b194e85509".into(),
    ]));
    open_payroll(&mut h);
    let access = h.w.access();
    assert_eq!(
        access,
        Access::Can(Grant::Role {
            name: "Global Administrator".into(),
            scope: Scope::Tenant,
            source: Source::SignIn
        })
    );
    assert_eq!(
        access_note(&access).text,
        "Your role Global Administrator lets you add secrets to any app in your organisation."
    );
    // Only the member template: nothing granted, and the note says the sign-in was looked at.
    let mut h = rita_with(&[]);
    h.send(Msg::TokenRoles(vec![
        "b79fbf4d-3ef9-4689-8143-76b194e85509".into(),
    ]));
    open_payroll(&mut h);
    let note = access_note(&h.w.access());
    assert!(note
        .aside
        .unwrap()
        .contains("beyond those your sign-in carries"));
}

#[test]
fn the_users_own_assignment_is_read_with_its_definition() {
    let mut h = rita_with(&[ROLE_READ]);
    let req = h.request(Call::Roles).clone();
    assert_eq!(
        req.url,
        format!(
            "{GRAPH}/v1.0/roleManagement/directory/roleAssignments\
             ?$filter=principalId%20eq%20%27{RITA}%27&$expand=roleDefinition"
        )
    );
    let ga = definition(
        GLOBAL_ADMINISTRATOR,
        "Global Administrator",
        true,
        &["microsoft.directory/applications/allProperties/allTasks"],
    );
    h.ok(Call::Roles, 200, role_page(&[assignment(RITA, ga, "/")]));
    open_payroll(&mut h);
    // The groups are still being read: not decided yet.
    assert_eq!(h.w.access(), Access::Checking);
    assert!(!h.w.can_create());
    let groups = h.request(Call::Groups).clone();
    assert!(groups
        .url
        .contains("/me/transitiveMemberOf/microsoft.graph.group?$select=id&$count=true"));
    assert!(groups
        .headers
        .iter()
        .any(|(k, v)| k == "ConsistencyLevel" && v == "eventual"));
    h.ok(Call::Groups, 200, json!({ "value": [] }));
    assert_eq!(
        h.count(Call::GroupRoles),
        0,
        "no groups, nothing more to ask"
    );
    assert_eq!(
        h.w.access(),
        Access::Can(Grant::Role {
            name: "Global Administrator".into(),
            scope: Scope::Tenant,
            source: Source::Assignment
        })
    );
}

#[test]
fn a_custom_role_through_a_group_can() {
    let mut h = rita_with(&[ROLE_READ]);
    h.ok(Call::Roles, 200, role_page(&[]));
    // Limited information: only ids come back.
    h.ok(
        Call::Groups,
        200,
        json!({ "value": [{ "@odata.type": "#microsoft.graph.group", "id": GROUP_A,
                            "displayName": null }] }),
    );
    let req = h.request(Call::GroupRoles).clone();
    assert!(
        req.url
            .contains(&format!("principalId%20eq%20%27{GROUP_A}%27")),
        "{}",
        req.url
    );
    h.ok(
        Call::GroupRoles,
        200,
        role_page(&[assignment(GROUP_A, custom_rotator(), "/")]),
    );
    open_payroll(&mut h);
    let access = h.w.access();
    assert_eq!(
        access,
        Access::Can(Grant::Role {
            name: "Application Credential Rotator".into(),
            scope: Scope::Tenant,
            source: Source::Group
        })
    );
    assert_eq!(
        access_note(&access).text,
        "Your role Application Credential Rotator, through a group you belong to, lets you add \
         secrets to any app in your organisation."
    );
}

#[test]
fn many_groups_go_in_chunks_of_fifteen_and_every_page_is_followed() {
    let mut h = rita_with(&[ROLE_READ]);
    h.ok(
        Call::Roles,
        200,
        json!({ "value": [], "@odata.nextLink": "https://graph.test/v1.0/next-roles" }),
    );
    assert_eq!(
        h.request(Call::Roles).url,
        "https://graph.test/v1.0/next-roles"
    );
    h.ok(Call::Roles, 200, role_page(&[]));
    let ids: Vec<String> = (0..16)
        .map(|i| format!("00000000-0000-4000-8000-{i:012}"))
        .collect();
    let page = |ids: &[String]| -> Vec<serde_json::Value> {
        ids.iter().map(|id| json!({ "id": id })).collect()
    };
    h.ok(
        Call::Groups,
        200,
        json!({ "value": page(&ids[..10]), "@odata.nextLink": "https://graph.test/v1.0/next-groups" }),
    );
    let next = h.request(Call::Groups).clone();
    assert_eq!(next.url, "https://graph.test/v1.0/next-groups");
    assert!(
        next.headers.iter().any(|(k, _)| k == "ConsistencyLevel"),
        "the header goes with the next page"
    );
    h.ok(Call::Groups, 200, json!({ "value": page(&ids[10..]) }));
    let first = h.request(Call::GroupRoles).url.clone();
    assert!(first.contains("principalId%20in%20%28"), "{first}");
    assert_eq!(
        first.matches("%27%2C%27").count(),
        14,
        "15 ids in the first chunk"
    );
    h.ok(Call::GroupRoles, 200, role_page(&[]));
    let second = h.request(Call::GroupRoles).url.clone();
    assert!(
        second.contains(&format!("principalId%20eq%20%27{}%27", ids[15])),
        "{second}"
    );
    let scoped_elsewhere = assignment(&ids[15], app_admin(), &format!("/{OTHER_APP}"));
    h.ok(Call::GroupRoles, 200, role_page(&[scoped_elsewhere]));
    assert_eq!(h.count(Call::GroupRoles), 2);
    open_payroll(&mut h);
    assert!(matches!(
        h.w.access(),
        Access::ProbablyNot {
            roles: RolesSeen::All,
            ..
        }
    ));
    assert_eq!(
        access_note(&h.w.access()).aside,
        None,
        "everything was seen"
    );
}

#[test]
fn a_role_scoped_to_one_app_counts_there_only() {
    let sam_on = |app_json: serde_json::Value| {
        let mut h = rita_with(&[ROLE_READ]);
        h.ok(
            Call::Roles,
            200,
            role_page(&[assignment(RITA, app_admin(), &format!("/{PAYROLL}"))]),
        );
        h.ok(Call::Groups, 200, json!({ "value": [] }));
        h.open_app(app_json, owners(&[dan_owner()]));
        h.w.access()
    };
    let here = sam_on(payroll());
    assert_eq!(
        here,
        Access::Can(Grant::Role {
            name: "Application Administrator".into(),
            scope: Scope::ThisApp,
            source: Source::Assignment
        })
    );
    assert_eq!(
        access_note(&here).text,
        "Your role Application Administrator for this app lets you add secrets to it."
    );
    let mut other = payroll();
    other["id"] = json!(OTHER_APP);
    assert!(matches!(sam_on(other), Access::ProbablyNot { .. }));
}

#[test]
fn a_403_means_no_role_that_may_read_them_and_nothing_more_is_asked() {
    let mut h = rita_with(&[ROLE_READ]);
    h.ok(
        Call::Roles,
        403,
        graph_error(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
    );
    assert_eq!(h.count(Call::Groups), 0);
    open_payroll(&mut h);
    let access = h.w.access();
    assert!(matches!(
        access,
        Access::ProbablyNot {
            roles: RolesSeen::NoReaderRole { token_roles: false },
            ..
        }
    ));
    assert!(h.w.can_create(), "a 403 on a lookup refuses nothing");
    assert!(access_note(&access)
        .aside
        .unwrap()
        .contains("such as Directory Readers or Global Reader"));
}

#[test]
fn failures_fall_back_quietly() {
    // The user's own assignments: a network failure.
    let mut h = rita_with(&[ROLE_READ]);
    h.answer(Call::Roles, Err(Failure::Network));
    open_payroll(&mut h);
    assert!(matches!(
        h.w.access(),
        Access::ProbablyNot {
            roles: RolesSeen::Unknown { .. },
            ..
        }
    ));
    assert_eq!(
        access_note(&h.w.access()).aside.as_deref(),
        Some("We couldn't check your directory roles.")
    );
    // The groups: what was read counts, and the note says groups weren't all seen.
    let mut h = rita_with(&[ROLE_READ]);
    h.ok(Call::Roles, 200, role_page(&[]));
    h.ok(Call::Groups, 500, graph_error("UnknownError", "boom"));
    open_payroll(&mut h);
    assert!(matches!(
        h.w.access(),
        Access::ProbablyNot {
            roles: RolesSeen::WithoutGroups,
            ..
        }
    ));
}

#[test]
fn the_lookup_waits_for_both_who_and_what_was_granted() {
    let mut h = Harness::new(config());
    h.send(Msg::Start);
    h.send(Msg::GraphPermissions(granted(&[ROLE_READ])));
    assert_eq!(h.count(Call::Roles), 0, "who is signed in isn't known yet");
    h.ok(Call::Me, 200, me(RITA, "rita@contoso.example"));
    assert_eq!(h.count(Call::Roles), 1);
    // Asked once, however many messages follow.
    h.send(Msg::GraphPermissions(granted(&[ROLE_READ])));
    assert_eq!(h.count(Call::Roles), 1);

    // Permissions never known (a sender that can't read them): nothing asked, nothing held back.
    let mut h = Harness::new(config());
    h.send(Msg::Start);
    h.ok(Call::Me, 200, me(RITA, "rita@contoso.example"));
    open_payroll(&mut h);
    assert_eq!(h.count(Call::Roles), 0);
    assert!(matches!(
        h.w.access(),
        Access::ProbablyNot {
            roles: RolesSeen::Unknown { .. },
            ..
        }
    ));
    assert!(h.w.can_create());
}

#[test]
fn only_graphs_403_to_add_password_says_you_cant() {
    let mut h = rita_with(&[]);
    open_payroll(&mut h);
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(matches!(h.w.step(), Step::Describe(_)));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.ok(
        Call::AddPassword,
        403,
        graph_error(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
    );
    let Step::Describe(d) = h.w.step() else {
        panic!("back on Describe")
    };
    let message = &d.problem().unwrap().message;
    assert!(
        message.contains("Dev Dan (dan@contoso.example)"),
        "names the owners: {message}"
    );
    let access = h.w.access();
    assert_eq!(
        access,
        Access::Refused {
            owners: vec!["Dev Dan (dan@contoso.example)".into()]
        }
    );
    assert!(!h.w.can_create());
    let note = access_note(&access);
    assert_eq!(note.tone, Tone::Warning);
    assert_eq!(
        note.text,
        "You can't add secrets to this app: Microsoft Graph refused. Its owners (Dev Dan \
         (dan@contoso.example)) or an administrator whose role allows it (such as Application \
         Administrator) can; ask one of them, or ask to be added as an owner."
    );
    // Another app starts afresh.
    h.send(Msg::Leave(crate::wizard::Leave::BackToSearch));
    let mut other = payroll();
    other["id"] = json!(OTHER_APP);
    h.type_search("Payroll".into());
    h.open_app(other, owners(&[]));
    let access = h.w.access();
    assert!(matches!(&access, Access::ProbablyNot { owners, .. } if owners.is_empty()));
    assert!(access_note(&access).text.ends_with(
        "If it says no, ask an administrator whose role allows it (such as Application \
         Administrator): this app has no owners."
    ));
}

#[test]
fn the_words_of_every_verdict() {
    assert_eq!(access_note(&Access::Checking).tone, Tone::Checking);
    let unknown = access_note(&Access::Unknown {
        roles: RolesSeen::All,
    });
    assert_eq!(unknown.tone, Tone::Neutral);
    assert_eq!(
        unknown.text,
        "We couldn't read this app's owners, so we can't tell whether you can add a secret here; \
         Microsoft Graph decides when you try."
    );
    let refused = access_note(&Access::Refused { owners: vec![] });
    assert!(refused.text.contains("This app has no owners"));
    let scoped_group = access_note(&Access::Can(Grant::Role {
        name: "Rotator".into(),
        scope: Scope::ThisApp,
        source: Source::Group,
    }));
    assert_eq!(
        scoped_group.text,
        "Your role Rotator for this app, through a group you belong to, lets you add secrets to it."
    );
    assert_eq!(scoped_group.tone, Tone::Ok);
}

#[test]
fn sign_out_keeps_the_sign_ins_roles_and_forgets_the_lookup() {
    let mut h = rita_with(&[ROLE_READ]);
    h.send(Msg::TokenRoles(vec![APPLICATION_ADMINISTRATOR.into()]));
    h.ok(Call::Roles, 200, role_page(&[]));
    h.send(Msg::SignedOut);
    assert_eq!(h.w.user().token_roles(), [APPLICATION_ADMINISTRATOR]);
    assert_eq!(
        h.w.user().roles(),
        &crate::domain::access::RoleKnowledge::Unasked
    );
}
