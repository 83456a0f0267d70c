// crossexec workbench: a scenario editor, the answer by court, proof graphs, why-not, the articles.
// Everything it shows comes from the API of the same server (crossexec/web/app.py); it decides nothing.
"use strict";

const I18N = {
  zh: {
    title: "交叉执行指导意见知识库", subtitle: "工作台", tab_work: "情形与回答", tab_articles: "条文",
    examples: "载入示例……", example_group: "示例", as_of: "截至", ask: "求解",
    hint: "载入示例或写一个情形，然后点“求解”。", all_courts: "全部法院", all_objects: "全部案件/对象",
    all_modalities: "全部情态", overdue_only: "仅已逾期", all_superiors: "所有上级法院",
    click_node: "点击图中节点查看条文、规则和事实。", whynot_label: "为什么不？输入结论（与命令行相同的写法）：",
    whynot_go: "为什么不", solved: (n) => `✓ 已求解：${n} 条结论`, pick_article: "选择一条。", checking: "检查中……", solving: "求解中……",
    valid: (d) => `✓ 情形有效：${d.cases} 个案件，${d.courts} 个法院，截至 ${d.as_of}`,
    line_msg: (e) => `第${e.line}行 ${e.where ? e.where + "：" : ""}${e.expected}`,
    summary: (a, n, shown) => `<b>${esc(a.scenario)}</b>　截至 ${a.as_of}　结论 ${n} 条${shown < n ? `（显示 ${shown} 条）` : ""}`,
    deadline: "期限", overdue: (n) => `已逾期 ${n} 日`, sources: "依据", case: "案件", debtor: "被执行人",
    dispute: "执行争议", area: "辖区", recommended: "推荐", rank: (n) => `第${n}位`, other_courts: "辖区内其他法院",
    any_superior: "上级法院均可", condition: (x) => `如决定${x}`, warnings: "提示", conflicts: "冲突（同一行为既应当又不得）",
    none: "（无结论）", applicant: "申请执行人", debtor_actor: "被执行人", loading: "载入中……",
    proof_of: "证明", fact_line: (n) => `已在编辑器中标出第${n}行`, rules: "规则", tests: "测试", code: "规则代码",
    rules_elsewhere: "其他文件中引用本条的规则", article_tests: "本条的测试情形", load_test: "点击载入",
    normative: (c, t) => `规范句 ${c}/${t} 已有规则`, not_hold: "不成立", error: "错误",
  },
  en: {
    title: "Cross-execution guidance knowledge base", subtitle: "workbench", tab_work: "Scenario and answer",
    tab_articles: "Articles", examples: "Load an example…", example_group: "examples", as_of: "as of", ask: "Ask",
    hint: "Load an example or write a scenario, then press Ask.", all_courts: "all courts", all_objects: "all cases/objects",
    all_modalities: "all modalities", overdue_only: "overdue only", all_superiors: "every superior court",
    click_node: "Click a node to see its statute text, rule and facts.",
    whynot_label: "Why not? A conclusion, written as on the command line:", whynot_go: "Why not", solved: (n) => `✓ solved: ${n} conclusion(s)`,
    pick_article: "Pick an article.", checking: "checking…", solving: "solving…",
    valid: (d) => `✓ valid scenario: ${d.cases} case(s), ${d.courts} court(s), as of ${d.as_of}`,
    line_msg: (e) => `line ${e.line} ${e.where ? e.where + ": " : ""}${e.expected}`,
    summary: (a, n, shown) => `<b>${esc(a.scenario)}</b>  as of ${a.as_of}  ${n} conclusion(s)${shown < n ? ` (${shown} shown)` : ""}`,
    deadline: "deadline", overdue: (n) => `overdue by ${n} day(s)`, sources: "sources", case: "case", debtor: "debtor",
    dispute: "dispute", area: "area of", recommended: "recommended", rank: (n) => `rank ${n}`,
    other_courts: "another court of its area", any_superior: "any superior court may", condition: (x) => `if ${x} is decided`,
    warnings: "Warnings", conflicts: "Conflicts (both must and must not)", none: "(no conclusions)",
    applicant: "applicant", debtor_actor: "debtor", loading: "loading…", proof_of: "Proof",
    fact_line: (n) => `line ${n} marked in the editor`, rules: "rules", tests: "tests", code: "rule code",
    rules_elsewhere: "Rules in other files citing this article", article_tests: "Scenario tests of this article",
    load_test: "click to load", normative: (c, t) => `normative sentences with a rule: ${c}/${t}`,
    not_hold: "does not hold", error: "error",
  },
};
const MODALITY = {
  zh: { must: "应当", should: "一般应当", may: "可以", should_not: "一般不得", must_not: "不得" },
  en: { must: "must", should: "should", may: "may", should_not: "should not", must_not: "must not" },
};
const KIND_COLORS = { atom: "#e8f0fe", fact: "#e6f4ea", app: "#fef7e0", calc: "#f3e8fd", cmp: "#e6f4ea",
  neg: "#f1f3f4", cond: "#f1f3f4", unexplained: "#fce8e6", whynot: "#fce8e6", note: "#f1f3f4", attempt: "#fef7e0",
  missing: "#fce8e6", blocked: "#fce8e6", false: "#fce8e6", unchecked: "#f1f3f4" };

let lang = "zh";
const t = (key, ...args) => { const v = I18N[lang][key]; return typeof v === "function" ? v(...args) : v; };
const $ = (id) => document.getElementById(id);
function esc(s) { return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }

const editor = CodeMirror($("editor"), {
  mode: "yaml", lineNumbers: true, indentUnit: 2, tabSize: 2, lineWrapping: false,
  extraKeys: { Tab: (cm) => cm.replaceSelection("  ") },
});
const state = { answer: null, file: null, lint: null, factMark: null, proofQuery: null, proofKind: null, cy: null,
                checkSeq: 0, articles: null };
window.crossexec = { editor, state };          // for the browser test and for curious users

async function api(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  const type = response.headers.get("content-type") || "";
  const data = type.includes("json") ? await response.json() : await response.text();
  return { status: response.status, data };
}

function scenarioRequest(extra) {
  const body = { scenario: editor.getValue(), ...extra };
  if ($("as-of").value) body.as_of = $("as-of").value;
  if (state.file) body.file = state.file;
  return body;
}

function setStatus(text, kind) {
  const el = $("status");
  el.textContent = text;
  el.className = "status" + (kind ? " " + kind : "");
}

// -- validation as the expert types --------------------------------------------------------------------
function clearLint() {
  if (state.lint) {
    state.lint.widget.clear();
    editor.removeLineClass(state.lint.line, "background", "cm-error-line");
    state.lint = null;
  }
}

function showInputError(err) {
  clearLint();
  setStatus(err.error, "error");
  if (!err.line) return;
  const line = Math.min(err.line, editor.lineCount()) - 1;
  const div = document.createElement("div");
  div.className = "lint-message";
  div.dataset.line = String(err.line);
  div.textContent = "⚠ " + t("line_msg", err);
  editor.addLineClass(line, "background", "cm-error-line");
  state.lint = { line, widget: editor.addLineWidget(line, div, { coverGutter: false }) };
}

async function check() {
  const seq = ++state.checkSeq;
  if (!editor.getValue().trim()) { clearLint(); setStatus(""); return; }
  const { status, data } = await api("/check", scenarioRequest());
  if (seq !== state.checkSeq) return;                 // a newer edit has been checked meanwhile
  if (status === 200) { clearLint(); setStatus(t("valid", data), "ok"); }
  else if (status === 422) showInputError(data);
  else setStatus(`${status} ${data.error || data}`, "error");
}

let checkTimer = null;
editor.on("change", (_, change) => {
  if (change.origin === "setValue") return;
  clearTimeout(checkTimer);
  checkTimer = setTimeout(check, 500);
});

// -- asking --------------------------------------------------------------------------------------------
async function ask() {
  $("ask").disabled = true;
  setStatus(t("solving"));
  try {
    const [{ status, data }, levels] = await Promise.all([api("/ask", scenarioRequest()), api("/check", scenarioRequest())]);
    state.levels = levels.status === 200 ? levels.data.court_levels : {};
    if (status === 200) {
      clearLint();
      setStatus(t("solved", data.conclusions.length), "ok");
      state.answer = data;
      fillFilters();
      renderAnswer();
    } else if (status === 422) showInputError(data);
    else setStatus(`${status} ${data.error || data}`, "error");
  } finally {
    $("ask").disabled = false;
  }
}

function objectOf(c) {
  for (const k of ["case", "debtor", "dispute", "area"]) if (c[k] != null) return [k, c[k]];
  return ["", ""];
}
function actorName(a) { return a === "applicant" ? t("applicant") : a === "debtor" ? t("debtor_actor") : a; }
function queryText(c) {
  const [, obj] = objectOf(c);
  return `${c.modality} ${c.actor} ${c.action} ${obj}` + (c.target ? ` -> ${c.target}` : "");
}

function fillFilters() {
  const a = state.answer;
  const fill = (id, values, label) => {
    const el = $(id), keep = el.value;
    el.innerHTML = `<option value="">${esc(t(label))}</option>` +
      values.map(([v, text]) => `<option value="${esc(v)}">${esc(text)}</option>`).join("");
    el.value = values.some(([v]) => v === keep) ? keep : "";
  };
  const courts = [...new Set(a.conclusions.map((c) => c.actor))];
  fill("f-court", courts.map((c) => [c, actorName(c)]), "all_courts");
  const objects = [...new Set(a.conclusions.map((c) => objectOf(c).join(":")))];
  fill("f-case", objects.map((o) => { const [k, v] = o.split(/:(.*)/s); return [o, `${t(k) || k} ${v}`]; }), "all_objects");
  fill("f-modality", Object.keys(MODALITY.zh).map((m) => [m, MODALITY[lang][m]]), "all_modalities");
  $("filters").classList.remove("hidden");
}

function visible(c) {
  if ($("f-court").value && c.actor !== $("f-court").value) return false;
  if ($("f-case").value && objectOf(c).join(":") !== $("f-case").value) return false;
  if ($("f-modality").value && c.modality !== $("f-modality").value) return false;
  if ($("f-overdue").checked && !c.overdue) return false;
  return true;
}

function conclusionHtml(c, index) {
  const [kind, obj] = objectOf(c);
  const action = lang === "zh" ? c.action_zh : `${c.action} (${c.action_zh})`;
  // as the text answer (crossexec/render.py, TARGET_ACTS): an act choosing a court without a named target
  // stands for the rest of the area
  const target = c.target ? ` → ${esc(c.target)}` : (["instruct", "centralize"].includes(c.action) ? ` → ${t("other_courts")}` : "");
  const meta = [];
  if (c.deadline) meta.push(`${t("deadline")} ${c.deadline}` + (c.overdue ? ` <span class="overdue">（${t("overdue", c.days_overdue)}）</span>` : ""));
  if (c.rank !== undefined) {
    const head = c.recommended ? t("recommended") : t("rank", c.rank);
    meta.push(`<span class="rec">【${esc([head, ...c.factors.map((f) => f.factor_zh)].join("；"))}】</span>`);
  }
  if (c.ordinary_holder) meta.push(t("any_superior"));
  if (c.condition) meta.push(esc(t("condition", c.condition)));
  meta.push(`${t("sources")} ${esc(c.sources.join("、"))}`);
  meta.push(`<code>${esc(c.rule || "")}</code>`);
  return `<div class="conclusion" data-index="${index}" title="${esc(queryText(c))}">
    <span class="badge ${c.modality}">${MODALITY[lang][c.modality]}</span>
    <span class="c-main">${esc(action)}　${esc(t(kind) || kind)} ${esc(obj)}${target}</span>
    <span class="c-meta">${meta.join("　")}</span></div>`;
}

function renderAnswer() {
  const a = state.answer;
  if (!a) return;
  const allSuperiors = $("f-all").checked;      // as `crossexec ask --all-superiors`
  const shown = a.conclusions.map((c, i) => [c, i]).filter(([c]) => visible(c) && (allSuperiors || c.ordinary_holder !== false));
  $("summary").innerHTML = t("summary", a, a.conclusions.length, shown.length);
  const groups = new Map();
  for (const [c, i] of shown) {
    if (!groups.has(c.actor)) groups.set(c.actor, []);
    groups.get(c.actor).push(conclusionHtml(c, i));
  }
  // courts from the top of the hierarchy down, then the parties (as the text answer, crossexec/render.py)
  const rank = { supreme: 0, high: 1, intermediate: 2, basic: 3 };
  const order = (actor) => (actor === "applicant" || actor === "debtor") ? 9 : (rank[(state.levels || {})[actor]] ?? 5);
  const sorted = [...groups].sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
  let html = sorted.map(([actor, rows]) =>
    `<div class="court"><h3>${esc(actorName(actor))}<span class="count">${rows.length}</span></h3>${rows.join("")}</div>`).join("");
  if (!shown.length) html = `<p class="warnings">${t("none")}</p>`;
  if (a.conflicts.length) html += `<div class="warnings"><b>${t("conflicts")}</b><ul>` +
    a.conflicts.map((p) => `<li>${esc(queryText(p.positive))} ⟂ ${esc(queryText(p.negative))}</li>`).join("") + "</ul></div>";
  if (a.warnings.length) html += `<div class="warnings"><b>${t("warnings")}</b><ul>` +
    a.warnings.map((w) => `<li>${esc(w)}</li>`).join("") + "</ul></div>";
  $("answer").innerHTML = html;
}

$("answer").addEventListener("click", (ev) => {
  const row = ev.target.closest(".conclusion");
  if (!row) return;
  setTimeout(() => row.scrollIntoView({ block: "nearest" }), 50);
  document.querySelectorAll(".conclusion.selected").forEach((el) => el.classList.remove("selected"));
  row.classList.add("selected");
  const c = state.answer.conclusions[Number(row.dataset.index)];
  $("whynot-input").value = queryText(c);
  showProof("why", c);
});
for (const id of ["f-court", "f-case", "f-modality", "f-overdue", "f-all"]) $(id).addEventListener("change", renderAnswer);

// -- proof graphs --------------------------------------------------------------------------------------
function wrap(text, width, maxLines) {
  const lines = [];
  for (const para of String(text).split("\n")) {
    let rest = para;
    while (rest.length > width && lines.length < maxLines) { lines.push(rest.slice(0, width)); rest = rest.slice(width); }
    if (lines.length < maxLines) lines.push(rest);
  }
  if (lines.length >= maxLines) lines[maxLines - 1] = lines[maxLines - 1].slice(0, width - 1) + "…";
  return lines.slice(0, maxLines).join("\n");
}

function nodeLabel(n) {
  // what a reader checks first: for a rule, its label and the statute sentence it encodes; for a
  // fact, where the scenario states it (key path and line); for the rest, the first detail
  if (n.kind === "fact" && n.path && !n.national) {
    const where = lang === "zh" ? `第${n.line}行` : `line ${n.line}`;
    return `${wrap(n.path, 22, 2)}（${where}）\n${wrap(n.shown || n.text, 22, 2)}`;
  }
  if (n.kind === "app" && n.statute) {
    return `${wrap(n.text, 20, 2)}\n“${wrap(n.statute, 20, 3)}”\n${n.file}:${n.line}`;
  }
  const first = (n.details || [])[0];
  return [wrap(n.text, 20, 3), first ? wrap(first, 20, 2) : null].filter(Boolean).join("\n");
}

async function showProof(kind, conclusion) {
  state.proofKind = kind;
  state.proofQuery = conclusion;
  $("proof").classList.remove("hidden");
  $("proof-title").textContent = t("loading");
  $("proof-note").textContent = "";
  const body = scenarioRequest({ conclusion, lang });
  const { status, data } = await api("/" + kind, body);
  if (status !== 200) {
    $("proof-title").textContent = `${t(status === 404 ? "not_hold" : "error")}: ${data.error || data}`;
    if (status === 422) showInputError(data);
    drawGraph({ nodes: [], edges: [] });
    return;
  }
  $("proof-title").textContent = data.title;
  $("proof-title").title = data.title;
  $("proof-note").textContent = data.note || "";
  drawGraph(data);
}

function drawGraph(g) {
  if (state.cy) state.cy.destroy();
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const elements = [
    ...g.nodes.map((n) => ({ data: { id: n.id, label: nodeLabel(n), kind: n.kind, root: (g.roots || []).includes(n.id) ? 1 : 0 } })),
    ...g.edges.filter((e) => byId.has(e.from) && byId.has(e.to))
      .map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to } })),
  ];
  state.cy = cytoscape({
    container: $("graph"), elements, minZoom: 0.15, maxZoom: 2.5,
    style: [
      { selector: "node", style: {
        shape: "round-rectangle", label: "data(label)", "text-wrap": "wrap", "text-max-width": 250,
        "font-size": 12, "font-family": "Noto Sans CJK SC, sans-serif", "text-valign": "center", "text-halign": "center",
        width: 256, height: (ele) => 16 + 15 * ele.data("label").split("\n").length,
        "background-color": (ele) => KIND_COLORS[ele.data("kind")] || "#f1f3f4",
        "border-width": 1, "border-color": "#9aa4ae", color: "#1f2328" } },
      { selector: "node[root = 1]", style: { "border-width": 2.5, "border-color": "#8b1a1a" } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#0969da" } },
      { selector: "edge", style: { width: 1.2, "line-color": "#9aa4ae", "target-arrow-color": "#9aa4ae",
        "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8 } },
    ],
    layout: { name: "dagre", rankDir: "LR", nodeSep: 14, rankSep: 40, padding: 10 },
  });
  // a large proof fitted whole would be unreadable: keep a legible zoom, the conclusion (on the
  // left) in view, the graph centred vertically; the rest is a drag or a scroll away
  const cy = state.cy, legible = 0.72;
  if (cy.zoom() < legible && cy.nodes().length) {
    const box = cy.elements().boundingBox();
    cy.zoom(legible);
    cy.pan({ x: 12 - box.x1 * legible, y: cy.height() / 2 - ((box.y1 + box.y2) / 2) * legible });
  }
  cy.on("tap", "node", (ev) => showNode(byId.get(ev.target.id())));
  state.graph = g;
}

function showNode(n) {
  if (state.factMark) { editor.removeLineClass(state.factMark, "background", "cm-fact-line"); state.factMark = null; }
  let html = `<h4>${esc(n.text)}</h4>`;
  if (n.statute) html += `<p class="statute">“${esc(n.statute)}”</p>`;
  if (n.label) html += `<p>${t("rules")} <code>${esc(n.label)}</code> ${esc((n.sources || []).join("、"))}</p>`;
  html += (n.details || []).filter((d) => !n.statute || !d.includes(n.statute.slice(0, 12)))
    .map((d) => `<p>${esc(d)}</p>`).join("");
  if (n.kind === "fact" && n.line && n.written && !n.national && (!state.file || n.file === state.file || n.file === "<request>")) {
    const line = n.line - 1;
    editor.addLineClass(line, "background", "cm-fact-line");
    editor.scrollIntoView({ line, ch: 0 }, 80);
    state.factMark = line;
    html += `<p>${esc(t("fact_line", n.line))}</p>`;
  }
  $("node-info").innerHTML = html;
}

$("proof-close").addEventListener("click", () => { $("proof").classList.add("hidden"); if (state.cy) state.cy.destroy(); state.cy = null; });
$("whynot-go").addEventListener("click", () => { if ($("whynot-input").value.trim()) showProof("whynot", $("whynot-input").value.trim()); });
$("whynot-input").addEventListener("keydown", (ev) => { if (ev.key === "Enter") $("whynot-go").click(); });

// -- examples ------------------------------------------------------------------------------------------
async function loadExamples() {
  const { data } = await api("/examples");
  const groups = new Map();
  for (const e of data) { if (!groups.has(e.group)) groups.set(e.group, []); groups.get(e.group).push(e); }
  $("examples").innerHTML = `<option value="" data-i18n="examples">${esc(t("examples"))}</option>` + [...groups].map(([g, items]) =>
    `<optgroup label="${esc(g === "examples" ? t("example_group") : g)}">` +
    items.map((e) => `<option value="${esc(e.id)}">${esc(e.name)}${g === "examples" ? "" : "（" + esc(e.id.split("/").pop()) + "）"}</option>`).join("") +
    "</optgroup>").join("");
}

async function loadExample(id) {
  const { status, data } = await api("/examples/" + id.split("/").map(encodeURIComponent).join("/"));
  if (status !== 200) { setStatus(data.error || String(status), "error"); return; }
  state.file = id;
  $("as-of").value = "";
  clearLint();
  editor.setValue(data);
  editor.clearHistory();
  $("examples").value = id;
  showTab("work");
  await ask();
}
$("examples").addEventListener("change", (ev) => { if (ev.target.value) loadExample(ev.target.value); });
$("ask").addEventListener("click", ask);
$("as-of").addEventListener("change", check);

// -- articles ------------------------------------------------------------------------------------------
async function showArticles() {
  if (!state.articles) {
    state.articles = (await api("/articles")).data;
  }
  $("article-list").innerHTML = state.articles.map((a) =>
    `<a href="#" data-n="${a.number}">${lang === "zh" ? `第${a.number}条` : `Art. ${a.number}`} ${esc(a.title)}` +
    `<small>${t("rules")} ${a.rules} · ${t("tests")} ${a.tests}${a.sentences ? " · " + t("normative", a.covered, a.sentences) : ""}</small></a>`).join("");
}

async function showArticle(n) {
  document.querySelectorAll("#article-list a").forEach((a) => a.classList.toggle("active", a.dataset.n === String(n)));
  const { status, data } = await api(`/articles/${n}`);
  if (status !== 200) { $("article-view").textContent = data.error; return; }
  const testLink = (p) => `<a data-example="${esc(p)}">${esc(p.replace("tests/scenarios/", ""))}</a>`;
  const rule = (r) => `<div class="rule"><code>${esc(r.label)}</code> ${esc(r.sources.join("、"))} · ${esc(r.file)}:${r.line}` +
    (r.tests.length ? `<div class="tests">${t("tests")}: ${r.tests.map(testLink).join("、")}</div>` : "") + "</div>";
  let html = `<h2>${lang === "zh" ? `指导意见第${n}条` : `Article ${n}`} ${esc(data.title)}</h2><p class="article-tests">${esc(data.file)}</p>`;
  for (const b of data.blocks) {
    if (!b.statute.length && !b.rules.length) continue;
    html += `<div class="block">` + b.statute.map((s) =>
      `<p class="statute-line${s.normative ? " normative" : ""}${s.covered ? " covered" : ""}">${esc(s.text)}</p>`).join("") +
      b.rules.map(rule).join("") +
      (b.rules.length ? `<details class="code"><summary>${t("code")} (${b.code[0]?.line}–${b.code[b.code.length - 1]?.line})</summary><pre>${esc(b.code.map((c) => c.text).join("\n"))}</pre></details>` : "") +
      `</div>`;
  }
  if (data.rules_elsewhere.length) html += `<h3>${t("rules_elsewhere")}</h3>` + data.rules_elsewhere.map(rule).join("");
  html += `<h3>${t("article_tests")}</h3><p class="article-tests">${data.tests.map(testLink).join("、") || "—"}</p>`;
  $("article-view").innerHTML = html;
  $("article-view").scrollTop = 0;
}
$("article-list").addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-n]");
  if (a) { ev.preventDefault(); showArticle(Number(a.dataset.n)); }
});
$("article-view").addEventListener("click", (ev) => {
  const a = ev.target.closest("a[data-example]");
  if (a) loadExample(a.dataset.example);
});

// -- tabs and language -----------------------------------------------------------------------------------
function showTab(name) {
  document.querySelectorAll("header .tab").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  $("work").classList.toggle("hidden", name !== "work");
  $("articles").classList.toggle("hidden", name !== "articles");
  if (name === "articles") showArticles();
  else editor.refresh();
}
document.querySelectorAll("header .tab").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));

function setLang(next) {
  lang = next;
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  $("lang-zh").classList.toggle("active", next === "zh");
  $("lang-en").classList.toggle("active", next === "en");
  document.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  document.title = `${t("title")} · ${t("subtitle")}`;
  if (state.answer) { fillFilters(); renderAnswer(); }
  if (state.proofQuery && !$("proof").classList.contains("hidden")) showProof(state.proofKind, state.proofQuery);
  if (!$("articles").classList.contains("hidden")) showArticles();
}
$("lang-zh").addEventListener("click", () => setLang("zh"));
$("lang-en").addEventListener("click", () => setLang("en"));

loadExamples().then(() => { document.body.dataset.ready = "1"; });
