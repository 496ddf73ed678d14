//! ARM: subscriptions, vaults and permissions per persona.

mod support;

use axum::http::{Method, StatusCode};
use sandbox::identity::personas::Persona;
use serde_json::{json, Value};
use support::harness::{self, Harness, ADA, ARM_KV_API, DAN, DEV_SUB, PROD_SUB, RITA};

const SUBS_API: &str = "api-version=2022-12-01";
const PERMS_API: &str = "api-version=2022-04-01";

async fn subscription_names(h: &Harness, who: Persona) -> Vec<String> {
    let r = h
        .arm(who, Method::GET, "/subscriptions", SUBS_API, None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["displayName"].as_str().unwrap().to_owned())
        .collect()
}

async fn vault_names(h: &Harness, who: Persona, sub: &str) -> Vec<String> {
    let r = h
        .arm(
            who,
            Method::GET,
            &format!("/subscriptions/{sub}/providers/Microsoft.KeyVault/vaults"),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn subscriptions_are_the_ones_with_a_role() {
    let h = Harness::default();
    assert_eq!(
        subscription_names(&h, ADA).await,
        ["Contoso Dev", "Contoso Prod"]
    );
    assert_eq!(
        subscription_names(&h, DAN).await,
        ["Contoso Dev", "Contoso Prod"]
    );
    assert_eq!(subscription_names(&h, RITA).await, ["Contoso Dev"]);
    let r = h
        .arm(ADA, Method::GET, "/subscriptions", SUBS_API, None)
        .await;
    let dev = &r.json["value"][0];
    assert_eq!(dev["id"], format!("/subscriptions/{DEV_SUB}"));
    assert_eq!(dev["subscriptionId"], DEV_SUB);
    assert_eq!(dev["tenantId"], sandbox::TENANT_ID);
    assert_eq!(dev["state"], "Enabled");
    assert_eq!(dev["authorizationSource"], "RoleBased");
    assert!(dev["subscriptionPolicies"]["quotaId"].is_string());
    assert_eq!(r.json["count"], json!({"type": "Total", "value": 2}));
    let one = h
        .arm(
            RITA,
            Method::GET,
            &format!("/subscriptions/{PROD_SUB}"),
            SUBS_API,
            None,
        )
        .await;
    assert_eq!(one.status, StatusCode::NOT_FOUND);
    assert_eq!(one.codes().0, "SubscriptionNotFound");
}

#[tokio::test]
async fn vaults_are_the_ones_the_caller_may_read() {
    let h = Harness::default();
    assert_eq!(
        vault_names(&h, ADA, DEV_SUB).await,
        ["kv-contoso-dev", "kv-contoso-locked"]
    );
    assert_eq!(vault_names(&h, ADA, PROD_SUB).await, ["kv-contoso-prod"]);
    assert_eq!(
        vault_names(&h, DAN, DEV_SUB).await,
        ["kv-contoso-dev", "kv-contoso-locked"]
    );
    // Dan reads the prod vault through his Reader assignment there (Key Vault Secrets User alone
    // carries no control-plane action), but may not write its secrets.
    assert_eq!(vault_names(&h, DAN, PROD_SUB).await, ["kv-contoso-prod"]);
    assert_eq!(
        vault_names(&h, RITA, DEV_SUB).await,
        ["kv-contoso-dev", "kv-contoso-locked"]
    );
    let r = h
        .arm(
            RITA,
            Method::GET,
            &format!("/subscriptions/{PROD_SUB}/providers/Microsoft.KeyVault/vaults"),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.codes().0, "AuthorizationFailed");

    let r = h
        .arm(
            DAN,
            Method::GET,
            &format!("/subscriptions/{DEV_SUB}/providers/Microsoft.KeyVault/vaults"),
            ARM_KV_API,
            None,
        )
        .await;
    let locked = r.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "kv-contoso-locked")
        .unwrap();
    assert_eq!(locked["id"], harness::locked_vault_id());
    assert_eq!(
        locked["properties"]["vaultUri"],
        "http://127.0.0.1:8400/kv/kv-contoso-locked/"
    );
    assert_eq!(locked["properties"]["networkAcls"]["defaultAction"], "Deny");
    assert_eq!(locked["properties"]["enableRbacAuthorization"], true);
    assert_eq!(locked["properties"]["tenantId"], sandbox::TENANT_ID);
}

#[tokio::test]
async fn vault_lists_page_with_top() {
    let h = Harness::default();
    let token = h.arm_token(ADA);
    let mut next = Some(format!(
        "/arm/subscriptions/{DEV_SUB}/providers/Microsoft.KeyVault/vaults?{ARM_KV_API}&$top=1"
    ));
    let mut names = Vec::new();
    while let Some(link) = next {
        let r = h
            .call(
                Method::GET,
                link.trim_start_matches(harness::BASE),
                Some(&token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json["value"].as_array().unwrap().len(), 1);
        names.push(r.json["value"][0]["name"].as_str().unwrap().to_owned());
        next = r.json["nextLink"].as_str().map(str::to_owned);
    }
    assert_eq!(names, ["kv-contoso-dev", "kv-contoso-locked"]);
    let bad = h
        .arm(
            ADA,
            Method::GET,
            &format!("/subscriptions/{DEV_SUB}/providers/Microsoft.KeyVault/vaults?$top=zero"),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn vault_uris_follow_the_base_url() {
    let h = Harness::new(sandbox::Options {
        base_url: "http://localhost:9400".into(),
        ..Default::default()
    });
    let r = h
        .arm(ADA, Method::GET, &harness::dev_vault_id(), ARM_KV_API, None)
        .await;
    assert_eq!(
        r.json["properties"]["vaultUri"],
        "http://localhost:9400/kv/kv-contoso-dev/"
    );
}

fn actions(reply: &Value, key: &str) -> Vec<String> {
    reply["value"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn permissions_show_actions_and_data_actions_at_a_vault() {
    let h = Harness::default();
    let at = |vault: String| format!("{vault}/providers/Microsoft.Authorization/permissions");
    let dan_dev = h
        .arm(
            DAN,
            Method::GET,
            &at(harness::dev_vault_id()),
            PERMS_API,
            None,
        )
        .await;
    assert_eq!(dan_dev.status, StatusCode::OK, "{}", dan_dev.text);
    assert!(actions(&dan_dev.json, "actions").contains(&"Microsoft.KeyVault/*".to_owned()));
    assert!(actions(&dan_dev.json, "dataActions")
        .contains(&"Microsoft.KeyVault/vaults/secrets/*".to_owned()));
    for entry in dan_dev.json["value"].as_array().unwrap() {
        for key in ["actions", "notActions", "dataActions", "notDataActions"] {
            assert!(entry[key].is_array(), "{entry}");
        }
    }

    let dan_prod = h
        .arm(
            DAN,
            Method::GET,
            &at(harness::prod_vault_id()),
            PERMS_API,
            None,
        )
        .await;
    // Reader's `*/read` only: no `Microsoft.KeyVault/vaults/secrets/write`.
    assert_eq!(actions(&dan_prod.json, "actions"), ["*/read"]);
    assert_eq!(
        actions(&dan_prod.json, "dataActions"),
        [
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        ]
    );

    // Inherited from the subscription: Ada's Owner and Key Vault Administrator.
    let ada = h
        .arm(
            ADA,
            Method::GET,
            &at(harness::prod_vault_id()),
            PERMS_API,
            None,
        )
        .await;
    assert!(actions(&ada.json, "actions").contains(&"*".to_owned()));
    assert!(actions(&ada.json, "dataActions").contains(&"Microsoft.KeyVault/vaults/*".to_owned()));
    let rita = h
        .arm(
            RITA,
            Method::GET,
            &at(harness::dev_vault_id()),
            PERMS_API,
            None,
        )
        .await;
    assert_eq!(actions(&rita.json, "actions"), ["*/read"]);
    let rita_prod = h
        .arm(
            RITA,
            Method::GET,
            &at(harness::prod_vault_id()),
            PERMS_API,
            None,
        )
        .await;
    assert_eq!(rita_prod.json, json!({"value": []}));
}
