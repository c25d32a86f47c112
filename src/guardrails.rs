//! Guardrails: vetoes that hold every trigger back (doctrine rows 1, 3, 4, 7, 8).
//!
//! Account guardrails run in a fixed order and the first veto wins; the trace names it.
//! Offer guardrails (idle seats, discount health, who may buy) then apply per offer.

use crate::offers::{Motion, Offer};
use crate::read::{fmt_num, format_duration, uint_text, Reader, DAY};
use crate::signals::{AccountFacts, UserFacts};
use crate::trace::words;
use crate::triggers::{Source, TriggerReader};
use crate::value::Value;

/// What to do for a user who may not buy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CannotBuy {
    /// Show the prompt with the copy's `ask_admin` call to action.
    AskAdmin,
    /// Show nothing.
    Nothing,
}

/// "Usage is falling": this window's events against the previous window's.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageFalling {
    /// The counter of the activity that must not fall.
    pub counter: usize,
    /// The window in ms.
    pub within: i64,
    /// The relative drop that vetoes, e.g. 0.3.
    pub drop: f64,
    /// The previous window needs at least this many events to judge.
    pub min_count: u32,
}

/// The playbook's guardrail thresholds.
#[derive(Debug, Clone, PartialEq)]
pub struct Guardrails {
    /// Veto when the activity falls.
    pub usage_falling: Option<UsageFalling>,
    /// Veto when the champion was last active longer ago than this.
    pub champion_quiet: Option<i64>,
    /// Veto when more open basic tickets than this.
    pub basic_tickets_at_most: u32,
    /// Veto below this health score.
    pub health_at_least: f64,
    /// No discounted offer below this health score (doctrine row 4).
    pub discount_health_at_least: f64,
    /// Quiet period after a purchase.
    pub quiet_after_purchase: i64,
    /// Seat offers wait while more than this share of paid seats is idle.
    pub idle_seats_at_most: f64,
    /// A user who may not buy.
    pub cannot_buy: CannotBuy,
}

impl Default for Guardrails {
    fn default() -> Self {
        Guardrails {
            usage_falling: None,
            champion_quiet: Some(21 * DAY),
            basic_tickets_at_most: 0,
            health_at_least: 40.0,
            discount_health_at_least: 70.0,
            quiet_after_purchase: 14 * DAY,
            idle_seats_at_most: 0.25,
            cannot_buy: CannotBuy::AskAdmin,
        }
    }
}

/// Why a guardrail held a prompt back.
#[derive(Debug, Clone, PartialEq)]
pub enum Veto {
    /// Activation milestones not reached (row 1).
    NotActivated {
        /// The milestones still missing.
        missing: Vec<String>,
    },
    /// Customer success holds the account (row 8).
    CsHold,
    /// A purchase was made recently.
    RecentPurchase {
        /// Days since it.
        days: f64,
    },
    /// Health below the threshold.
    LowHealth {
        /// The score.
        health: f64,
    },
    /// The champion has gone quiet.
    ChampionQuiet {
        /// Days since they were active.
        days: f64,
    },
    /// Open tickets about the basics.
    BasicTickets {
        /// Topics with open basic tickets.
        topics: Vec<String>,
    },
    /// The activity is falling.
    UsageFalling {
        /// Events this window.
        now: u64,
        /// Events the window before.
        before: u64,
    },
    /// Seat offer while paid seats sit idle.
    IdleSeats {
        /// Idle seats.
        idle: u32,
        /// Paid seats.
        paid: u32,
    },
    /// A discount to an account below the discount health threshold (row 4).
    DiscountUnhealthy {
        /// The score, if known.
        health: Option<f64>,
    },
    /// The user may not buy and the playbook shows nothing then.
    CannotBuy,
}

impl Veto {
    /// A stable code: `activation_not_reached`, `cs_hold`, ...
    pub fn code(&self) -> &'static str {
        match self {
            Veto::NotActivated { .. } => "activation_not_reached",
            Veto::CsHold => "cs_hold",
            Veto::RecentPurchase { .. } => "recent_purchase",
            Veto::LowHealth { .. } => "low_health",
            Veto::ChampionQuiet { .. } => "champion_quiet",
            Veto::BasicTickets { .. } => "basic_tickets",
            Veto::UsageFalling { .. } => "usage_falling",
            Veto::IdleSeats { .. } => "idle_seats",
            Veto::DiscountUnhealthy { .. } => "discount_unhealthy",
            Veto::CannotBuy => "cannot_buy",
        }
    }

    /// Events or facts: what the veto rests on.
    pub fn source(&self) -> Source {
        match self {
            Veto::UsageFalling { .. } => Source::Events,
            _ => Source::Facts,
        }
    }

    /// The reason in words, for the trace.
    pub fn reason(&self, g: &Guardrails) -> String {
        let (a, b);
        let (template, pieces): (&str, &[&str]) = match self {
            Veto::NotActivated { missing } => {
                a = missing.join(", ");
                ("the account has not reached its first outcome yet (missing: %)", &[&a])
            }
            Veto::CsHold => ("customer success holds this account", &[]),
            Veto::RecentPurchase { days } => {
                (a, b) = (fmt_num(*days), format_duration(g.quiet_after_purchase));
                ("bought % days ago; quiet for % after a purchase", &[&a, &b])
            }
            Veto::LowHealth { health } => {
                (a, b) = (fmt_num(*health), fmt_num(g.health_at_least));
                ("health % is below %", &[&a, &b])
            }
            Veto::ChampionQuiet { days } => {
                a = fmt_num(*days);
                ("the champion has been quiet for % days", &[&a])
            }
            Veto::BasicTickets { topics } => {
                a = topics.join(", ");
                ("open support tickets about the basics: %", &[&a])
            }
            Veto::UsageFalling { now, before } => {
                (a, b) = (uint_text(*before), uint_text(*now));
                ("activity fell from % to %", &[&a, &b])
            }
            Veto::IdleSeats { idle, paid } => {
                (a, b) = (uint_text((*idle).into()), uint_text((*paid).into()));
                ("% of % paid seats are idle", &[&a, &b])
            }
            Veto::DiscountUnhealthy { health: Some(h) } => {
                (a, b) = (fmt_num(g.discount_health_at_least), fmt_num(*h));
                ("a discount is never offered below health % (health is %)", &[&a, &b])
            }
            Veto::DiscountUnhealthy { health: None } => {
                ("a discount is never offered to an account of unknown health", &[])
            }
            Veto::CannotBuy => ("this user may not buy, and the playbook shows such users nothing", &[]),
        };
        words(template, pieces)
    }
}

/// What the account-level guardrails read.
pub struct GuardContext<'a> {
    /// Account facts.
    pub account: &'a AccountFacts,
    /// Activation milestones still missing.
    pub missing_milestones: &'a [String],
    /// The latest purchase, from facts or a conversion seen here.
    pub last_purchase: Option<i64>,
    /// `(this window, previous window)` counts for the usage-falling guardrail.
    pub activity: Option<(u64, u64)>,
    /// Now, in ms.
    pub now: i64,
}

impl Guardrails {
    /// The first account-level veto, in doctrine order.
    pub fn account_veto(&self, cx: &GuardContext<'_>) -> Option<Veto> {
        let days = |t: i64| ((cx.now - t).max(0) as f64 / DAY as f64 * 10.0).round() / 10.0;
        let a = cx.account;
        if !cx.missing_milestones.is_empty() {
            // Lists are built by `push` loops here, not `to_vec()` or `collect()`: less wasm.
            let mut missing = Vec::new();
            for m in cx.missing_milestones {
                missing.push(m.clone());
            }
            return Some(Veto::NotActivated { missing });
        }
        if a.cs_hold {
            return Some(Veto::CsHold);
        }
        if let Some(t) = cx.last_purchase.filter(|t| cx.now - t < self.quiet_after_purchase) {
            return Some(Veto::RecentPurchase { days: days(t) });
        }
        if let Some(h) = a.health.filter(|h| *h < self.health_at_least) {
            return Some(Veto::LowHealth { health: h });
        }
        if let (Some(quiet), Some(t)) = (self.champion_quiet, a.champion_last_active) {
            if cx.now - t > quiet {
                return Some(Veto::ChampionQuiet { days: days(t) });
            }
        }
        let (mut open_basic, mut topics) = (0u32, Vec::new());
        for t in a.tickets.iter().filter(|t| t.basic) {
            open_basic += t.open;
            if t.open > 0 {
                topics.push(t.topic.clone());
            }
        }
        if open_basic > self.basic_tickets_at_most {
            return Some(Veto::BasicTickets { topics });
        }
        if let (Some(f), Some((now, before))) = (&self.usage_falling, cx.activity) {
            if before >= u64::from(f.min_count) && (now as f64) <= before as f64 * (1.0 - f.drop) {
                return Some(Veto::UsageFalling { now, before });
            }
        }
        None
    }

    /// The first offer-level veto: idle seats (seat offers), discount health, who may buy.
    pub fn offer_veto(
        &self,
        offer: &Offer,
        account: &AccountFacts,
        user: &UserFacts,
        has_ask_admin: bool,
    ) -> Option<Veto> {
        if matches!(offer.motion, Motion::Seat | Motion::RoleExpansion) {
            if let (Some(paid), Some(active)) = (account.seats_paid, account.seats_active) {
                let idle = paid.saturating_sub(active);
                if paid > 0 && f64::from(idle) / f64::from(paid) > self.idle_seats_at_most {
                    return Some(Veto::IdleSeats { idle, paid });
                }
            }
        }
        if offer.discount.is_some() && account.health.is_none_or(|h| h < self.discount_health_at_least) {
            return Some(Veto::DiscountUnhealthy { health: account.health });
        }
        if !user.can_buy && (self.cannot_buy == CannotBuy::Nothing || !has_ask_admin) {
            return Some(Veto::CannotBuy);
        }
        None
    }
}

/// Reads `"guardrails": { ... }`; missing keys keep their defaults.
pub fn read_guardrails(r: &mut Reader, t: &mut TriggerReader<'_>, path: &str, v: &Value) -> Option<Guardrails> {
    let mut o = r.object(path, v)?;
    let d = Guardrails::default();
    let usage_falling = o.opt(r, "usage_falling", |r, p, v| {
        let mut u = r.object(p, v)?;
        let name = u.req(r, "event", Reader::string);
        let within = u.req(r, "within", Reader::duration);
        let drop = u.opt(r, "drop", |r, p, v| r.number(p, v, 0.01, 1.0)).unwrap_or(0.3);
        let min_count = u.opt(r, "min_count", |r, p, v| r.count(p, v, 1, 1_000_000)).unwrap_or(5);
        let event = name.as_ref().and_then(|n| t.catalog.iter().position(|e| e.name == *n));
        if let (Some(n), None) = (&name, event) {
            r.error(&u.at("event"), "unknown_event", format!("unknown event `{n}`"));
        }
        u.finish(r);
        let counter = t.plain_counter(event? as u16);
        let within = t.cover(counter, within?);
        Some(UsageFalling { counter, within, drop, min_count })
    });
    let g = Guardrails {
        usage_falling,
        champion_quiet: o.opt(r, "champion_quiet", Reader::duration).or(d.champion_quiet),
        basic_tickets_at_most: o
            .opt(r, "basic_tickets_at_most", |r, p, v| r.count(p, v, 0, 1_000_000))
            .unwrap_or(d.basic_tickets_at_most),
        health_at_least: o.opt(r, "health_at_least", |r, p, v| r.number(p, v, 0.0, 100.0)).unwrap_or(d.health_at_least),
        discount_health_at_least: o
            .opt(r, "discount_health_at_least", |r, p, v| r.number(p, v, 0.0, 100.0))
            .unwrap_or(d.discount_health_at_least),
        quiet_after_purchase: o.opt(r, "quiet_after_purchase", Reader::duration).unwrap_or(d.quiet_after_purchase),
        idle_seats_at_most: o
            .opt(r, "idle_seats_at_most", |r, p, v| r.number(p, v, 0.0, 1.0))
            .unwrap_or(d.idle_seats_at_most),
        cannot_buy: o
            .opt(r, "cannot_buy", |r, p, v| {
                r.choice(p, v, &[("ask_admin", CannotBuy::AskAdmin), ("nothing", CannotBuy::Nothing)])
            })
            .unwrap_or(d.cannot_buy),
    };
    o.finish(r);
    Some(g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::Tickets;

    fn cx<'a>(account: &'a AccountFacts, missing: &'a [String], now: i64) -> GuardContext<'a> {
        GuardContext { account, missing_milestones: missing, last_purchase: account.last_purchase, activity: None, now }
    }

    #[test]
    fn the_first_veto_in_doctrine_order_wins() {
        let g = Guardrails::default();
        let now = 400 * DAY;
        let mut a = AccountFacts {
            cs_hold: true,
            health: Some(10.0),
            last_purchase: Some(now - DAY),
            tickets: vec![Tickets { topic: "login".into(), open: 1, basic: true }],
            ..AccountFacts::default()
        };
        assert_eq!(
            g.account_veto(&cx(&a, &["first_report".to_owned()], now)).map(|v| v.code()),
            Some("activation_not_reached")
        );
        assert_eq!(g.account_veto(&cx(&a, &[], now)).map(|v| v.code()), Some("cs_hold"));
        a.cs_hold = false;
        assert_eq!(g.account_veto(&cx(&a, &[], now)).map(|v| v.code()), Some("recent_purchase"));
        a.last_purchase = Some(now - 30 * DAY);
        assert_eq!(g.account_veto(&cx(&a, &[], now)).map(|v| v.code()), Some("low_health"));
        a.health = Some(90.0);
        assert_eq!(g.account_veto(&cx(&a, &[], now)).map(|v| v.code()), Some("basic_tickets"));
        a.tickets.clear();
        assert_eq!(g.account_veto(&cx(&a, &[], now)), None);
    }

    #[test]
    fn unknown_facts_do_not_veto_but_an_unknown_health_gets_no_discount() {
        let g = Guardrails::default();
        let a = AccountFacts::default();
        assert_eq!(g.account_veto(&cx(&a, &[], 0)), None);
        let offer =
            crate::playbook::Playbook::from_json(include_str!("../tests/fixtures/minimal.json")).unwrap().offers[0]
                .clone();
        let discounted = Offer { discount: Some(crate::offers::Discount { percent: 10.0 }), ..offer };
        let veto = g.offer_veto(&discounted, &a, &UserFacts::default(), true);
        assert_eq!(veto, Some(Veto::DiscountUnhealthy { health: None }));
    }
}
