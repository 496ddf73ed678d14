//! The demo tenant's people (docs/contracts.md): identifiers shared with the app's config and tests.

/// The demo tenant.
pub const TENANT_ID: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
/// secret-wizard's own app registration (the only client the identity endpoints accept).
pub const CLIENT_ID: &str = "5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c";
/// The tenant's verified domain.
pub const DOMAIN: &str = "contoso.example";

/// Directory role template IDs, as Entra puts them in `wids`.
pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
pub const CLOUD_APPLICATION_ADMINISTRATOR: &str = "158c047a-c907-4556-b7ef-446551a6b5f7";
/// Every member of a tenant carries this template ID ("User") in `wids`.
pub const MEMBER_ROLE_TEMPLATE: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/// A person who can sign in to the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persona {
    pub oid: &'static str,
    pub upn: &'static str,
    pub name: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub job_title: &'static str,
    /// What the sign-in page says about them.
    pub role_label: &'static str,
    /// Directory role template IDs (`wids`), always including the member template.
    pub wids: &'static [&'static str],
}

pub const ADA: Persona = Persona {
    oid: "a0a0a0a0-0000-4000-8000-00000000ada1",
    upn: "ada@contoso.example",
    name: "Ada Admin",
    given_name: "Ada",
    surname: "Admin",
    job_title: "Identity Administrator",
    role_label: "Application Administrator",
    wids: &[APPLICATION_ADMINISTRATOR, MEMBER_ROLE_TEMPLATE],
};

pub const DAN: Persona = Persona {
    oid: "d0d0d0d0-0000-4000-8000-00000000da11",
    upn: "dan@contoso.example",
    name: "Dev Dan",
    given_name: "Dan",
    surname: "Developer",
    job_title: "Software Engineer",
    role_label: "Member, owner of Payroll API and Onboarding Portal",
    wids: &[MEMBER_ROLE_TEMPLATE],
};

pub const RITA: Persona = Persona {
    oid: "f0f0f0f0-0000-4000-8000-00000000f17a",
    upn: "rita@contoso.example",
    name: "Rita Reader",
    given_name: "Rita",
    surname: "Reader",
    job_title: "Auditor",
    role_label: "Member, read-only",
    wids: &[MEMBER_ROLE_TEMPLATE],
};

pub const ALL: [Persona; 3] = [ADA, DAN, RITA];

pub fn by_oid(oid: &str) -> Option<Persona> {
    ALL.into_iter().find(|p| p.oid == oid)
}

/// The display name of a directory role template the sandbox knows.
pub fn role_display_name(template_id: &str) -> Option<&'static str> {
    match template_id {
        APPLICATION_ADMINISTRATOR => Some("Application Administrator"),
        CLOUD_APPLICATION_ADMINISTRATOR => Some("Cloud Application Administrator"),
        _ => None,
    }
}
