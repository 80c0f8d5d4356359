/* xlingo divergence viewer: draws the page from the JSON data island with DOM APIs only
   (createElement / textContent, never HTML from data). */
(() => {
  "use strict";

  const DATA = JSON.parse(document.getElementById("xl-data").textContent);
  const SEVS = ["error", "warning", "info"];
  const SEV = {
    error: { icon: "\u2716", label: "Error" },
    warning: { icon: "\u25B2", label: "Warning" },
    info: { icon: "\u25CF", label: "Info" },
  };
  const BIDI = /([\u202A-\u202E\u2066-\u2069])/;
  const BIDI_NAMES = {
    "\u202A": "LRE", "\u202B": "RLE", "\u202C": "PDF", "\u202D": "LRO", "\u202E": "RLO",
    "\u2066": "LRI", "\u2067": "RLI", "\u2068": "FSI", "\u2069": "PDI",
  };
  const byId = new Map(DATA.findings.map((f) => [f.id, f]));
  const pieces = new Map(DATA.findings.map((f) => [f.id, []])); // finding id -> its marks
  const heads = new Map(); // finding id -> head mark
  const gotos = []; // links from empty cells to findings
  const rows = []; // { el, text, fs }
  const sections = []; // { el, n: columns, note, rows }
  const state = { sev: new Set(), rule: new Set(), lang: new Set(), q: "", only: false };
  const chips = [];
  let current = null;
  let helpReturn = null;

  // Deep-link keys: the finding's content fingerprint, "-2", "-3"... for later equal findings.
  const seenFp = new Map();
  for (const f of DATA.findings) {
    const n = (seenFp.get(f.fp) || 0) + 1;
    seenFp.set(f.fp, n);
    f.key = n === 1 ? f.fp : f.fp + "-" + n;
  }
  const byKey = new Map(DATA.findings.map((f) => [f.key, f]));
  const DECISIONS = { accepted: "Accepted", fp: "False positive" };
  const ACTIONS = { accepted: "Accept", fp: "False positive" };
  const STORE = "xlingo.review:" + DATA.signature.string; // decisions are kept per report signature
  const decisions = loadDecisions(); // finding key -> "accepted" | "fp"
  const listItems = new Map(); // finding id -> { li, badge, buttons }
  let reviewStatus = null;

  const pop = document.getElementById("xl-pop");
  const help = document.getElementById("xl-help");
  const wide = window.matchMedia("(min-width: 761px)");
  let search = null;
  let status = null;
  let more = null;

  const languageNames = (() => {
    try { return new Intl.DisplayNames(["en"], { type: "language" }); } catch (e) { return null; }
  })();

  /** Append text to parent, bidi controls shown as inert labelled tokens. */
  function put(parent, text) {
    String(text).split(BIDI).forEach((part, i) => {
      if (i % 2) {
        const t = document.createElement("span");
        t.className = "ctl";
        t.textContent = BIDI_NAMES[part];
        t.title = "bidi control U+" + part.codePointAt(0).toString(16).toUpperCase() + ", neutralised";
        parent.append(t);
      } else if (part) {
        parent.append(document.createTextNode(part));
      }
    });
    return parent;
  }

  /** A new element with a class and (safe) text. */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) put(e, text);
    return e;
  }

  /** Text from the report, isolated from its surroundings' direction. */
  function iso(text, cls) {
    const e = el("bdi", cls, text);
    e.dir = "auto";
    return e;
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  const langNames = new Map();
  function langName(code) {
    if (!langNames.has(code)) {
      let name = "";
      try { name = (languageNames && languageNames.of(code)) || ""; } catch (e) { name = ""; }
      langNames.set(code, name === code ? "" : name);
    }
    return langNames.get(code);
  }

  function sevBadge(sev, count) {
    const b = el("span", "sev sev-" + sev);
    b.append(el("span", "icon", SEV[sev].icon), el("span", "label", SEV[sev].label));
    if (count !== undefined) b.append(el("span", "n", String(count)));
    return b;
  }

  function langTag(code) {
    const t = iso(code, "lang");
    t.title = langName(code) || code;
    return t;
  }

  function counts(list, key) {
    const out = new Map();
    for (const f of list) out.set(f[key], (out.get(f[key]) || 0) + 1);
    return out;
  }

  // ---- page parts -------------------------------------------------------------------------

  function header() {
    const h = document.getElementById("xl-header");
    const langs = new Set(DATA.stories.flatMap((s) => s.docs.map((d) => d.lang)));
    const title = el("h1");
    title.append(el("span", "brand", "xlingo"), " ", el("span", "what", "divergence report"));
    const sub = el("p", "sub");
    if (DATA.stories.length === 1) sub.append("Story ", iso(DATA.stories[0].id, "sid"), " · ");
    else sub.append(DATA.stories.length + " stories · ");
    sub.append(plural(langs.size, "language") + " · " + plural(DATA.findings.length, "finding"));
    const sum = el("p", "totals");
    const c = counts(DATA.findings, "sev");
    for (const s of SEVS) sum.append(sevBadge(s, c.get(s) || 0));
    h.append(title, sub, sum);
  }

  function chip(key, value, label, n, cls) {
    const b = el("button", "chip " + (cls || ""));
    b.type = "button";
    b.setAttribute("aria-pressed", "false");
    b.append(label, el("span", "n", String(n)));
    b.addEventListener("click", () => {
      const set = state[key];
      if (set.has(value)) set.delete(value); else set.add(value);
      apply();
    });
    chips.push({ b, key, value });
    return b;
  }

  function group(title, items) {
    const g = el("div", "group");
    g.setAttribute("role", "group");
    g.setAttribute("aria-label", title);
    g.append(el("span", "glabel", title));
    items.forEach((i) => g.append(i));
    return g;
  }

  function toolbar() {
    const bar = document.getElementById("xl-toolbar");
    search = el("input", "search");
    search.type = "search";
    search.placeholder = "Search findings and text";
    search.setAttribute("aria-label", "Search findings and text (press /)");
    search.addEventListener("input", () => { state.q = search.value.trim().toLowerCase(); apply(); });
    search.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); nav(1); } });
    const s = el("div", "searchbox");
    s.append(search, el("kbd", "hint", "/"));

    const bySev = counts(DATA.findings, "sev");
    const sevChips = SEVS.map((v) => {
      const label = el("span");
      label.append(el("span", "icon", SEV[v].icon), " " + SEV[v].label);
      return chip("sev", v, label, bySev.get(v) || 0, "sev-" + v);
    });
    const byRule = counts(DATA.findings, "rule");
    const ruleChips = [...byRule.keys()].sort().map((r) => {
      const label = el("span");
      label.append(el("code", null, r));
      const info = DATA.rules[r];
      if (info) { label.append(" ", el("span", "rname", info.name)); label.title = info.summary; }
      return chip("rule", r, label, byRule.get(r));
    });
    const byLang = counts(DATA.findings, "lang");
    const langChips = [...byLang.keys()].sort().map((l) => {
      const label = el("span");
      label.append(iso(l));
      label.title = langName(l) || l;
      return chip("lang", l, label, byLang.get(l));
    });

    const only = el("label", "toggle");
    const box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", () => { state.only = box.checked; apply(); });
    only.append(box, " Rows with findings only");

    const shade = el("label", "toggle");
    const shadeBox = el("input");
    shadeBox.type = "checkbox";
    shadeBox.checked = true;
    shadeBox.addEventListener("change", () => document.body.classList.toggle("no-unsure", !shadeBox.checked));
    shade.append(shadeBox, " Unsure words");
    shade.title = "shade the words the meaning model doubts the other versions carry (not findings)";
    shade.hidden = !DATA.stories.some((st) => st.rows.some((r) => r.cells.some((c) => hasUnsure(c.tree || []))));

    const reset = el("button", "btn", "Reset");
    reset.type = "button";
    reset.addEventListener("click", () => {
      state.sev.clear(); state.rule.clear(); state.lang.clear();
      state.q = ""; search.value = ""; state.only = false; box.checked = false;
      shadeBox.checked = true; document.body.classList.remove("no-unsure");
      apply();
    });
    const helpBtn = el("button", "btn round", "?");
    helpBtn.type = "button";
    helpBtn.setAttribute("aria-label", "Keyboard help");
    helpBtn.addEventListener("click", toggleHelp);
    status = el("span", "status");
    status.setAttribute("aria-live", "polite");

    const row1 = el("div", "bar-row");
    row1.append(s, group("Severity", sevChips), only, shade, status, reset, helpBtn);
    bar.append(row1);
    if (ruleChips.length || langChips.length) {
      const row2 = el("div", "bar-row");
      if (ruleChips.length) row2.append(group("Rules", ruleChips));
      if (langChips.length) row2.append(group("Languages", langChips));
      more = el("details", "more");
      more.append(el("summary", null, "Rules and languages"), row2);
      bar.append(more);
    }
  }

  function statusBadge(st) {
    if (st === "clean") return el("span", "sev sev-clean", "\u2713 clean");
    return sevBadge(st);
  }

  function index(main) {
    const sec = el("section", "index");
    sec.setAttribute("aria-labelledby", "xl-index-h");
    const h = el("h2", null, "Stories");
    h.id = "xl-index-h";
    const t = el("table", "tbl");
    const hr = el("tr");
    for (const c of ["Story", "Languages", "Rows", "Errors", "Warnings", "Info", "Status"]) hr.append(el("th", null, c));
    t.appendChild(el("thead")).append(hr);
    const body = t.appendChild(el("tbody"));
    for (const s of DATA.stories) {
      const tr = el("tr");
      const a = el("a");
      a.href = "#" + s.anchor;
      a.append(iso(s.id));
      const name = el("td");
      name.append(a);
      const langs = el("td");
      s.docs.forEach((d, i) => { if (i) langs.append(" "); langs.append(langTag(d.lang)); });
      tr.append(name, langs, el("td", "num", String(s.rows.length)));
      for (const v of SEVS) tr.append(el("td", "num", String(s.counts[v])));
      tr.appendChild(el("td")).append(statusBadge(s.status));
      body.append(tr);
    }
    sec.append(h, t);
    main.append(sec);
  }

  function grouping(main) {
    const sec = el("section", "grouping");
    sec.setAttribute("aria-labelledby", "xl-group-h");
    const h = el("h2", null, "Grouping");
    h.id = "xl-group-h";
    const note = el("p", "muted", "How the feed's documents were grouped: versions of one story, related documents (used as context), unrelated ones.");
    const t = el("table", "tbl");
    const hr = el("tr");
    for (const c of ["Document", "Language", "Relation", "Story", "Score", "Related to"]) hr.append(el("th", null, c));
    t.appendChild(el("thead")).append(hr);
    const body = t.appendChild(el("tbody"));
    const rank = { version: 0, related: 1, unrelated: 2 };
    const entries = DATA.grouping.slice().sort((a, b) => (rank[a.relation] ?? 3) - (rank[b.relation] ?? 3));
    for (const g of entries) {
      const tr = el("tr", "rel-" + g.relation);
      const doc = el("td");
      doc.append(iso(g.doc, "docid"), el("br"), iso(g.path, "path"));
      const story = el("td");
      if (g.story !== null && g.anchor) {
        const a = el("a");
        a.href = "#" + g.anchor;
        a.append(iso(g.story));
        story.append(a);
      } else if (g.story !== null) story.append(iso(g.story));
      else story.append("—");
      const lang = el("td");
      lang.append(langTag(g.lang));
      const rel = el("td");
      rel.append(el("span", "relation rel-" + g.relation, g.relation));
      const to = el("td");
      to.append(g.related_to === null ? "—" : iso(g.related_to));
      tr.append(doc, lang, rel, story, el("td", "num", g.score === null ? "—" : g.score.toFixed(2)), to);
      body.append(tr);
    }
    sec.append(h, note, t);
    main.append(sec);
  }

  function meter(parent, name, value) {
    const wrap = el("div", "m m-" + name);
    const m = el("span", "meter");
    m.setAttribute("role", "meter");
    m.setAttribute("aria-label", name);
    m.setAttribute("aria-valuemin", "0");
    m.setAttribute("aria-valuemax", "1");
    m.setAttribute("aria-valuenow", String(value));
    const bar = el("span", "fill");
    bar.style.width = Math.max(0, Math.min(1, value)) * 100 + "%";
    m.append(bar);
    wrap.title = name + " " + value.toFixed(3);
    wrap.append(el("span", "mname", name === "similarity" ? "sim" : "div"), el("span", "mval", value.toFixed(2)), m);
    parent.append(wrap);
  }

  /** Whether a cell's tree holds an unsure word (a leaf of its own, inside marks or not). */
  function hasUnsure(nodes) {
    return nodes.some((n) => typeof n !== "string" && (n.t !== undefined || hasUnsure(n.k || [])));
  }

  /** Append a cell's tree of leaves and marks; returns the plain text. */
  function tree(parent, nodes) {
    let text = "";
    for (const n of nodes) {
      if (typeof n === "string") { put(parent, n); text += n; continue; }
      if (n.t !== undefined) {
        const u = el("span", "unsure", n.t);
        const linked = (n.c || []).map(([lang, word]) => lang + " " + word).join(", ");
        const where = ((n.m || []).length ? n.m.join(", ") : "the other versions") +
          (n.a ? " (around \u201c" + n.a + "\u201d)" : "");
        u.title = "unsure: the meaning model's chance that this word is missing in " + where + ", " +
          n.u.toFixed(2) + (linked ? "; aligned with " + linked : "; aligned with nothing") + " (not a finding)";
        u.style.setProperty("--u", String(Math.max(0, Math.min(1, n.u))));
        parent.append(u);
        text += n.t;
        continue;
      }
      const f = DATA.findings[n.f];
      const m = el("mark", "hl sev-" + f.sev + " d" + Math.min(n.d || 1, 4));
      if (n.h) {
        m.dataset.finding = f.id;
        m.tabIndex = 0;
        m.setAttribute("aria-describedby", "xl-pop");
        heads.set(f.id, m);
      } else {
        m.dataset.part = f.id;
      }
      if (!n.k.length) {
        m.classList.add("caret");
        m.title = "empty span (insertion point)";
      }
      pieces.get(f.id).push(m);
      text += tree(m, n.k);
      parent.append(m);
    }
    return text;
  }

  function gotoChip(id) {
    const f = byId.get(id);
    const b = el("button", "goto sev-" + f.sev);
    b.type = "button";
    b.append(el("span", "icon", SEV[f.sev].icon), " ", el("code", null, f.rule), " in ", iso(f.lang));
    b.title = "Show this finding";
    b.addEventListener("click", () => focusFinding(id));
    gotos.push({ b, id });
    return b;
  }

  function storySection(main, s) {
    const sec = el("section", "story");
    sec.id = s.anchor;
    sec.setAttribute("aria-labelledby", s.anchor + "-h");
    const head = el("div", "story-head");
    const h = el("h2");
    h.id = s.anchor + "-h";
    h.append(el("span", "muted", "Story "), iso(s.id, "sid"));
    const meta = el("p", "meta");
    meta.append(plural(s.docs.length, "version") + " · " + plural(s.rows.length, "row") + " · ");
    if (s.status === "clean") meta.append(statusBadge("clean"));
    for (const v of SEVS) if (s.counts[v]) meta.append(sevBadge(v, s.counts[v]), " ");
    head.append(h, meta);
    if (s.context.length) {
      const ctx = el("p", "meta muted", "Context: ");
      s.context.forEach((d, i) => {
        if (i) ctx.append(", ");
        ctx.append(langTag(d.lang), " ", iso(d.path, "path"));
      });
      head.append(ctx);
    }
    sec.append(head);

    const grid = el("div", "grid");
    grid.setAttribute("role", "table");
    grid.setAttribute("aria-label", "Aligned versions of story " + s.id);
    grid.style.setProperty("--cols", "5.75rem repeat(" + s.docs.length + ", minmax(0, 1fr))");
    const hr = el("div", "ghead");
    hr.setAttribute("role", "row");
    const corner = el("div", "rh", "Row");
    corner.setAttribute("role", "columnheader");
    hr.append(corner);
    for (const d of s.docs) {
      const c = el("div", "colhead");
      c.setAttribute("role", "columnheader");
      const top = el("div", "ch-top");
      top.append(langTag(d.lang));
      const name = langName(d.lang);
      if (name) top.append(el("span", "lname", name));
      if (d.n) top.append(el("span", "cnt", plural(d.n, "finding")));
      c.append(top, iso(d.title || d.path, "doctitle"));
      if (d.title) c.append(iso(d.path, "path"));
      hr.append(c);
    }
    grid.append(hr);

    s.rows.forEach((row, r) => {
      const re = el("div", "row" + (row.level ? " lvl-" + row.level : ""));
      re.setAttribute("role", "row");
      re.dataset.row = String(r);
      const rh = el("div", "rh");
      rh.setAttribute("role", "rowheader");
      const top = el("div", "rh-top");
      top.append(el("span", "rn", String(r + 1)));
      if (row.kind.split("-").some((k) => k !== "1")) {
        const k = el("span", "kind", row.kind);
        k.title = "sentences per version in this row";
        top.append(k);
      }
      if (row.level === "weak") top.append(el("span", "weak", "weak"));
      rh.append(top);
      if (row.sim !== null) meter(rh, "similarity", row.sim);
      if (row.div !== null) meter(rh, "divergence", row.div);
      re.append(rh);
      let text = "";
      row.cells.forEach((cell, j) => {
        const d = s.docs[j];
        const c = el("div", "cell");
        c.setAttribute("role", "cell");
        c.appendChild(el("div", "lang-label")).append(langTag(d.lang));
        if (!cell.n) {
          c.classList.add("empty", cell.tag);
          const label = el("div", "empty-label");
          label.append(el("span", "icon", "\u2205"), " ",
            cell.tag === "omission" ? "Omission: not in this version" : "No counterpart here");
          c.append(label);
          if (cell.has.length) {
            const has = el("div", "empty-note", "Text only in ");
            cell.has.forEach((l, i) => { if (i) has.append(", "); has.append(iso(l)); });
            c.append(has);
          }
          if (row.fs.length) {
            const links = el("div", "gotos");
            row.fs.forEach((id) => links.append(gotoChip(id)));
            c.append(links);
          }
        } else {
          if (cell.n > 1 || cell.tag) {
            const badges = el("div", "badges");
            if (cell.n > 1) badges.append(el("span", "badge", plural(cell.n, "sentence")));
            if (cell.tag === "addition") {
              const a = el("span", "badge addition", "+ addition");
              a.title = "most versions have no counterpart for this text";
              badges.append(a);
            }
            c.append(badges);
          }
          const t = el("div", "txt");
          t.dir = "auto";
          t.lang = d.lang;
          text += "\n" + tree(t, cell.tree);
          c.append(t);
        }
        re.append(c);
      });
      rows.push({ el: re, text: text.toLowerCase(), fs: row.fs });
      grid.append(re);
    });
    sec.append(grid);
    const note = el("p", "note muted", "No rows match the filters.");
    note.hidden = true;
    sec.append(note);

    if (s.unplaced.length) {
      const u = el("div", "unplaced");
      u.append(el("h3", null, "Findings outside the aligned text"));
      const ul = el("ul");
      for (const n of s.unplaced) {
        const li = el("li");
        const f = DATA.findings[n.f];
        li.append(langTag(f.lang), " ", iso(f.doc, "docid"), " ");
        const t = el("span", "txt");
        t.dir = "auto";
        tree(t, [n]);
        li.append(t);
        ul.append(li);
      }
      u.append(ul);
      sec.append(u);
    }
    sections.push({ el: sec, n: s.docs.length, note, rows: rows.slice(rows.length - s.rows.length) });
    main.append(sec);
  }

  function footer() {
    const f = document.getElementById("xl-footer");
    const sig = DATA.signature;
    f.append(el("h2", null, "Signature"));
    const code = el("code", "sig", sig.string);
    f.appendChild(el("p")).append(code);
    const list = (pairs) => {
      const dl = el("dl", "kv");
      for (const [k, v] of pairs) { dl.append(el("dt", null, k)); dl.appendChild(el("dd")).append(iso(String(v))); }
      return dl;
    };
    f.append(list([["xlingo", sig.version], ["model", sig.model], ["rules", sig.rules.join(", ") || "—"],
      ...Object.entries(DATA.stats), ["schema", DATA.schema]]));
    const settings = Object.entries(sig.settings || {});
    if (settings.length) {
      const d = el("details", "thresholds");
      d.append(el("summary", null, plural(settings.length, "setting")), list(settings));
      f.append(d);
    }
  }

  // ---- details popover --------------------------------------------------------------------

  function showPop(target) {
    const f = byId.get(target.dataset.finding || target.dataset.part);
    if (!f) return;
    pop.replaceChildren();
    const head = el("div", "pop-head");
    head.append(sevBadge(f.sev), el("code", "rule", f.rule));
    const info = DATA.rules[f.rule];
    if (info) head.append(el("span", "rname", info.name));
    const msg = el("p", "msg", f.msg);
    msg.dir = "auto";
    pop.append(head, msg);
    if (info) pop.append(el("p", "summary", info.summary));
    const others = f.rel.length ? f.rel : f.alt || [];
    const here = el("div", "quote");
    const close = f.rel.length && f.text ? f.rel.find((o) => charDiff(f.text, o.text)) : null;
    here.append(langTag(f.lang), " ", close ? diffText(f.text, charDiff(f.text, close.text)[0], "dx-here")
      : iso(f.text || "\u2205", "qtext"));
    pop.append(here);
    if (f.sug !== undefined) {
      const sug = el("p", "sug");
      sug.append(el("span", "k", "Suggestion "), iso(f.sug));
      pop.append(sug);
    }
    if (others.length) {
      pop.append(el("div", "k", f.rel.length ? "Other versions have" : "Other versions of the row"));
      const ul = el("ul", "others");
      for (const o of others) {
        const li = el("li");
        const diff = f.rel.length && f.text ? charDiff(f.text, o.text) : null;
        li.append(langTag(o.lang), " ", diff ? diffText(o.text, diff[1], "dx-there") : iso(o.text || "\u2205", "qtext"));
        ul.append(li);
      }
      pop.append(ul);
    }
    const meta = el("p", "pmeta");
    meta.append((f.row === null ? "no row" : "row " + (f.row + 1)) + " · ", iso(f.doc), " · ");
    const link = el("a", null, f.fp);
    link.href = "#finding=" + f.key;
    link.title = "Link to this finding";
    meta.append(link);
    pop.append(meta, decisionButtons(f, "pop-dec"));
    pop.hidden = false;
    place(target);
  }

  function place(target) {
    const sheet = !wide.matches;
    pop.classList.toggle("sheet", sheet);
    if (sheet) { // a bottom sheet; the highlighted text scrolled into the free space above it
      pop.style.left = pop.style.top = "";
      document.documentElement.style.setProperty("--sheet-h", pop.offsetHeight + "px");
      const room = window.innerHeight - pop.offsetHeight;
      const cell = target.closest(".txt"); // the whole sentence when it fits, else the highlight
      const r = (cell && cell.getBoundingClientRect().height < room - 16 ? cell : target).getBoundingClientRect();
      if (r.top < 8 || r.bottom > room - 8) window.scrollBy(0, r.top - Math.max(8, (room - r.height) / 2));
      return;
    }
    const r = target.getClientRects()[0] || target.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const pw = pop.offsetWidth;
    const ph = pop.offsetHeight;
    const x = Math.max(8, Math.min(r.left, vw - pw - 8));
    let y = r.bottom + 8;
    if (y + ph > window.innerHeight && r.top - ph - 8 > 0) y = r.top - ph - 8;
    pop.style.left = x + window.scrollX + "px";
    pop.style.top = y + window.scrollY + "px";
  }

  function hidePop() {
    pop.hidden = true;
    document.documentElement.style.removeProperty("--sheet-h");
  }

  function markOf(node) {
    return node && node.closest ? node.closest("mark[data-finding], mark[data-part]") : null;
  }

  // ---- filters and navigation -------------------------------------------------------------

  const hay = new Map(DATA.findings.map((f) => {
    const info = DATA.rules[f.rule];
    const parts = [f.rule, info ? info.name : "", f.sev, f.msg, f.sug || "", f.text, f.lang, f.doc,
      ...f.rel.map((r) => r.lang + " " + r.text)];
    return [f.id, parts.join("\n").toLowerCase()];
  }));

  function isActive(f) {
    return (!state.sev.size || state.sev.has(f.sev))
      && (!state.rule.size || state.rule.has(f.rule))
      && (!state.lang.size || state.lang.has(f.lang))
      && (!state.q || hay.get(f.id).includes(state.q));
  }

  function apply() {
    const on = new Set(DATA.findings.filter(isActive).map((f) => f.id));
    for (const [id, marks] of pieces) {
      for (const m of marks) m.classList.toggle("off", !on.has(id));
      const h = heads.get(id);
      if (h) h.tabIndex = on.has(id) ? 0 : -1;
    }
    for (const g of gotos) g.b.hidden = !on.has(g.id);
    for (const [id, item] of listItems) item.li.hidden = !on.has(id);
    for (const r of rows) {
      const hit = r.fs.some((id) => on.has(id));
      r.el.hidden = (state.only && !hit) || (state.q !== "" && !hit && !r.text.includes(state.q));
    }
    for (const s of sections) s.note.hidden = !s.rows.length || s.rows.some((r) => !r.el.hidden);
    for (const c of chips) c.b.setAttribute("aria-pressed", String(state[c.key].has(c.value)));
    status.textContent = on.size + " of " + plural(DATA.findings.length, "finding");
    if (current && !on.has(current)) setCurrent(null);
  }

  function setCurrent(id) {
    if (current) for (const m of pieces.get(current)) m.classList.remove("current");
    current = id;
    if (id) for (const m of pieces.get(id)) m.classList.add("current");
  }

  function focusFinding(id) {
    const h = heads.get(id);
    if (!h) return;
    setCurrent(id);
    const link = "#finding=" + byId.get(id).key;
    if (location.hash !== link) {
      try { history.replaceState(null, "", link); } catch (e) { /* a sandboxed page: no deep link */ }
    }
    h.focus({ preventScroll: true });
    h.scrollIntoView({ block: "center", inline: "nearest" });
    showPop(h);
  }

  function nav(step) {
    const list = [...document.querySelectorAll("mark[data-finding]")]
      .filter((m) => !m.classList.contains("off") && !m.closest("[hidden]"));
    if (!list.length) { status.textContent = "No finding matches the filters"; return; }
    let i = current ? list.indexOf(heads.get(current)) : -1;
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : (i + step + list.length) % list.length;
    focusFinding(list[i].dataset.finding);
  }

  function toggleHelp() {
    if (help.hidden) {
      helpReturn = document.activeElement;
      help.hidden = false;
      document.getElementById("xl-help-close").focus();
    } else {
      help.hidden = true;
      if (helpReturn && helpReturn.focus) helpReturn.focus();
    }
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const typing = e.target.closest && e.target.closest("input, textarea, select");
    if (e.key === "Escape") {
      if (!help.hidden) toggleHelp();
      else if (typing) e.target.blur();
      else {
        hidePop();
        setCurrent(null);
        if (markOf(document.activeElement)) document.activeElement.blur();
      }
      return;
    }
    if (typing) return;
    if (e.key === "?") { e.preventDefault(); toggleHelp(); return; }
    if (!help.hidden) return;
    if (e.key === "j") { e.preventDefault(); nav(1); }
    else if (e.key === "k") { e.preventDefault(); nav(-1); }
    else if (e.key === "/") { e.preventDefault(); search.focus(); search.select(); }
    else if ((e.key === "a" || e.key === "f") && current) decide(byId.get(current), e.key === "a" ? "accepted" : "fp");
  }

  function layout() {
    if (more && wide.matches) more.open = true;
    const bar = document.getElementById("xl-toolbar");
    const sticky = getComputedStyle(bar).position === "sticky";
    document.documentElement.style.setProperty("--bar-h", (sticky ? bar.offsetHeight : 0) + "px");
    const widths = sections.map((s) => s.el.clientWidth); // read all, then write: one layout
    sections.forEach((s, k) => s.el.classList.toggle("stacked", widths[k] < 96 + s.n * 150));
  }

  // ---- review: findings list, deep links, decisions, exports ------------------------------

  function loadDecisions() {
    try {
      const d = JSON.parse(localStorage.getItem(STORE) || "{}");
      const out = new Map();
      for (const [k, v] of Object.entries(d && typeof d === "object" ? d : {})) if (byKey.has(k) && v in DECISIONS) out.set(k, v);
      return out;
    } catch (e) { return new Map(); } // storage off (private mode): decisions last as long as the page
  }

  function decide(f, what) {
    if (decisions.get(f.key) === what) decisions.delete(f.key); else decisions.set(f.key, what);
    try { localStorage.setItem(STORE, JSON.stringify(Object.fromEntries(decisions))); } catch (e) { /* kept in the page */ }
    showDecision(f);
    if (!pop.hidden && current === f.id && heads.get(f.id)) showPop(heads.get(f.id));
  }

  function decisionButtons(f, cls) {
    const box = el("div", "decide " + cls);
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Review " + f.rule);
    for (const [what, label] of Object.entries(ACTIONS)) {
      const b = el("button", "btn dec dec-" + what, label);
      b.type = "button";
      b.setAttribute("aria-pressed", String(decisions.get(f.key) === what));
      b.addEventListener("click", (e) => { e.stopPropagation(); decide(f, what); });
      box.append(b);
    }
    return box;
  }

  function showDecision(f) {
    const d = decisions.get(f.key) || "";
    for (const m of pieces.get(f.id)) {
      m.classList.toggle("dec-accepted", d === "accepted");
      m.classList.toggle("dec-fp", d === "fp");
    }
    const item = listItems.get(f.id);
    if (item) {
      item.li.dataset.decision = d;
      item.badge.textContent = d ? DECISIONS[d] : "";
      item.badge.hidden = !d;
      for (const b of item.li.querySelectorAll("button.dec")) b.setAttribute("aria-pressed", String(b.classList.contains("dec-" + d)));
    }
    if (reviewStatus) {
      const n = [...decisions.values()];
      reviewStatus.textContent = n.length + " of " + plural(DATA.findings.length, "finding") + " reviewed: "
        + n.filter((v) => v === "accepted").length + " accepted, " + n.filter((v) => v === "fp").length + " false positive";
    }
  }

  function findingsList(main) {
    const sec = el("details", "flist");
    sec.open = true;
    const sum = el("summary");
    sum.append(el("h2", null, "Findings"), " ", el("span", "muted", "(" + DATA.findings.length + ")"));
    sec.append(sum);
    const tools = el("div", "review-bar");
    reviewStatus = el("span", "review-status");
    reviewStatus.setAttribute("aria-live", "polite");
    const buttons = [
      ["Export baseline", "Decided findings (accepted and false positives) as a baseline file for xlingo check --baseline", exportBaseline],
      ["Export ignore file", "False positives as .xlingo-ignore lines", exportIgnore],
      ["Export CSV", "All findings and their decisions as a spreadsheet", exportCsv],
    ].map(([label, title, fn]) => {
      const b = el("button", "btn export", label);
      b.type = "button";
      b.title = title;
      b.addEventListener("click", fn);
      return b;
    });
    tools.append(reviewStatus, ...buttons);
    const ol = el("ol", "findings");
    for (const f of DATA.findings) {
      const li = el("li", "fitem sev-" + f.sev);
      li.dataset.id = f.id;
      const go = el("button", "fgo");
      go.type = "button";
      go.append(el("span", "icon", SEV[f.sev].icon), " ", el("code", null, f.rule), " ", langTag(f.lang), " ",
        iso(excerpt(f.text, 60) || "\u2205", "ftext"), " ", el("span", "fmsg", f.msg));
      go.title = "Show this finding (" + f.story + ", " + f.path + ")";
      go.addEventListener("click", () => focusFinding(f.id));
      const badge = el("span", "decision");
      badge.hidden = true;
      li.append(go, badge, decisionButtons(f, "list-dec"));
      listItems.set(f.id, { li, badge });
      ol.append(li);
    }
    sec.append(tools, ol);
    main.append(sec);
  }

  function followLink() {
    const m = /^#finding=([0-9a-f]+(?:-\d+)?)$/.exec(location.hash);
    const f = m && byKey.get(m[1]);
    if (f) focusFinding(f.id);
  }

  function excerpt(text, n) {
    const t = String(text).split(/\s+/).filter(Boolean).join(" ");
    return t.length > n ? t.slice(0, n) + "\u2026" : t;
  }

  /** The findings the person decided on, as the baseline file ``xlingo check --baseline`` reads. */
  function exportBaseline() {
    const entries = new Map();
    for (const f of DATA.findings) {
      if (!decisions.has(f.key)) continue;
      const e = entries.get(f.fp);
      if (e) e.count += 1;
      else entries.set(f.fp, { fingerprint: f.fp, rule: f.rule, lang: f.lang, story: f.story, path: f.path,
        excerpt: excerpt(f.text, 120), count: 1 });
    }
    const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const findings = [...entries.values()].sort((a, b) => cmp(a.path, b.path) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
    const data = { schema: "xlingo.baseline/2", signature: DATA.signature.string, findings };
    download("xlingo-baseline.json", "application/json", JSON.stringify(data, null, 2) + "\n");
  }

  function exportIgnore() {
    const lines = ["# false positives marked in the xlingo viewer (" + DATA.signature.version + ")"];
    const seen = new Set();
    for (const f of DATA.findings) {
      if (decisions.get(f.key) !== "fp" || seen.has(f.fp)) continue;
      seen.add(f.fp);
      const note = f.rule + " " + f.lang + " " + f.path + ": " + excerpt(f.text, 60);
      lines.push(f.fp + "  # " + note.replace(/[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/g, " "));  // a comment cannot start a line
    }
    download(".xlingo-ignore", "text/plain", lines.join("\n") + "\n");
  }

  /** A CSV cell: quoted, and a leading = + - @ (a formula to a spreadsheet) made text with a quote mark. */
  function csvCell(value) {
    let t = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(t)) t = "'" + t;
    return '"' + t.replace(/"/g, '""') + '"';
  }

  function exportCsv() {
    const head = ["story", "path", "lang", "rule", "severity", "row", "text", "message", "suggestion", "counterparts",
      "fingerprint", "decision"];
    const lines = [head.map(csvCell).join(",")];
    for (const f of DATA.findings) {
      lines.push([f.story, f.path, f.lang, f.rule, f.sev, f.row === null ? "" : f.row + 1, f.text, f.msg, f.sug,
        f.rel.map((r) => r.lang + ": " + r.text).join(" | "), f.key, decisions.get(f.key) || ""].map(csvCell).join(","));
    }
    download("xlingo-findings.csv", "text/csv", "\ufeff" + lines.join("\r\n") + "\r\n");
  }

  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" }));
    const a = el("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /**
   * Character-level difference of two close spellings (a longest common subsequence): for each
   * text, which characters the other lacks; null when they share too little for it to mean anything.
   */
  function charDiff(a, b) {
    const A = [...a], B = [...b];
    const n = A.length, m = B.length;
    if (!n || !m || n * m > 40000) return null;
    const L = new Uint16Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        L[i * (m + 1) + j] = A[i] === B[j] ? L[(i + 1) * (m + 1) + j + 1] + 1
          : Math.max(L[(i + 1) * (m + 1) + j], L[i * (m + 1) + j + 1]);
      }
    }
    const common = L[0];
    if (common === Math.max(n, m) || 4 * common < n + m) return null; // equal, or sharing under half their letters
    const da = new Array(n).fill(true), db = new Array(m).fill(true);
    for (let i = 0, j = 0; i < n && j < m;) {
      if (A[i] === B[j]) { da[i] = db[j] = false; i++; j++; }
      else if (L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1]) i++;
      else j++;
    }
    return [da, db];
  }

  function diffText(text, differs, cls) {
    const out = iso("", "qtext diff");
    const chars = [...text];
    let run = "", state = differs[0];
    chars.forEach((c, i) => {
      if (differs[i] !== state) {
        out.append(state ? el("span", cls, run) : put(document.createDocumentFragment(), run));
        run = "";
        state = differs[i];
      }
      run += c;
    });
    out.append(state ? el("span", cls, run) : put(document.createDocumentFragment(), run));
    return out;
  }

  // ---- build ------------------------------------------------------------------------------

  const main = document.getElementById("xl-main");
  header();
  toolbar();
  if (DATA.stories.length > 1 || DATA.grouping.length) index(main);
  if (DATA.findings.length) findingsList(main);
  DATA.stories.forEach((s) => storySection(main, s));
  for (const f of DATA.findings) showDecision(f);
  if (DATA.grouping.length) grouping(main);
  footer();

  main.addEventListener("mouseover", (e) => { const m = markOf(e.target); if (m) showPop(m); });
  main.addEventListener("mouseout", (e) => {
    const m = markOf(e.target);
    if (m && !markOf(e.relatedTarget) && !markOf(document.activeElement) && !pop.contains(e.relatedTarget)) hidePop();
  });
  main.addEventListener("focusin", (e) => {
    const m = markOf(e.target);
    if (m) { setCurrent(m.dataset.finding || m.dataset.part); showPop(m); }
  });
  main.addEventListener("focusout", (e) => { if (!markOf(e.relatedTarget) && !pop.contains(e.relatedTarget)) hidePop(); });
  document.addEventListener("keydown", onKey);
  document.getElementById("xl-help-close").addEventListener("click", toggleHelp);
  help.addEventListener("click", (e) => { if (e.target === help) toggleHelp(); });
  window.addEventListener("resize", () => { layout(); hidePop(); });
  window.addEventListener("hashchange", followLink);
  pop.addEventListener("mouseleave", (e) => { if (!markOf(e.relatedTarget) && !pop.contains(document.activeElement)) hidePop(); });
  layout();
  apply();
  followLink();
  document.documentElement.classList.add("ready");
})();
