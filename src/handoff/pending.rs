//! From a parsed link to what the wizard needs, and the limits a link is checked against.
//!
//! A valid hand-off is kept in `sessionStorage` under [`STORAGE_KEY`] (as its query string:
//! app, lifetime, vault, name; never a secret or a token) until the user is signed in, so it
//! survives a redirect sign-in too. It is removed once the wizard has it.

use chrono::NaiveDate;

use super::link::{Handoff, Limits};
use crate::config::Config;
use crate::wizard::Prepared;

/// The `sessionStorage` key of a hand-off waiting for sign-in.
pub const STORAGE_KEY: &str = "secret-wizard.handoff";

/// The limits of this site: `policy.maxLifetimeDays` and `vault.allowed`.
pub fn limits(config: &Config, today: NaiveDate) -> Limits<'_> {
    Limits {
        max_days: config.policy.max_lifetime_days,
        today,
        allowed_vaults: &config.vault.allowed,
    }
}

/// Where the wizard goes for a hand-off: Describe, with the lifetime chosen, and a note saying
/// what the link prepared ("Prepared from a hand-off link: client ID …, vault …, secret name …").
pub fn prepared(h: &Handoff, today: NaiveDate) -> Prepared {
    let mut parts = vec![format!("client ID {}", h.app)];
    if let Some(v) = &h.vault {
        // Never the name alone: a link can name any vault, so say which one it is.
        parts.push(format!(
            "vault {} (resource group {}, subscription {})",
            v.name, v.resource_group, v.subscription_id
        ));
    }
    if let Some(n) = &h.name {
        parts.push(format!("secret name {n}"));
    }
    Prepared {
        app_id: h.app.clone(),
        choice: h.lifetime_choice(today),
        describe: true,
        vault_id: h.vault.as_ref().map(|v| v.id.clone()),
        vault_from_link: true,
        secret_name: h.name.clone(),
        note: Some(format!(
            "Prepared from a hand-off link: {}.",
            parts.join(", ")
        )),
    }
}

/// What the admin typed into the "Hand-off link" form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormFields {
    pub app: String,
    /// Days as typed or picked (empty: the developer chooses).
    pub days: String,
    /// `YYYY-MM-DD` (used instead of `days` when not empty).
    pub until: String,
    pub vault: String,
    pub name: String,
}

impl FormFields {
    /// The query the fields make (trimmed; empty fields left out). Run it through
    /// [`super::parse`] to validate it exactly as the developer's browser will.
    pub fn query(&self) -> String {
        use crate::net::encode as pct;
        let mut parts = vec![format!("handoff={}", super::VERSION)];
        parts.push(format!("app={}", pct(self.app.trim())));
        let (days, until) = (self.days.trim(), self.until.trim());
        if !until.is_empty() {
            parts.push(format!("until={}", pct(until)));
        } else if !days.is_empty() {
            parts.push(format!("days={}", pct(days)));
        }
        for (k, v) in [("vault", self.vault.trim()), ("name", self.name.trim())] {
            if !v.is_empty() {
                parts.push(format!("{k}={}", pct(v)));
            }
        }
        format!("?{}", parts.join("&"))
    }
}

/// Which query to use: the page's own when it is a hand-off (valid or not), else the stored one.
pub fn choose_query<'a>(
    page: &'a str,
    stored: Option<&'a str>,
    limits: &Limits,
) -> Option<&'a str> {
    match super::link::parse(page, limits) {
        Ok(None) => stored,
        _ => Some(page),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lifetime::{LifetimeChoice, LifetimePreset};
    use crate::handoff::{encode, parse, Lifetime};

    const APP: &str = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn config() -> Config {
        Config::parse(include_str!("../../static/config.sandbox.json")).unwrap()
    }

    #[test]
    fn a_link_becomes_a_describe_run_with_vault_and_name_kept() {
        let h = Handoff {
            app: APP.into(),
            lifetime: Some(Lifetime::Days(180)),
            vault: None,
            name: Some("payroll-api-client-secret".into()),
        };
        let p = prepared(&h, today());
        assert_eq!(p.app_id, APP);
        assert!(p.describe);
        assert_eq!(
            p.choice,
            Some(LifetimeChoice::Preset(LifetimePreset::Days180))
        );
        assert_eq!(p.secret_name.as_deref(), Some("payroll-api-client-secret"));
        assert_eq!(p.vault_id, None);
        assert_eq!(
            p.note.as_deref(),
            Some(&*format!(
                "Prepared from a hand-off link: client ID {APP}, secret name payroll-api-client-secret."
            ))
        );
    }

    #[test]
    fn a_links_vault_is_marked_as_the_links_and_named_with_where_it_is() {
        let id = "/subscriptions/c0de0002-7d3e-4a5b-9c8d-00000000f401/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod";
        let h = Handoff {
            app: APP.into(),
            lifetime: None,
            vault: crate::config::VaultRef::parse(id),
            name: None,
        };
        let p = prepared(&h, today());
        assert_eq!(p.vault_id.as_deref(), Some(id));
        // The Key Vault step asks before using it (unless config.json vets it).
        assert!(p.vault_from_link);
        assert_eq!(
            p.note.as_deref(),
            Some(&*format!(
                "Prepared from a hand-off link: client ID {APP}, vault kv-contoso-prod (resource \
                 group rg-prod, subscription c0de0002-7d3e-4a5b-9c8d-00000000f401)."
            ))
        );
    }

    #[test]
    fn the_sites_policy_maximum_applies() {
        let mut config = config();
        config.policy.max_lifetime_days = 90;
        let l = limits(&config, today());
        let q = format!("?handoff=v1&app={APP}&days=180");
        assert!(parse(&q, &l).is_err());
        assert!(parse(&format!("?handoff=v1&app={APP}&days=90"), &l).is_ok());
    }

    #[test]
    fn form_fields_make_a_query_the_parser_checks() {
        let config = config();
        let l = limits(&config, today());
        let mut f = FormFields {
            app: format!("  {APP} "),
            days: "180".into(),
            name: "payroll-api-client-secret".into(),
            ..FormFields::default()
        };
        let h = parse(&f.query(), &l).unwrap().unwrap();
        assert_eq!(h.lifetime, Some(Lifetime::Days(180)));
        assert_eq!(h.name.as_deref(), Some("payroll-api-client-secret"));
        assert_eq!(h.vault, None);
        f.until = "2027-01-31".into();
        let h = parse(&f.query(), &l).unwrap().unwrap();
        let until = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        assert_eq!(h.lifetime, Some(Lifetime::Until(until)));
        // A name with an ampersand can't smuggle in another parameter.
        f.name = "a&token=x".into();
        assert!(f.query().contains("name=a%26token%3Dx"));
        let e = parse(&f.query(), &l).unwrap_err();
        assert!(
            matches!(e, crate::handoff::HandoffError::InvalidName(_)),
            "{e:?}"
        );
        f.name.clear();
        f.app = "Payroll API".into();
        assert_eq!(
            parse(&f.query(), &l),
            Err(crate::handoff::HandoffError::InvalidApp)
        );
    }

    #[test]
    fn the_page_query_wins_over_a_stored_one_only_when_it_is_a_hand_off() {
        let config = config();
        let l = limits(&config, today());
        let stored = encode(&Handoff {
            app: APP.into(),
            lifetime: None,
            vault: None,
            name: None,
        });
        assert_eq!(choose_query("", Some(&stored), &l), Some(stored.as_str()));
        assert_eq!(choose_query("?x=1", None, &l), None);
        let tampered = format!("?handoff=v1&app={APP}&token=abc");
        assert_eq!(
            choose_query(&tampered, Some(&stored), &l),
            Some(tampered.as_str())
        );
    }
}
