//! The admin's "Hand-off link" form as one pure reducer: the fields, the lifetime choice, the
//! link made with the same parser the developer's browser will use, and copying it. Effects
//! out as data (copy this text); the page (`handoff::page`) runs it with the runtime.

use std::rc::Rc;

use super::link::{link, parse};
use super::pending::{limits, FormFields};
use crate::config::Config;
use crate::runtime::{Feature, Now};

/// The lifetime select's value for "Until a date…".
pub const CUSTOM_DATE: &str = "date";

/// What the form shows under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Made {
    None,
    Link(String),
    Problem(String),
}

/// A text field of the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    App,
    Until,
    Vault,
    Name,
}

#[derive(Debug)]
pub enum Msg {
    Input(Field, String),
    /// The lifetime select: days, [`CUSTOM_DATE`], or empty (the developer chooses).
    Lifetime(String),
    Submit,
    Copy,
    /// Whether the browser took the link onto the clipboard.
    Copied(bool),
}

/// Work for the page, as data.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    /// Write this text to the clipboard, then answer with `Msg::Copied`.
    Copy(String),
}

/// The whole form.
#[derive(Debug)]
pub struct LinkForm {
    config: Rc<Config>,
    /// The site's own address, the base of the links.
    site: String,
    pub fields: FormFields,
    /// The lifetime select's value.
    pub lifetime: String,
    pub made: Made,
    pub copied: bool,
}

impl LinkForm {
    /// The vault field starts with config.json's default vault.
    pub fn new(config: Rc<Config>, site: String) -> Self {
        let fields = FormFields {
            vault: config
                .vault
                .default
                .as_ref()
                .map(|v| v.id.clone())
                .unwrap_or_default(),
            ..FormFields::default()
        };
        Self {
            config,
            site,
            fields,
            lifetime: String::new(),
            made: Made::None,
            copied: false,
        }
    }

    pub fn max_days(&self) -> u32 {
        self.config.policy.max_lifetime_days
    }

    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        match msg {
            Msg::Input(field, text) => {
                let f = &mut self.fields;
                match field {
                    Field::App => f.app = text,
                    Field::Until => f.until = text,
                    Field::Vault => f.vault = text,
                    Field::Name => f.name = text,
                }
                self.made = Made::None;
            }
            Msg::Lifetime(v) => {
                if v == CUSTOM_DATE {
                    self.fields.days.clear();
                } else {
                    self.fields.days = v.clone();
                    self.fields.until.clear();
                }
                self.lifetime = v;
                self.made = Made::None;
            }
            Msg::Submit => {
                self.copied = false;
                let query = self.fields.query();
                self.made = match parse(&query, &limits(&self.config, now.date_naive())) {
                    Ok(Some(h)) => Made::Link(link(&self.site, &h)),
                    Ok(None) => Made::Problem("Enter the app's client ID.".into()),
                    Err(e) => Made::Problem(format!("The link can't be made: {}.", e.reason())),
                };
            }
            Msg::Copy => {
                if let Made::Link(text) = &self.made {
                    return vec![Effect::Copy(text.clone())];
                }
            }
            Msg::Copied(ok) => self.copied = ok,
        }
        Vec::new()
    }
}

impl Feature for LinkForm {
    type Msg = Msg;
    type Effect = Effect;

    fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        LinkForm::update(self, msg, now)
    }
}
