//! For the clients' tests: the readers against the derived `Deserialize` they replace.
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::fmt::Debug;

/// What a member is replaced by in the variants.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(1),
        json!(-1),
        json!(1.5),
        json!("x"),
        json!("2024-01-01T00:00:00Z"),
        json!(true),
        json!([]),
        json!(["a"]),
        json!([{}]),
        json!({}),
        json!({"x": "y"}),
    ]
}

/// `doc` and each variant of it: one member somewhere (the first two items of an array
/// deep) removed or replaced.
pub fn variants(doc: &Value) -> Vec<Value> {
    let mut out = vec![doc.clone()];
    match doc {
        Value::Object(map) => {
            for (key, member) in map {
                let mut without = map.clone();
                without.remove(key);
                out.push(Value::Object(without));
                // A derived struct also reads an array positionally (`[]`: every member
                // default); the readers don't (an object is an object).
                let others = replacements()
                    .into_iter()
                    .filter(|r| !(member.is_object() && r.is_array()));
                for r in others.chain(variants(member).into_iter().skip(1)) {
                    let mut changed = map.clone();
                    changed.insert(key.clone(), r);
                    out.push(Value::Object(changed));
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate().take(2) {
                for r in variants(item).into_iter().skip(1) {
                    let mut changed = items.clone();
                    changed[i] = r;
                    out.push(Value::Array(changed));
                }
            }
        }
        _ => {}
    }
    out
}

/// Every variant of `doc` reads the same through `ours` as through `T`'s derived
/// `Deserialize`: the same value, or an error both (ours `malformed`).
pub fn same_as_derived<T: DeserializeOwned + PartialEq + Debug, E: Debug>(
    doc: &str,
    ours: impl Fn(String) -> Result<T, E>,
    malformed: impl Fn(&E) -> bool,
) {
    let doc: Value = serde_json::from_str(doc).unwrap();
    let all = variants(&doc);
    let mut errors = 0;
    for v in &all {
        let text = v.to_string();
        match (ours(text.clone()), serde_json::from_str::<T>(&text)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
            (Err(e), Err(_)) if malformed(&e) => errors += 1,
            (a, b) => panic!("{text}:\n ours {a:?}\n derived {b:?}"),
        }
    }
    assert!(
        all.len() > 10 && errors > 0,
        "{} variants, {errors} errors",
        all.len()
    );
}
