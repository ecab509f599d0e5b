// 제조 데이터 라이브러리 The data library section of /manufacturing (issue 17).
// Everything comes from /api/v1/manufacturing/library with the member's token: the catalogue
// (metadata and the synthetic mock twin, never real rows), contracts and compute requests by
// state, released results (a withheld one shows its reason only), and the forms for the steps
// the member's library roles allow. The server decides; the buttons only follow the roles.
(function () {
  'use strict';
  const L = '/api/v1/manufacturing/library';
  const $ = (id) => document.getElementById(id);
  const esc = (v) => String(v === null || v === undefined ? '—' : v).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const REFUSED = { 401: '토큰 필요 token needed', 403: '권한 없음 not allowed', 404: '없음 not found',
    409: '상태 충돌 conflict', 422: '입력 오류 invalid input' };
  const CONTRACT_STATES = ['requested', 'offered', 'agreed', 'finalised', 'terminated'];
  const REQUEST_STATES = ['pending', 'approved', 'rejected', 'running', 'released', 'withheld'];
  let me = null;
  let roles = [];
  let assetOrg = {};

  async function call(path, options = {}) {
    const headers = { ...(options.headers || {}) };
    const token = $('lib-token').value.trim();
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { ...options, headers });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const where = body.field ? `${body.field}: ` : '';
      const error = new Error(`${response.status} ${REFUSED[response.status] || ''} — ${where}${body.detail || response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }
  const post = (path, body) => call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body || {}) });

  const has = (wanted, org) => roles.some((m) => wanted.includes(m.role) && (org === undefined || m.organisation === org));
  const admin = () => me && me.role === 'admin';
  const provider = (org) => admin() || has(['owner', 'steward'], org);

  function said(ok, text) {
    $('lib-error').textContent = ok ? '' : text;
    $('lib-status').textContent = ok ? text : '';
  }

  function mockTable(rows) {
    if (!rows || !rows.length) return '<p>—</p>';
    const cols = Object.keys(rows[0]).slice(0, 8);
    const head = cols.map((c) => `<th>${esc(c)}</th>`).join('');
    const body = rows.slice(0, 5).map((r) => `<tr>${cols.map((c) => `<td>${esc(r[c])}</td>`).join('')}</tr>`).join('');
    return `<table class="lib-mock"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  function catalogue(assets) {
    assetOrg = Object.fromEntries(assets.map((a) => [a.name, a.organisation]));
    $('lib-assets').querySelector('tbody').innerHTML = assets.map((a) => `<tr data-asset="${esc(a.name)}">
      <td>${esc(a.name)}</td><td>${esc(a.organisation)}</td><td>${esc(a.sensitivity)}</td><td class="mx-num">${Number(a.rows).toLocaleString('ko-KR')}</td>
      <td><code class="hash">${esc(a.content_hash.slice(0, 12))}…</code></td><td>${a.policy ? `v${a.policy.version}` : '—'}</td><td><small>${esc(a.label)}</small></td>
      <td><details><summary>모의 데이터 <span class="en">mock twin</span></summary><p class="note">${esc(a.mock.label)}</p>${mockTable(a.mock.rows)}</details></td></tr>`).join('')
      || '<tr><td colspan="8">자산 없음 <span class="en">no assets</span></td></tr>';
    $('lib-contract-asset').innerHTML = assets.map((a) => `<option value="${esc(a.name)}">${esc(a.name)}</option>`).join('');
  }

  function contractSteps(c) {
    const org = assetOrg[c.asset];
    const steps = [];
    if (c.state === 'requested' && has(['owner'], org)) steps.push('offer');
    if (c.state === 'offered' && has(['analyst'], c.organisation)) steps.push('agree');
    if (c.state === 'agreed' && provider(org)) steps.push('finalise');
    if (c.state !== 'terminated' && (provider(org) || has(['analyst'], c.organisation))) steps.push('terminate');
    return steps;
  }

  function contracts(list) {
    const order = (c) => CONTRACT_STATES.indexOf(c.state);
    list.sort((a, b) => order(a) - order(b) || b.id - a.id);
    $('lib-contracts').querySelector('tbody').innerHTML = list.map((c) => `<tr data-contract="${c.id}" data-state="${esc(c.state)}">
      <td>${c.id}</td><td class="state">${esc(c.state)}</td><td>${esc(c.asset)}</td><td>${esc(c.organisation)}</td><td>${esc(c.purpose)}</td><td>${esc(c.expires_on)}</td>
      <td>${contractSteps(c).map((s) => `<button type="button" class="contract-step" data-step="${s}">${s}</button>`).join(' ') || '—'}</td></tr>`).join('')
      || '<tr><td colspan="7">계약 없음 <span class="en">no contracts</span></td></tr>';
    const open = list.filter((c) => c.state === 'finalised' && has(['analyst'], c.organisation));
    $('lib-request-contract').innerHTML = open.map((c) => `<option value="${c.id}">#${c.id} ${esc(c.asset)} (${esc(c.purpose)})</option>`).join('');
    return list;
  }

  function requestSteps(r, c) {
    const org = c ? assetOrg[c.asset] : undefined;
    const steps = [];
    if (r.state === 'pending' && provider(org) && r.submitted_by !== me.name) steps.push('approve', 'reject');
    if (r.state === 'approved' && (provider(org) || (c && has(['analyst'], c.organisation)))) steps.push('execute');
    return steps;
  }

  async function outcome(r) {
    if (r.state === 'withheld') return `<span class="withheld">보류 <span class="en">withheld</span>: ${esc(r.withheld_reason)}</span>`;
    if (r.state !== 'released') return '—';
    try {
      const d = await call(`${L}/requests/${r.id}/result`);
      const res = d.result;
      if (res.kind === 'table') return `<span class="released">공개 <span class="en">released</span></span>${mockTable(res.rows)}`;
      const pairs = Object.entries(res.values).slice(0, 12).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`).join('');
      return `<span class="released">공개 <span class="en">released</span></span><table class="lib-values">${pairs}</table>`;
    } catch (e) {
      return `<small>${esc(e.message)}</small>`;
    }
  }

  async function requests(list, byId) {
    const order = (r) => REQUEST_STATES.indexOf(r.state);
    list.sort((a, b) => order(a) - order(b) || b.id - a.id);
    const cells = await Promise.all(list.map(outcome));
    $('lib-requests').querySelector('tbody').innerHTML = list.map((r, i) => `<tr data-request="${r.id}" data-state="${esc(r.state)}">
      <td>${r.id}</td><td class="state">${esc(r.state)}</td><td>#${r.contract_id}</td><td>${esc(r.recipe_kind)}</td><td>${esc(r.submitted_by)}</td>
      <td>${requestSteps(r, byId[r.contract_id]).map((s) => `<button type="button" class="request-step" data-step="${s}">${s}</button>`).join(' ') || '—'}</td>
      <td class="outcome">${cells[i]}</td></tr>`).join('')
      || '<tr><td colspan="7">요청 없음 <span class="en">no compute requests</span></td></tr>';
  }

  async function load() {
    me = await call('/api/v1/me');
    const [members, assets, cs, rs] = await Promise.all([call(`${L}/members`).catch(() => []), call(`${L}/assets`),
      call(`${L}/contracts`), call(`${L}/requests`)]);
    roles = members.filter((m) => m.user === me.name);
    $('lib-who').textContent = `${me.name} (${me.role}): ` + (roles.map((m) => `${m.role} @ ${m.organisation}`).join(', ') || (admin() ? 'admin = steward' : '—'));
    catalogue(assets);
    const list = contracts(cs);
    await requests(rs, Object.fromEntries(list.map((c) => [c.id, c])));
    $('lib-analyst-forms').hidden = !has(['analyst']);
  }

  async function act(run, done) {
    try {
      const r = await run();
      said(true, done(r));
    } catch (e) {
      said(false, e.message);
    }
    await load().catch((e) => said(false, e.message));
  }

  $('lib-auth-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load().then(() => said(true, '')).catch((e) => said(false, e.message));
  });
  $('lib-contracts').addEventListener('click', (ev) => {
    const button = ev.target.closest('button.contract-step');
    if (!button) return;
    const id = button.closest('tr').dataset.contract;
    const step = button.dataset.step;
    const body = step === 'terminate' ? { reason: window.prompt('사유 reason') || '' } : undefined;
    act(() => post(`${L}/contracts/${id}/${step}`, body), (c) => `계약 contract ${c.id}: ${c.state}`);
  });
  $('lib-requests').addEventListener('click', (ev) => {
    const button = ev.target.closest('button.request-step');
    if (!button) return;
    const id = button.closest('tr').dataset.request;
    const step = button.dataset.step;
    const note = $('lib-note').value.trim();
    const body = step === 'reject' ? { note } : (step === 'approve' && note ? { note } : undefined);
    act(() => post(`${L}/requests/${id}/${step}`, body), (r) => `요청 request ${r.id}: ${r.state}${r.withheld_reason ? ' — ' + r.withheld_reason : ''}`);
  });
  $('lib-contract-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    act(() => post(`${L}/contracts`, { asset: f.get('asset'), purpose: f.get('purpose') }), (c) => `계약 contract ${c.id}: ${c.state}`);
  });
  $('lib-request-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    let recipe;
    try {
      recipe = JSON.parse(f.get('recipe'));
    } catch (e) {
      said(false, `422 ${REFUSED[422]} — recipe: ${e.message}`);
      return;
    }
    act(() => post(`${L}/requests`, { contract_id: Number(f.get('contract_id')), recipe }), (r) => `요청 request ${r.id}: ${r.state}`);
  });
})();
