//! Account and user facts: what the host knows from its server and passes in.
//!
//! The engine runs in one user's browser, so champion activity, other users and support
//! tickets are only known through these facts.

use crate::problem::Problem;
use crate::read::{Obj, Reader};
use crate::value::Value;

/// Open support tickets on one topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Tickets {
    /// The topic (`login`, `billing`, `api`).
    pub topic: String,
    /// How many are open.
    pub open: u32,
    /// True when the topic is confusion about the basics (a guardrail).
    pub basic: bool,
}

/// Facts about the account (the paying company), from the host's server.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountFacts {
    /// The account id: the unit of holdout and variant bucketing.
    pub id: String,
    /// The current plan id.
    pub plan: Option<String>,
    /// Annual contract value, in the playbook's currency.
    pub acv: Option<f64>,
    /// Seats paid for.
    pub seats_paid: Option<u32>,
    /// Seats actively used.
    pub seats_active: Option<u32>,
    /// Health score, 0 to 100.
    pub health: Option<f64>,
    /// Renewal date (ms since the epoch).
    pub renewal: Option<i64>,
    /// When the account last bought something (ms).
    pub last_purchase: Option<i64>,
    /// When the account's champion was last active (ms).
    pub champion_last_active: Option<i64>,
    /// Open support tickets by topic.
    pub tickets: Vec<Tickets>,
    /// Customer success holds every prompt for this account.
    pub cs_hold: bool,
    /// Activation milestones the server knows are reached.
    pub milestones: Vec<String>,
    /// Add-ons the account already has.
    pub add_ons: Vec<String>,
    /// Further attributes for audience conditions (an object).
    pub attributes: Value,
}

/// Facts about the signed-in user.
#[derive(Debug, Clone, PartialEq)]
pub struct UserFacts {
    /// The user id.
    pub id: String,
    /// Whether this user may buy (billing admin). Defaults to true.
    pub can_buy: bool,
    /// BCP 47 locale for copy (`de-AT`); empty means the playbook's first locale.
    pub locale: String,
    /// The user's role, for audience conditions.
    pub role: Option<String>,
    /// Further attributes for audience conditions (an object).
    pub attributes: Value,
}

impl Default for UserFacts {
    fn default() -> Self {
        UserFacts {
            id: String::new(),
            can_buy: true,
            locale: String::new(),
            role: None,
            attributes: Value::Object(Vec::new()),
        }
    }
}

/// Ids the facts (and events) may refer to, taken from the playbook once.
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Plan ids.
    pub plans: Vec<String>,
    /// Add-on ids.
    pub add_ons: Vec<String>,
    /// Milestone ids.
    pub milestones: Vec<String>,
}

impl Known {
    /// The ids `playbook` declares.
    pub fn of(playbook: &crate::Playbook) -> Self {
        Known {
            plans: ids(playbook.plans.len(), &|i| &playbook.plans[i].id),
            add_ons: ids(playbook.add_ons.len(), &|i| &playbook.add_ons[i].id),
            milestones: ids(playbook.milestones.len(), &|i| &playbook.milestones[i].id),
        }
    }
}

/// The `n` ids `id(i)` gives, copied: one loop for every kind of item, where a `collect` per
/// kind would be compiled once each.
fn ids<'a>(n: usize, id: &dyn Fn(usize) -> &'a String) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        out.push(id(i).clone());
    }
    out
}

/// Reads an id from `known`; one that is not is an error whose reason starts with `unknown`.
fn known_id(r: &mut Reader, path: &str, v: &Value, known: &[String], unknown: &str) -> Option<String> {
    let id = r.string(path, v)?;
    if known.contains(&id) {
        Some(id)
    } else {
        let reason = crate::read::unknown_reason(unknown, &id, "`; the playbook declares: ", known);
        r.error(path, "unknown_reference", reason);
        None
    }
}

/// Reads member `key` of `o`, if present, as an array of ids from `known` (one reader for the
/// account's milestones and add-ons).
fn known_ids(o: &mut Obj<'_>, r: &mut Reader, key: &str, known: &[String], unknown: &str) -> Vec<String> {
    o.opt(r, key, |r, p, v| Some(r.array(p, v, |r, p, v| known_id(r, p, v, known, unknown)))).unwrap_or_default()
}

/// Reads member `key` of `o`, if present, as a number from 0 to `max` (one reader for every
/// such fact).
fn number_at(o: &mut Obj<'_>, r: &mut Reader, key: &str, max: f64) -> Option<f64> {
    o.opt(r, key, |r, p, v| r.number(p, v, 0.0, max))
}

/// Reads member `key` of `o`, if present, as a whole number from 0 to `max`.
fn count_at(o: &mut Obj<'_>, r: &mut Reader, key: &str, max: u32) -> Option<u32> {
    o.opt(r, key, |r, p, v| r.count(p, v, 0, max))
}

/// Reads the host's extra attributes: any object.
fn attributes(r: &mut Reader, path: &str, v: &Value) -> Option<Value> {
    r.object(path, v).map(|_| v.clone())
}

/// Reads account facts. Paths start at `account`.
///
/// # Errors
/// Every problem at once: wrong types, unknown fields, plans or milestones the playbook lacks.
pub fn read_account(value: &Value, known: &Known) -> Result<AccountFacts, Vec<Problem>> {
    let mut r = Reader::default();
    let Some(mut o) = r.object("account", value) else {
        return Err(r.problems);
    };
    // Read in this order (it is the order of the problems), then put together: no field is
    // made twice.
    let id = o.req(&mut r, "id", Reader::string).unwrap_or_default();
    let plan = o.opt(&mut r, "plan", |r, p, v| known_id(r, p, v, &known.plans, "unknown plan `"));
    let acv = number_at(&mut o, &mut r, "acv", 1e12);
    let health = number_at(&mut o, &mut r, "health", 100.0);
    let renewal = o.opt(&mut r, "renewal_date", Reader::time);
    let last_purchase = o.opt(&mut r, "last_purchase", Reader::time);
    let champion_last_active = o.opt(&mut r, "champion_last_active", Reader::time);
    let cs_hold = o.opt(&mut r, "cs_hold", Reader::boolean).unwrap_or(false);
    let attributes = o.opt(&mut r, "attributes", attributes).unwrap_or(Value::Object(Vec::new()));
    let (mut seats_paid, mut seats_active) = (None, None);
    if let Some(mut seats) = o.opt(&mut r, "seats", |r, p, v| r.object(p, v)) {
        seats_paid = count_at(&mut seats, &mut r, "paid", 10_000_000);
        seats_active = count_at(&mut seats, &mut r, "active", 10_000_000);
        seats.finish(&mut r);
    }
    let tickets = o
        .opt(&mut r, "tickets", |r, p, v| {
            Some(r.array(p, v, |r, p, v| {
                let mut t = r.object(p, v)?;
                let ticket = Tickets {
                    topic: t.req(r, "topic", Reader::string)?,
                    open: count_at(&mut t, r, "open", 1_000_000).unwrap_or(1),
                    basic: t.opt(r, "basic", Reader::boolean).unwrap_or(false),
                };
                t.finish(r);
                Some(ticket)
            }))
        })
        .unwrap_or_default();
    let facts = AccountFacts {
        id,
        plan,
        acv,
        seats_paid,
        seats_active,
        health,
        renewal,
        last_purchase,
        champion_last_active,
        tickets,
        cs_hold,
        milestones: known_ids(&mut o, &mut r, "milestones", &known.milestones, "unknown milestone `"),
        add_ons: known_ids(&mut o, &mut r, "add_ons", &known.add_ons, "unknown add-on `"),
        attributes,
    };
    o.finish(&mut r);
    if r.has_errors() {
        Err(r.problems)
    } else {
        Ok(facts)
    }
}

/// Reads user facts. Paths start at `user`.
///
/// # Errors
/// Wrong types and unknown fields, all at once.
pub fn read_user(value: &Value) -> Result<UserFacts, Vec<Problem>> {
    let mut r = Reader::default();
    let Some(mut o) = r.object("user", value) else {
        return Err(r.problems);
    };
    let user = UserFacts {
        id: o.opt(&mut r, "id", Reader::string).unwrap_or_default(),
        can_buy: o.opt(&mut r, "can_buy", Reader::boolean).unwrap_or(true),
        locale: o.opt(&mut r, "locale", Reader::string).unwrap_or_default(),
        role: o.opt(&mut r, "role", Reader::string),
        attributes: o.opt(&mut r, "attributes", attributes).unwrap_or(Value::Object(Vec::new())),
    };
    o.finish(&mut r);
    if r.has_errors() {
        Err(r.problems)
    } else {
        Ok(user)
    }
}

/// The attributes audience conditions see: the facts under their own names, then the host's
/// extra attributes (a fact's own name wins over an extra attribute of the same name).
pub fn audience_attributes(account: &AccountFacts, user: &UserFacts) -> Value {
    let list = |ids: &[String]| Value::Array(ids.iter().map(|id| id.as_str().into()).collect());
    let mut attributes = Value::object([
        ("id", account.id.as_str().into()),
        ("plan", account.plan.as_deref().into()),
        ("acv", account.acv.into()),
        ("seats_paid", account.seats_paid.into()),
        ("seats_active", account.seats_active.into()),
        ("health", account.health.into()),
        ("cs_hold", account.cs_hold.into()),
        ("milestones", list(&account.milestones)),
        ("add_ons", list(&account.add_ons)),
        ("user_id", user.id.as_str().into()),
        ("can_buy", user.can_buy.into()),
        ("locale", user.locale.as_str().into()),
        ("role", user.role.as_deref().into()),
    ]);
    if let Value::Object(m) = &mut attributes {
        for extra in [&account.attributes, &user.attributes] {
            for (k, v) in extra.as_object().unwrap_or_default() {
                if !m.iter().any(|(name, _)| name == k) {
                    m.push((k.clone(), v.clone()));
                }
            }
        }
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known {
            plans: vec!["starter".into(), "growth".into()],
            add_ons: vec!["kb".into()],
            milestones: vec!["first_report".into()],
        }
    }

    #[test]
    fn reads_account_facts() {
        let k = known();
        let v = serde_json::from_str(
            r#"{"id":"a1","plan":"starter","acv":348,"seats":{"paid":5,"active":4},"health":80,
                "renewal_date":"2027-03-01","tickets":[{"topic":"login","open":2,"basic":true}],
                "milestones":["first_report"],"attributes":{"country":"DE"}}"#,
        )
        .unwrap();
        let f = read_account(&v, &k).unwrap();
        assert_eq!(f.plan.as_deref(), Some("starter"));
        assert_eq!((f.seats_paid, f.seats_active), (Some(5), Some(4)));
        assert_eq!(f.tickets[0], Tickets { topic: "login".into(), open: 2, basic: true });
        let attrs = audience_attributes(&f, &UserFacts::default());
        assert_eq!(attrs.get("country"), Some(&Value::from("DE")));
        assert_eq!(attrs.get("plan"), Some(&Value::from("starter")));
    }

    #[test]
    fn reports_every_bad_fact_with_its_path() {
        let k = known();
        let v = serde_json::from_str(r#"{"id":"a1","plan":"gold","health":140,"seats":{"paid":-1},"colour":"red"}"#)
            .unwrap();
        let p = read_account(&v, &k).unwrap_err();
        let paths: Vec<&str> = p.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["account.plan", "account.health", "account.seats.paid", "account.colour"]);
    }
}
