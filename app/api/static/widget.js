/*
 * 政策小助手 — the embeddable chat widget.
 *
 *   <script src="https://HOST/widget.js" data-title="政策小助手" defer></script>
 *
 * Settings, each a data- attribute of that script tag (see README「在网站上嵌入」): data-title,
 * data-color (#rgb or #rrggbb), data-position (right | left), data-z-index, data-greeting,
 * data-questions (starter questions separated by |), data-open (open on the first page view), and the
 * site's own service desk, named in answers instead of the server's: data-contact-name,
 * data-contact-phone, data-contact-url (http/https). A value that is not valid falls back to the
 * default; every value is used as text or checked against a pattern, never as markup.
 *
 * Adds a floating button that opens a WeChat-style chat panel. The API base URL is
 * taken from this script's own src. Everything lives in a Shadow DOM, so the host
 * page's CSS cannot reach it and its CSS cannot reach the host page.
 *
 * Security rule of this file: every string from the server, the policy corpus or the
 * visitor is put on the page as text (textContent / text nodes), never parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || document.querySelector("policy-advisor-widget")) return; // included twice: keep the first

  var scriptUrl = new URL(script.src, document.baseURI);
  var API_BASE = scriptUrl.origin + scriptUrl.pathname.replace(/\/widget\.js$/, "");
  var CONFIG = readSettings(script.dataset);
  var TITLE = CONFIG.title;
  var STORAGE_KEY = "policy-advisor:" + API_BASE;
  var MESSAGES_KEPT = 40;
  var FIRST_VIEW = (function () {
    try {
      return window.sessionStorage.getItem(STORAGE_KEY) === null; // data-open opens the widget once, not on every page
    } catch (e) {
      return true;
    }
  })();
  var MAX_QUESTION_CHARS = 500; // the server's MAX_QUESTION_CHARS default; a longer question is refused there too

  /** The script tag's data- settings, each checked; anything invalid becomes the default. */
  function readSettings(data) {
    function text(value, max, fallback) {
      var clean = String(value || "").replace(/[\u0000-\u001f\u007f]/g, " ").trim();
      return clean ? Array.from(clean).slice(0, max).join("") : fallback;
    }
    function pattern(value, re) {
      var clean = String(value || "").trim();
      return re.test(clean) ? clean : null;
    }
    function httpUrl(value) {
      try {
        var url = new URL(String(value || "").trim());
        return (url.protocol === "https:" || url.protocol === "http:") && url.href.length <= 300 ? url.href : null;
      } catch (e) {
        return null;
      }
    }
    var zIndex = pattern(data.zIndex, /^\d{1,10}$/);
    var questions = String(data.questions || "")
      .split("|")
      .map(function (q) {
        return text(q, 60, "");
      })
      .filter(Boolean)
      .slice(0, 5);
    return {
      title: text(data.title, 30, "政策小助手"),
      color: pattern(data.color, /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/),
      position: data.position === "left" ? "left" : "right",
      zIndex: zIndex !== null && Number(zIndex) <= 2147483000 ? Number(zIndex) : null,
      greeting: text(data.greeting, 300, null),
      questions: questions,
      open: data.open !== undefined && !/^(false|0|no)$/i.test(String(data.open).trim()),
      contact: {
        name: text(data.contactName, 60, null),
        phone: pattern(data.contactPhone, /^[0-9+()\- 转,、]{3,40}$/),
        url: httpUrl(data.contactUrl),
      },
    };
  }

  var STATUS_LABEL = { in_force: "现行有效", expired: "已失效", not_yet_effective: "尚未施行" };
  // starters: the site's data-questions, else the server's (from the corpus, loaded on opening), else these
  var SUGGESTIONS = CONFIG.questions.length ? CONFIG.questions : ["洪山区中小企业买算力有补贴吗", "OPC创业者租房有什么优惠"];
  var TEXT = {
    welcome:
      CONFIG.greeting ||
      "您好！我是" + TITLE + "，可以回答武汉人工智能产业扶持政策的问题，例如算力补贴、人才住房、创业资助。" +
        "每条回答都注明政策原文出处，仅供参考，以主管部门解释为准。",
    related: "您可能还想问：",
    counter: function (used) {
      return used + "/" + MAX_QUESTION_CHARS;
    },
    placeholder: "输入您的问题…",
    send: "发送",
    open: "打开" + TITLE,
    close: "关闭",
    restart: "新对话",
    restarted: "已开始新的对话",
    interrupted: "回答中断了（服务可能正在重启），您的问题已放回输入框，请稍后再发送。",
    offline: "暂时连不上政策小助手服务（可能正在维护或重启），对话和您输入的问题都已保留，请稍后再发送。",
    refused: function (origin) {
      return "抱歉，政策小助手未对本网站（" + origin + "）开放。请网站管理员在服务端的 ALLOWED_ORIGINS 中加入本站地址。";
    },
    tooFast: function (seconds) {
      return "提问太频繁啦，请 " + seconds + " 秒后再试。";
    },
    unknownError: "出了点问题，请稍后再试。",
    sourcesLabel: "出处",
    units: "责任单位：",
    noDates: "文件未写明有效期",
    helpful: "这条回答有帮助吗？",
    up: "有帮助",
    down: "没帮助",
    whyDown: "哪里不好？（可选）",
    reasonText: "补充说明（可选）",
    sendReason: "提交",
    thanks: "感谢反馈！",
    thanksDown: "感谢反馈，我们会据此改进回答。",
    thanksReason: "已记录原因，谢谢您帮我们改进！",
  };
  var DISLIKE_REASONS = ["答非所问", "信息有误或过期", "不完整", "看不懂", "其他"];

  // ---- state (kept in sessionStorage so it survives navigation on the host site) ----

  var state = loadState();

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || "null");
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (e) {
      /* storage blocked or corrupt: start fresh */
    }
    return { sessionId: null, open: false, messages: [] };
  }

  function saveState() {
    state.messages = state.messages.slice(-MESSAGES_KEPT);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (e) {
      /* storage full or blocked: the conversation still works for this page */
    }
  }

  // ---- DOM helpers (text only) ----

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svgIcon(pathData, size) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", pathData);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  var ICON_CHAT =
    "M12 3C6.5 3 2 6.6 2 11c0 2.5 1.4 4.7 3.7 6.2L5 21l4.1-2.3c.9.2 1.9.3 2.9.3 5.5 0 10-3.6 10-8s-4.5-8-10-8zm-4 9.3a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zm4 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zm4 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6z";
  var ICON_CLOSE =
    "M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z";

  // Material Design thumb icons (Apache-2.0): emoji fonts are missing on some systems
  var ICON_THUMB_UP =
    "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
  var ICON_THUMB_DOWN =
    "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z";

  function zhDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return parts ? parts[1] + "年" + Number(parts[2]) + "月" + Number(parts[3]) + "日" : "";
  }

  function datesText(citation) {
    var parts = [];
    if (citation.effective_from) parts.push("自" + zhDate(citation.effective_from) + "起施行");
    if (citation.valid_until) parts.push("有效期至" + zhDate(citation.valid_until));
    return parts.join("，") || TEXT.noDates;
  }

  // ---- building the widget ----

  var host = document.createElement("policy-advisor-widget");
  host.style.setProperty("all", "initial");
  var shadow = host.attachShadow({ mode: "open" });

  var stylesheet = el("link");
  stylesheet.rel = "stylesheet";
  stylesheet.href = API_BASE + "/widget.css";
  var root = el("div", "pa-root pa-loading pa-at-" + CONFIG.position);
  if (CONFIG.color) root.style.setProperty("--pa-green", CONFIG.color);
  if (CONFIG.zIndex !== null) root.style.setProperty("--pa-z", String(CONFIG.zIndex));
  stylesheet.addEventListener("load", function () {
    root.classList.remove("pa-loading");
    scrollToEnd(); // a restored conversation opens at its latest answer once it has its layout
  });
  shadow.appendChild(stylesheet);
  shadow.appendChild(root);

  var launcher = el("button", "pa-launcher");
  launcher.type = "button";
  launcher.setAttribute("aria-label", TEXT.open);
  launcher.title = TEXT.open;
  launcher.appendChild(svgIcon(ICON_CHAT, 30));

  var panel = el("section", "pa-panel");
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", TITLE);
  panel.hidden = true;

  var header = el("header", "pa-header");
  var restartButton = el("button", "pa-header-button pa-restart", TEXT.restart);
  restartButton.type = "button";
  var titleNode = el("h2", "pa-title", TITLE);
  var closeButton = el("button", "pa-header-button pa-close");
  closeButton.type = "button";
  closeButton.setAttribute("aria-label", TEXT.close);
  closeButton.appendChild(svgIcon(ICON_CLOSE, 22));
  header.appendChild(restartButton);
  header.appendChild(titleNode);
  header.appendChild(closeButton);

  var log = el("div", "pa-messages");
  log.setAttribute("role", "log");
  log.setAttribute("aria-live", "polite");

  var form = el("form", "pa-inputbar");
  var input = el("textarea", "pa-input");
  input.rows = 1;
  input.placeholder = TEXT.placeholder;
  input.setAttribute("aria-label", TEXT.placeholder);
  input.setAttribute("enterkeyhint", "send");
  input.maxLength = MAX_QUESTION_CHARS;
  var sendButton = el("button", "pa-send", TEXT.send);
  sendButton.type = "submit";
  sendButton.disabled = true;
  var counter = el("div", "pa-counter");
  counter.setAttribute("aria-live", "polite");
  form.appendChild(input);
  form.appendChild(sendButton);
  form.appendChild(counter);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  // ---- rendering messages ----

  function row(role) {
    var node = el("div", "pa-row pa-" + role);
    var avatar = el("div", "pa-avatar", role === "visitor" ? "我" : "政");
    avatar.setAttribute("aria-hidden", "true");
    var column = el("div", "pa-column");
    node.appendChild(avatar);
    node.appendChild(column);
    if (growth) growth.observe(node);
    return { node: node, column: column };
  }

  // While the visitor is at the end of the conversation it stays there, also when rows grow later
  // (the stylesheet arriving, fonts, the starters loading): a restored widget opens at its latest answer.
  var pinned = true;
  log.addEventListener("scroll", function () {
    pinned = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  });
  var growth = window.ResizeObserver
    ? new ResizeObserver(function () {
        if (pinned) scrollToEnd();
      })
    : null;

  function scrollToEnd() {
    var behavior = log.style.scrollBehavior;
    log.style.scrollBehavior = "auto"; // a jump, not an animation a later change could cut short
    log.scrollTop = log.scrollHeight;
    log.style.scrollBehavior = behavior;
    pinned = true;
  }

  function renderVisitor(message) {
    var r = row("visitor");
    r.column.appendChild(el("div", "pa-bubble", message.text));
    log.appendChild(r.node);
  }

  function renderNotice(message) {
    var node = el("div", "pa-notice pa-notice-" + (message.kind || "info"));
    node.appendChild(el("span", "", message.text));
    log.appendChild(node);
  }

  /** The answer text with each [n] turned into a tappable reference to citation n. */
  function answerBody(text, citations, toggle) {
    var bubble = el("div", "pa-bubble");
    var known = {};
    (citations || []).forEach(function (c) {
      known[c.ref] = true;
    });
    var pattern = /\[(\d+)\]/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      bubble.appendChild(document.createTextNode(text.slice(last, match.index)));
      var ref = Number(match[1]);
      if (known[ref]) {
        var link = el("button", "pa-ref", "[" + ref + "]");
        link.type = "button";
        link.addEventListener("click", toggle.bind(null, ref));
        bubble.appendChild(link);
      } else {
        bubble.appendChild(document.createTextNode(match[0]));
      }
      last = pattern.lastIndex;
    }
    bubble.appendChild(document.createTextNode(text.slice(last)));
    return bubble;
  }

  function statusBadge(status) {
    return el("span", "pa-badge pa-badge-" + status, STATUS_LABEL[status] || status);
  }

  /** Clause text with the sentences the answer used marked (offsets count code points, as in Python). */
  function clauseText(text, highlights) {
    var node = el("p", "pa-clause-text");
    var chars = Array.from(text || "");
    var spans = (highlights || []).slice().sort(function (a, b) {
      return a[0] - b[0];
    });
    var at = 0;
    spans.forEach(function (span) {
      var start = Math.max(at, span[0]);
      var end = Math.min(chars.length, span[1]);
      if (end <= start) return;
      node.appendChild(document.createTextNode(chars.slice(at, start).join("")));
      node.appendChild(el("mark", "", chars.slice(start, end).join("")));
      at = end;
    });
    node.appendChild(document.createTextNode(chars.slice(at).join("")));
    return node;
  }

  function citationCard(c) {
    var card = el("div", "pa-card pa-card-" + c.status);
    card.setAttribute("role", "region");
    var title = el("div", "pa-card-title", "《" + c.doc_title + "》");
    if (c.doc_number) title.appendChild(el("span", "pa-card-number", c.doc_number));
    var status = el("div", "pa-card-status");
    status.appendChild(statusBadge(c.status));
    status.appendChild(el("span", "pa-card-dates", datesText(c)));
    card.appendChild(title);
    card.appendChild(status);
    card.appendChild(el("div", "pa-card-clause", c.clause));
    card.appendChild(clauseText(c.text, c.highlights));
    if (c.units && c.units.length) card.appendChild(el("div", "pa-card-units", TEXT.units + c.units.join("、")));
    return card;
  }

  function renderAdvisor(message) {
    var r = row("advisor");
    var citations = message.citations || [];
    var chips = el("div", "pa-citations");
    var cards = el("div", "pa-cards");
    var open = null;

    function toggle(ref) {
      var target = citations.filter(function (c) {
        return c.ref === ref;
      })[0];
      cards.textContent = "";
      Array.prototype.forEach.call(chips.children, function (chip) {
        chip.setAttribute("aria-expanded", String(Number(chip.dataset.ref) === ref && open !== ref));
      });
      if (!target || open === ref) {
        open = null;
        return;
      }
      open = ref;
      var card = citationCard(target);
      cards.appendChild(card);
      card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }

    r.column.appendChild(answerBody(message.text, citations, toggle));
    citations.forEach(function (c) {
      var chip = el("button", "pa-chip pa-chip-" + c.status);
      chip.type = "button";
      chip.dataset.ref = String(c.ref);
      chip.setAttribute("aria-expanded", "false");
      chip.title = "《" + c.doc_title + "》" + c.clause;
      chip.appendChild(el("span", "pa-chip-ref", "[" + c.ref + "]"));
      chip.appendChild(el("span", "pa-chip-label", c.clause));
      chip.appendChild(statusBadge(c.status));
      chip.addEventListener("click", toggle.bind(null, c.ref));
      chips.appendChild(chip);
    });
    if (citations.length) {
      r.column.appendChild(chips);
      r.column.appendChild(cards);
    }
    if (message.answerId) r.column.appendChild(ratingBar(message));
    if (message.suggestions && message.suggestions.length) r.column.appendChild(suggestionList(message.suggestions, TEXT.related));
    log.appendChild(r.node);
    return r.node;
  }

  /** Questions to tap (each asks itself); only the latest answer's stay visible. */
  function suggestionList(questions, title) {
    var list = el("div", "pa-suggestions");
    if (title) list.appendChild(el("div", "pa-suggestions-title", title));
    questions.forEach(function (question) {
      var chip = el("button", "pa-suggestion", question);
      chip.type = "button";
      chip.addEventListener("click", function () {
        ask(question);
      });
      list.appendChild(chip);
    });
    return list;
  }

  /** POST a rating; resolves to null on success, else the message to show. */
  function postRating(answerId, rating, reason, comment) {
    var body = { answer_id: answerId, rating: rating };
    if (reason) body.reason = reason;
    if (comment) body.comment = comment;
    return fetch(API_BASE + "/api/feedback", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(
      function (response) {
        return response.ok ? null : errorText(response);
      },
      function () {
        return TEXT.offline;
      }
    );
  }

  /** 👍/👎 under an answer; 👎 then asks why (fixed reasons + optional words). The choice survives navigation. */
  function ratingBar(message) {
    var box = el("div", "pa-feedback");
    var bar = el("div", "pa-rating");
    bar.appendChild(el("span", "pa-rating-label", TEXT.helpful));
    var up = el("button", "pa-thumb pa-thumb-up");
    var down = el("button", "pa-thumb pa-thumb-down");
    up.appendChild(svgIcon(ICON_THUMB_UP, 14));
    down.appendChild(svgIcon(ICON_THUMB_DOWN, 14));
    up.type = down.type = "button";
    up.setAttribute("aria-label", TEXT.up);
    down.setAttribute("aria-label", TEXT.down);
    up.title = TEXT.up;
    down.title = TEXT.down;
    bar.appendChild(up);
    bar.appendChild(down);
    var note = el("div", "pa-rating-note");
    note.setAttribute("role", "status");

    var reasons = el("div", "pa-reasons");
    reasons.hidden = true;
    reasons.appendChild(el("div", "pa-reasons-title", TEXT.whyDown));
    var chips = el("div", "pa-reason-chips");
    var chosen = null;
    DISLIKE_REASONS.forEach(function (reason) {
      var chip = el("button", "pa-reason", reason);
      chip.type = "button";
      chip.setAttribute("aria-pressed", "false");
      chip.addEventListener("click", function () {
        chosen = chosen === reason ? null : reason;
        Array.prototype.forEach.call(chips.children, function (c) {
          c.setAttribute("aria-pressed", String(c.textContent === chosen));
        });
      });
      chips.appendChild(chip);
    });
    reasons.appendChild(chips);
    var words = el("input", "pa-reason-text");
    words.type = "text";
    words.maxLength = 500;
    words.placeholder = TEXT.reasonText;
    words.setAttribute("aria-label", TEXT.reasonText);
    var send = el("button", "pa-reason-send", TEXT.sendReason);
    send.type = "button";
    var line = el("div", "pa-reason-line");
    line.appendChild(words);
    line.appendChild(send);
    reasons.appendChild(line);

    function show() {
      up.setAttribute("aria-pressed", String(message.rating === "up"));
      down.setAttribute("aria-pressed", String(message.rating === "down"));
    }

    function rate(rating) {
      var next = message.rating === rating ? null : rating; // the same thumb again takes it back
      postRating(message.answerId, next).then(function (problem) {
        if (problem) {
          note.textContent = problem;
          return;
        }
        message.rating = next;
        saveState();
        show();
        reasons.hidden = next !== "down";
        note.textContent = next === "up" ? TEXT.thanks : next === "down" ? TEXT.thanksDown : "";
      });
    }

    up.addEventListener("click", rate.bind(null, "up"));
    down.addEventListener("click", rate.bind(null, "down"));
    send.addEventListener("click", function () {
      var comment = words.value.trim();
      if (!chosen && !comment) return;
      postRating(message.answerId, "down", chosen, comment).then(function (problem) {
        if (problem) {
          note.textContent = problem;
          return;
        }
        message.rating = "down";
        saveState();
        reasons.hidden = true;
        note.textContent = TEXT.thanksReason;
      });
    });
    show();
    box.appendChild(bar);
    box.appendChild(reasons);
    box.appendChild(note);
    return box;
  }

  function renderWelcome() {
    var r = row("advisor");
    r.column.appendChild(el("div", "pa-bubble", TEXT.welcome));
    r.column.appendChild(suggestionList(SUGGESTIONS));
    r.node.classList.add("pa-welcome");
    log.appendChild(r.node);
  }

  var renderers = { visitor: renderVisitor, advisor: renderAdvisor, notice: renderNotice };

  function renderAll() {
    log.textContent = "";
    renderWelcome();
    state.messages.forEach(function (message) {
      (renderers[message.role] || renderNotice)(message);
    });
    scrollToEnd();
  }

  function addMessage(message) {
    state.messages.push(message);
    saveState();
    var node = (renderers[message.role] || renderNotice)(message);
    scrollToEnd();
    return node;
  }

  function showTyping() {
    var r = row("advisor");
    r.node.classList.add("pa-typing");
    var bubble = el("div", "pa-bubble");
    bubble.setAttribute("aria-label", "正在输入");
    for (var i = 0; i < 3; i++) bubble.appendChild(el("span", "pa-dot"));
    r.column.appendChild(bubble);
    log.appendChild(r.node);
    scrollToEnd();
    return r.node;
  }

  // ---- talking to the API ----

  var busy = false;
  var refused = false;

  function updateSendButton() {
    sendButton.disabled = busy || refused || !input.value.trim();
    root.classList.toggle("pa-is-refused", refused);
    var used = Array.from(input.value).length;
    counter.textContent = used ? TEXT.counter(used) : "";
    counter.classList.toggle("pa-counter-full", used >= MAX_QUESTION_CHARS);
  }

  /** After fetch() itself failed: was this site refused (server reachable), or is the network down? */
  function explainFailure() {
    return fetch(API_BASE + "/healthz", { mode: "no-cors", credentials: "omit", cache: "no-store" }).then(
      function () {
        refused = true;
        updateSendButton();
        return TEXT.refused(window.location.origin);
      },
      function () {
        return TEXT.offline;
      }
    );
  }

  function errorText(response) {
    return response
      .json()
      .catch(function () {
        return null;
      })
      .then(function (body) {
        if (response.status === 429) {
          var seconds = Number(response.headers.get("Retry-After")) || (body && body.error && body.error.retry_after) || 60;
          return TEXT.tooFast(seconds);
        }
        if (response.status === 403 && body && body.error && body.error.code === "origin_not_allowed") refused = true;
        return (body && body.error && body.error.message) || TEXT.unknownError;
      });
  }

  /** Server-sent events parser: calls onEvent(name, data) per event; comments (pings) are skipped. */
  function sseParser(onEvent) {
    var buffer = "";
    var name = "message";
    var data = [];
    function line(text) {
      if (text === "") {
        if (data.length) onEvent(name, data.join("\n"));
        name = "message";
        data = [];
        return;
      }
      if (text.charAt(0) === ":") return;
      var colon = text.indexOf(":");
      var field = colon < 0 ? text : text.slice(0, colon);
      var value = colon < 0 ? "" : text.slice(colon + 1).replace(/^ /, "");
      if (field === "event") name = value;
      else if (field === "data") data.push(value);
    }
    return function feed(chunk) {
      buffer += chunk;
      var match;
      while ((match = /\r\n|\n|\r/.exec(buffer)) !== null) {
        if (match[0] === "\r" && match.index === buffer.length - 1) break; // "\r\n" may be split across chunks
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    };
  }

  function readStream(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var feed = sseParser(onEvent);
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          feed(decoder.decode() + "\n\n");
          return;
        }
        feed(decoder.decode(chunk.value, { stream: true }));
        return pump();
      });
    }
    return pump();
  }

  function finish() {
    busy = false;
    updateSendButton();
  }

  /**
   * Reveals streamed text a few characters per tick. Deltas often arrive in bursts (an
   * extractive answer is ready at once); pacing them keeps the answer visibly flowing in.
   */
  function typewriter(textNode) {
    var pending = [];
    var timer = null;
    var whenDrained = [];
    function tick() {
      timer = null;
      var take = document.hidden ? pending.length : Math.max(3, Math.ceil(pending.length / 5));
      textNode.nodeValue += pending.splice(0, take).join("");
      scrollToEnd();
      if (pending.length) timer = window.setTimeout(tick, 16);
      else whenDrained.splice(0).forEach(function (resolve) {
        resolve();
      });
    }
    return {
      push: function (text) {
        pending.push.apply(pending, Array.from(text)); // whole code points: never split an emoji
        if (!timer) timer = window.setTimeout(tick, 16);
      },
      drained: function () {
        return new Promise(function (resolve) {
          if (!pending.length && !timer) resolve();
          else whenDrained.push(resolve);
        });
      },
    };
  }

  function postQuestion(text) {
    var body = { message: text, client: "widget" };
    if (state.sessionId) body.session_id = state.sessionId;
    var contact = {};
    Object.keys(CONFIG.contact).forEach(function (key) {
      if (CONFIG.contact[key]) contact[key] = CONFIG.contact[key];
    });
    if (Object.keys(contact).length) body.contact = contact; // this site's own service desk
    return fetch(API_BASE + "/api/chat", {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(body),
    });
  }

  async function ask(question) {
    var text = (question || "").trim();
    if (!text || busy || refused) return;
    busy = true;
    input.value = "";
    autoGrow();
    updateSendButton();
    addMessage({ role: "visitor", text: text });
    var typing = showTyping();
    var streamingRow = null;
    var typer = null;
    var outcome = null; // {role: "advisor", …} or {role: "notice", …}

    function onEvent(name, data) {
      var payload;
      try {
        payload = JSON.parse(data);
      } catch (e) {
        return;
      }
      if (name === "delta" && !outcome) {
        if (!streamingRow) {
          typing.remove();
          var r = row("advisor");
          r.node.classList.add("pa-streaming");
          var streamingText = document.createTextNode("");
          var bubble = el("div", "pa-bubble");
          bubble.appendChild(streamingText);
          r.column.appendChild(bubble);
          log.appendChild(r.node);
          streamingRow = r.node;
          typer = typewriter(streamingText);
        }
        typer.push(payload.text || "");
      } else if (name === "final") {
        state.sessionId = payload.session_id || state.sessionId;
        outcome = {
          role: "advisor",
          text: payload.answer,
          citations: payload.citations || [],
          refused: !!payload.refused,
          answerId: payload.answer_id || null,
          rating: null,
          suggestions: (payload.suggestions || []).slice(0, 3),
        };
      } else if (name === "error") {
        outcome = { role: "notice", kind: "error", text: (payload.error && payload.error.message) || TEXT.unknownError };
      }
    }

    try {
      var response;
      try {
        response = await postQuestion(text);
      } catch (networkOrCors) {
        outcome = { role: "notice", kind: "error", text: await explainFailure() };
      }
      if (response && !response.ok) {
        outcome = { role: "notice", kind: "error", text: await errorText(response) };
      } else if (response) {
        await readStream(response, onEvent);
        if (typer && outcome && outcome.role === "advisor") await typer.drained();
      }
    } catch (broken) {
      outcome = null;
    }
    typing.remove();
    if (streamingRow) streamingRow.remove();
    if (!outcome || outcome.role !== "advisor") {
      // nothing answered: the question goes back into the box (unless the visitor has typed something new)
      if (!input.value.trim()) {
        input.value = text;
        autoGrow();
      }
    }
    addMessage(outcome || { role: "notice", kind: "error", text: TEXT.interrupted });
    finish();
  }

  // ---- interaction ----

  var accessChecked = false;

  /** On first opening, make sure this site may use the API, so a refusal shows before anyone types. */
  function checkAccess() {
    if (accessChecked) return;
    accessChecked = true;
    fetch(API_BASE + "/api/policies", { credentials: "omit", headers: { Accept: "application/json" } }).then(
      function (response) {
        if (response.ok) return response.json().then(useServerStarters, function () {});
        errorText(response).then(function (message) {
          if (refused) {
            renderNotice({ kind: "error", text: message });
            scrollToEnd();
            updateSendButton();
          }
        });
      },
      function () {
        explainFailure().then(function (message) {
          renderNotice({ kind: "error", text: message });
          scrollToEnd();
        });
      }
    );
  }

  /** Without data-questions, the welcome offers the server's starter questions (drawn from the corpus). */
  function useServerStarters(body) {
    var questions = body && Array.isArray(body.questions) ? body.questions : [];
    questions = questions
      .filter(function (q) {
        return typeof q === "string" && q.trim();
      })
      .slice(0, 4);
    if (CONFIG.questions.length || !questions.length) return;
    SUGGESTIONS = questions;
    var welcome = log.querySelector(".pa-welcome .pa-suggestions");
    if (!welcome) return;
    var atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 4;
    welcome.replaceWith(suggestionList(SUGGESTIONS));
    if (atEnd || state.messages.length) scrollToEnd(); // a restored conversation stays at its latest answer
  }

  function setOpen(open, restoring) {
    state.open = open;
    saveState();
    panel.hidden = !open;
    root.classList.toggle("pa-is-open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      checkAccess();
      scrollToEnd();
      if (!restoring) input.focus({ preventScroll: true });
    } else if (!restoring) {
      launcher.focus({ preventScroll: true });
    }
  }

  function autoGrow() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 96) + "px";
  }

  launcher.addEventListener("click", function () {
    setOpen(panel.hidden);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false);
  });
  restartButton.addEventListener("click", function () {
    if (busy) return;
    state.sessionId = null;
    state.messages = [];
    saveState();
    renderAll();
    renderNotice({ text: TEXT.restarted });
  });
  input.addEventListener("input", function () {
    autoGrow();
    updateSendButton();
  });
  input.addEventListener("keydown", function (event) {
    // Enter sends; Shift+Enter is a new line; Enter that confirms a Chinese IME candidate does neither.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      ask(input.value);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask(input.value);
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false);
  });

  function mount() {
    document.body.appendChild(host);
    renderAll();
    if (state.open || (CONFIG.open && FIRST_VIEW)) setOpen(true, true);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
