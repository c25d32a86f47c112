//! The playbook: the JSON file growth, product and CS people write.
//!
//! It declares plans and their limits per value metric, add-ons, activation milestones,
//! custom events, offers (trigger, audience, copy, placement, owner, watch), guardrails, caps,
//! ownership rules and the holdout. [`Playbook::load`] parses, validates and lints it in one
//! pass and reports every problem at once, each with its JSON path.

mod compiled;
mod lint;
mod load;

pub use lint::{Readiness, READINESS_QUESTIONS};

use crate::guardrails::Guardrails;
use crate::offers::{Offer, OwnershipRule};
use crate::outcomes::Caps;
use crate::problem::Problem;
use crate::signals::{CounterSpec, EventSpec};
use crate::value::Value;

/// A plan the account can be on.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Its id (`starter`).
    pub id: String,
    /// Its display name (`Starter`), for copy.
    pub name: String,
    /// Its rank: higher is bigger.
    pub order: u32,
    /// Price per month, in the playbook's currency.
    pub price: Option<f64>,
    /// Limit per value metric (playbook metric order); `None` = unlimited.
    pub limits: Vec<Option<f64>>,
    /// Features it includes.
    pub features: Vec<String>,
}

/// An add-on the account can buy.
#[derive(Debug, Clone, PartialEq)]
pub struct AddOn {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Price per month.
    pub price: Option<f64>,
    /// Features it adds.
    pub features: Vec<String>,
}

/// A milestone on the way to the first promised outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    /// Its id (`first_pipeline_imported`).
    pub id: String,
    /// Features the customer needs to reach it (the base plan must have them: row 7).
    pub needs: Vec<String>,
}

/// When the account counts as activated.
#[derive(Debug, Clone, PartialEq)]
pub struct Activation {
    /// Milestone indices.
    pub milestones: Vec<usize>,
    /// All of them (true) or any one (false).
    pub all: bool,
}

/// The holdout group: accounts that never see prompts, to measure lift.
#[derive(Debug, Clone, PartialEq)]
pub struct Holdout {
    /// Percent of accounts held out, 0 to 100.
    pub percent: f64,
    /// Salt for the hash, so holdouts differ between playbooks.
    pub salt: String,
}

/// A loaded, validated playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Playbook {
    /// Its id: part of the storage key.
    pub id: String,
    /// Locales in fallback order; the first is the default.
    pub locales: Vec<String>,
    /// Value metric ids.
    pub metrics: Vec<String>,
    /// Plans, in playbook order.
    pub plans: Vec<Plan>,
    /// Add-ons.
    pub add_ons: Vec<AddOn>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// What activation means.
    pub activation: Activation,
    /// Every event type: the built-in ones, then the playbook's own.
    pub events: Vec<EventSpec>,
    /// Counters the triggers, guardrails and watches need.
    pub counters: Vec<CounterSpec>,
    /// Counter indices per event type.
    pub counters_by_event: Vec<Vec<usize>>,
    /// Offers, in playbook order (ties in ranking go to the earlier one).
    pub offers: Vec<Offer>,
    /// Guardrail thresholds.
    pub guardrails: Guardrails,
    /// Caps and cooldowns.
    pub caps: Caps,
    /// Ownership rules.
    pub ownership: Vec<OwnershipRule>,
    /// The holdout.
    pub holdout: Holdout,
    /// Warnings from the linter (errors refuse the load).
    pub warnings: Vec<Problem>,
    /// The five pre-pitch questions answered per offer.
    pub readiness: Vec<Readiness>,
}

impl Playbook {
    /// Parses, validates and lints a playbook.
    ///
    /// # Errors
    /// Every error found, each with its JSON path and reason; warnings ride along in the same
    /// list so the author sees everything at once.
    ///
    /// # Example
    /// ```
    /// let json = r#"{ "id": "tiny", "locales": ["en"], "metrics": ["reports"],
    ///   "plans": [{ "id": "free", "limits": { "reports": 3 } }, { "id": "pro" }],
    ///   "milestones": { "first_report": {} }, "activation": { "all": ["first_report"] },
    ///   "offers": [] }"#;
    /// let playbook = earned::Playbook::from_json(json).unwrap();
    /// assert_eq!(playbook.plans.len(), 2);
    /// ```
    pub fn load(value: &Value) -> Result<Playbook, Vec<Problem>> {
        load::load(value)
    }

    /// Parses JSON text, then [`Playbook::load`]s it (native builds).
    ///
    /// # Errors
    /// A JSON syntax error (path `$`), or the load's problems.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_json(text: &str) -> Result<Playbook, Vec<Problem>> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| vec![Problem::error("$", "bad_json", e.to_string())])?;
        Playbook::load(&value)
    }

    /// The index of a plan id.
    pub fn plan_index(&self, id: &str) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    /// The index of an offer id.
    pub fn offer_index(&self, id: &str) -> Option<usize> {
        self.offers.iter().position(|o| &*o.id == id)
    }

    /// The base plan: the lowest `order`.
    pub fn base_plan(&self) -> Option<&Plan> {
        self.plans.iter().min_by_key(|p| p.order)
    }
}
