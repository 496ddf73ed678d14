use super::*;

#[test]
fn wildcards_and_case() {
    assert!(action_matches(
        "*",
        "Microsoft.KeyVault/vaults/secrets/write"
    ));
    assert!(action_matches("*/read", "Microsoft.KeyVault/vaults/read"));
    assert!(!action_matches("*/read", "Microsoft.KeyVault/vaults/write"));
    assert!(action_matches(
        "Microsoft.KeyVault/vaults/*/read",
        "microsoft.keyvault/VAULTS/secrets/read"
    ));
    assert!(!action_matches(
        "Microsoft.KeyVault/vaults/*/read",
        "Microsoft.KeyVault/vaults/secrets/write"
    ));
}

#[test]
fn the_secret_write_story_of_azure_apis_md() {
    use actions::SECRETS_WRITE;
    assert!(OWNER.allows_action(SECRETS_WRITE));
    assert!(CONTRIBUTOR.allows_action(SECRETS_WRITE));
    assert!(KEY_VAULT_CONTRIBUTOR.allows_action(SECRETS_WRITE));
    assert!(!KEY_VAULT_SECRETS_OFFICER.allows_action(SECRETS_WRITE));
    assert!(!KEY_VAULT_ADMINISTRATOR.allows_action(SECRETS_WRITE));
    assert!(!READER.allows_action(SECRETS_WRITE));
    assert!(READER.allows_action(actions::SECRETS_READ));
    assert!(!CONTRIBUTOR.allows_action("Microsoft.Authorization/roleAssignments/write"));

    assert!(KEY_VAULT_SECRETS_OFFICER.allows_data_action(data_actions::SET));
    assert!(KEY_VAULT_SECRETS_OFFICER.allows_data_action(data_actions::PURGE));
    assert!(KEY_VAULT_ADMINISTRATOR.allows_data_action(data_actions::SET));
    assert!(KEY_VAULT_SECRETS_USER.allows_data_action(data_actions::GET));
    assert!(!KEY_VAULT_SECRETS_USER.allows_data_action(data_actions::SET));
    assert!(!KEY_VAULT_CONTRIBUTOR.allows_data_action(data_actions::GET));
    assert!(!OWNER.allows_data_action(data_actions::GET));
}

#[test]
fn scopes_nest_on_segment_boundaries() {
    assert!(scope_within(
        "/subscriptions/a/resourceGroups/x",
        "/subscriptions/a"
    ));
    assert!(scope_within("/SUBSCRIPTIONS/A", "/subscriptions/a"));
    assert!(!scope_within("/subscriptions/ab", "/subscriptions/a"));
    assert!(!scope_within("/subscriptions", "/subscriptions/a"));
}
