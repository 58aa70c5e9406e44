// gotong serve: the page. Draws the network and the charts from the server's updates
// (WebSocket /api/updates), and sends controls, levers and shocks to the JSON API
// (docs/serve.md). Requests go only to the page's own server.
"use strict";

const ROLE_COLOURS = {
  principal: "#d62728", teacher: "#1f77b4", staff: "#17becf", student: "#ff7f0e",
  parent: "#2ca02c", alumnus: "#bcbd22", firm: "#8c564b", government: "#7f7f7f",
  university: "#9467bd", other_school: "#e377c2", ngo: "#393b79", community: "#637939",
};
const KIND_NAMES = ["educative", "cultural", "institutional", "internal"];
const KIND_COLOURS = ["#1f77b4", "#2ca02c", "#8c564b", "#ff7f0e"];
const CONFLICT_COLOUR = "#d62728";
// Levers: [name, min, max, step]; governance is a choice.
const UNIT_LEVERS = ["shared_goals", "role_clarity", "agreed_rules", "onboarding", "openness",
  "mediation", "fair_workload", "transparency", "recognition"];
const LEVERS = UNIT_LEVERS.map((n) => [n, 0, 1, 0.05])
  .concat([["evaluation_every", 0, 40, 1], ["networking_events", 0, 20, 1]]);
const GOVERNANCE = ["professional", "advocacy", "partnership"];
const SHOCKS = [["scandal", 0.3], ["funding_cut", 0.5]];

let lang = localStorage.getItem("gotong-lang") || "en";
let roleNames = [];            // role names by index, from /api/network
let roles = [];                // role index by agent, -1 once gone
let ties = [];                 // flat: a, b, trust %, kind*2 + conflict
let pos = [];                  // [x, y] by agent, layout units
let vel = [];
let history = [];              // StepMetrics from the server
let state = null;
let view = { cx: 0, cy: 0, scale: 20 };
let connection = "";           // key of the connection's text

const $ = (id) => document.getElementById(id);
const t = (key) => TEXTS[lang][key] ?? TEXTS.en[key] ?? key;

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

// ---- language -------------------------------------------------------------------------
function applyLanguage() {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll("[data-lever]")) {
    el.textContent = TEXTS[lang].lever_names[el.dataset.lever];
  }
  for (const el of document.querySelectorAll("[data-caption]")) {
    el.textContent = TEXTS[lang].captions[el.dataset.caption];
  }
  for (const option of document.querySelectorAll("#lever-governance option")) {
    option.textContent = t("governance_" + option.value);
  }
  $("play").textContent = state && state.playing ? t("pause") : t("play");
  $("connection").textContent = connection ? t(connection) : "";
  drawLegend();
  drawEvents();
}

// ---- levers and shocks ----------------------------------------------------------------
function buildLevers() {
  const box = $("levers");
  for (const [name, min, max, step] of LEVERS) {
    const div = document.createElement("div");
    div.className = "lever";
    div.innerHTML = `<label><span data-lever="${name}"></span><output id="value-${name}"></output></label>
      <input id="lever-${name}" type="range" min="${min}" max="${max}" step="${step}">
      <p class="caption" data-caption="${name}"></p>`;
    box.appendChild(div);
    const input = div.querySelector("input");
    input.addEventListener("input", () => { $("value-" + name).textContent = format(name, +input.value); });
    input.addEventListener("change", () => sendLever(name, +input.value));
  }
  const div = document.createElement("div");
  div.className = "lever";
  div.innerHTML = `<label><span data-lever="governance"></span></label>
    <select id="lever-governance">${GOVERNANCE.map((g) => `<option value="${g}"></option>`).join("")}</select>
    <p class="caption" data-caption="governance"></p>`;
  box.appendChild(div);
  $("lever-governance").addEventListener("change", (e) => sendLever("governance", e.target.value));

  const shocks = $("shocks");
  for (const [name, value] of SHOCKS) {
    const div = document.createElement("div");
    div.className = "lever shock";
    div.innerHTML = `<label><span data-lever="${name}"></span><output id="value-${name}">${value.toFixed(2)}</output></label>
      <input id="shock-${name}" type="range" min="0" max="1" step="0.05" value="${value}">
      <button id="button-${name}" data-t="apply_shock"></button>
      <p class="caption" data-caption="${name}"></p>`;
    shocks.appendChild(div);
    const input = div.querySelector("input");
    input.addEventListener("input", () => { $("value-" + name).textContent = (+input.value).toFixed(2); });
    div.querySelector("button").addEventListener("click", () =>
      api("POST", "/api/shock", { [name]: +input.value }).then(showState).catch(alertError));
  }
}

function format(name, value) {
  return Number.isInteger(value) && name !== "transparency" ? String(value) : value.toFixed(2);
}

// Levers sent and not yet seen in a state from the server: updates computed before the
// change must not move the slider back.
const pending = {};

function sendLever(name, value) {
  pending[name] = value;
  api("POST", "/api/levers", { [name]: value })
    .then((s) => { delete pending[name]; showState(s); })
    .catch((error) => { delete pending[name]; alertError(error); });
}

function alertError(error) { $("connection").textContent = "⚠ " + error.message; }

function showLevers(levers) {
  for (const [name] of LEVERS) {
    const value = name in pending ? pending[name] : levers[name];
    $("lever-" + name).value = value;
    $("value-" + name).textContent = format(name, value);
  }
  $("lever-governance").value = "governance" in pending ? pending.governance : levers.governance;
}

// ---- state ----------------------------------------------------------------------------
function showState(s) {
  if (state && s.revision < state.revision) return; // an older state arrived late
  state = s;
  $("step-value").textContent = s.step;
  $("year-value").textContent = s.year;
  $("seed-value").textContent = s.seed;
  $("play").textContent = s.playing ? t("pause") : t("play");
  $("play").classList.toggle("playing", s.playing);
  $("speed").value = s.speed;
  $("speed-value").textContent = s.speed;
  if (s.metrics) {
    $("agents-value").textContent = s.metrics.agents;
    $("cooperation-value").textContent = s.metrics.cooperation_rate == null ? "–" : s.metrics.cooperation_rate.toFixed(3);
    $("trust-value").textContent = s.metrics.mean_trust == null ? "–" : s.metrics.mean_trust.toFixed(3);
    $("ties-value").textContent = s.metrics.ties;
  }
  showLevers(s.levers);
  drawEvents();
}

function drawEvents() {
  if (!state) return;
  const list = $("events");
  list.innerHTML = "";
  for (const e of state.events.slice().reverse()) {
    const li = document.createElement("li");
    const name = TEXTS[lang].lever_names[e.lever || e.kind] || e.kind;
    li.textContent = `${t("step_label")} ${e.at}: ${name} = ${typeof e.value === "number" ? format(e.lever || "", e.value) : e.value}`;
    list.appendChild(li);
  }
}

async function update(message) {
  const s = JSON.parse(message);
  if (state && s.revision < state.revision) return;
  const last = history.length ? history[history.length - 1].step : -1;
  if (s.step < last || (s.step === 0 && last !== 0) || (state && s.seed !== state.seed)) {
    await loadNetwork();
    history = await api("GET", "/api/history");
  } else if (s.metrics && s.step > last) {
    if (s.step > last + 1) history = await api("GET", "/api/history");
    else history.push(s.metrics);
  }
  roles = s.roles;
  ties = s.ties;
  placeNewcomers();
  showState(s);
  drawCharts();
}

// ---- network layout and drawing ------------------------------------------------------
async function loadNetwork() {
  const network = await api("GET", "/api/network");
  roleNames = network.roles;
  pos = network.nodes.map((n) => [n.x ?? 0, n.y ?? 0]);
  vel = pos.map(() => [0, 0]);
  roles = network.nodes.map((n) => (n.active ? roleNames.indexOf(n.role) : -1));
  ties = [];
  for (const tie of network.ties) {
    ties.push(tie.a, tie.b, Math.round(tie.trust * 100), KIND_NAMES.indexOf(tie.kind) * 2 + (tie.conflict ? 1 : 0));
  }
  drawLegend();
}

// Agents who arrived since the layout was made start next to one of their ties.
function placeNewcomers() {
  const start = pos.length;
  if (roles.length <= start) return;
  for (let i = start; i < roles.length; i++) { pos.push(null); vel.push([0, 0]); }
  for (let k = 0; k < ties.length; k += 4) {
    const [a, b] = [ties[k], ties[k + 1]];
    if (pos[a] === null && pos[b] !== null) pos[a] = [pos[b][0] + Math.random() - 0.5, pos[b][1] + Math.random() - 0.5];
    if (pos[b] === null && pos[a] !== null) pos[b] = [pos[a][0] + Math.random() - 0.5, pos[a][1] + Math.random() - 0.5];
  }
  const r = Math.sqrt(pos.length) / 2;
  for (let i = start; i < pos.length; i++) {
    if (pos[i] === null) { const angle = Math.random() * 2 * Math.PI; pos[i] = [r * Math.cos(angle), r * Math.sin(angle)]; }
  }
}

// One gentle step of a force layout: springs on ties, short-range repulsion on a grid,
// a weak pull to the centre; moves are damped and capped so the picture never jumps.
function relax() {
  const n = pos.length;
  if (n === 0) return;
  const force = pos.map(() => [0, 0]);
  for (let k = 0; k < ties.length; k += 4) {
    const a = ties[k], b = ties[k + 1];
    const dx = pos[b][0] - pos[a][0], dy = pos[b][1] - pos[a][1];
    const d = Math.hypot(dx, dy) || 1e-6;
    const f = 0.05 * (d - 1);
    force[a][0] += f * dx / d; force[a][1] += f * dy / d;
    force[b][0] -= f * dx / d; force[b][1] -= f * dy / d;
  }
  const grid = new Map();
  for (let i = 0; i < n; i++) {
    if (roles[i] < 0) continue;
    const key = Math.floor(pos[i][0] / 2) + "," + Math.floor(pos[i][1] / 2);
    if (!grid.has(key)) grid.set(key, []);
    grid.get(key).push(i);
  }
  for (let i = 0; i < n; i++) {
    if (roles[i] < 0) continue;
    const gx = Math.floor(pos[i][0] / 2), gy = Math.floor(pos[i][1] / 2);
    for (let ox = -1; ox <= 1; ox++) for (let oy = -1; oy <= 1; oy++) {
      for (const j of grid.get((gx + ox) + "," + (gy + oy)) || []) {
        if (j <= i) continue;
        const dx = pos[j][0] - pos[i][0], dy = pos[j][1] - pos[i][1];
        const d2 = dx * dx + dy * dy + 0.01;
        if (d2 > 4) continue;
        const f = 0.04 / d2;
        force[i][0] -= f * dx; force[i][1] -= f * dy;
        force[j][0] += f * dx; force[j][1] += f * dy;
      }
    }
    force[i][0] -= 0.002 * pos[i][0]; force[i][1] -= 0.002 * pos[i][1];
  }
  for (let i = 0; i < n; i++) {
    if (roles[i] < 0) continue;
    vel[i][0] = 0.6 * vel[i][0] + force[i][0];
    vel[i][1] = 0.6 * vel[i][1] + force[i][1];
    const speed = Math.hypot(vel[i][0], vel[i][1]);
    if (speed > 0.05) { vel[i][0] *= 0.05 / speed; vel[i][1] *= 0.05 / speed; }
    pos[i][0] += vel[i][0]; pos[i][1] += vel[i][1];
  }
}

function fitView(canvas) {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < pos.length; i++) {
    if (roles[i] < 0) continue;
    minX = Math.min(minX, pos[i][0]); maxX = Math.max(maxX, pos[i][0]);
    minY = Math.min(minY, pos[i][1]); maxY = Math.max(maxY, pos[i][1]);
  }
  if (!isFinite(minX)) return;
  const scale = 0.92 * Math.min(canvas.width / (maxX - minX + 1), canvas.height / (maxY - minY + 1));
  // Ease toward the new frame rather than jumping.
  view.cx += 0.1 * ((minX + maxX) / 2 - view.cx);
  view.cy += 0.1 * ((minY + maxY) / 2 - view.cy);
  view.scale += 0.1 * (scale - view.scale);
}

function trustColour(trust, alpha) {
  const hue = Math.round(120 * trust); // 0 red … 120 green
  return `hsla(${hue}, 75%, 40%, ${alpha})`;
}

function drawNetwork() {
  const canvas = $("network");
  resize(canvas);
  fitView(canvas);
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const X = (x) => canvas.width / 2 + (x - view.cx) * view.scale;
  const Y = (y) => canvas.height / 2 + (y - view.cy) * view.scale;
  const dpr = window.devicePixelRatio || 1;
  for (let k = 0; k < ties.length; k += 4) {
    const a = ties[k], b = ties[k + 1], trust = ties[k + 2] / 100, conflict = ties[k + 3] & 1;
    if (!pos[a] || !pos[b]) continue;
    g.beginPath();
    g.moveTo(X(pos[a][0]), Y(pos[a][1]));
    g.lineTo(X(pos[b][0]), Y(pos[b][1]));
    if (conflict) {
      g.setLineDash([4 * dpr, 3 * dpr]);
      g.strokeStyle = CONFLICT_COLOUR;
      g.lineWidth = 1.5 * dpr;
    } else {
      g.setLineDash([]);
      g.strokeStyle = trustColour(trust, 0.25 + 0.35 * trust);
      g.lineWidth = (0.3 + 2 * trust) * dpr;
    }
    g.stroke();
  }
  g.setLineDash([]);
  const radius = Math.max(1.5, Math.min(6, view.scale * 0.16)) * dpr;
  for (let i = 0; i < roles.length; i++) {
    if (roles[i] < 0 || !pos[i]) continue;
    g.beginPath();
    g.arc(X(pos[i][0]), Y(pos[i][1]), roleNames[roles[i]] === "principal" ? radius * 1.8 : radius, 0, 2 * Math.PI);
    g.fillStyle = ROLE_COLOURS[roleNames[roles[i]]] || "#000";
    g.fill();
  }
}

function drawLegend() {
  const present = new Set(roles.filter((r) => r >= 0));
  $("legend").innerHTML = roleNames
    .map((name, i) => present.has(i)
      ? `<span><span class="swatch" style="background:${ROLE_COLOURS[name]}"></span>${TEXTS[lang].roles[name]}</span>` : "")
    .join("");
  $("ties-legend").innerHTML = KIND_NAMES
    .map((k, i) => `<span><span class="line" style="background:${KIND_COLOURS[i]}"></span>${t(k)}</span>`)
    .concat([`<span><span class="line" style="background:${CONFLICT_COLOUR}"></span>${t("conflict")}</span>`])
    .join("");
}

// ---- charts ---------------------------------------------------------------------------
function resize(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const [w, h] = [Math.round(canvas.clientWidth * dpr), Math.round(canvas.clientHeight * dpr)];
  if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
}

function lineChart(canvas, series, fixedMax) {
  resize(canvas);
  const g = canvas.getContext("2d");
  const dpr = window.devicePixelRatio || 1;
  const [w, h, pad] = [canvas.width, canvas.height, 34 * dpr];
  g.clearRect(0, 0, w, h);
  const steps = Math.max(1, history.length ? history[history.length - 1].step : 1);
  let max = fixedMax;
  if (max === undefined) {
    max = 1;
    for (const s of series) for (const m of history) max = Math.max(max, s.value(m) ?? 0);
  }
  g.strokeStyle = "#999"; g.lineWidth = dpr; g.fillStyle = "#555";
  g.font = `${11 * dpr}px sans-serif`;
  g.strokeRect(pad, 4 * dpr, w - pad - 6 * dpr, h - pad + 14 * dpr - 4 * dpr);
  g.fillText(fixedMax === 1 ? "1" : String(Math.round(max)), 4 * dpr, 14 * dpr);
  g.fillText("0", 4 * dpr, h - pad + 14 * dpr);
  g.fillText(String(steps), w - 30 * dpr, h - 4 * dpr);
  const X = (step) => pad + (w - pad - 6 * dpr) * step / steps;
  const Y = (v) => h - pad + 14 * dpr - (h - pad + 10 * dpr - 4 * dpr) * v / max;
  for (const s of series) {
    g.beginPath(); g.strokeStyle = s.colour; g.lineWidth = 1.8 * dpr;
    let started = false;
    for (const m of history) {
      const v = s.value(m);
      if (v == null) continue;
      if (started) g.lineTo(X(m.step), Y(v)); else { g.moveTo(X(m.step), Y(v)); started = true; }
    }
    g.stroke();
  }
}

function drawCharts() {
  lineChart($("chart-cooperation"), [{ colour: "#1f77b4", value: (m) => m.cooperation_rate }], 1);
  lineChart($("chart-trust"), [{ colour: "#2ca02c", value: (m) => m.mean_trust }], 1);
  lineChart($("chart-ties"), KIND_NAMES.map((k, i) => ({ colour: KIND_COLOURS[i], value: (m) => m.ties_by_kind[i] }))
    .concat([{ colour: CONFLICT_COLOUR, value: (m) => m.conflict_ties }]));
}

// ---- wiring ---------------------------------------------------------------------------
function connect() {
  const socket = new WebSocket(`ws://${location.host}/api/updates`);
  socket.onopen = () => { connection = "connected"; $("connection").textContent = t(connection); };
  let queue = Promise.resolve();
  socket.onmessage = (event) => { queue = queue.then(() => update(event.data)).catch(alertError); };
  socket.onclose = () => {
    connection = "disconnected"; $("connection").textContent = t(connection); setTimeout(connect, 1000);
  };
}

function frame() {
  for (let k = 0; k < 2; k++) relax();
  drawNetwork();
  requestAnimationFrame(frame);
}

async function main() {
  buildLevers();
  $("language").value = lang;
  $("language").addEventListener("change", (e) => {
    lang = e.target.value; localStorage.setItem("gotong-lang", lang); applyLanguage();
  });
  const control = (body) => api("POST", "/api/control", body).then(showState).catch(alertError);
  $("play").addEventListener("click", () => control({ action: state && state.playing ? "pause" : "play" }));
  $("step").addEventListener("click", () => control({ action: "step", n: 1 }));
  $("reset").addEventListener("click", () => control({ action: "reset" }));
  $("reset-new").addEventListener("click", () => control({ action: "reset", new_seed: true }));
  $("speed").addEventListener("input", () => { $("speed-value").textContent = $("speed").value; });
  $("speed").addEventListener("change", () => control({ action: "speed", n: +$("speed").value }));
  await loadNetwork();
  history = await api("GET", "/api/history");
  showState(await api("GET", "/api/state"));
  applyLanguage();
  drawCharts();
  connect();
  window.addEventListener("resize", drawCharts);
  requestAnimationFrame(frame);
}

main().catch(alertError);
