//! Offers: what a prompt sells, which friction it removes, who owns the ask, where it shows.

use std::sync::Arc;

use crate::copy::templates::OfferCopy;
use crate::read::Reader;
use crate::triggers::Trigger;
use crate::value::Value;

/// How an offer expands the account (doctrine row 5 and the seed's motions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    /// Upsell: more seats.
    Seat,
    /// Upsell: more usage of a value metric.
    Usage,
    /// Upsell: a higher tier with advanced features.
    FeatureTier,
    /// Upsell: a better support plan.
    Support,
    /// Upsell: outcome-based pricing.
    Outcome,
    /// Cross-sell: an add-on.
    AddOn,
    /// Cross-sell: an adjacent product.
    AdjacentProduct,
    /// Cross-sell: an integration.
    Integration,
    /// Cross-sell: seats for another team or role.
    RoleExpansion,
}

/// Every motion with its playbook name.
pub const MOTIONS: &[(&str, Motion)] = &[
    ("seat", Motion::Seat),
    ("usage", Motion::Usage),
    ("feature_tier", Motion::FeatureTier),
    ("support", Motion::Support),
    ("outcome", Motion::Outcome),
    ("add_on", Motion::AddOn),
    ("adjacent_product", Motion::AdjacentProduct),
    ("integration", Motion::Integration),
    ("role_expansion", Motion::RoleExpansion),
];

impl Motion {
    /// The playbook name (`feature_tier`).
    pub fn as_str(self) -> &'static str {
        MOTIONS.iter().find(|(_, m)| *m == self).map_or("usage", |(n, _)| n)
    }

    /// True for upsell motions, false for cross-sell.
    pub fn is_upsell(self) -> bool {
        matches!(self, Motion::Seat | Motion::Usage | Motion::FeatureTier | Motion::Support | Motion::Outcome)
    }
}

/// Who makes the ask (doctrine row 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The product UI, with a self-serve CTA.
    Product,
    /// Lifecycle marketing (the UI prompt, plus the host's messaging).
    Lifecycle,
    /// Customer success: the host routes it.
    Cs,
    /// Sales or account management: the host routes it.
    Sales,
}

/// Every owner with its playbook name.
pub const OWNERS: &[(&str, Owner)] =
    &[("product", Owner::Product), ("lifecycle", Owner::Lifecycle), ("cs", Owner::Cs), ("sales", Owner::Sales)];

impl Owner {
    /// The playbook name.
    pub fn as_str(self) -> &'static str {
        OWNERS.iter().find(|(_, o)| *o == self).map_or("product", |(n, _)| n)
    }

    /// True when a person makes the ask and the host must route it.
    pub fn is_routed(self) -> bool {
        matches!(self, Owner::Cs | Owner::Sales)
    }
}

/// What the UI does for an offer a person owns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutedUi {
    /// Show the prompt with the copy's `talk_to_us` call to action.
    TalkToUs,
    /// Show nothing; only tell the host.
    Nothing,
}

/// One ownership rule: ACV band × motion → owner. The first matching rule wins.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnershipRule {
    /// Motions it covers (empty: all).
    pub motions: Vec<Motion>,
    /// ACV at least this.
    pub acv_at_least: Option<f64>,
    /// ACV below this.
    pub acv_below: Option<f64>,
    /// The owner.
    pub owner: Owner,
    /// The UI for a routed owner.
    pub ui: RoutedUi,
}

/// What the offer sells.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A plan (index into the playbook's plans).
    Plan(usize),
    /// An add-on (index into the playbook's add-ons).
    AddOn(usize),
}

/// The constraint an offer removes (doctrine row 5); the trigger must measure it.
#[derive(Debug, Clone, PartialEq)]
pub enum Removes {
    /// The plan limit on a value metric.
    Limit(usize),
    /// The seat count.
    Seats,
    /// A manual workaround of this kind (`workaround` events).
    Workaround(String),
    /// An adjacent workflow, seen as events of this type.
    Workflow(u16),
    /// A missing integration (`integration_requested` events).
    Integration(String),
}

/// Where the prompt shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Inside the host element `[data-earned-slot="<slot>"]`, next to the friction.
    Inline(String),
    /// A banner at the top of the page.
    Banner,
    /// A modal dialog.
    Modal,
    /// A toast.
    Toast,
}

impl Placement {
    /// `inline`, `banner`, `modal`, `toast`.
    pub fn kind(&self) -> &'static str {
        match self {
            Placement::Inline(_) => "inline",
            Placement::Banner => "banner",
            Placement::Modal => "modal",
            Placement::Toast => "toast",
        }
    }
}

/// After a conversion: is what was bought used? (doctrine row 9)
#[derive(Debug, Clone, PartialEq)]
pub struct Watch {
    /// The counter of the use that proves the expansion.
    pub counter: usize,
    /// Uses needed within the window.
    pub at_least: u32,
    /// The window after the conversion, in ms.
    pub within: i64,
}

/// A discount on the offer (linted: discount-led offers are a warning).
#[derive(Debug, Clone, PartialEq)]
pub struct Discount {
    /// Percent off.
    pub percent: f64,
}

/// One offer of the playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Its id, used in outcomes and the trace (shared, so traces copy no text).
    pub id: Arc<str>,
    /// Upsell or cross-sell motion.
    pub motion: Motion,
    /// What it sells.
    pub target: Target,
    /// The constraint it removes.
    pub removes: Option<Removes>,
    /// An optional discount.
    pub discount: Option<Discount>,
    /// Who may see it (a GrowthBook condition), `None` for everyone.
    pub audience: Option<Value>,
    /// When it is warranted.
    pub trigger: Trigger,
    /// Copy per locale, with variants.
    pub copy: OfferCopy,
    /// Where it shows.
    pub placement: Placement,
    /// An owner that overrides the ownership rules.
    pub owner: Option<Owner>,
    /// Where the self-serve CTA leads.
    pub url: Option<String>,
    /// Post-expansion watch.
    pub watch: Option<Watch>,
}

/// Reads a placement: `"banner"`, `"modal"`, `"toast"` or `{ "inline": "reports" }`.
pub fn read_placement(r: &mut Reader, path: &str, v: &Value) -> Option<Placement> {
    match v {
        Value::String(s) => match s.as_str() {
            "banner" => Some(Placement::Banner),
            "modal" => Some(Placement::Modal),
            "toast" => Some(Placement::Toast),
            "inline" => {
                r.error(
                    path,
                    "bad_placement",
                    "an inline placement names its slot: { \"inline\": \"<data-earned-slot name>\" }",
                );
                None
            }
            other => {
                r.error(path, "bad_placement", format!("`{other}` is not a placement: use \"banner\", \"modal\", \"toast\" or {{ \"inline\": \"<slot>\" }}"));
                None
            }
        },
        _ => {
            let mut o = r.object(path, v)?;
            let slot = o.req(r, "inline", Reader::id);
            o.finish(r);
            Some(Placement::Inline(slot?))
        }
    }
}

/// Reads ownership rules.
pub fn read_ownership(r: &mut Reader, path: &str, v: &Value) -> Option<Vec<OwnershipRule>> {
    Some(r.array(path, v, |r, p, v| {
        let mut o = r.object(p, v)?;
        let rule = OwnershipRule {
            motions: o
                .opt(r, "motions", |r, p, v| Some(r.array(p, v, |r, p, v| r.choice(p, v, MOTIONS))))
                .unwrap_or_default(),
            acv_at_least: o.opt(r, "acv_at_least", |r, p, v| r.number(p, v, 0.0, 1e12)),
            acv_below: o.opt(r, "acv_below", |r, p, v| r.number(p, v, 0.0, 1e12)),
            owner: o.req(r, "owner", |r, p, v| r.choice(p, v, OWNERS))?,
            ui: o
                .opt(r, "ui", |r, p, v| {
                    r.choice(p, v, &[("talk_to_us", RoutedUi::TalkToUs), ("nothing", RoutedUi::Nothing)])
                })
                .unwrap_or(RoutedUi::TalkToUs),
        };
        o.finish(r);
        Some(rule)
    }))
}

/// Resolves the owner of an offer for an account with this ACV. Returns the owner and the UI
/// for a routed owner. With no matching rule, product owns it.
pub fn resolve_owner(offer: &Offer, rules: &[OwnershipRule], acv: Option<f64>) -> (Owner, RoutedUi) {
    let acv = acv.unwrap_or(0.0);
    let rule = rules.iter().find(|rule| {
        (rule.motions.is_empty() || rule.motions.contains(&offer.motion))
            && rule.acv_at_least.is_none_or(|min| acv >= min)
            && rule.acv_below.is_none_or(|max| acv < max)
    });
    let ui = rule.map_or(RoutedUi::TalkToUs, |r| r.ui);
    match (offer.owner, rule) {
        (Some(owner), _) => (owner, ui),
        (None, Some(rule)) => (rule.owner, rule.ui),
        (None, None) => (Owner::Product, RoutedUi::TalkToUs),
    }
}
