//! An application's federated identity credentials, sans-IO: list, create and delete requests,
//! their answers read with `wire::Members`, and Graph's refusals in words with the remedy.
//!
//! Sources (../shared/specs/graph-docs): application-list-federatedidentitycredentials.md (`GET
//! /applications/{id}/federatedIdentityCredentials`, a `value` collection),
//! application-post-federatedidentitycredentials.md (`POST` the object, `201 Created` with it;
//! `Application.ReadWrite.All`, the delegated permission addPassword already needs; at most 20
//! per application), federatedidentitycredential-delete.md (`DELETE …/{id}`, `204 No Content`),
//! federatedidentitycredential.md (the properties). A duplicate issuer and subject is refused with
//! 400 `InvalidFederatedIdentityCredentialValue` (Azure/azure-workload-identity issue #434); the
//! 21st credential's refusal is not documented, so it is recognised from what the app already
//! lists (20), never from Graph's words.

use serde_json::json;

use super::requests::{get, url};
use super::types::Page;
use super::GraphError;
use crate::model::{FederatedIdentityCredential, NewFederatedCredential};
use crate::net::{encode, HttpRequest, HttpResponse, Method, Resource};
use crate::wire::{expect_success, parse_with, Members, Mismatch};

/// Graph's code for a duplicate issuer and subject (Azure/azure-workload-identity #434).
pub const DUPLICATE_CODE: &str = "InvalidFederatedIdentityCredentialValue";

fn collection(base: &str, object_id: &str) -> String {
    url(
        base,
        &format!(
            "/applications/{}/federatedIdentityCredentials",
            encode(object_id)
        ),
    )
}

/// `GET /applications/{id}/federatedIdentityCredentials`.
pub fn list_federated(base: &str, object_id: &str) -> HttpRequest {
    get(collection(base, object_id))
}

/// `POST /applications/{id}/federatedIdentityCredentials` with the one audience.
pub fn create_federated(base: &str, object_id: &str, new: &NewFederatedCredential) -> HttpRequest {
    let mut body = json!({
        "name": new.name,
        "issuer": new.issuer,
        "subject": new.subject,
        "audiences": [new.audience],
    });
    if let Some(d) = new.description.as_deref().filter(|d| !d.trim().is_empty()) {
        body["description"] = json!(d);
    }
    HttpRequest::new(Method::Post, collection(base, object_id), Resource::Graph)
        .json(body.to_string())
}

/// `DELETE /applications/{id}/federatedIdentityCredentials/{credential id}`.
pub fn delete_federated(base: &str, object_id: &str, credential_id: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Delete,
        format!("{}/{}", collection(base, object_id), encode(credential_id)),
        Resource::Graph,
    )
}

/// One credential.
pub fn federated_credential(m: Members<'_>) -> Result<FederatedIdentityCredential, Mismatch> {
    Ok(FederatedIdentityCredential {
        id: m.required_text("id")?,
        name: m.required_text("name")?,
        issuer: m.required_text("issuer")?,
        subject: m.required_text("subject")?,
        audiences: m.texts("audiences")?.unwrap_or_default(),
        description: m.text("description")?,
    })
}

/// The answer to [`list_federated`] (one page; an app holds at most 20).
pub fn parse_federated_list(
    res: &HttpResponse,
) -> Result<Page<FederatedIdentityCredential>, GraphError> {
    parse_with(res, |m| {
        Ok(Page {
            value: m.page_value("value", federated_credential)?,
            next_link: m.text("@odata.nextLink")?,
            count: m.count("@odata.count")?,
        })
    })
}

/// The answer to [`create_federated`]: the new credential.
pub fn parse_federated_created(
    res: &HttpResponse,
) -> Result<FederatedIdentityCredential, GraphError> {
    parse_with(res, federated_credential)
}

/// The answer to [`delete_federated`]: 204.
pub fn parse_federated_deleted(res: &HttpResponse) -> Result<(), GraphError> {
    expect_success(res)
}

/// What the wizard knows when Graph refuses a create or a delete.
pub struct Refused<'a> {
    pub app: &'a str,
    /// The app's owners, to name who can.
    pub owners: &'a [String],
    /// How many credentials the app listed before trying.
    pub listed: usize,
    /// Creating (true) or removing.
    pub creating: bool,
}

/// Graph's refusal in words: what happened, what to change or who can, and that nothing changed.
pub fn refusal_message(e: &GraphError, at: &Refused) -> String {
    let verb = if at.creating { "add" } else { "remove" };
    let nothing = if at.creating {
        "Nothing was added."
    } else {
        "Nothing was removed."
    };
    match e {
        GraphError::AuthorizationDenied(_) if at.owners.is_empty() => format!(
            "Microsoft Graph refused: you can't {verb} federated credentials on {}. It has no \
             owners, so ask an Application Administrator or Cloud Application Administrator. \
             {nothing}",
            at.app
        ),
        GraphError::AuthorizationDenied(_) => format!(
            "Microsoft Graph refused: you can't {verb} federated credentials on {}. Its owners \
             ({}) or an Application Administrator or Cloud Application Administrator can; ask \
             one of them. {nothing}",
            at.app,
            at.owners.join(", ")
        ),
        _ if e.info().is_some_and(|i| i.code == DUPLICATE_CODE) => format!(
            "{} already has a federated credential with this issuer and subject, so it already \
             trusts this workload: use that one, or change the subject. {nothing}",
            at.app
        ),
        GraphError::BadRequest(_)
            if at.creating && at.listed >= crate::domain::federated::MAX_PER_APP =>
        {
            format!(
            "Microsoft Graph refused: {} already has {} federated credentials, the most an app \
             can have. Remove one it no longer needs (on Review), then try again. {nothing}",
            at.app, at.listed
        )
        }
        GraphError::BadRequest(i) => format!(
            "Microsoft Graph refused the credential: \u{201c}{}\u{201d} Change what it names and \
             try again. {nothing}",
            i.message.trim()
        ),
        GraphError::NotFound(_) if !at.creating => {
            "The federated credential is no longer on the app: someone removed it already.".into()
        }
        GraphError::Throttled { .. } | GraphError::ServiceUnavailable { .. } => {
            format!("Microsoft Graph is busy. Try again in a minute. {nothing}")
        }
        other => other.user_message(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(status: u16, code: &str, message: &str) -> GraphError {
        GraphError::from_response(&HttpResponse::new(
            status,
            json!({"error": {"code": code, "message": message}}).to_string(),
        ))
    }

    #[test]
    fn requests_are_graphs() {
        let new = NewFederatedCredential {
            name: "gh-prod".into(),
            issuer: "https://token.actions.githubusercontent.com".into(),
            subject: "repo:contoso/payroll:environment:prod".into(),
            audience: "api://AzureADTokenExchange".into(),
            description: Some("  ".into()),
        };
        let r = create_federated("https://graph.microsoft.com/", "obj 1", &new);
        assert_eq!(r.method, Method::Post);
        assert_eq!(
            r.url,
            "https://graph.microsoft.com/v1.0/applications/obj%201/federatedIdentityCredentials"
        );
        let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            json!({"name": "gh-prod", "issuer": "https://token.actions.githubusercontent.com",
                   "subject": "repo:contoso/payroll:environment:prod",
                   "audiences": ["api://AzureADTokenExchange"]})
        );
        let described = NewFederatedCredential {
            description: Some("deploys payroll".into()),
            ..new
        };
        let r = create_federated("https://g", "o", &described);
        assert!(r
            .body
            .as_deref()
            .unwrap()
            .contains("\"description\":\"deploys payroll\""));
        let l = list_federated("https://g", "o");
        assert_eq!(
            (l.method, l.url.as_str()),
            (
                Method::Get,
                "https://g/v1.0/applications/o/federatedIdentityCredentials"
            )
        );
        let d = delete_federated("https://g", "o", "c-1");
        assert_eq!(
            (d.method, d.url.as_str()),
            (
                Method::Delete,
                "https://g/v1.0/applications/o/federatedIdentityCredentials/c-1"
            )
        );
    }

    #[test]
    fn answers_are_read_and_named_by_path() {
        // The list page's example (application-list-federatedidentitycredentials.md).
        let body = json!({"value": [{
            "@odata.id": "https://graph.microsoft.com/v2/…/federatedIdentityCredentials/bdad0963",
            "id": "bdad0963-4a7a-43ae-b569-e67e1da3f2c0", "name": "testing",
            "issuer": "https://login.microsoftonline.com/3d1e2be9-a10a-4a0c-8380-7ce190f98ed9/v2.0",
            "subject": "a7d388c3-5e3f-4959-ac7d-786b3383006a",
            "description": "This is my test  federated identity credential 03",
            "audiences": ["api://AzureADTokenExchange"]}]});
        let page = parse_federated_list(&HttpResponse::new(200, body.to_string())).unwrap();
        assert_eq!(page.value[0].name, "testing");
        assert_eq!(page.value[0].audiences, ["api://AzureADTokenExchange"]);
        // The create page's example: `description: null`.
        let created = json!({"id": "d9b7bf1e-429e-4678-8132-9b00c9846cc4", "name": "testing02",
            "issuer": "https://login.microsoftonline.com/3d1e2be9-a10a-4a0c-8380-7ce190f98ed9/v2.0",
            "subject": "a7d388c3-5e3f-4959-ac7d-786b3383006a", "description": null,
            "audiences": ["api://AzureADTokenExchange"]});
        let c = parse_federated_created(&HttpResponse::new(201, created.to_string())).unwrap();
        assert_eq!(c.description, None);
        // The reader agrees with the model's derived reference.
        let reference: FederatedIdentityCredential = serde_json::from_value(created).unwrap();
        assert_eq!(c, reference);
        let wrong = json!({"value": [{"id": "x", "name": 3, "issuer": "i", "subject": "s"}]});
        match parse_federated_list(&HttpResponse::new(200, wrong.to_string())) {
            Err(GraphError::Malformed { detail, .. }) => {
                assert!(detail.contains("value[0].name"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
        assert!(parse_federated_deleted(&HttpResponse::new(204, "")).is_ok());
    }

    #[test]
    fn readers_read_as_the_model_derives() {
        let created = json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications('bcd7c908-1c4d-4d48-93ee-ff38349a75c8')/federatedIdentityCredentials/$entity",
            "id": "d9b7bf1e-429e-4678-8132-9b00c9846cc4", "name": "testing02",
            "issuer": "https://login.microsoftonline.com/3d1e2be9-a10a-4a0c-8380-7ce190f98ed9/v2.0",
            "subject": "a7d388c3-5e3f-4959-ac7d-786b3383006a", "description": "deploys",
            "audiences": ["api://AzureADTokenExchange"]});
        let malformed = |e: &GraphError| matches!(e, GraphError::Malformed { .. });
        crate::wire::oracle::same_as_derived(
            &created.to_string(),
            |text| parse_federated_created(&HttpResponse::new(201, text)),
            malformed,
        );
        let page = json!({"@odata.nextLink": "https://graph.test/next", "value": [created]});
        crate::wire::oracle::same_as_derived(
            &page.to_string(),
            |text| parse_federated_list(&HttpResponse::new(200, text)),
            malformed,
        );
    }

    #[test]
    fn refusals_say_what_to_change_or_who_can() {
        let owners = ["Dev Dan (dan@contoso.example)".to_string()];
        let at = |listed, creating| Refused {
            app: "Payroll API",
            owners: &owners,
            listed,
            creating,
        };
        let dup = err(
            400,
            DUPLICATE_CODE,
            "The combination of issuer and subject must be unique for the application.",
        );
        assert!(refusal_message(&dup, &at(3, true)).starts_with(
            "Payroll API already has a federated credential with this issuer and subject"
        ));
        let limit = err(400, "Request_BadRequest", "whatever the service says");
        let m = refusal_message(&limit, &at(20, true));
        assert!(
            m.contains(
                "already has 20 federated credentials, the most an app can have. Remove one"
            ),
            "{m}"
        );
        let other = refusal_message(&limit, &at(4, true));
        assert!(
            other.contains("\u{201c}whatever the service says\u{201d} Change what it names"),
            "{other}"
        );
        let denied = err(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        );
        let m = refusal_message(&denied, &at(0, false));
        assert!(m.contains("can't remove federated credentials on Payroll API. Its owners (Dev Dan (dan@contoso.example))"), "{m}");
        assert!(m.ends_with("Nothing was removed."));
        let nobody = Refused {
            owners: &[],
            ..at(0, true)
        };
        assert!(refusal_message(&denied, &nobody).contains("It has no owners"));
        let gone = err(404, "Request_ResourceNotFound", "x");
        assert!(refusal_message(&gone, &at(1, false)).contains("someone removed it already"));
    }
}
