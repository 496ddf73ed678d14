use super::*;

fn held() -> KeyCredential {
    KeyCredential {
        key_id: "6a0a2b84-0000-4000-8000-000000000001".into(),
        display_name: Some("CN=old".into()),
        start: DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        end: DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
        custom_key_identifier: "AAAA".into(),
        key: "c2FuZGJveA==".into(),
    }
}

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn an_existing_credential_must_come_back_exactly_with_its_key() {
    let h = held();
    let mut back = obj(h.to_graph_json(true));
    assert_eq!(unchanged(&h, &back), Ok(()));
    // The same instant written another way is the same date.
    back.insert("startDateTime".into(), json!("2026-01-01T00:00:00.000Z"));
    assert_eq!(unchanged(&h, &back), Ok(()));
    let mut keyless = back.clone();
    keyless.insert("key".into(), Value::Null);
    assert!(unchanged(&h, &keyless).unwrap_err().contains("not allowed"));
    let mut renamed = back.clone();
    renamed.insert("displayName".into(), json!("CN=new"));
    assert!(unchanged(&h, &renamed).is_err());
    let mut moved = back;
    moved.insert("endDateTime".into(), json!("2028-01-01T00:00:00Z"));
    assert!(unchanged(&h, &moved).is_err());
}

#[test]
fn new_credentials_need_type_usage_and_a_real_certificate() {
    let base = json!({"type": "AsymmetricX509Cert", "usage": "Verify", "key": "c2FuZGJveA==", "startDateTime": "2026-01-01T00:00:00Z"});
    let err = new_credential(&obj(base.clone())).unwrap_err();
    assert!(err.contains("not a valid X.509 certificate"), "{err}");
    let mut bad_usage = obj(base.clone());
    bad_usage.insert("usage".into(), json!("Encrypt"));
    assert!(new_credential(&bad_usage)
        .unwrap_err()
        .contains("Acceptable values are Sign, Verify"));
    let mut symmetric = obj(base.clone());
    symmetric.insert("type".into(), json!("Symmetric"));
    assert!(new_credential(&symmetric).is_err());
    let mut not_b64 = obj(base);
    not_b64.insert("key".into(), json!("%%%"));
    assert!(new_credential(&not_b64).unwrap_err().contains("Edm.Binary"));
}

#[test]
fn unknown_key_ids_unknown_members_and_duplicates_are_refused() {
    let h = held();
    let mut stranger = obj(h.to_graph_json(true));
    stranger.insert(
        "keyId".into(),
        json!("6a0a2b84-0000-4000-8000-0000000000ff"),
    );
    assert!(
        replacement(std::slice::from_ref(&h), &[Value::Object(stranger)])
            .unwrap_err()
            .contains("No key credential found")
    );
    let mut extra = obj(h.to_graph_json(true));
    extra.insert("secretText".into(), json!("x"));
    assert!(
        replacement(std::slice::from_ref(&h), &[Value::Object(extra)])
            .unwrap_err()
            .contains("does not exist on type")
    );
    let twice = vec![h.to_graph_json(true), h.to_graph_json(true)];
    assert!(replacement(std::slice::from_ref(&h), &twice)
        .unwrap_err()
        .contains("more than once"));
    // Sending nothing removes everything: the collection is replaced.
    assert!(replacement(&[h], &[]).unwrap().is_empty());
}

#[test]
fn the_thumbprint_is_upper_hex_sha1() {
    assert_eq!(
        thumbprint(b"abc"),
        "A9993E364706816ABA3E25717850C26C9CD0D89D"
    );
}
