//! Test-only structural check of JSON against a Swagger 2.0 definition from the copied specs
//! (tests/fixtures/specs): `$ref` (also across files), `allOf`, `type`, `required`, `enum`
//! (unless modelled as a string), `properties`, `additionalProperties`, and `readOnly`.
//! Properties the schema does not declare are errors unless `additionalProperties` allows them,
//! which is stricter than Swagger and what a request body should satisfy anyway.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

/// Requests must not carry read-only properties; responses may.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Request,
    Response,
}

pub(crate) struct Spec {
    dir: String,
    files: HashMap<String, Value>,
}

pub(crate) fn spec_dir(name: &str) -> String {
    format!("{}/tests/fixtures/specs/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Reads a file of the copied specs (for example an `examples/…` file) as JSON.
pub(crate) fn read_json(spec: &str, file: &str) -> Value {
    let path = format!("{}/{file}", spec_dir(spec));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

impl Spec {
    pub(crate) fn new(spec: &str) -> Self {
        Spec {
            dir: spec.to_string(),
            files: HashMap::new(),
        }
    }

    fn file(&mut self, name: &str) -> Value {
        let name = name.trim_start_matches("./").to_string();
        if !self.files.contains_key(&name) {
            let v = read_json(&self.dir, &name);
            self.files.insert(name.clone(), v);
        }
        self.files[&name].clone()
    }

    /// Resolves `file#/definitions/X` (or `#/definitions/X` relative to `current`).
    fn resolve(&mut self, current: &str, reference: &str) -> (String, Value) {
        let (file, pointer) = reference.split_once('#').expect("a # in the $ref");
        let file = if file.is_empty() {
            current.to_string()
        } else {
            file.trim_start_matches("./").to_string()
        };
        let doc = self.file(&file);
        let schema = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{file}{pointer} not found"))
            .clone();
        (file, schema)
    }

    /// Errors found checking `value` against definition `def` of `file`; empty when it fits.
    pub(crate) fn check(
        &mut self,
        file: &str,
        def: &str,
        value: &Value,
        mode: Mode,
    ) -> Vec<String> {
        let (file, schema) = self.resolve(file, &format!("#/definitions/{def}"));
        let mut errors = Vec::new();
        self.walk(&file, &schema, value, "$", mode, &mut errors);
        errors
    }

    /// Declared properties (through `allOf`), required names, and `additionalProperties`.
    fn shape(
        &mut self,
        file: &str,
        schema: &Value,
        props: &mut BTreeMap<String, (String, Value)>,
        required: &mut Vec<String>,
        extra: &mut Option<(String, Value)>,
    ) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (f, s) = self.resolve(file, r);
            return self.shape(&f, &s, props, required, extra);
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.shape(file, part, props, required, extra);
        }
        for (k, v) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            props.insert(k.clone(), (file.to_string(), v.clone()));
        }
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            required.push(r.as_str().unwrap_or_default().to_string());
        }
        if let Some(a) = schema.get("additionalProperties") {
            *extra = Some((file.to_string(), a.clone()));
        }
    }

    fn walk(
        &mut self,
        file: &str,
        schema: &Value,
        value: &Value,
        path: &str,
        mode: Mode,
        errors: &mut Vec<String>,
    ) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (f, s) = self.resolve(file, r);
            return self.walk(&f, &s, value, path, mode, errors);
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let type_ok = match ty {
            Some("object") => value.is_object(),
            Some("string") => value.is_string(),
            Some("integer") => value.is_i64() || value.is_u64(),
            Some("number") => value.is_number(),
            Some("boolean") => value.is_boolean(),
            Some("array") => value.is_array(),
            _ => true,
        };
        if !type_ok {
            errors.push(format!("{path}: expected {}", ty.unwrap_or("?")));
            return;
        }
        let as_string = schema.pointer("/x-ms-enum/modelAsString") == Some(&Value::Bool(true));
        if let (Some(allowed), false) = (schema.get("enum").and_then(Value::as_array), as_string) {
            if !allowed.contains(value) {
                errors.push(format!("{path}: {value} is not one of {allowed:?}"));
            }
        }
        if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
            for (i, v) in arr.iter().enumerate() {
                self.walk(file, items, v, &format!("{path}[{i}]"), mode, errors);
            }
        }
        let Some(obj) = value.as_object() else { return };
        let (mut props, mut required, mut extra) = (BTreeMap::new(), Vec::new(), None);
        self.shape(file, schema, &mut props, &mut required, &mut extra);
        for r in &required {
            if !obj.contains_key(r) {
                errors.push(format!("{path}: missing required \"{r}\""));
            }
        }
        for (k, v) in obj {
            let sub = format!("{path}.{k}");
            match (props.get(k).cloned(), &extra) {
                (Some((f, s)), _) => {
                    if mode == Mode::Request && s.get("readOnly") == Some(&Value::Bool(true)) {
                        errors.push(format!("{sub}: read-only, must not be sent"));
                    }
                    self.walk(&f, &s, v, &sub, mode, errors);
                }
                (None, Some((f, Value::Object(s)))) => {
                    let s = Value::Object(s.clone());
                    let f = f.clone();
                    self.walk(&f, &s, v, &sub, mode, errors);
                }
                (None, Some((_, Value::Bool(true)))) => {}
                (None, _) => errors.push(format!("{sub}: not declared by the schema")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_checker_catches_each_kind_of_mistake() {
        let mut spec = Spec::new("keyvault-arm-2025-05-01");
        let ok =
            json!({"tags": {"a": "b"}, "properties": {"value": "v", "attributes": {"exp": 1}}});
        assert_eq!(
            spec.check(
                "secrets.json",
                "SecretCreateOrUpdateParameters",
                &ok,
                Mode::Request
            ),
            Vec::<String>::new()
        );
        let cases = [
            (json!({"tags": {}}), "missing required \"properties\""),
            (
                json!({"properties": {"value": 5}}),
                "$.properties.value: expected string",
            ),
            (
                json!({"properties": {"valu": "v"}}),
                "$.properties.valu: not declared",
            ),
            (json!({"properties": {"secretUri": "u"}}), "read-only"),
            (
                json!({"properties": {"attributes": {"exp": "soon"}}}),
                "expected integer",
            ),
            (
                json!({"tags": {"a": 1}, "properties": {}}),
                "$.tags.a: expected string",
            ),
        ];
        for (body, expect) in cases {
            let errors = spec.check(
                "secrets.json",
                "SecretCreateOrUpdateParameters",
                &body,
                Mode::Request,
            );
            assert!(
                errors.iter().any(|e| e.contains(expect)),
                "{body} → {errors:?}"
            );
        }
    }
}
