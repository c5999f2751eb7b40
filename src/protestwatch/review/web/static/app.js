// protestwatch review page. No build step, no framework. Article text is untrusted: it only ever
// reaches the page through textContent, never innerHTML.
"use strict";

const TYPE_COLOURS = {
  protest: "#1f77b4", riot: "#d62728", detention: "#9467bd", violence_against_protesters: "#8c564b",
  dispersal: "#ff7f0e", ban: "#7f7f7f", internet_shutdown: "#17becf", summons: "#bcbd22", sentencing: "#e377c2",
  attack: "#000000", abduction: "#4d4d4d", explosion: "#b35806", armed_clash: "#542788",
};
const state = { events: [], selected: -1, cursor: null, record: null, map: null, markers: null };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function token() { return localStorage.getItem("protestwatch-token") || ""; }

async function api(path, options = {}) {
  const headers = Object.assign({ "Content-Type": "application/json" }, options.headers || {});
  if (token()) headers.Authorization = "Bearer " + token();
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new Error((body && body.error) || response.statusText);
  return body;
}

function filterParams() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(document.getElementById("filters"))) if (value) params.set(key, value);
  return params;
}

function dateText(date) {
  if (date.start) return date.start === date.end ? date.start : `${date.start}…${date.end}`;
  if (date.month) return `????-${String(date.month).padStart(2, "0")}` + (date.day ? `-${String(date.day).padStart(2, "0")}` : "");
  return "no date";
}

async function loadEvents(reset) {
  const params = filterParams();
  params.set("limit", "100");
  params.set("view", "summary");  // the list, map and timeline need no more; a selected event is read whole
  if (!reset && state.cursor) params.set("cursor", state.cursor);
  const page = await api("/api/events?" + params);
  state.events = reset ? page.items : state.events.concat(page.items);
  state.cursor = page.next_cursor;
  document.getElementById("more").hidden = !state.cursor;
  renderList();
  renderTimeline();
  renderMarkers();
  if (reset) document.getElementById("detail").replaceChildren(el("p", { class: "hint", text: `${state.events.length} events${state.cursor ? " (more below)" : ""}. Keys: j/k next/previous, a approve, r reject, s save.` }));
}

function renderList() {
  const list = document.getElementById("events");
  list.replaceChildren(...state.events.map((event, index) => el("li", {
    "data-id": event.id, class: index === state.selected ? "selected" : null, onclick: () => select(index),
  },
  el("span", { text: dateText(event.date) }),
  el("span", { text: `${event.type} — ${event.location.name || "no place"}${event.location.country ? " (" + event.location.country + ")" : ""}` }),
  el("span", { class: "status-" + event.review.status, text: event.review.status }))));
}

function renderTimeline() {
  const svg = document.getElementById("timeline");
  const ns = "http://www.w3.org/2000/svg";
  const days = {};
  for (const event of state.events) {
    if (!event.date.start) continue;
    (days[event.date.start] ||= {})[event.type] = ((days[event.date.start] || {})[event.type] || 0) + 1;
  }
  const keys = Object.keys(days).sort();
  const width = svg.clientWidth || 600, height = 70, bar = Math.max(3, Math.min(24, width / Math.max(1, keys.length) - 2));
  const peak = Math.max(1, ...keys.map((k) => Object.values(days[k]).reduce((a, b) => a + b, 0)));
  const shapes = [];
  keys.forEach((day, i) => {
    let y = height - 12;
    for (const [type, count] of Object.entries(days[day])) {
      const h = (count / peak) * (height - 16);
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", 4 + i * (bar + 2)); rect.setAttribute("y", y - h);
      rect.setAttribute("width", bar); rect.setAttribute("height", h);
      rect.setAttribute("fill", TYPE_COLOURS[type] || "#999");
      const title = document.createElementNS(ns, "title");
      title.textContent = `${day}: ${count} ${type}`;
      rect.append(title);
      shapes.push(rect);
      y -= h;
    }
  });
  if (keys.length) {
    for (const [x, text] of [[4, keys[0]], [Math.max(4, 4 + (keys.length - 1) * (bar + 2) - 60), keys[keys.length - 1]]]) {
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", x); label.setAttribute("y", height - 1); label.setAttribute("font-size", "10");
      label.textContent = text;
      shapes.push(label);
    }
  }
  svg.replaceChildren(...shapes);
}

async function setUpMap() {
  // No tile server (no network): countries drawn from the shapes the server ships.
  state.map = L.map("map", { worldCopyJump: true, attributionControl: false }).setView([30, 40], 2);
  const world = await api("/api/world.geojson");
  L.geoJSON(world, { style: { color: "#8aa", weight: 0.6, fillColor: "#f7f5ef", fillOpacity: 1 } }).addTo(state.map);
  state.markers = L.layerGroup().addTo(state.map);
  renderMarkers();
}

function renderMarkers() {
  if (!state.markers) return;
  state.markers.clearLayers();
  state.events.forEach((event, index) => {
    if (event.location.lat === null || event.location.lon === null) return;
    const marker = L.circleMarker([event.location.lat, event.location.lon], {
      radius: index === state.selected ? 8 : 5, color: TYPE_COLOURS[event.type] || "#333", weight: 2, fillOpacity: 0.6,
    });
    marker.bindTooltip(el("span", { text: `${event.type}, ${event.location.name}, ${dateText(event.date)}` }));
    marker.on("click", () => select(index));
    state.markers.addLayer(marker);
  });
}

function input(name, value, attrs = {}) {
  return el("label", {}, name + " ", el("input", Object.assign({ name, value: value ?? "" }, attrs)));
}

async function select(index) {
  if (index < 0 || index >= state.events.length) return;
  state.selected = index;
  renderList();
  renderMarkers();
  document.querySelector(`#events li[data-id="${CSS.escape(state.events[index].id)}"]`)?.scrollIntoView({ block: "nearest" });
  const record = await api("/api/events/" + encodeURIComponent(state.events[index].id));
  state.record = record;
  await renderDetail(record);
}

function jsonArea(name, value, hint) {
  const area = el("textarea", { name, rows: Math.min(8, 1 + value.length), cols: 70, spellcheck: "false", title: hint });
  area.value = JSON.stringify(value, null, 0).replaceAll("},{", "},\n{");
  return el("label", { class: "json" }, name + " ", area);
}

function countInputs(name, count) {
  return el("fieldset", { "data-count": name }, el("legend", { text: name }),
    input(name + "_min", count?.min, { type: "number", min: 0 }), input(name + "_max", count?.max, { type: "number", min: 0 }),
    el("small", { text: count?.text ? `“${count.text}”` : "" }));
}

async function renderDetail(record) {
  const detail = document.getElementById("detail");
  const typeSelect = el("select", { name: "type" }, ...Object.keys(TYPE_COLOURS).map((t) => el("option", { text: t, value: t })));
  typeSelect.value = record.type;
  const precision = el("select", { name: "location_precision" }, ...["city", "admin1", "country"].map((p) => el("option", { text: p, value: p })));
  precision.value = record.location.precision || "city";
  const message = el("p", { class: "message", id: "message" });
  const form = el("form", { id: "edit", onsubmit: (e) => { e.preventDefault(); save(); } },
    el("fieldset", {}, el("legend", { text: "what" }), el("label", {}, "type ", typeSelect),
      el("span", { text: ` ACLED: ${record.acled.event_type} / ${record.acled.sub_event_type} · PLOVER ${record.plover.event}/${record.plover.mode || "-"} · CAMEO ${record.cameo}` }),
      el("span", { class: `certainty ${record.certainty}`, id: "certainty", title: "hedged: every source hedges it (appeared, reportedly, according to)",
        text: ` · ${record.certainty === "hedged" ? "HEDGED: not stated as fact" : "stated as fact"}` })),
    el("fieldset", {}, el("legend", { text: "when" }), input("date_start", record.date.start, { type: "date" }),
      input("date_end", record.date.end, { type: "date" }), el("span", { text: `${record.date.precision || ""} “${record.date.text || ""}”` })),
    el("fieldset", {}, el("legend", { text: "where" }), input("location_name", record.location.name),
      input("location_admin1", record.location.admin1), input("location_country", record.location.country, { size: 3, maxlength: 2 }),
      input("location_lat", record.location.lat, { type: "number", step: "any" }), input("location_lon", record.location.lon, { type: "number", step: "any" }),
      el("label", {}, "precision ", precision)),
    countInputs("participants", record.participants), countInputs("detained", record.detained),
    countInputs("targeted", record.targeted), countInputs("fatalities", record.fatalities),
    el("fieldset", {}, el("legend", { text: "who, why, response (JSON lists)" }),
      jsonArea("actors", record.actors, '[{"name": …, "role": organizer|participant|target|perpetrator, "kind": group|person|police|…}]'),
      jsonArea("demands", record.demands, '[{"category": …, "text": …}]'),
      jsonArea("tactics", record.tactics, '[{"tactic": …, "slogan": … or null}]'),
      input("state_response", record.state_response.join(", "), { size: 50 })),
    el("p", { class: "actions" }, el("button", { type: "submit", id: "save", text: "Save corrections (s)" }),
      el("button", { type: "button", id: "approve", text: "Approve (a)", onclick: () => review("approve") }),
      el("button", { type: "button", id: "reject", text: "Reject (r)", onclick: () => review("reject") }),
      el("span", { id: "status", text: ` status: ${record.review.status}` + (record.review.corrected.length ? `; corrected: ${record.review.corrected.join(", ")}` : "") })),
    message);
  const sources = el("div", { id: "sources" });
  const history = el("ol", { class: "history", id: "history" });
  detail.replaceChildren(el("h2", { text: `${record.type} — ${record.location.name || "no place"}, ${dateText(record.date)}` }),
    form, el("h3", { text: "Sources and evidence" }), sources, el("h3", { text: "History" }), history);
  for (const documentId of [...new Set(record.sources.map((s) => s.document))]) {
    const doc = await api("/api/documents/" + encodeURIComponent(documentId));
    sources.append(renderSource(doc, record));
  }
  const entries = await api(`/api/events/${encodeURIComponent(record.id)}/history`);
  history.replaceChildren(...entries.map((h) => el("li", { text: `${h.at} ${h.user} ${h.action} ${h.field || ""}: ${JSON.stringify(h.old)} → ${JSON.stringify(h.new)}` })));
}

function renderSource(doc, record) {
  // The text with each evidence span in a <mark data-field>, built from text nodes only.
  const spans = record.evidence.filter((e) => e.document === doc.id).sort((a, b) => a.start - b.start || b.end - a.end);
  const text = el("div", { class: "source-text", "data-document": doc.id });
  let cursor = 0;
  const marks = [];
  for (const span of spans) {
    if (span.start < cursor) continue; // nested or overlapping spans: the outer one is shown
    text.append(document.createTextNode(doc.text.slice(cursor, span.start)));
    const mark = el("mark", { "data-field": span.field, title: span.field, text: doc.text.slice(span.start, span.end) });
    text.append(mark);
    marks.push([span, mark]);
    cursor = span.end;
  }
  text.append(document.createTextNode(doc.text.slice(cursor)));
  const list = el("div", { class: "evidence-list" }, ...record.evidence.filter((e) => e.document === doc.id).map((e) =>
    el("button", { type: "button", text: `${e.field}: ${e.text}`, onclick: () => {
      const hit = marks.find(([s]) => s.start <= e.start && e.end <= s.end);
      document.querySelectorAll("mark.focus").forEach((m) => m.classList.remove("focus"));
      if (hit) { hit[1].classList.add("focus"); hit[1].scrollIntoView({ block: "center" }); }
    } })));
  return el("section", {}, el("h4", { text: `${doc.outlet || "unknown outlet"} · ${doc.published || "no date"} · ${doc.title || doc.id}` }), list, text);
}

function numberOrNull(value) { return value === "" || value === null ? null : Number(value); }

function changedFields() {
  const form = new FormData(document.getElementById("edit"));
  const record = state.record;
  const changes = {};
  if (form.get("type") !== record.type) changes.type = form.get("type");
  const start = form.get("date_start") || null, end = form.get("date_end") || null;
  if (start !== record.date.start || end !== record.date.end) {
    const day = start && start === end;
    changes.date = { start, end: end || start, precision: day ? "day" : (start ? record.date.precision || "day" : null), text: record.date.text };
  }
  const location = {
    text: record.location.text, name: form.get("location_name") || null, admin1: form.get("location_admin1") || null,
    country: (form.get("location_country") || "").toUpperCase() || null, lat: numberOrNull(form.get("location_lat")),
    lon: numberOrNull(form.get("location_lon")), geonames_id: record.location.geonames_id, precision: form.get("location_precision"),
  };
  for (const key of ["name", "admin1", "country", "lat", "lon", "precision"]) {
    if ((location[key] ?? null) !== (record.location[key] ?? null)) { changes.location = location; break; }
  }
  for (const name of ["participants", "detained", "targeted", "fatalities"]) {
    const min = numberOrNull(form.get(name + "_min")), max = numberOrNull(form.get(name + "_max"));
    if (min !== (record[name]?.min ?? null) || max !== (record[name]?.max ?? null)) {
      changes[name] = min === null && max === null ? null : { min, max, text: record[name]?.text ?? null };
    }
  }
  for (const name of ["actors", "demands", "tactics"]) {
    const text = form.get(name) || "[]";
    let value;
    try { value = JSON.parse(text); } catch (error) { throw new Error(`${name}: not valid JSON (${error.message})`); }
    if (JSON.stringify(value) !== JSON.stringify(record[name])) changes[name] = value;
  }
  const responses = (form.get("state_response") || "").split(",").map((s) => s.trim()).filter(Boolean);
  if (responses.join(",") !== record.state_response.join(",")) changes.state_response = responses;
  return changes;
}

function say(text, ok) {
  const message = document.getElementById("message");
  if (message) { message.textContent = text; message.className = ok ? "message ok" : "message"; }
}

async function save() {
  let changes;
  try { changes = changedFields(); } catch (error) { return say(error.message, false); }
  if (!Object.keys(changes).length) return say("nothing changed", true);
  try {
    await api("/api/events/" + encodeURIComponent(state.record.id), { method: "PATCH", body: JSON.stringify(changes) });
    await refreshSelected("saved: " + Object.keys(changes).join(", "));
  } catch (error) { say(error.message, false); }
}

async function review(action) {
  if (!state.record) return;
  try {
    await api(`/api/events/${encodeURIComponent(state.record.id)}/${action}`, { method: "POST" });
    await refreshSelected(action === "approve" ? "approved" : "rejected");
  } catch (error) { say(error.message, false); }
}

async function refreshSelected(note) {
  const fresh = await api("/api/events/" + encodeURIComponent(state.record.id));
  state.events[state.selected] = fresh;
  state.record = fresh;
  renderList();
  renderMarkers();
  await renderDetail(fresh);
  say(note, true);
}

document.addEventListener("keydown", (event) => {
  if (["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement?.tagName) || event.ctrlKey || event.metaKey) return;
  if (event.key === "j") select(Math.min(state.events.length - 1, state.selected + 1));
  else if (event.key === "k") select(Math.max(0, state.selected - 1));
  else if (event.key === "a") review("approve");
  else if (event.key === "r") review("reject");
  else if (event.key === "s") save();
  else return;
  event.preventDefault();
});

document.getElementById("filters").addEventListener("submit", (event) => { event.preventDefault(); state.selected = -1; loadEvents(true); });
document.getElementById("more").addEventListener("click", () => loadEvents(false));
const tokenInput = document.getElementById("token");
tokenInput.value = token();
tokenInput.addEventListener("change", () => localStorage.setItem("protestwatch-token", tokenInput.value.trim()));

loadEvents(true).then(setUpMap).catch((error) => document.getElementById("detail").replaceChildren(el("p", { class: "message", text: error.message })));
