//! Evaluates `Microsoft.Authorization/permissions` the way Azure RBAC does: an action is
//! allowed when some entry grants it (`*` matches any run of characters, case-insensitively)
//! and that same entry's `notActions` do not take it away.

use super::types::Permission;

/// The control-plane action the ARM secret write needs.
pub const SECRETS_WRITE: &str = "Microsoft.KeyVault/vaults/secrets/write";
/// The data action the data-plane secret write needs.
pub const SECRETS_SET_DATA: &str = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
/// Reading a vault's properties.
pub const VAULTS_READ: &str = "Microsoft.KeyVault/vaults/read";

/// Glob match with `*` as the only wildcard, ignoring ASCII case.
fn matches(pattern: &str, action: &str) -> bool {
    let p = pattern.as_bytes();
    let a = action.as_bytes();
    let (mut pi, mut ai) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ai < a.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ai));
            pi += 1;
        } else if pi < p.len() && p[pi].eq_ignore_ascii_case(&a[ai]) {
            pi += 1;
            ai += 1;
        } else if let Some((sp, sa)) = star {
            pi = sp + 1;
            ai = sa + 1;
            star = Some((sp, sa + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Whether `perms` allow `action`; `data` selects data actions instead of control-plane ones.
pub fn can(perms: &[Permission], action: &str, data: bool) -> bool {
    perms.iter().any(|p| {
        let (allow, deny) = if data {
            (&p.data_actions, &p.not_data_actions)
        } else {
            (&p.actions, &p.not_actions)
        };
        allow.iter().any(|x| matches(x, action)) && !deny.iter().any(|x| matches(x, action))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn perm(actions: &[&str], not_actions: &[&str]) -> Permission {
        Permission {
            actions: actions.iter().map(|s| s.to_string()).collect(),
            not_actions: not_actions.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn glob_matching() {
        assert!(matches("*", SECRETS_WRITE));
        assert!(matches("Microsoft.KeyVault/*", SECRETS_WRITE));
        assert!(matches("microsoft.keyvault/vaults/*/write", SECRETS_WRITE));
        assert!(matches("*/write", SECRETS_WRITE));
        assert!(matches(
            "Microsoft.KeyVault/vaults/secrets/write",
            SECRETS_WRITE
        ));
        assert!(!matches(
            "Microsoft.KeyVault/vaults/secrets/read",
            SECRETS_WRITE
        ));
        assert!(!matches("*/read", SECRETS_WRITE));
        assert!(!matches(
            "Microsoft.KeyVault/vaults/secrets/write/x",
            SECRETS_WRITE
        ));
        assert!(!matches("Microsoft.Storage/*", SECRETS_WRITE));
        assert!(matches("a**b", "ab"));
    }

    #[test]
    fn built_in_roles() {
        // Key Vault Contributor: Microsoft.KeyVault/* (control plane only).
        let kv_contributor = [perm(&["Microsoft.KeyVault/*"], &[])];
        assert!(can(&kv_contributor, SECRETS_WRITE, false));
        assert!(!can(&kv_contributor, SECRETS_SET_DATA, true));
        // Contributor: * minus authorization writes.
        let contributor = [perm(&["*"], &["Microsoft.Authorization/*/Write"])];
        assert!(can(&contributor, SECRETS_WRITE, false));
        assert!(!can(
            &contributor,
            "Microsoft.Authorization/roleAssignments/write",
            false
        ));
        // Reader: */read.
        let reader = [perm(&["*/read"], &[])];
        assert!(can(&reader, VAULTS_READ, false));
        assert!(!can(&reader, SECRETS_WRITE, false));
        // Key Vault Secrets Officer: read-only control plane, secrets data actions.
        let officer = [Permission {
            actions: vec!["Microsoft.KeyVault/vaults/*/read".into()],
            data_actions: vec!["Microsoft.KeyVault/vaults/secrets/*".into()],
            ..Default::default()
        }];
        assert!(!can(&officer, SECRETS_WRITE, false));
        assert!(can(&officer, SECRETS_SET_DATA, true));
    }

    #[test]
    fn not_actions_only_limit_their_own_entry() {
        let one = [perm(&["*"], &["Microsoft.KeyVault/vaults/secrets/*"])];
        assert!(!can(&one, SECRETS_WRITE, false));
        let two = [
            perm(&["*"], &["Microsoft.KeyVault/vaults/secrets/*"]),
            perm(&["Microsoft.KeyVault/*"], &[]),
        ];
        assert!(can(&two, SECRETS_WRITE, false));
        let data_deny = [Permission {
            data_actions: vec!["*".into()],
            not_data_actions: vec!["Microsoft.KeyVault/vaults/secrets/setSecret/action".into()],
            ..Default::default()
        }];
        assert!(!can(&data_deny, SECRETS_SET_DATA, true));
        assert!(!can(&[], SECRETS_WRITE, false));
    }
}
