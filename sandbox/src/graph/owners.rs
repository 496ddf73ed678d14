//! Who an application's owners are, as Graph returns them: `GET /applications/{id}/owners` and
//! `$expand=owners` on `GET /applications` read the same directory objects from here.
//!
//! Sources: "List owners" (../shared/specs/graph-docs/application-list-owners.md): a collection
//! of `directoryObject`s, the method "supports the OData query parameters"; the application
//! resource (application.md): `owners` is a `directoryObject` collection that "Supports
//! `$expand`". An owner is a user or a service principal (the application resource: "Directory
//! objects that are owners of the application"; Entra's app ownership lets a service principal
//! own an app), each with its `@odata.type` (the batching doc's example and Graph's list
//! answers carry it on every directory object of a mixed collection).
//!
//! The people behind the personas are in `identity::personas`; the tenant's service principals
//! in [`super::service_principals`]. On top of them the directory holds [`DIRECTORY_USERS`]
//! generated colleagues ("Contoso Owner 01" …), so that seeds can give an app more owners than
//! `$expand` returns (20: see [`super::query::EXPAND_MAX_ITEMS`]).

use std::sync::LazyLock;

use serde_json::{json, Map, Value};

use super::directory::seed::stable_guid;
use super::{me, service_principals};
use crate::identity::personas;

/// How many generated colleagues the directory holds.
pub const DIRECTORY_USERS: usize = 40;

/// The properties of an owner that `$select` may name (on `/owners` and inside
/// `$expand=owners(...)`): those of `directoryObject`, `user` and `servicePrincipal` that the
/// sandbox serves. Graph reads `$select` on a `directoryObject` collection against the derived
/// types; anything else is refused here (strict: sandbox/README.md).
pub const OWNER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "givenName",
    "surname",
    "jobTitle",
    "appId",
    "servicePrincipalType",
];

/// A generated colleague: object ID, display name, UPN.
pub struct DirectoryUser {
    pub oid: String,
    pub name: String,
    pub upn: String,
}

static USERS: LazyLock<Vec<DirectoryUser>> = LazyLock::new(|| {
    (1..=DIRECTORY_USERS)
        .map(|i| DirectoryUser {
            oid: stable_guid(&format!("directory-user|{i}")),
            name: format!("Contoso Owner {i:02}"),
            upn: format!("owner{i:02}@{}", personas::DOMAIN),
        })
        .collect()
});

/// The object ID of generated colleague `i` (1-based, wraps around).
pub fn directory_user(i: usize) -> &'static str {
    &USERS[(i.max(1) - 1) % DIRECTORY_USERS].oid
}

/// The name Graph would show first for an owner: a user's `displayName` (else UPN), a service
/// principal's `displayName`; `None` for an object ID the directory does not know.
pub fn owner_name(oid: &str) -> Option<String> {
    let object = owner_json(oid)?;
    object
        .get("displayName")
        .or_else(|| object.get("userPrincipalName"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The full directory object of owner `oid`, typed (`@odata.type`), or `None` when unknown.
pub fn owner_json(oid: &str) -> Option<Map<String, Value>> {
    let value = if let Some(p) = personas::by_oid(oid) {
        me::user_json(&p, true)
    } else if let Some(u) = USERS.iter().find(|u| u.oid.eq_ignore_ascii_case(oid)) {
        let (given, surname) = u.name.rsplit_once(' ').unwrap_or((&u.name, ""));
        json!({
            "@odata.type": "#microsoft.graph.user",
            "id": u.oid,
            "businessPhones": [],
            "displayName": u.name,
            "givenName": given,
            "jobTitle": null,
            "mail": u.upn,
            "mobilePhone": null,
            "officeLocation": null,
            "preferredLanguage": null,
            "surname": surname,
            "userPrincipalName": u.upn,
        })
    } else {
        let sp = service_principals::find(oid)?;
        let mut m = Map::new();
        m.insert(
            "@odata.type".into(),
            json!("#microsoft.graph.servicePrincipal"),
        );
        m.extend(sp.to_graph_json());
        Value::Object(m)
    };
    match value {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Owner `oid` narrowed to `select` (when given), keeping `@odata.type` and `id` as Graph does
/// for directory objects; a property the object's type lacks is left out.
pub fn project_owner(oid: &str, select: Option<&[String]>) -> Option<Value> {
    let full = owner_json(oid)?;
    let Some(names) = select else {
        return Some(Value::Object(full));
    };
    let mut out = Map::new();
    for key in ["@odata.type", "id"] {
        if let Some(v) = full.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for n in names {
        if let Some(v) = full.get(n) {
            out.insert(n.clone(), v.clone());
        }
    }
    Some(Value::Object(out))
}

/// The known owners among `oids`, in order (an unknown object ID is skipped, as a deleted
/// object is).
pub fn known(oids: &[String]) -> impl Iterator<Item = &String> {
    oids.iter().filter(|o| owner_json(o).is_some())
}

/// `$select` inside `$expand=owners(...)` or on `/owners`: each name must be an
/// [`OWNER_PROPERTIES`] entry (matched case-insensitively, returned in Graph's spelling).
pub fn parse_owner_select(value: &str) -> Result<Vec<String>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| {
            OWNER_PROPERTIES
                .iter()
                .find(|p| p.eq_ignore_ascii_case(name))
                .map(|p| (*p).to_owned())
                .ok_or_else(|| {
                    format!(
                        "Parsing OData Select and Expand failed: Could not find a property named '{name}' on type 'microsoft.graph.directoryObject'."
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::personas::DAN;

    #[test]
    fn owners_are_people_colleagues_and_service_principals() {
        assert_eq!(owner_name(DAN.oid).as_deref(), Some("Dev Dan"));
        assert_eq!(
            owner_name(directory_user(3)).as_deref(),
            Some("Contoso Owner 03")
        );
        let sp = stable_guid("Payroll Worker|sp");
        assert_eq!(owner_name(&sp).as_deref(), Some("Payroll Worker"));
        assert_eq!(
            owner_json(&sp).unwrap()["@odata.type"],
            "#microsoft.graph.servicePrincipal"
        );
        assert_eq!(owner_name("00000000-0000-4000-8000-000000000000"), None);
        let narrowed = project_owner(DAN.oid, Some(&["displayName".into()])).unwrap();
        let mut keys: Vec<&String> = narrowed.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["@odata.type", "displayName", "id"]);
        // A user has no appId: left out, not null.
        let user = project_owner(DAN.oid, Some(&["appId".into()])).unwrap();
        assert!(user.get("appId").is_none());
        assert_eq!(
            parse_owner_select("id, DISPLAYNAME").unwrap(),
            ["id", "displayName"]
        );
        assert!(parse_owner_select("id,shoeSize").is_err());
        assert_eq!(directory_user(1), directory_user(DIRECTORY_USERS + 1));
    }
}
