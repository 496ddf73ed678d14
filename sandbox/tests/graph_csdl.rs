//! The sandbox's Graph property names are those of the official v1.0 CSDL (a verbatim excerpt is
//! kept in tests/fixtures so this runs on a clean checkout).

mod support;

use std::collections::HashMap;

use sandbox::identity::personas::{ADA, DAN};
use serde_json::{json, Value};
use support::*;

const EXCERPT: &str = include_str!("fixtures/graph-v1.0-csdl-excerpt.xml");

struct Csdl {
    /// type name -> (base type, property name -> property type)
    types: HashMap<String, (Option<String>, HashMap<String, String>)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

impl Csdl {
    fn parse(text: &str) -> Self {
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

    /// Every key of `value` is a property of `type_name`; complex values are checked in turn.
    fn check(&self, value: &Value, type_name: &str, path: &str) {
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

#[tokio::test]
async fn graph_responses_use_csdl_property_names() {
    let csdl = Csdl::parse(EXCERPT);
    let s = start().await;
    let ada = s.graph_token(&ADA).await;
    let dan = s.graph_token(&DAN).await;

    let (_, apps) = s.get_json("/graph/v1.0/applications", &ada).await;
    let apps = apps["value"].as_array().unwrap().clone();
    assert!(apps.len() >= 15);
    for app in &apps {
        csdl.check(app, "application", "applications[]");
    }
    let build_agent = apps
        .iter()
        .find(|a| a["displayName"] == "Build Agent")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, one) = s
        .get_json(
            &format!("/graph/v1.0/applications/{build_agent}?$select=id,keyCredentials"),
            &ada,
        )
        .await;
    assert!(one["keyCredentials"][0]["key"].is_string());
    csdl.check(&one, "application", "application");

    let payroll = apps
        .iter()
        .find(|a| a["displayName"] == "Payroll API")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, created) = s
        .post_json(
            &format!("/graph/v1.0/applications/{payroll}/addPassword"),
            &dan,
            &json!({"passwordCredential": {}}),
        )
        .await;
    assert_eq!(status, 200);
    csdl.check(&created, "passwordCredential", "addPassword");

    let (_, me) = s.get_json("/graph/v1.0/me", &dan).await;
    csdl.check(&me, "user", "me");
    let (_, owners) = s
        .get_json(&format!("/graph/v1.0/applications/{payroll}/owners"), &dan)
        .await;
    for o in owners["value"].as_array().unwrap() {
        csdl.check(o, "user", "owners[]");
    }
    let (_, roles) = s
        .get_json(
            "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole",
            &ada,
        )
        .await;
    assert!(!roles["value"].as_array().unwrap().is_empty());
    for r in roles["value"].as_array().unwrap() {
        csdl.check(r, "directoryRole", "memberOf[]");
    }
}

#[test]
fn the_checker_catches_a_wrong_name() {
    let csdl = Csdl::parse(EXCERPT);
    let wrong = json!({"displayName": "x", "passwordCredentials": [{"keyID": "typo"}]});
    let result = std::panic::catch_unwind(|| csdl.check(&wrong, "application", "app"));
    assert!(result.is_err());
}

/// When the full CSDL is next to the repository (../shared), the excerpt must still match it.
#[test]
fn excerpt_is_verbatim() {
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
    let mut lines = EXCERPT.lines().peekable();
    let mut blocks = 0;
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
        blocks += 1;
    }
    assert_eq!(blocks, 15);
}
