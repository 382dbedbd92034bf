() => {
  /*
   * The chat page's own script (run once by Gradio on load). Gradio's interface has English left in it
   * that its translations do not cover, and its copy button copies a message's raw HTML; this script
   *  - puts Chinese on every remaining English text, toast title and screen-reader label,
   *  - makes 复制 give plain text: the answer, then the sources it cites,
   *  - counts the characters of the question against the input's maxlength,
   *  - makes the 政策文件 cards open the policy they show.
   * It reads and writes text only (textContent, attributes); it never builds HTML from page text.
   */
  if (window.__paPage) return;
  window.__paPage = true;

  const TEXTS = {
    "Connection to the server was lost. Attempting reconnection...": "与服务器的连接中断了，正在重新连接……您的对话和输入框里的文字都还在，恢复后可以继续提问。",
    "Lost connection due to leaving page. Rejoining queue...": "离开页面后连接中断，正在重新排队……",
    "Connection Lost": "连接中断",
    "Info": "提示",
    "Warning": "注意",
    "Error": "出错了",
    "Success": "完成",
    "Error: ": "出错了：",
  };
  const LABELS = {
    "Copy message": "复制这条回答（纯文本，含出处）",
    "Copied message": "已复制",
    "chatbot conversation": "对话记录",
    "Clear": "清空对话",
    "Close": "关闭",
    "Like": "赞",
    "Dislike": "踩",
    "Scroll down": "回到最新消息",
    "Scroll to bottom": "回到最新消息",
    "Chatbot": "对话",
    "More tabs": "更多标签页",
  };
  const RULES = [
    [/^Select example (\d+): (.*)$/s, (m) => `示例问题 ${m[1]}：${m[2]}`],
    [/^bot's message: /, (m, el) => "回答：" + readable(el)],
    [/^user's message: /, (m, el) => "提问：" + readable(el)],
    [/^assistant's message: /, (m, el) => "回答：" + readable(el)],
  ];

  function readable(el) {
    return (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 300);
  }

  function translateAttribute(el, name) {
    const value = el.getAttribute(name);
    if (!value) return;
    let next = LABELS[value];
    if (next === undefined) {
      for (const [pattern, make] of RULES) {
        const m = value.match(pattern);
        if (m) {
          next = make(m, el);
          break;
        }
      }
    }
    if (next !== undefined && next !== value) el.setAttribute(name, next);
  }

  function translate(root) {
    if (root.nodeType === Node.TEXT_NODE) {
      const key = root.nodeValue.trim();
      if (key && TEXTS[key] !== undefined) root.nodeValue = root.nodeValue.replace(key, TEXTS[key]);
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) translate(node);
    const elements = [root, ...root.querySelectorAll("[aria-label], [title]")];
    for (const el of elements) {
      translateAttribute(el, "aria-label");
      translateAttribute(el, "title");
    }
  }

  // ---- copy: plain text, the sources listed after the answer ----
  function plainAnswer(bubble) {
    const parts = [];
    const answer = bubble.querySelector(".pa-answer");
    const question = bubble.querySelector(".pa-question");
    const error = bubble.querySelector(".pa-error");
    if (answer) answer.querySelectorAll("p").forEach((p) => parts.push(p.textContent.trim()));
    else if (question || error) parts.push((question || error).textContent.trim());
    else parts.push(readable(bubble));
    const cards = bubble.querySelectorAll(".pa-card");
    if (cards.length) {
      parts.push("", "出处：");
      cards.forEach((card) => {
        const text = (sel) => (card.querySelector(sel)?.textContent || "").trim();
        const facts = [text(".pa-docno"), text(".pa-badge"), text(".pa-dates")].filter(Boolean).join("，");
        let line = `${text(".pa-ref")} ${text(".pa-title")}${text(".pa-clause")}`.trim();
        if (facts) line += `（${facts}）`;
        parts.push(line);
        const units = text(".pa-units");
        if (units) parts.push(`    ${units}`);
      });
    }
    return parts.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  }

  let pendingCopy = null;
  const clipboard = navigator.clipboard;
  if (clipboard && clipboard.writeText) {
    const write = clipboard.writeText.bind(clipboard);
    clipboard.writeText = (text) => {
      const replacement = pendingCopy;
      pendingCopy = null;
      return write(replacement !== null ? replacement : text);
    };
  }
  document.addEventListener(
    "copy",
    (event) => {
      // Gradio's fallback without the clipboard API copies a hidden textarea: give it the plain text too
      if (pendingCopy === null) return;
      event.clipboardData.setData("text/plain", pendingCopy);
      event.preventDefault();
      pendingCopy = null;
    },
    true
  );
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest && event.target.closest("#pa-chat button");
      if (!button) return;
      const label = button.getAttribute("aria-label") || "";
      if (!label.startsWith("复制") && label !== "Copy message") return;
      // the buttons sit right after their message's row
      let row = button.closest(".message-row");
      for (let at = button.closest(".message-buttons"); !row && at; at = at.previousElementSibling) {
        if (at.classList.contains("message-row")) row = at;
      }
      if (row) pendingCopy = plainAnswer(row);
    },
    true
  );

  // ---- the question's length, against the input's maxlength ----
  function addCounter() {
    const box = document.querySelector("#pa-message textarea");
    if (!box || box.dataset.paCounted) return;
    box.dataset.paCounted = "1";
    const limit = box.maxLength > 0 ? box.maxLength : 500;
    // what was typed survives the reload Gradio does when the server comes back (restored by the page's load event)
    const KEY = "policy-advisor-input";
    const keep = () => {
      if (!window.__paChatRestored) return;
      try {
        sessionStorage.setItem(KEY, box.value);
      } catch (e) {}
    };
    const counter = document.createElement("div");
    counter.className = "pa-counter";
    counter.setAttribute("aria-live", "polite");
    const show = () => {
      const used = Array.from(box.value).length;
      counter.textContent = `${used}/${limit}`;
      counter.classList.toggle("pa-counter-full", used >= limit);
      counter.hidden = used === 0;
    };
    box.addEventListener("input", show);
    new MutationObserver(show).observe(box, { attributes: true });
    setInterval(() => {
      show();
      keep();
    }, 500); // Gradio sets the value from the server without an input event
    box.closest("#pa-message").appendChild(counter);
    show();
  }

  // ---- 政策文件: the cards open the policy they show (the radio list below stays for keyboards) ----
  function linkPolicyCards() {
    document.querySelectorAll(".pa-policy:not([data-pa-linked])").forEach((card, i) => {
      card.dataset.paLinked = "1";
      card.setAttribute("role", "button");
      card.setAttribute("tabindex", "0");
      card.setAttribute("aria-label", "阅读全文：" + readable(card.querySelector(".pa-policy-title") || card));
      const open = () => {
        const cards = Array.from(document.querySelectorAll(".pa-policy"));
        const radios = document.querySelectorAll("#pa-policy-picker input[type=radio]");
        const radio = radios[cards.indexOf(card)];
        if (radio) radio.click();
      };
      card.addEventListener("click", open);
      card.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open();
        }
      });
    });
  }

  let scheduled = false;
  const pending = new Set();
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") pending.add(record.target);
      else if (record.type === "characterData") pending.add(record.target);
      else record.addedNodes.forEach((node) => pending.add(node));
    }
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const nodes = Array.from(pending);
      pending.clear();
      nodes.forEach((node) => node.isConnected && translate(node));
      addCounter();
      linkPolicyCards();
    });
  }).observe(document.body, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["aria-label", "title"],
  });
  translate(document.body);
  addCounter();
  linkPolicyCards();
}
