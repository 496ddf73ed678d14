//! Azure built-in role definitions the sandbox knows, as data, and how Azure RBAC evaluates them;
//! and the one role assignment write the sandbox serves ([`put_role_assignment`], Role
//! Assignments - Create, sourced beside its code).
//!
//! Sources: Microsoft's "Azure built-in roles" reference (`built-in-roles.md` and
//! `built-in-roles/security.md` in MicrosoftDocs/azure-docs, role IDs and permission lists) and
//! ../shared/docs/azure-apis.md §2.7 and §2.10. The `actions` of Owner, Contributor, Reader and the
//! Key Vault roles, and the `dataActions` of the Key Vault data roles, follow that reference;
//! Contributor's `notActions` list is abridged to the entries that matter here (see the
//! sandbox README, "ARM and Key Vault").
//!
//! Evaluation follows Azure RBAC: an action is allowed when some role assigned at the scope or
//! above lists it in `actions` (or `dataActions`) and that same role does not exclude it in
//! `notActions` (`notDataActions`). `*` matches any run of characters; comparisons ignore case.

/// One built-in role definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleDefinition {
    /// The role definition's GUID (the same in every tenant for built-in roles).
    pub id: &'static str,
    pub name: &'static str,
    pub actions: &'static [&'static str],
    pub not_actions: &'static [&'static str],
    pub data_actions: &'static [&'static str],
    pub not_data_actions: &'static [&'static str],
}

/// The control-plane actions Key Vault Administrator and the Key Vault data roles share.
const KEY_VAULT_DATA_ROLE_ACTIONS: &[&str] = &[
    "Microsoft.Authorization/*/read",
    "Microsoft.Insights/alertRules/*",
    "Microsoft.Resources/deployments/*",
    "Microsoft.Resources/subscriptions/resourceGroups/read",
    "Microsoft.Support/*",
    "Microsoft.KeyVault/checkNameAvailability/read",
    "Microsoft.KeyVault/deletedVaults/read",
    "Microsoft.KeyVault/locations/*/read",
    "Microsoft.KeyVault/vaults/*/read",
    "Microsoft.KeyVault/operations/read",
];

pub const OWNER: RoleDefinition = RoleDefinition {
    id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    name: "Owner",
    actions: &["*"],
    not_actions: &[],
    data_actions: &[],
    not_data_actions: &[],
};

pub const CONTRIBUTOR: RoleDefinition = RoleDefinition {
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    name: "Contributor",
    actions: &["*"],
    not_actions: &[
        "Microsoft.Authorization/*/Delete",
        "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action",
        "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete",
        "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write",
        "Microsoft.Purview/consents/delete",
    ],
    data_actions: &[],
    not_data_actions: &[],
};

pub const READER: RoleDefinition = RoleDefinition {
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    name: "Reader",
    actions: &["*/read"],
    not_actions: &[],
    data_actions: &[],
    not_data_actions: &[],
};

/// Management plane only: may write secrets through ARM, has no data-plane access.
pub const KEY_VAULT_CONTRIBUTOR: RoleDefinition = RoleDefinition {
    id: "f25e0fa2-a7c8-4377-a976-54943a77a395",
    name: "Key Vault Contributor",
    actions: &[
        "Microsoft.Authorization/*/read",
        "Microsoft.Insights/alertRules/*",
        "Microsoft.KeyVault/*",
        "Microsoft.Resources/deployments/*",
        "Microsoft.Resources/subscriptions/resourceGroups/read",
        "Microsoft.Support/*",
    ],
    not_actions: &[
        "Microsoft.KeyVault/locations/deletedVaults/purge/action",
        "Microsoft.KeyVault/hsmPools/*",
        "Microsoft.KeyVault/managedHsms/*",
    ],
    data_actions: &[],
    not_data_actions: &[],
};

pub const KEY_VAULT_ADMINISTRATOR: RoleDefinition = RoleDefinition {
    id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    name: "Key Vault Administrator",
    actions: KEY_VAULT_DATA_ROLE_ACTIONS,
    not_actions: &[],
    data_actions: &["Microsoft.KeyVault/vaults/*"],
    not_data_actions: &[],
};

/// Anything on secrets through the data plane; read-only on the management plane.
pub const KEY_VAULT_SECRETS_OFFICER: RoleDefinition = RoleDefinition {
    id: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    name: "Key Vault Secrets Officer",
    actions: KEY_VAULT_DATA_ROLE_ACTIONS,
    not_actions: &[],
    data_actions: &["Microsoft.KeyVault/vaults/secrets/*"],
    not_data_actions: &[],
};

/// Reads secret values and metadata through the data plane; nothing on the management plane.
pub const KEY_VAULT_SECRETS_USER: RoleDefinition = RoleDefinition {
    id: "4633458b-17de-408a-b874-0445c86b69e6",
    name: "Key Vault Secrets User",
    actions: &[],
    not_actions: &[],
    data_actions: &[
        "Microsoft.KeyVault/vaults/secrets/getSecret/action",
        "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
    ],
    not_data_actions: &[],
};

pub const ALL_ROLES: [RoleDefinition; 7] = [
    OWNER,
    CONTRIBUTOR,
    READER,
    KEY_VAULT_CONTRIBUTOR,
    KEY_VAULT_ADMINISTRATOR,
    KEY_VAULT_SECRETS_OFFICER,
    KEY_VAULT_SECRETS_USER,
];

/// Data-plane actions of Key Vault secrets (Microsoft.KeyVault resource provider operations).
pub mod data_actions {
    pub const SET: &str = "Microsoft.KeyVault/vaults/secrets/setSecret/action";
    pub const GET: &str = "Microsoft.KeyVault/vaults/secrets/getSecret/action";
    pub const READ_METADATA: &str = "Microsoft.KeyVault/vaults/secrets/readMetadata/action";
    pub const UPDATE: &str = "Microsoft.KeyVault/vaults/secrets/update/action";
    pub const DELETE: &str = "Microsoft.KeyVault/vaults/secrets/delete";
    pub const RECOVER: &str = "Microsoft.KeyVault/vaults/secrets/recover/action";
    pub const PURGE: &str = "Microsoft.KeyVault/vaults/secrets/purge/action";
}

/// Management-plane actions the sandbox checks.
pub mod actions {
    pub const VAULTS_READ: &str = "Microsoft.KeyVault/vaults/read";
    pub const SECRETS_READ: &str = "Microsoft.KeyVault/vaults/secrets/read";
    pub const SECRETS_WRITE: &str = "Microsoft.KeyVault/vaults/secrets/write";
}

pub fn by_id(id: &str) -> Option<RoleDefinition> {
    ALL_ROLES
        .into_iter()
        .find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Azure RBAC pattern matching: `*` matches any run of characters (also none), case-insensitive.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    fn go(p: &[u8], a: &[u8]) -> bool {
        match p.split_first() {
            None => a.is_empty(),
            Some((b'*', rest)) => (0..=a.len()).any(|i| go(rest, &a[i..])),
            Some((c, rest)) => a
                .split_first()
                .is_some_and(|(d, a_rest)| c.eq_ignore_ascii_case(d) && go(rest, a_rest)),
        }
    }
    go(pattern.as_bytes(), action.as_bytes())
}

impl RoleDefinition {
    /// Whether this role grants the management-plane `action`.
    pub fn allows_action(&self, action: &str) -> bool {
        self.actions.iter().any(|p| action_matches(p, action))
            && !self.not_actions.iter().any(|p| action_matches(p, action))
    }

    /// Whether this role grants the data-plane `action`.
    pub fn allows_data_action(&self, action: &str) -> bool {
        self.data_actions.iter().any(|p| action_matches(p, action))
            && !self
                .not_data_actions
                .iter()
                .any(|p| action_matches(p, action))
    }

    /// `{actions, notActions, dataActions, notDataActions}` as the permissions API shows it.
    pub fn permission_json(&self) -> serde_json::Value {
        serde_json::json!({
            "actions": self.actions,
            "notActions": self.not_actions,
            "dataActions": self.data_actions,
            "notDataActions": self.not_data_actions,
        })
    }
}

/// Whether `scope` equals `ancestor` or lies below it (ARM ids compare case-insensitively).
pub fn scope_within(scope: &str, ancestor: &str) -> bool {
    let scope = scope.trim_end_matches('/');
    let ancestor = ancestor.trim_end_matches('/');
    scope.len() >= ancestor.len()
        && scope.as_bytes()[..ancestor.len()].eq_ignore_ascii_case(ancestor.as_bytes())
        && (scope.len() == ancestor.len() || scope.as_bytes()[ancestor.len()] == b'/')
}

/// The action a role assignment needs at its scope.
pub const ROLE_ASSIGNMENTS_WRITE: &str = "Microsoft.Authorization/roleAssignments/write";

mod assign;

pub use assign::put as put_role_assignment;

#[cfg(test)]
mod tests;
