// The demo's made-up world: Helpwise, a help desk, and the teams that use it.

export const PLAYBOOKS = [
  ["support-desk", "Support desk (Helpwise)"],
  ["crm", "CRM"],
  ["project-management", "Project management"],
  ["seo", "SEO"],
  ["data-warehouse", "Data warehouse"],
  ["hr", "HR"],
  ["dev-tool", "Dev tool"],
  ["email-platform", "Email platform"],
  ["custom", "Your playbook (edit the JSON)"],
];

/** Accounts an evaluator can switch between. `activated`: all milestones reached. */
export const PRESETS = {
  northwind: {
    name: "Northwind Bikes",
    note: "activated, healthy, on the entry plan",
    account: { health: 82, acv: 2280, seats: { paid: 5, active: 5 }, renewalInDays: 75 },
    activated: true,
  },
  "brightside-tea": {
    name: "Brightside Tea",
    note: "signed up last week, not activated yet",
    account: { health: 64, acv: 1140, seats: { paid: 3, active: 2 }, renewalInDays: 358 },
    activated: false,
  },
  "fig-support": {
    name: "Fig & Thistle",
    note: "activated, but in the 10% holdout group",
    account: { health: 78, acv: 2280, seats: { paid: 5, active: 4 }, renewalInDays: 120 },
    activated: true,
  },
};

export const AGENTS = ["Mara Quint", "Priya Das", "Tomás Ferreira", "Lena Vogt", "Sam Okafor"];

/** Topic → subject lines. The first three get most of the traffic. */
export const TOPICS = {
  "order-status": ["Where is my order #%?", "Tracking number not updating for #%", "Order % still says processing"],
  "returns": ["How do I return a helmet?", "Return label for order #%", "Refund for returned order #% not received"],
  "sizing": ["Which frame size for 1.82 m?", "Kids bike sizing question", "Sizing chart for the Trail 29"],
  "warranty": ["Cracked rim after two months", "Warranty claim for derailleur"],
  "invoices": ["VAT invoice for order #%", "Company address on invoice"],
  "bulk-orders": ["Quote for 20 city bikes"],
};

const WEIGHTS = [
  ["order-status", 5],
  ["returns", 4],
  ["sizing", 3],
  ["warranty", 1],
  ["invoices", 1],
  ["bulk-orders", 1],
];

const CUSTOMERS = ["Ines Roth", "Jon Beck", "Ana Lima", "Kofi Mensah", "Yuki Sato", "Omar Haddad", "Eva Novak", "Liam Byrne"];

/** A deterministic stream of tickets: the n-th one. */
export function ticket(n) {
  const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let k = (n * 7) % total;
  let topic = WEIGHTS[0][0];
  for (const [t, w] of WEIGHTS) {
    if (k < w) {
      topic = t;
      break;
    }
    k -= w;
  }
  const subjects = TOPICS[topic];
  const subject = subjects[n % subjects.length].replace("%", String(48210 + n * 13));
  return { id: 1000 + n, subject, customer: CUSTOMERS[n % CUSTOMERS.length], topic, status: "open", assignee: null };
}

export const INTEGRATIONS = [
  { id: "slack", name: "Slack", text: "Post new and breached tickets to a channel.", state: "connected" },
  { id: "salesforce", name: "Salesforce", text: "See the customer's account, owner and open deals next to each ticket.", state: "addon" },
  { id: "hubspot", name: "HubSpot", text: "Sync contacts and companies.", state: "addon" },
  { id: "shopify", name: "Shopify", text: "Order details inside the ticket.", state: "connected" },
];

export const REPORT_KINDS = [
  ["backlog", "Backlog by topic"],
  ["first_response", "First response time"],
  ["csat", "Customer satisfaction"],
  ["agent_load", "Tickets per agent"],
];
