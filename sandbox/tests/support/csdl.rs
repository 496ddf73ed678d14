//! A checker of Graph property names against the official v1.0 CSDL, read from a verbatim excerpt
//! in tests/fixtures (so it runs on a clean checkout), and the check that an excerpt still matches
//! the full CSDL when ../shared is next to the repository.
//!
//! Used as `support::csdl` by the Graph tests.

use std::collections::HashMap;

use serde_json::Value;

/// The types of a CSDL excerpt: type name -> (base type, property name -> property type).
pub struct Csdl {
    types: HashMap<String, (Option<String>, HashMap<String, String>)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

impl Csdl {
    /// Reads the `EntityType`/`ComplexType` elements of `text` with their properties and
    /// navigation properties.
    pub fn parse(text: &str) -> Self {
        let mut types = HashMap::new();
        let mut current: Option<String> = None;
        for line in text.lines().map(str::trim) {
            if line.starts_with("<EntityType ") || line.starts_with("<ComplexType ") {
                let name = attr(line, "Name").unwrap();
                let base =
                    attr(line, "BaseType").map(|b| b.trim_start_matches("graph.").to_owned());
                types.insert(name.clone(), (base, HashMap::new()));
                current = Some(name);
            } else if line.starts_with("<Property ") || line.starts_with("<NavigationProperty ") {
                let entry = types.get_mut(current.as_ref().unwrap()).unwrap();
                entry
                    .1
                    .insert(attr(line, "Name").unwrap(), attr(line, "Type").unwrap());
            }
        }
        Csdl { types }
    }

    fn property_type(&self, type_name: &str, property: &str) -> Option<String> {
        let (base, props) = self.types.get(type_name)?;
        props
            .get(property)
            .cloned()
            .or_else(|| self.property_type(base.as_deref()?, property))
    }

    /// Every key of `value` (but `@odata.*`) is a property of `type_name`, its base types
    /// included; values of a type the excerpt holds are checked in turn. `path` names the value
    /// in the panic message.
    pub fn check(&self, value: &Value, type_name: &str, path: &str) {
        let Some(object) = value.as_object() else {
            return;
        };
        for (key, item) in object.iter().filter(|(k, _)| !k.starts_with("@odata.")) {
            let ty = self.property_type(type_name, key).unwrap_or_else(|| {
                panic!("{path}.{key} is not a property of microsoft.graph.{type_name}")
            });
            let inner = ty
                .trim_start_matches("Collection(")
                .trim_end_matches(')')
                .trim_start_matches("graph.");
            if self.types.contains_key(inner) {
                match item {
                    Value::Array(items) => items
                        .iter()
                        .for_each(|i| self.check(i, inner, &format!("{path}.{key}[]"))),
                    other => self.check(other, inner, &format!("{path}.{key}")),
                }
            }
        }
    }
}

/// When the full CSDL is next to the repository (../shared), every `<!-- lines a-b -->` block of
/// `excerpt` must still be those lines of it, and there must be `blocks` of them.
pub fn assert_verbatim(excerpt: &str, blocks: usize) {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/graph-metadata/v1.0-Prod.csdl");
    let Ok(full) = std::fs::read_to_string(&full) else {
        eprintln!(
            "note: {} not present; excerpt not re-checked",
            full.display()
        );
        return;
    };
    let full: Vec<&str> = full.split('\n').collect();
    let mut lines = excerpt.lines();
    let mut found = 0;
    while let Some(line) = lines.next() {
        let Some(range) = line
            .strip_prefix("<!-- lines ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let (a, b) = range.split_once('-').unwrap();
        let (a, b): (usize, usize) = (a.parse().unwrap(), b.parse().unwrap());
        for n in a..=b {
            assert_eq!(lines.next(), Some(full[n - 1]), "line {n}");
        }
        found += 1;
    }
    assert_eq!(found, blocks);
}

/// The excerpt with `group` and the role-management types (unifiedRoleAssignment,
/// unifiedRoleDefinition, unifiedRolePermission).
pub const ROLES_EXCERPT: &str = include_str!("../fixtures/graph-v1.0-csdl-roles-excerpt.xml");
