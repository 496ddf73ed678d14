//! A small Swagger 2.0 schema checker for the ARM and Key Vault tests (its own tests are in
//! keyvault_schemas.rs).
//!
//! It resolves `$ref`s (`#/definitions/X` in the same file and `other.json#/definitions/X` next
//! to it), and checks `type`, `required`, `properties`, `additionalProperties`, `items`, `allOf`,
//! `enum` and the `unixtime`/`int32`/`uuid`/`date-time` formats. It is strict where Swagger is
//! lenient, to catch a renamed or mistyped field: a property the schema does not declare is an
//! error unless the schema has `additionalProperties`. `null` counts as "absent" for a property
//! that is not required (Key Vault sends `"nextLink": null`). `readOnly` properties are fine in
//! responses.
//!
//! Used as `support::swagger`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The spec folders copied from ../shared/specs (see tests/fixtures/specs/README.md).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/specs")
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The Swagger files of one folder, by file name.
pub struct Spec {
    files: HashMap<String, Value>,
}

impl Spec {
    /// Loads every `*.json` directly in `folder` (not the examples).
    pub fn load(folder: &str) -> Self {
        let dir = fixtures().join(folder);
        let mut files = HashMap::new();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.insert(name, read_json(&path));
            }
        }
        Self { files }
    }

    /// An example's response body: `examples/{name}`, status `status`.
    pub fn example(folder: &str, name: &str, status: &str) -> Value {
        let example = read_json(&fixtures().join(folder).join("examples").join(name));
        example["responses"][status]["body"].clone()
    }

    /// Checks `instance` against `definitions/{definition}` of `file`; returns every problem.
    pub fn check(&self, file: &str, definition: &str, instance: &Value) -> Vec<String> {
        let schema = self.resolve(file, &format!("#/definitions/{definition}"));
        let mut errors = Vec::new();
        self.walk(&schema.0, &schema.1, instance, "$", &mut errors);
        errors
    }

    /// Panics with every problem if `instance` does not fit.
    pub fn assert_valid(&self, file: &str, definition: &str, instance: &Value) {
        let errors = self.check(file, definition, instance);
        assert!(
            errors.is_empty(),
            "{file}#/definitions/{definition}: {errors:#?}\nin {instance:#}"
        );
    }

    /// (file the schema lives in, schema) for a `$ref` made from inside `from_file`.
    fn resolve(&self, from_file: &str, reference: &str) -> (String, Value) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = match file.trim_start_matches("./") {
            "" => from_file.to_owned(),
            other => other.to_owned(),
        };
        let doc = self
            .files
            .get(&file)
            .unwrap_or_else(|| panic!("$ref to {file}, which is not loaded"));
        let schema = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {reference} does not resolve in {file}"));
        (file, schema.clone())
    }

    /// Every property a schema declares, through `allOf`, with the file each schema is in.
    fn properties(&self, file: &str, schema: &Value, out: &mut Vec<(String, String, Value)>) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (f, s) = self.resolve(file, r);
            return self.properties(&f, &s, out);
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, s) in props {
                out.push((name.clone(), file.to_owned(), s.clone()));
            }
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.properties(file, part, out);
        }
    }

    fn required(&self, file: &str, schema: &Value, out: &mut Vec<String>) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (f, s) = self.resolve(file, r);
            return self.required(&f, &s, out);
        }
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.push(r.as_str().unwrap_or_default().to_owned());
        }
        for part in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.required(file, part, out);
        }
    }

    fn walk(&self, file: &str, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            let (f, s) = self.resolve(file, r);
            return self.walk(&f, &s, v, at, errors);
        }
        let declared_type = schema.get("type").and_then(Value::as_str);
        let is_object_schema = declared_type == Some("object")
            || schema.get("properties").is_some()
            || schema.get("allOf").is_some();
        if is_object_schema && declared_type.is_none_or(|t| t == "object") {
            return self.walk_object(file, schema, v, at, errors);
        }
        let ok = match declared_type {
            None => true,
            Some("string") => v.is_string(),
            Some("integer") => v.is_i64() || v.is_u64(),
            Some("number") => v.is_number(),
            Some("boolean") => v.is_boolean(),
            Some("array") => v.is_array(),
            Some(other) => panic!("schema type {other} at {at} is not supported"),
        };
        if !ok {
            errors.push(format!(
                "{at}: expected {}, found {v}",
                declared_type.unwrap_or("?")
            ));
            return;
        }
        if let (Some(allowed), Some(s)) = (schema.get("enum").and_then(Value::as_array), v.as_str())
        {
            if !allowed.iter().any(|a| a.as_str() == Some(s)) {
                errors.push(format!("{at}: {s:?} is not one of {allowed:?}"));
            }
        }
        match (schema.get("format").and_then(Value::as_str), v) {
            (Some("uuid"), Value::String(s)) if uuid::Uuid::parse_str(s).is_err() => {
                errors.push(format!("{at}: {s:?} is not a uuid"));
            }
            (Some("date-time"), Value::String(s))
                if chrono::DateTime::parse_from_rfc3339(s).is_err() =>
            {
                errors.push(format!("{at}: {s:?} is not an RFC 3339 date-time"));
            }
            (Some("int32"), Value::Number(n))
                if n.as_i64().is_none_or(|n| i32::try_from(n).is_err()) =>
            {
                errors.push(format!("{at}: {n} is not an int32"));
            }
            _ => {}
        }
        if let (Some(items), Some(array)) = (schema.get("items"), v.as_array()) {
            for (i, item) in array.iter().enumerate() {
                self.walk(file, items, item, &format!("{at}[{i}]"), errors);
            }
        }
    }

    fn walk_object(
        &self,
        file: &str,
        schema: &Value,
        v: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let Some(object) = v.as_object() else {
            errors.push(format!("{at}: expected an object, found {v}"));
            return;
        };
        let mut props = Vec::new();
        self.properties(file, schema, &mut props);
        let mut required = Vec::new();
        self.required(file, schema, &mut required);
        for name in &required {
            if object.get(name).is_none_or(Value::is_null) {
                errors.push(format!("{at}: required property '{name}' is missing"));
            }
        }
        let additional = schema.get("additionalProperties");
        for (name, value) in object {
            let path = format!("{at}.{name}");
            match props.iter().find(|(n, _, _)| n == name) {
                Some(_) if value.is_null() && !required.contains(name) => {}
                Some((_, f, s)) => self.walk(f, s, value, &path, errors),
                None => match additional {
                    Some(s) if s.is_object() => self.walk(file, s, value, &path, errors),
                    Some(Value::Bool(true)) => {}
                    _ => errors.push(format!("{path}: the schema declares no such property")),
                },
            }
        }
    }
}

/// Key paths (with `[]` for array items) present in `example` but not in `actual`, or present
/// in both with different JSON types. Arrays compare their first items.
pub fn missing_shape(example: &Value, actual: &Value) -> Vec<String> {
    fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
    fn go(e: &Value, a: &Value, at: &str, out: &mut Vec<String>) {
        if kind(e) != kind(a) {
            out.push(format!(
                "{at}: {} in the example, {} here",
                kind(e),
                kind(a)
            ));
            return;
        }
        match (e, a) {
            (Value::Object(e), Value::Object(a)) => {
                for (k, ev) in e {
                    match a.get(k) {
                        None => out.push(format!("{at}.{k}")),
                        Some(av) => go(ev, av, &format!("{at}.{k}"), out),
                    }
                }
            }
            (Value::Array(e), Value::Array(a)) => {
                if let (Some(e), Some(a)) = (e.first(), a.first()) {
                    go(e, a, &format!("{at}[]"), out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    go(example, actual, "$", &mut out);
    out
}
