//! The engine: one playbook, one account, one user, and what they have done.

use crate::audience;
use crate::copy::Localizer;
use crate::decision::{self, Decision};
use crate::offers::Offer;
use crate::outcomes::{History, OutcomeKind, WatchReport};
use crate::playbook::Playbook;
use crate::problem::Problem;
use crate::signals::facts::Known;
use crate::signals::{self, read_event, AccountFacts, Builtin, Event, Signals, UserFacts};
use crate::value::Value;

/// The decision engine for one signed-in user of one account.
///
/// # Example
/// ```
/// use earned::{Engine, Playbook, BuiltinLocalizer, Value};
/// let playbook = Playbook::from_json(include_str!("../tests/fixtures/minimal.json")).unwrap();
/// let mut engine = Engine::new(playbook);
/// let now = 1_796_342_400_000;
/// engine.set_account(&Value::object([("id", "acme".into()), ("milestones", Value::Array(vec!["first_report".into()]))])).unwrap();
/// for _ in 0..3 {
///     engine.track(&Value::object([("type", "limit_hit".into()), ("metric", "reports".into())]), now).unwrap();
/// }
/// let decision = engine.decide(now, &BuiltinLocalizer);
/// assert_eq!(decision.prompt.unwrap().offer, "more_reports");
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) playbook: Playbook,
    pub(crate) signals: Signals,
    pub(crate) history: History,
    pub(crate) account: AccountFacts,
    pub(crate) user: UserFacts,
    pub(crate) attributes: Value,
    reports: Vec<WatchReport>,
    /// Ids of the playbook's plans, add-ons and milestones, kept for validating facts and
    /// events without allocating.
    known: Known,
    /// This engine instance's tab id (empty when there is one tab).
    pub(crate) tab: String,
    /// What follows from the facts alone, worked out when they change rather than per decision.
    pub(crate) derived: Derived,
}

/// Facts-derived values cached between decisions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Derived {
    /// The account is in the holdout group.
    pub holdout: bool,
    /// The copy variant per offer (0 = control).
    pub variants: Vec<usize>,
    /// The user's locale fallback chain.
    pub locales: Vec<String>,
    /// Per offer: the copy in the user's locale has an `ask_admin` call to action.
    pub ask_admin: Vec<bool>,
}

impl Engine {
    /// A fresh engine for a loaded playbook, with no facts and no history.
    pub fn new(playbook: Playbook) -> Self {
        let signals = Self::fresh_signals(&playbook);
        let history = History::new(playbook.offers.len());
        let account = AccountFacts::default();
        let user = UserFacts::default();
        let known = Known::of(&playbook);
        let mut engine = Engine {
            playbook,
            signals,
            history,
            account,
            user,
            // `derive` works them out below, with the rest of what follows from the facts.
            attributes: Value::Null,
            reports: Vec::new(),
            known,
            tab: String::new(),
            derived: Derived::default(),
        };
        engine.derive();
        engine
    }

    pub(crate) fn fresh_signals(p: &Playbook) -> Signals {
        Signals::new(&p.counters, p.metrics.len(), p.milestones.len(), p.events.len())
    }

    /// The playbook.
    pub fn playbook(&self) -> &Playbook {
        &self.playbook
    }

    /// The account facts in use.
    pub fn account(&self) -> &AccountFacts {
        &self.account
    }

    /// The user facts in use.
    pub fn user(&self) -> &UserFacts {
        &self.user
    }

    /// The local signals (for inspection and tests).
    pub fn signals(&self) -> &Signals {
        &self.signals
    }

    /// Replaces the account facts.
    ///
    /// # Errors
    /// Every problem, with paths from `account`; the previous facts stay in use.
    pub fn set_account(&mut self, value: &Value) -> Result<(), Vec<Problem>> {
        self.account = signals::read_account(value, &self.known)?;
        self.derive();
        Ok(())
    }

    /// Replaces the user facts.
    ///
    /// # Errors
    /// Every problem, with paths from `user`; the previous facts stay in use.
    pub fn set_user(&mut self, value: &Value) -> Result<(), Vec<Problem>> {
        self.user = signals::read_user(value)?;
        self.derive();
        Ok(())
    }

    /// Reads and records one event object (`{ "type": "limit_hit", "metric": "reports" }`).
    /// A missing `at` means `now`; timestamps ahead of or far behind `now` are clamped.
    ///
    /// # Errors
    /// The problems with the event, each naming its field (`event.metric`); nothing is recorded.
    pub fn track(&mut self, value: &Value, now: i64) -> Result<(), Vec<Problem>> {
        let names = signals::event::Names { metrics: &self.playbook.metrics, milestones: &self.known.milestones };
        let event = read_event(&self.playbook.events, &names, value, now)?;
        self.record(event, now);
        Ok(())
    }

    /// Records an event that is already validated (see [`read_event`]); the fast path.
    pub fn record(&mut self, mut event: Event, now: i64) {
        event.at = Signals::clamp(event.at, now);
        let p = &self.playbook;
        // The index in `names` of the id in property `prop` (the known milestone ids are the
        // playbook's, in its order).
        let find = |prop: &str, names: &[String]| {
            event.prop(prop).and_then(Value::as_str).and_then(|m| names.iter().position(|x| x == m))
        };
        let builtin = match p.events.get(usize::from(event.kind)).map(|e| e.name.as_str()) {
            Some("usage") => find("metric", &p.metrics).map_or(Builtin::Other, Builtin::Usage),
            Some("milestone") => find("milestone", &self.known.milestones).map_or(Builtin::Other, Builtin::Milestone),
            _ => Builtin::Other,
        };
        let interested = p.counters_by_event.get(usize::from(event.kind)).map_or(&[][..], Vec::as_slice);
        self.signals.record(&p.counters, interested, &event, builtin);
        for run in &mut self.history.watches {
            let Some(w) = p.offers.get(run.offer).and_then(|o| o.watch.as_ref()) else { continue };
            if event.at >= run.started
                && event.at < run.ends
                && p.counters.get(w.counter).is_some_and(|c| c.matches(&event))
            {
                run.count = run.count.saturating_add(1);
            }
        }
    }

    /// Decides whether a prompt shows now, and why (or why not).
    pub fn decide(&mut self, now: i64, localizer: &dyn Localizer) -> Decision {
        self.settle_watches(now);
        decision::decide(self, now, localizer)
    }

    /// Records what happened to a prompt: feeds caps, cooldowns and the post-expansion watch.
    ///
    /// # Errors
    /// An unknown offer id (path `outcome.offer`); nothing is recorded.
    pub fn outcome(&mut self, offer: &str, kind: OutcomeKind, now: i64) -> Result<(), Problem> {
        let Some(i) = self.playbook.offer_index(offer) else {
            return Err(Problem::error(
                "outcome.offer",
                "unknown_offer",
                crate::read::concat3("unknown offer `", offer, "`"),
            ));
        };
        let watch = self.playbook.offers[i].watch.as_ref();
        self.history.record(&self.playbook.caps, i, kind, now, &self.tab, watch);
        Ok(())
    }

    /// Forgets the local signals, the outcome history and pending reports, keeping the playbook,
    /// the facts and the tab: for when the engine continues as another account or user.
    pub fn reset(&mut self) {
        self.signals = Self::fresh_signals(&self.playbook);
        self.history = History::new(self.playbook.offers.len());
        self.reports.clear();
    }

    /// Names this engine instance's tab, so two tabs never show the same prompt at once.
    pub fn set_tab(&mut self, tab: &str) {
        self.tab = tab.to_owned();
    }

    /// Frees the screen if this tab holds it (call when the tab closes).
    pub fn release(&mut self) {
        self.history.release(&self.tab);
    }

    /// Post-expansion verdicts that came due, oldest first; each is returned once.
    pub fn take_reports(&mut self, now: i64) -> Vec<WatchReport> {
        self.settle_watches(now);
        std::mem::take(&mut self.reports)
    }

    fn settle_watches(&mut self, now: i64) {
        // Removed one by one rather than with `retain`, whose generic code is larger in the wasm.
        let watches = &mut self.history.watches;
        let mut i = 0;
        while let Some(run) = watches.get(i) {
            if now < run.ends {
                i += 1;
                continue;
            }
            let run = watches.remove(i);
            if let Some(offer) = self.playbook.offers.get(run.offer) {
                let at_least = offer.watch.as_ref().map_or(0, |w| w.at_least);
                self.reports.push(WatchReport {
                    offer: String::from(&*offer.id),
                    outcome: if run.count >= at_least { "expansion_realized" } else { "expansion_at_risk" },
                    count: run.count,
                    at_least,
                    started: run.started,
                    ended: run.ends,
                });
            }
        }
    }

    /// Activation milestones not reached yet (by facts or `milestone` events).
    pub fn missing_milestones(&self) -> Vec<String> {
        let p = &self.playbook;
        let reached = |m: usize| {
            self.signals.milestones.get(m).copied().unwrap_or(false)
                || self.account.milestones.contains(&p.milestones[m].id)
        };
        // A `push` loop rather than `collect()`: less wasm.
        let mut missing = Vec::new();
        for &m in p.activation.milestones.iter().filter(|m| !reached(**m)) {
            missing.push(p.milestones[m].id.clone());
        }
        let activated =
            if p.activation.all { missing.is_empty() } else { missing.len() < p.activation.milestones.len() };
        if activated {
            Vec::new()
        } else {
            missing
        }
    }

    /// Works out what depends on the facts alone: audience attributes, holdout, variants, locales.
    fn derive(&mut self) {
        self.attributes = signals::audience_attributes(&self.account, &self.user);
        let locales = crate::copy::locale_chain(&self.user.locale, &self.playbook.locales);
        // The user sees the copy of their locale chain: that set must hold the admin CTA.
        let offers = &self.playbook.offers;
        let mut variants = Vec::with_capacity(offers.len());
        let mut ask_admin = Vec::with_capacity(offers.len());
        for offer in offers {
            variants.push(self.compute_variant(offer));
            ask_admin.push(offer.copy.pick(0, &locales).is_some_and(|(_, s)| s.ask_admin.is_some()));
        }
        self.derived = Derived { holdout: self.compute_holdout(), variants, locales, ask_admin };
    }

    /// True when the account is in the holdout group (GrowthBook hash v2 of salt and account id).
    pub fn in_holdout(&self) -> bool {
        self.derived.holdout
    }

    fn compute_holdout(&self) -> bool {
        let h = &self.playbook.holdout;
        if h.percent <= 0.0 || self.account.id.is_empty() {
            return false;
        }
        audience::hash(&h.salt, &self.account.id, 2).is_some_and(|x| x < h.percent / 100.0)
    }

    /// The copy variant of offer `i` for this account: 0 is control.
    pub fn variant(&self, i: usize) -> usize {
        self.derived.variants.get(i).copied().unwrap_or(0)
    }

    fn compute_variant(&self, offer: &Offer) -> usize {
        let n = 1 + offer.copy.variants.len();
        if n == 1 || self.account.id.is_empty() {
            return 0;
        }
        let seed = crate::read::concat3(&self.playbook.holdout.salt, ":", &offer.id);
        audience::hash(&seed, &self.account.id, 2).map_or(0, |x| ((x * n as f64) as usize).min(n - 1))
    }

    /// The persisted state: versioned, bounded, for the boundary to store ([`Engine::save_json`]
    /// read back as a value).
    pub fn save(&self) -> Value {
        Value::parse_json(&self.save_json()).unwrap_or_default()
    }

    /// The persisted state as the JSON text the boundary stores ([`Engine::save`] as text).
    pub fn save_json(&self) -> String {
        crate::state::save(self)
    }

    /// Restores what [`Engine::save`] wrote. All or nothing.
    ///
    /// # Errors
    /// A value that is not this engine's state (another version, another playbook, corrupt);
    /// the engine keeps its current state.
    pub fn restore(&mut self, value: &Value) -> Result<(), Problem> {
        let (signals, history) = crate::state::restore(self, value)?;
        self.signals = signals;
        self.history = history;
        Ok(())
    }

    /// Merges state another tab stored: keeps every show, dismissal, snooze, conversion and
    /// watch of both, and the larger count per time bucket.
    ///
    /// # Errors
    /// As [`Engine::restore`]; the engine keeps its current state.
    pub fn merge(&mut self, value: &Value) -> Result<(), Problem> {
        let theirs = crate::state::restore(self, value)?;
        crate::state::merge(self, value, theirs);
        Ok(())
    }
}
