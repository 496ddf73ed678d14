//! The cross-check's classification: copy found, no copy, orphan vault secret, expired.

use super::*;
use crate::rotation::crosscheck::{belongs_to, cross_check, ExpMatch, FindingKind};
use crate::rotation::scan::VaultScanState;

#[test]
fn a_tagged_vault_secret_is_the_copy_of_its_credential() {
    let app = payroll();
    let s = secret(
        "payroll-api-client-secret",
        wizard_tags(OTHER),
        Some(days(200)),
    );
    let check = cross_check(
        &app,
        &[listed(DEV_VAULT, "kv-contoso-dev", vec![s])],
        &now(),
    );
    assert_eq!(check.vaults_checked, 1);
    let row = check.row(OTHER).unwrap();
    assert!(row.active);
    assert_eq!(row.copies.len(), 1);
    let copy = &row.copies[0];
    assert_eq!(copy.vault_name, "kv-contoso-dev");
    assert_eq!(copy.secret_name, "payroll-api-client-secret");
    assert_eq!(
        copy.version.as_deref(),
        Some("0123456789abcdef0123456789abcdef")
    );
    assert_eq!(copy.exp, ExpMatch::Matches);
    assert!(copy.is_at(&DEV_VAULT.to_uppercase(), "PAYROLL-API-CLIENT-SECRET"));
    // The other credentials have no copy, and nothing needs attention.
    assert!(check.row(OLD).unwrap().copies.is_empty());
    assert!(check.row(EXPIRED).unwrap().copies.is_empty());
    assert!(check.findings.is_empty());
}

#[test]
fn a_credential_without_a_tagged_secret_has_no_copy() {
    let app = payroll();
    let unrelated = secret("reporting-db-password", tags(&[]), None);
    let check = cross_check(
        &app,
        &[listed(DEV_VAULT, "kv-contoso-dev", vec![unrelated])],
        &now(),
    );
    assert!(check.rows.iter().all(|r| r.copies.is_empty()));
    assert!(
        check.findings.is_empty(),
        "an untagged secret isn't the app's"
    );
}

#[test]
fn a_vault_secret_naming_a_removed_credential_is_an_orphan() {
    let app = payroll();
    let orphan = secret("payroll-old", wizard_tags(GONE), Some(days(-30)));
    let check = cross_check(
        &app,
        &[listed(DEV_VAULT, "kv-contoso-dev", vec![orphan])],
        &now(),
    );
    assert_eq!(check.findings.len(), 1);
    let f = &check.findings[0];
    assert_eq!(f.kind, FindingKind::CredentialGone);
    assert_eq!(
        f.kind.label(),
        "Points at a credential that no longer exists"
    );
    assert_eq!(f.copy.secret_name, "payroll-old");
    assert_eq!(f.copy.credential_id.as_deref(), Some(GONE));
    assert!(check.rows.iter().all(|r| r.copies.is_empty()));
}

#[test]
fn a_vault_secret_of_an_expired_credential_is_flagged_and_still_its_copy() {
    let app = payroll();
    let stale = secret("payroll-2023", wizard_tags(EXPIRED), Some(days(-30)));
    let check = cross_check(
        &app,
        &[listed(DEV_VAULT, "kv-contoso-dev", vec![stale])],
        &now(),
    );
    assert_eq!(check.findings.len(), 1);
    assert_eq!(check.findings[0].kind, FindingKind::CredentialExpired);
    let row = check.row(EXPIRED).unwrap();
    assert!(!row.active);
    assert_eq!(row.copies.len(), 1);
}

#[test]
fn ownership_comes_from_any_of_the_tags_names_ignoring_case() {
    let app = payroll();
    // Microsoft's rotation function: CredentialId + ProviderAddress only, other spelling.
    let msft = secret(
        "a",
        tags(&[
            ("credentialid", &OLD.to_uppercase()),
            ("PROVIDERADDRESS", APP_ID),
        ]),
        None,
    );
    assert!(belongs_to(&msft, &app));
    // Only the client ID: the app's, but which secret it holds is unknown.
    let by_client = secret("b", tags(&[("ClientId", CLIENT_ID)]), None);
    assert!(belongs_to(&by_client, &app));
    // Only a CredentialId of this app.
    assert!(belongs_to(
        &secret("c", tags(&[("CredentialId", OTHER)]), None),
        &app
    ));
    // Another app's secret, and an empty tag value, are not ours.
    let other_app = secret(
        "d",
        tags(&[
            ("ProviderAddress", "11111111-1111-4111-8111-111111111111"),
            ("CredentialId", GONE),
        ]),
        None,
    );
    assert!(!belongs_to(&other_app, &app));
    assert!(!belongs_to(
        &secret("e", tags(&[("ClientId", " ")]), None),
        &app
    ));

    let check = cross_check(
        &app,
        &[listed(
            DEV_VAULT,
            "kv-contoso-dev",
            vec![msft, by_client, other_app],
        )],
        &now(),
    );
    let row = check.row(OLD).unwrap();
    assert_eq!(row.copies.len(), 1);
    assert_eq!(row.copies[0].exp, ExpMatch::NotSet);
    assert_eq!(check.findings.len(), 1);
    assert_eq!(check.findings[0].kind, FindingKind::NoCredentialId);
    assert_eq!(check.findings[0].copy.secret_name, "b");
}

#[test]
fn an_expiry_that_differs_from_the_credential_is_told_apart() {
    let app = payroll();
    let near = secret(
        "near",
        wizard_tags(OLD),
        Some(days(20) + Duration::seconds(30)),
    );
    let far = secret("far", wizard_tags(OTHER), Some(days(365)));
    let check = cross_check(
        &app,
        &[listed(DEV_VAULT, "kv-contoso-dev", vec![near, far])],
        &now(),
    );
    assert_eq!(check.row(OLD).unwrap().copies[0].exp, ExpMatch::Matches);
    assert_eq!(check.row(OTHER).unwrap().copies[0].exp, ExpMatch::Differs);
}

#[test]
fn vaults_not_checked_are_listed_with_their_reason_and_pending_ones_are_not_counted() {
    let app = payroll();
    let mut refused = listed(PROD_VAULT, "kv-contoso-prod", vec![]);
    refused.state = VaultScanState::NotChecked {
        message: "Not checked: you can't list secrets in kv-contoso-prod.".into(),
        details: Some("AuthorizationFailed · HTTP 403".into()),
    };
    let mut waiting = listed(DEV_VAULT, "kv-contoso-dev", vec![]);
    waiting.state = VaultScanState::Listing(vec![secret("x", wizard_tags(OLD), None)]);
    let check = cross_check(&app, &[refused, waiting], &now());
    assert_eq!(check.vaults_checked, 0);
    assert_eq!(check.not_checked.len(), 1);
    assert_eq!(check.not_checked[0].vault_name, "kv-contoso-prod");
    assert!(check.not_checked[0]
        .message
        .contains("can't list secrets in kv-contoso-prod"));
    assert!(
        check.row(OLD).unwrap().copies.is_empty(),
        "half-read vaults don't count yet"
    );
}
