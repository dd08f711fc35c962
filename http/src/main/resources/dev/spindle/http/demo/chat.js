// The chat page: posts messages and long-polls for new ones, in the protocol of Tornado's
// chat demo. Message text is only ever set as text, never parsed as HTML.
"use strict";

(function () {
  const inbox = document.getElementById("inbox");
  const form = document.getElementById("messageform");
  const input = document.getElementById("message");
  const button = document.getElementById("post");
  const status = document.getElementById("status");
  const error = document.getElementById("error");

  const FIRST_DELAY = 500;     // ms before the first retry; doubled after each failure
  const MAX_DELAY = 30000;
  const LIVE = "Live: new messages appear as they are posted.";
  let cursor = null;           // id of the last message received
  let delay = FIRST_DELAY;

  // POSTs form fields and returns the JSON answer; throws with the server's message otherwise.
  async function post(url, fields) {
    const response = await fetch(url, {method: "POST", body: new URLSearchParams(fields)});
    let answer = null;
    try {
      answer = await response.json();
    } catch (e) {
      // Not JSON: the status says enough.
    }
    if (!response.ok) {
      throw new Error(answer && answer.error ? answer.error : response.status + " " + response.statusText);
    }
    return answer;
  }

  function show(message) {
    const id = "m" + message.id;
    if (document.getElementById(id)) {
      return;                  // Our own message, shown when it was posted.
    }
    const node = document.createElement("div");
    node.className = "message";
    node.id = id;
    node.textContent = message.body;
    const atBottom = inbox.scrollTop + inbox.clientHeight >= inbox.scrollHeight - 4;
    inbox.appendChild(node);
    if (atBottom) {
      inbox.scrollTop = inbox.scrollHeight;
    }
  }

  function setStatus(text, offline) {
    status.textContent = text;
    status.classList.toggle("offline", offline);
  }

  function sleep(ms) {
    return new Promise(resolve => setTimeout(resolve, ms));
  }

  // The long-poll loop: one request waiting at a time; an empty answer means "ask again". A poll
  // that has not failed within a second is parked on the server: the page is live.
  async function poll() {
    for (;;) {
      const live = setTimeout(() => setStatus(LIVE, false), 1000);
      try {
        const answer = await post("/a/message/updates", cursor ? {cursor: cursor} : {});
        if (!answer || !Array.isArray(answer.messages)) {
          throw new Error("unexpected answer");
        }
        for (const message of answer.messages) {
          show(message);
          cursor = message.id;
        }
        delay = FIRST_DELAY;
        setStatus(LIVE, false);
      } catch (e) {
        clearTimeout(live);
        setStatus("Server unreachable (" + e.message + "); retrying in " + delay / 1000 + " s.", true);
        await sleep(delay);
        delay = Math.min(delay * 2, MAX_DELAY);
      } finally {
        clearTimeout(live);
      }
    }
  }

  async function send(event) {
    event.preventDefault();
    const body = input.value;
    if (!body.trim()) {
      return;
    }
    button.disabled = true;
    try {
      show(await post("/a/message/new", {body: body}));
      input.value = "";
      error.textContent = "";
    } catch (e) {
      error.textContent = "Not sent: " + e.message;
    } finally {
      button.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", send);
  poll();
})();
