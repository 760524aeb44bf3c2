// The bot console: one page that speaks only the public bot API of this origin (README "The web
// console"). The API key lives in this script's memory and nowhere else.
'use strict';

(() => {
  const state = { key: null, botId: null, hitsCursor: null, hit: null };
  const $ = (id) => document.getElementById(id);

  // --- The API ------------------------------------------------------------------------------

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + state.key };
    const init = { method, headers, cache: 'no-store', credentials: 'omit' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch('bots/' + encodeURIComponent(state.botId) + path, init);
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      throw new Error((json && json.error) || ('HTTP ' + response.status));
    }
    return json;
  }

  function query(params) {
    const q = new URLSearchParams();
    Object.entries(params).forEach(([k, v]) => { if (v !== null && v !== '') q.set(k, v); });
    const text = q.toString();
    return text ? '?' + text : '';
  }

  // --- Small DOM helpers (text only: nothing from the API is parsed as HTML) -----------------

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (className) e.className = className;
    return e;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    cells.forEach((c) => tr.appendChild(c instanceof Node ? wrapCell(c) : el('td', c)));
    return tr;
  }

  function wrapCell(node) {
    if (node.tagName === 'TD') return node;
    const td = document.createElement('td');
    td.appendChild(node);
    return td;
  }

  function fill(tableId, rows) {
    const body = $(tableId).querySelector('tbody');
    body.replaceChildren(...rows);
  }

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  function statusCell(status) {
    return el('td', status, 'status-' + String(status).charAt(0));
  }

  function showError(e) {
    $('status').textContent = e ? e.message : '';
  }

  async function guarded(action) {
    showError(null);
    try {
      await action();
    } catch (e) {
      showError(e);
    }
  }

  // --- Login ---------------------------------------------------------------------------------

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = $('api-key').value.trim();
    $('api-key').value = '';
    const dot = key.indexOf('.');
    if (dot < 1) {
      $('login-error').textContent = 'An API key looks like <bot id>.<secret>.';
      return;
    }
    state.key = key;
    state.botId = key.substring(0, dot);
    try {
      await api('GET', '/webhooks?limit=1');
    } catch (e) {
      state.key = null;
      $('login-error').textContent = 'The key was not accepted: ' + e.message;
      return;
    }
    $('login-error').textContent = '';
    $('login').hidden = true;
    $('app').hidden = false;
    $('sign-out').hidden = false;
    $('bot-name').textContent = 'bot ' + state.botId;
    showTab('hooks');
  });

  $('sign-out').addEventListener('click', () => {
    state.key = null;
    state.botId = null;
    $('app').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    $('bot-name').textContent = '';
  });

  // --- Tabs ----------------------------------------------------------------------------------

  const loaders = {
    hooks: loadHooks,
    hits: () => loadHits(false),
    errors: loadErrors,
    outbox: loadOutbox,
    properties: async () => {},
  };

  function showTab(name) {
    document.querySelectorAll('#tabs button').forEach((b) => {
      b.classList.toggle('active', b.dataset.tab === name);
    });
    document.querySelectorAll('.tab').forEach((t) => { t.hidden = t.id !== 'tab-' + name; });
    guarded(loaders[name]);
  }

  document.querySelectorAll('#tabs button').forEach((b) => {
    b.addEventListener('click', () => showTab(b.dataset.tab));
  });

  // --- Hooks ---------------------------------------------------------------------------------

  async function loadHooks() {
    const page = await api('GET', '/webhooks?limit=100');
    fill('hooks-table', page.items.map((h) => {
      const copy = el('button', 'Copy URL');
      copy.type = 'button';
      copy.addEventListener('click', () => copyText(h.url, copy));
      const revoke = el('button', 'Revoke', 'danger');
      revoke.type = 'button';
      revoke.addEventListener('click', () => guarded(async () => {
        if (!window.confirm('Revoke this hook? Its URL stops working.')) return;
        await api('DELETE', '/webhooks/' + encodeURIComponent(h.id));
        await loadHooks();
      }));
      const actions = el('td');
      actions.append(copy, ' ', revoke);
      const tr = row([h.command, h.user_id || 'global', el('td', h.url, 'url'), h.created_at,
        actions]);
      tr.dataset.hookId = h.id;
      return tr;
    }));
  }

  async function copyText(text, button) {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch (e) {
      window.prompt('Copy the URL:', text);
    }
  }

  $('mint-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const body = { command: $('mint-command').value.trim() };
      const optional = { user_id: 'mint-user', content: 'mint-content', redirect_to: 'mint-redirect' };
      Object.entries(optional).forEach(([field, id]) => {
        const v = $(id).value.trim();
        if (v) body[field] = v;
      });
      await api('POST', '/webhooks', body);
      await loadHooks();
    });
  });

  // --- Request log ---------------------------------------------------------------------------

  async function loadHits(more) {
    const params = {
      limit: 25,
      hook_id: $('filter-hook').value.trim(),
      status: $('filter-status').value.trim(),
      cursor: more ? state.hitsCursor : null,
    };
    const page = await api('GET', '/hits' + query(params));
    const rows = page.items.map((h) => {
      const tr = row([h.received_at, statusCell(h.status), h.method, h.command, h.duration_ms,
        h.messages, h.property_changes, h.error || (h.replay_of ? 'replay' : '')]);
      tr.className = 'clickable';
      tr.dataset.hitId = h.id;
      tr.addEventListener('click', () => guarded(() => openHit(h.id, tr)));
      return tr;
    });
    const body = $('hits-table').querySelector('tbody');
    if (more) body.append(...rows); else body.replaceChildren(...rows);
    state.hitsCursor = page.next_cursor;
    $('hits-more').hidden = !page.next_cursor;
  }

  $('hits-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(() => loadHits(false));
  });
  $('hits-refresh').addEventListener('click', () => guarded(() => loadHits(false)));
  $('hits-more').addEventListener('click', () => guarded(() => loadHits(true)));

  async function openHit(id, tr) {
    const hit = await api('GET', '/hits/' + encodeURIComponent(id));
    state.hit = hit;
    document.querySelectorAll('#hits-table tr.selected').forEach((r) => r.classList.remove('selected'));
    if (tr) tr.classList.add('selected');
    $('hit-id').textContent = hit.id;
    $('hit-request').textContent = pretty(hit.request);
    $('hit-answer').textContent = pretty(hit.answer);
    $('hit-messages').textContent = pretty(hit.messages);
    $('hit-changes').textContent = pretty(hit.property_changes);
    $('replay').hidden = true;
    $('hit-detail').hidden = false;
  }

  $('dry-run').addEventListener('click', () => guarded(() => replay(false)));
  $('replay-commit').addEventListener('click', () => guarded(async () => {
    if (!window.confirm('Run this request again for real? Its effects are committed.')) return;
    await replay(true);
  }));

  async function replay(commit) {
    const hit = state.hit;
    const report = await api('POST', '/hits/' + encodeURIComponent(hit.id) + '/replay'
      + (commit ? '?commit=true' : ''));
    let now = report;
    if (commit && report.hit_id) {
      now = await api('GET', '/hits/' + encodeURIComponent(report.hit_id));
      await loadHits(false);
    }
    $('replay-title').textContent = commit ? 'Replayed for real' : 'Dry run: nothing was written';
    $('replay-column').textContent = commit ? 'Replay' : 'Dry run now';
    showDiff(hit, now);
    const extra = {};
    ['scheduled_runs', 'http_calls', 'minted_webhooks', 'error', 'request_body_truncated'].forEach((k) => {
      if (report[k] !== undefined) extra[k] = report[k];
    });
    $('replay-extra').textContent = pretty(extra);
    $('replay').hidden = false;
  }

  /** Rows of "what | logged | now", marked where the two differ. */
  function showDiff(logged, now) {
    const rows = [];
    const add = (what, left, right) => {
      const tr = row([el('th', what), left, right]);
      if (left !== right) tr.classList.add('changed');
      rows.push(tr);
    };
    add('Status', String(logged.answer.status), String(now.answer.status));
    add('Answer', logged.answer.body, now.answer.body);
    const count = Math.max(logged.messages.length, now.messages.length);
    for (let i = 0; i < count; i++) {
      add('Message ' + (i + 1), messageText(logged.messages[i]), messageText(now.messages[i]));
    }
    const names = new Map();
    const keyOf = (c) => (c.user_id ? 'user ' + c.user_id + ': ' : '') + c.name;
    logged.property_changes.forEach((c) => names.set(keyOf(c), { logged: c }));
    now.property_changes.forEach((c) => {
      const entry = names.get(keyOf(c)) || {};
      entry.now = c;
      names.set(keyOf(c), entry);
    });
    names.forEach((pair, name) => {
      const tr = row([el('th', name), changeCell(pair.logged), changeCell(pair.now)]);
      tr.dataset.property = name;
      if (changeText(pair.logged) !== changeText(pair.now)) tr.classList.add('changed');
      rows.push(tr);
    });
    fill('replay-diff', rows);
  }

  function messageText(m) {
    if (!m) return '';
    return m.kind === 'message' ? m.text : m.method + ' ' + JSON.stringify(m.params);
  }

  function valueText(side) {
    return side ? JSON.stringify(side.value) : '(none)';
  }

  function changeText(c) {
    return c ? valueText(c.before) + ' -> ' + valueText(c.after) : '';
  }

  function changeCell(c) {
    const td = el('td');
    if (!c) return td;
    td.append(el('span', valueText(c.before), 'before'), ' \u2192 ',
      el('span', valueText(c.after), 'after'));
    return td;
  }

  // --- Errors, outbox, properties ------------------------------------------------------------

  async function loadErrors() {
    const page = await api('GET', '/errors?limit=100');
    fill('errors-table', page.items.map((e) =>
      row([e.created_at, e.command, e.message, e.limit || '', e.request_id])));
  }
  $('errors-refresh').addEventListener('click', () => guarded(loadErrors));

  async function loadOutbox() {
    const page = await api('GET', '/messages' + query({ limit: 100, user_id: $('outbox-user').value.trim() }));
    fill('outbox-table', page.items.map((m) =>
      row([m.created_at, m.user_id || '', m.kind, messageText(m)])));
  }
  $('outbox-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(loadOutbox);
  });

  $('prop-form').addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      const name = encodeURIComponent($('prop-name').value.trim());
      const user = $('prop-user').value.trim();
      const path = (user ? '/users/' + encodeURIComponent(user) : '') + '/properties/' + name;
      $('prop-value').textContent = pretty(await api('GET', path));
    });
  });
})();
