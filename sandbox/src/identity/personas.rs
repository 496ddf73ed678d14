//! The demo tenant's people (docs/contracts.md): identifiers shared with the app's config and tests.

/// The demo tenant.
pub const TENANT_ID: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
/// secret-wizard's own app registration (the only client the identity endpoints accept).
pub const CLIENT_ID: &str = "5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c";
/// The tenant's verified domain.
pub const DOMAIN: &str = "contoso.example";

/// Directory role template IDs (their definitions and who holds them are in `graph::directory::roles`).
pub use crate::graph::directory::roles::{
    APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR,
    MEMBER_ROLE_TEMPLATE,
};

/// A person who can sign in to the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Persona {
    pub oid: &'static str,
    pub upn: &'static str,
    pub name: &'static str,
    pub given_name: &'static str,
    pub surname: &'static str,
    pub job_title: &'static str,
    /// What the sign-in page says about them. Their roles are role assignments (`graph::directory::roles`).
    pub role_label: &'static str,
}

pub const ADA: Persona = Persona {
    oid: "a0a0a0a0-0000-4000-8000-00000000ada1",
    upn: "ada@contoso.example",
    name: "Ada Admin",
    given_name: "Ada",
    surname: "Admin",
    job_title: "Identity Administrator",
    role_label: "Application Administrator",
};

pub const DAN: Persona = Persona {
    oid: "d0d0d0d0-0000-4000-8000-00000000da11",
    upn: "dan@contoso.example",
    name: "Dev Dan",
    given_name: "Dan",
    surname: "Developer",
    job_title: "Software Engineer",
    role_label: "Member, owner of Payroll API and Onboarding Portal",
};

pub const RITA: Persona = Persona {
    oid: "f0f0f0f0-0000-4000-8000-00000000f17a",
    upn: "rita@contoso.example",
    name: "Rita Reader",
    given_name: "Rita",
    surname: "Reader",
    job_title: "Auditor",
    role_label: "Member, read-only",
};

/// A Global Administrator who owns nothing.
pub const GINA: Persona = Persona {
    oid: "b0b0b0b0-0000-4000-8000-0000000091aa",
    upn: "gina@contoso.example",
    name: "Gina Global",
    given_name: "Gina",
    surname: "Global",
    job_title: "IT Director",
    role_label: "Global Administrator, owns no apps",
};

/// A developer whose only role is the custom "Application Credential Rotator", held through the
/// role-assignable group "App Credential Rotators".
pub const RORY: Persona = Persona {
    oid: "e0e0e0e0-0000-4000-8000-00000000a0e1",
    upn: "rory@contoso.example",
    name: "Rory Rotator",
    given_name: "Rory",
    surname: "Rotator",
    job_title: "Platform Engineer",
    role_label: "Member of App Credential Rotators (custom role: Application Credential Rotator)",
};

/// A developer who is Application Administrator for Inventory Service only.
pub const SAM: Persona = Persona {
    oid: "c0c0c0c0-0000-4000-8000-000000005a11",
    upn: "sam@contoso.example",
    name: "Sam Scoped",
    given_name: "Sam",
    surname: "Scoped",
    job_title: "Software Engineer",
    role_label: "Application Administrator for Inventory Service only",
};

pub const ALL: [Persona; 6] = [ADA, DAN, RITA, GINA, RORY, SAM];

pub fn by_oid(oid: &str) -> Option<Persona> {
    ALL.into_iter().find(|p| p.oid == oid)
}
