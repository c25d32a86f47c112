// The host app: Helpwise's pages. Each feature reports what the user does to earned and has a
// [data-earned-slot] next to it, where an inline prompt about that friction appears.
import { h, fill, day } from "./dom.js";
import { AGENTS, INTEGRATIONS, REPORT_KINDS, ticket, PRESETS } from "./data.js";
import { renderConsole } from "./console.js";

export const routes = [
  ["inbox", "Inbox"],
  ["reports", "Reports"],
  ["team", "Team"],
  ["integrations", "Integrations"],
  ["knowledge-base", "Knowledge base"],
];

function desk(app) {
  if (!app.state.desk) {
    app.state.desk = {
      next: 0,
      tickets: [],
      reports: [
        ["Backlog by topic", "backlog"],
        ["First response time", "first_response"],
        ["Weekend queue", "backlog"],
        ["CSAT by agent", "csat"],
        ["Returns this month", "backlog"],
        ["Tickets per agent", "agent_load"],
        ["SLA misses", "first_response"],
        ["Holiday rush", "backlog"],
      ].map(([name, kind], i) => ({ name, kind, id: i + 1 })),
      limitHits: 0,
      exports: 0,
      invites: [],
      requests: {},
      articles: [],
      notice: "",
    };
    for (let i = 0; i < 6; i++) app.state.desk.tickets.unshift(ticket(app.state.desk.next++));
  }
  return app.state.desk;
}

function currentRoute() {
  const r = location.hash.replace(/^#\/?/, "");
  return routes.some(([id]) => id === r) ? r : "inbox";
}

function slot(name) {
  return h("div", { class: "slot", "data-earned-slot": name });
}

/** The plan's limit for a metric (undefined: unlimited). */
function limit(app, metric) {
  const plan = app.playbook.plans.find((p) => p.id === app.facts().account.plan);
  return plan && plan.limits ? plan.limits[metric] : undefined;
}

function planName(app) {
  const id = app.facts().account.plan;
  return (app.playbook.plans.find((p) => p.id === id) || { name: id }).name;
}

export function renderApp(app, el) {
  const header = h(
    "header",
    { class: "topbar" },
    h("span", { class: "logo" }, "Helpwise"),
    h("span", { class: "who" }, `${PRESETS[app.state.preset]?.name || "Account"} · `, h("span", { class: "plan", id: "plan-badge" }, `${planName(app)} plan`)),
    h("span", { class: "clock", id: "app-date" }, day(app.now())),
  );
  if (app.state.playbook !== "support-desk") {
    fill(el, header, h("div", { class: "body body--console" }, h("main", { id: "main", class: "content" }, renderConsole(app))));
    return;
  }
  const route = currentRoute();
  const nav = h(
    "nav",
    { class: "sidenav", "aria-label": "Helpwise" },
    h(
      "ul",
      {},
      routes.map(([id, label]) =>
        h("li", {}, h("a", { href: `#/${id}`, id: `nav-${id}`, "aria-current": id === route ? "page" : null }, label)),
      ),
    ),
  );
  const views = { inbox, reports, team, integrations, "knowledge-base": knowledgeBase };
  const d = desk(app);
  const notice = d.notice ? h("p", { class: "notice", role: "status", id: "notice" }, d.notice) : h("p", { class: "notice", role: "status", id: "notice" });
  d.notice = "";
  fill(el, header, h("div", { class: "body" }, nav, h("main", { id: "main", class: "content" }, notice, views[route](app, d))));
}

function say(app, text) {
  desk(app).notice = text;
}

/** Re-renders the app after a user action (the engine was told already). */
function rerender(app) {
  app.save();
  // Keep keyboard focus where it was (the page is rebuilt), so a modal prompt can give it back.
  const focused = document.activeElement && document.activeElement.id;
  renderApp(app, document.getElementById("app"));
  if (focused) document.getElementById(focused)?.focus();
  app.refresh();
}

// ----- Inbox: tickets, triage, CSV export -----

function inbox(app, d) {
  const milestones = new Set(app.facts().account.milestones || []);
  const reach = (id) => {
    if (milestones.has(id) || !(id in (app.playbook.milestones || {}))) return;
    // The host's server would record this and send it with the account facts next time.
    const account = structuredClone(app.facts().account);
    account.milestones = [...new Set([...(account.milestones || []), id])];
    app.engine.track({ type: "milestone", milestone: id });
    app.setAccount(account);
  };
  const rows = d.tickets.map((t) =>
    h(
      "tr",
      {},
      h("td", {}, `#${t.id}`),
      h("td", {}, t.subject, h("br"), h("span", { class: "muted" }, t.customer)),
      h("td", {}, h("span", { class: "tag" }, t.topic)),
      h("td", {}, t.status === "solved" ? "Solved" : t.assignee ? `Open · ${t.assignee}` : "Open"),
      h(
        "td",
        { class: "row-actions" },
        t.status !== "solved" &&
          !t.assignee &&
          h(
            "button",
            {
              type: "button",
              class: "btn small",
              onclick: () => {
                t.assignee = AGENTS[1];
                say(app, `#${t.id} assigned to ${AGENTS[1]}.`);
                reach("first_teammate_assigned");
                rerender(app);
              },
            },
            `Assign to ${AGENTS[1].split(" ")[0]}`,
          ),
        t.status !== "solved" &&
          h(
            "button",
            {
              type: "button",
              class: "btn small",
              onclick: () => {
                t.status = "solved";
                say(app, `#${t.id} solved.`);
                reach("first_ticket_solved");
                rerender(app);
              },
            },
            "Solve",
          ),
      ),
    ),
  );
  const simulate = (n) => {
    const events = [];
    for (let i = 0; i < n; i++) {
      const t = ticket(d.next++);
      d.tickets.unshift(t);
      events.push({ type: "ticket_created", topic: t.topic, channel: "email" });
    }
    d.tickets.length = Math.min(d.tickets.length, 40);
    app.engine.trackBatch(events);
    say(app, `${n} new tickets arrived.`);
    rerender(app);
  };
  return [
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Inbox"),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", class: "btn", id: "simulate-tickets", onclick: () => simulate(10) }, "Simulate 10 incoming tickets"),
        h(
          "button",
          {
            type: "button",
            class: "btn",
            id: "export-csv",
            onclick: () => {
              d.exports += 1;
              app.engine.track({ type: "workaround", kind: "csv_export" });
              say(app, `Exported ${d.tickets.length} tickets to helpwise-tickets.csv (export ${d.exports} this month).`);
              rerender(app);
            },
          },
          "Export to CSV",
        ),
      ),
    ),
    slot("export-menu"),
    slot("ticket-list"),
    h(
      "table",
      { class: "tickets", id: "tickets" },
      h("caption", { class: "sr-only" }, "Open and recent tickets"),
      h("thead", {}, h("tr", {}, ["Ticket", "Subject", "Topic", "Status", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows),
    ),
  ];
}

// ----- Reports: the plan limit -----

function reports(app, d) {
  const max = limit(app, "reports");
  const used = d.reports.length + d.limitHits;
  const ideas = ["Escalations by topic", "Refund volume", "Reopened tickets", "Night shift load", "Top macros", "Slowest replies"];
  const name = h("input", { id: "report-name", type: "text", value: ideas[used % ideas.length], autocomplete: "off" });
  const kind = h(
    "select",
    { id: "report-kind" },
    REPORT_KINDS.map(([id, label]) => h("option", { value: id }, label)),
  );
  const save = () => {
    if (max !== undefined && d.reports.length >= max) {
      d.limitHits += 1;
      app.engine.track({ type: "limit_hit", metric: "reports" });
      say(app, `You have used all ${max} reports of the ${planName(app)} plan this month.`);
    } else {
      d.reports.push({ id: d.reports.length + 1, name: name.value || "Untitled report", kind: kind.value });
      app.engine.track({ type: "report_created", kind: kind.value });
      say(app, `Saved “${name.value || "Untitled report"}”.`);
    }
    rerender(app);
  };
  return [
    h("div", { class: "page-head" }, h("h1", {}, "Reports"), h("p", { class: "meter", id: "report-meter" }, max === undefined ? `${d.reports.length} saved reports` : `${d.reports.length} of ${max} saved reports this month`)),
    h(
      "form",
      {
        class: "inline-form",
        id: "new-report",
        onsubmit: (e) => {
          e.preventDefault();
          save();
        },
      },
      h("label", { for: "report-name" }, "Report name"),
      name,
      h("label", { for: "report-kind" }, "Kind"),
      kind,
      h("button", { type: "submit", class: "btn primary", id: "save-report" }, "Save report"),
    ),
    slot("reports"),
    h(
      "ul",
      { class: "cards", id: "report-list" },
      d.reports.map((r) => h("li", { class: "card" }, h("strong", {}, r.name), h("span", { class: "muted" }, (REPORT_KINDS.find(([k]) => k === r.kind) || [0, r.kind])[1]))),
    ),
  ];
}

// ----- Team: seats and invitations -----

function team(app, d) {
  const seats = app.facts().account.seats || { paid: 0, active: 0 };
  const email = h("input", { id: "invite-email", type: "email", value: "new.agent@northwind.example", autocomplete: "off" });
  return [
    h("div", { class: "page-head" }, h("h1", {}, "Team"), h("p", { class: "meter", id: "seat-meter" }, `${seats.active} of ${seats.paid} agent seats in use`)),
    h(
      "form",
      {
        class: "inline-form",
        id: "invite-form",
        onsubmit: (e) => {
          e.preventDefault();
          d.invites.push(email.value);
          app.engine.track({ type: "seat_invited", role: "agent" });
          say(app, `Invitation sent to ${email.value}.`);
          rerender(app);
        },
      },
      h("label", { for: "invite-email" }, "Invite a teammate"),
      email,
      h("button", { type: "submit", class: "btn primary", id: "send-invite" }, "Send invite"),
    ),
    slot("team-settings"),
    h("ul", { class: "people" }, AGENTS.slice(0, Math.max(1, seats.active)).map((a) => h("li", {}, a, h("span", { class: "muted" }, " · agent"))), d.invites.map((i) => h("li", {}, i, h("span", { class: "muted" }, " · invited")))),
  ];
}

// ----- Integrations: asking for one that is not on the plan -----

function integrations(app, d) {
  const addOns = new Set(app.facts().account.add_ons || []);
  return [
    h("div", { class: "page-head" }, h("h1", {}, "Integrations")),
    slot("integrations"),
    h(
      "ul",
      { class: "cards" },
      INTEGRATIONS.map((i) => {
        const on = i.state === "connected" || (i.id === "salesforce" || i.id === "hubspot" ? addOns.has("crm_sync") : false);
        const asked = d.requests[i.id] || 0;
        return h(
          "li",
          { class: "card" },
          h("strong", {}, i.name),
          h("span", {}, i.text),
          on
            ? h("span", { class: "ok" }, "Connected")
            : h(
                "button",
                {
                  type: "button",
                  class: "btn",
                  id: `request-${i.id}`,
                  onclick: () => {
                    d.requests[i.id] = asked + 1;
                    app.engine.track({ type: "integration_requested", integration: i.id });
                    say(app, `We told your admin you want ${i.name}.`);
                    rerender(app);
                  },
                },
                asked ? `Ask again (asked ${asked}×)` : `Request ${i.name}`,
              ),
        );
      }),
    ),
  ];
}

// ----- Knowledge base: the add-on -----

function knowledgeBase(app, d) {
  const on = (app.facts().account.add_ons || []).includes("knowledge_base");
  if (!on) {
    return [
      h("div", { class: "page-head" }, h("h1", {}, "Knowledge base")),
      h("p", {}, "The Knowledge Base add-on turns your best answers into help-center articles. It is not part of this account yet: when tickets pile up on a few topics, the inbox will say so."),
    ];
  }
  return [
    h("div", { class: "page-head" }, h("h1", {}, "Knowledge base"), h("p", { class: "meter" }, `${d.articles.length} articles published`)),
    h(
      "button",
      {
        type: "button",
        class: "btn primary",
        id: "publish-article",
        onclick: () => {
          const topic = ["order-status", "returns", "sizing"][d.articles.length % 3];
          d.articles.push(topic);
          app.engine.track({ type: "article_published", topic });
          say(app, `Published an article about ${topic}.`);
          rerender(app);
        },
      },
      "Publish an article from a solved ticket",
    ),
    h("ul", { class: "people" }, d.articles.map((t, i) => h("li", {}, `Article ${i + 1}: ${t}`))),
  ];
}
