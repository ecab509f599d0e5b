// Energy page, stations panel (issue 14): the sample station network on a plain lat/lon
// scatter (no map tiles), good stations highlighted; the finder form over /stations/near;
// the screens' flags on the planted cases (collusion, leader-follower, Edgeworth, hoarding,
// fake fuel) and the price-display screen over an uploaded observed-price CSV; the
// inspection register: counts, cases opened from a flag or by hand and moved through
// opened -> inspected -> sanctioned | cleared with an operator's token (refusals shown).
// Every station figure is the seeded sample and is labelled so.
document.addEventListener('DOMContentLoaded', () => {
  const { api, fmt } = window.tiro;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const SAMPLE = '<span class="sample">sample</span>';
  const E = '/api/v1/energy';
  const ROUND = { start: '2026-05-01', end: '2026-05-25' };
  const SCREENS = { collusion: '담합 collusion', leader_follower: '선도-추종 leader-follower', edgeworth: 'Edgeworth 주기 cycles (not flagged)', hoarding: '매점매석 hoarding', fake_fuel: '가짜석유 위험 fake-fuel risk' };
  // Screens whose flags open cases (Edgeworth cycles are competitive: no case).
  const OPENS = { collusion: 'collusion', leader_follower: 'collusion', hoarding: 'hoarding', fake_fuel: 'fake_fuel' };
  const STATES = { opened: '접수 opened', inspected: '점검 inspected', sanctioned: '제재 sanctioned', cleared: '종결 cleared' };
  const NEXT = { opened: ['inspected'], inspected: ['sanctioned', 'cleared'], sanctioned: [], cleared: [] };
  const REFUSED = { 401: '토큰 필요 token needed', 403: '권한 없음 not allowed', 404: '없음 not found', 409: '상태 충돌 conflict', 413: '너무 큼 too large', 415: '형식 오류 wrong format', 422: '입력 오류 invalid input' };
  const TYPES = { fake_fuel: '가짜석유 fake fuel', collusion: '담합 collusion', hoarding: '매점매석 hoarding', price_display: '가격표시 price display' };

  async function allStations() {
    const first = await api(`${E}/stations?limit=1000&offset=0`);
    const pages = [];
    for (let off = 1000; off < first.total; off += 1000) pages.push(api(`${E}/stations?limit=1000&offset=${off}`));
    return first.stations.concat(...(await Promise.all(pages)).map((p) => p.stations));
  }

  async function map() {
    const [stations, good] = await Promise.all([
      allStations(),
      api(`${E}/good-stations?start=${ROUND.start}&end=${ROUND.end}&product=gasoline`),
    ]);
    const where = new Map(stations.map((s) => [s.station_id, s]));
    const picked = good.stations.map((g) => where.get(g.station_id)).filter(Boolean);
    Plotly.newPlot('station-map', [
      { type: 'scattergl', mode: 'markers', name: `주유소 stations (${stations.length}, sample)`,
        x: stations.map((s) => s.lon), y: stations.map((s) => s.lat), text: stations.map((s) => s.name),
        marker: { size: 3, color: '#9aa5b1', opacity: 0.6 } },
      { type: 'scattergl', mode: 'markers', name: `착한주유소 good (${picked.length}, sample)`,
        x: picked.map((s) => s.lon), y: picked.map((s) => s.lat), text: picked.map((s) => s.name),
        marker: { size: 7, color: '#d9480f', symbol: 'star' } },
    ], { margin: { t: 10, b: 40, l: 50, r: 10 }, legend: { orientation: 'h' },
      xaxis: { title: 'lon' }, yaxis: { title: 'lat', scaleanchor: 'x', scaleratio: 1.25 } }, { displayModeBar: false });
    $('station-map-note').innerHTML = `${stations.length.toLocaleString('en-US')} stations ${SAMPLE} ·
      착한주유소 ${esc(ROUND.start)}..${esc(ROUND.end)} gasoline: <strong id="good-count">${good.count}</strong> ${SAMPLE}`;
  }

  async function find(ev) {
    if (ev) ev.preventDefault();
    const f = new FormData($('station-finder-form'));
    const q = new URLSearchParams({ lat: f.get('lat'), lon: f.get('lon'), radius_km: f.get('radius_km'), product: f.get('product'), limit: '20' });
    $('station-finder-error').textContent = '';
    try {
      const r = await api(`${E}/stations/near?${q}`);
      $('station-near').querySelector('tbody').innerHTML = r.stations.map((s) => `<tr data-id="${esc(s.id)}">
        <td>${esc(s.id)}</td><td>${esc(s.name)}</td><td class="num">${fmt(s.price, 0)}</td><td class="num">${fmt(s.distance_km, 2)}</td>
        <td>${s.below_regional_average ? '예 yes' : '아니오 no'}</td><td>${SAMPLE}</td></tr>`).join('')
        || `<tr><td colspan="6">반경 안에 주유소 없음 <span class="en">no station within the radius</span> ${SAMPLE}</td></tr>`;
    } catch (e) {
      $('station-near').querySelector('tbody').innerHTML = '';
      $('station-finder-error').textContent = e.message;
    }
  }

  async function screens() {
    const rows = await Promise.all(Object.keys(SCREENS).map((s) => api(`${E}/screens/${s}`)));
    $('station-screens').querySelector('tbody').innerHTML = rows.map((r) => `<tr data-screen="${esc(r.screen)}">
      <td>${esc(SCREENS[r.screen])}</td><td class="num">${r.count}</td><td class="num">${r.stations_flagged}</td><td class="num">${r.planted ?? '—'}</td>
      <td class="num">${r.precision ?? '—'}</td><td class="num">${r.recall ?? '—'}</td>
      <td><small>${esc((r.flags[0] || {}).reason)}</small></td><td>${SAMPLE}</td></tr>`).join('');
    // One row per flagged station and screen (products merged), each with its case button.
    const flagged = [];
    rows.filter((r) => OPENS[r.screen]).forEach((r) => {
      const byStation = new Map();
      r.flags.forEach((f) => {
        const row = byStation.get(f.station_id) || { screen: r.screen, station: f.station_id, products: [], reason: f.reason };
        if (f.product) row.products.push(f.product);
        byStation.set(f.station_id, row);
      });
      flagged.push(...byStation.values());
    });
    $('station-flags').querySelector('tbody').innerHTML = flagged.map((f) => `<tr data-screen="${esc(f.screen)}" data-station="${esc(f.station)}">
      <td>${esc(SCREENS[f.screen])}</td><td>${esc(f.station)}</td><td>${esc(f.products.join(', ') || '—')}</td><td><small>${esc(f.reason)}</small></td>
      <td><button type="button" class="open-from-flag">사건 열기 <span class="en">Open case</span></button> ${SAMPLE}</td></tr>`).join('');
  }

  // --- inspection register -------------------------------------------------------------
  // A refusal reads "403 권한 없음 not allowed — role: role 'viewer' may not do this; ...".
  async function call(path, options = {}) {
    const token = $('case-token').value.trim();
    const headers = { ...(options.headers || {}) };
    if (token) headers.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { ...options, headers });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const where = body.field ? `${body.field}: ` : '';
      throw new Error(`${response.status} ${REFUSED[response.status] || ''} — ${where}${body.detail || response.statusText}`);
    }
    return body;
  }

  function said(ok, text) {
    $('case-error').textContent = ok ? '' : text;
    $('case-status').textContent = ok ? text : '';
  }

  const post = (path, body) => call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const day = () => $('case-date').value;

  async function counts() {
    const c = await api(`${E}/cases/counts?as_of=2026-05-25`);
    $('station-cases').querySelector('tbody').innerHTML = Object.entries(c.found_by_type).map(([t, n]) =>
      `<tr data-type="${esc(t)}"><td>${esc(TYPES[t] || t)}</td><td class="num">${n}</td></tr>`).join('');
    $('station-cases-note').innerHTML = `등록부 <span class="en">register</span>: 접수 opened <strong>${c.opened}</strong> · 적발 found <strong>${c.found}</strong>
      (as of ${esc(c.as_of)}) · 보고서 <span class="en">report</span>: ${esc(c.published.label)} <strong>${c.published.found}</strong>건 (${esc(c.published.as_of)})`;
  }

  async function caseList() {
    const { cases: list } = await api(`${E}/cases`);
    $('case-list').querySelector('tbody').innerHTML = list.map((c) => `<tr data-case="${c.id}" data-state="${esc(c.state)}">
      <td>${c.id}</td><td>${esc(c.station_id)}</td><td>${esc(TYPES[c.case_type] || c.case_type)}</td><td class="state">${esc(STATES[c.state] || c.state)}</td>
      <td><small>${esc(c.origin)}</small></td><td>${esc(c.opened_on)}</td><td>${esc(c.inspected_on || '—')}</td><td>${esc(c.closed_on || '—')}</td>
      <td>${NEXT[c.state].map((to) => `<button type="button" class="advance" data-to="${to}">${esc(STATES[to])}</button>`).join(' ') || '—'}</td></tr>`).join('')
      || '<tr><td colspan="9">사건 없음 <span class="en">no cases yet</span></td></tr>';
  }

  const cases = () => Promise.all([counts(), caseList()]);

  async function act(run, done) {
    try {
      const r = await run();
      said(true, done(r));
    } catch (e) {
      said(false, e.message);
    }
    await cases().catch((e) => { $('stations-error').textContent += `${e.message} `; });
  }

  $('station-flags').addEventListener('click', (ev) => {
    const btn = ev.target.closest('button.open-from-flag');
    if (!btn) return;
    const row = btn.closest('tr');
    const { screen, station } = row.dataset;
    act(() => post(`${E}/cases/from-screen/${screen}`, { on: day(), station_id: station }),
      (r) => (r.opened.length ? `사건 #${r.opened[0].id} 접수 opened: ${station} (${r.opened[0].case_type}, screen:${screen})`
        : `${station}: 이미 열린 사건 already has an open ${OPENS[screen]} case`));
  });

  $('case-open-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const body = { station_id: f.get('station_id').trim(), case_type: f.get('case_type'), on: day(), reason: f.get('reason') };
    act(() => post(`${E}/cases`, body), (c) => `사건 #${c.id} 접수 opened: ${c.station_id} (${c.case_type}, ${c.origin})`);
  });

  $('case-list').addEventListener('click', (ev) => {
    const btn = ev.target.closest('button.advance');
    if (!btn) return;
    const id = btn.closest('tr').dataset.case;
    const to = btn.dataset.to;
    act(() => post(`${E}/cases/${id}/advance`, { to, on: day() }), (c) => `사건 #${c.id}: ${STATES[c.state]} (${day()})`);
  });

  // --- price display over an uploaded observed-price file ---------------------------------
  let displayFlags = [];
  $('price-display-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('price-display-error').textContent = '';
    $('price-display-note').textContent = '';
    const tbody = $('price-display-flags').querySelector('tbody');
    tbody.innerHTML = '';
    try {
      // multipart upload: the browser sets the boundary; the file travels as the body.
      const r = await api(`${E}/screens/price-display`, { method: 'POST', body: new FormData(ev.target) });
      displayFlags = r.flags;
      $('price-display-note').innerHTML = `관측 <span class="en">observed</span> <strong id="price-display-rows">${r.observed_rows}</strong>행 rows ·
        허용 차이 <span class="en">tolerance</span> ${r.tolerance} KRW/L · 표시 <span class="en">flagged</span> <strong id="price-display-count">${r.count}</strong> ${SAMPLE}`;
      tbody.innerHTML = r.flags.map((f, i) => `<tr data-station="${esc(f.station_id)}" data-product="${esc(f.product)}" data-i="${i}">
        <td>${esc(f.station_id)}</td><td>${esc(f.product)}</td><td class="num">${f.observed_days}</td><td class="num">${f.mismatched_days}</td>
        <td class="num">${f.unreported_days}</td><td class="num">${f.max_gap == null ? '—' : fmt(f.max_gap, 1)}</td><td><small>${esc(f.reason)}</small></td>
        <td><button type="button" class="open-display-case">사건 열기 <span class="en">Open case</span></button></td></tr>`).join('')
        || '<tr><td colspan="8">불일치 없음 <span class="en">every observed price matches its report</span></td></tr>';
    } catch (e) {
      $('price-display-error').textContent = e.message;
    }
  });

  $('price-display-flags').addEventListener('click', (ev) => {
    const btn = ev.target.closest('button.open-display-case');
    if (!btn) return;
    const f = displayFlags[Number(btn.closest('tr').dataset.i)];
    const reason = `가격표시 screen over an uploaded observed-price file (${f.product}): ${f.reason}`.slice(0, 2000);
    act(() => post(`${E}/cases`, { station_id: f.station_id, case_type: 'price_display', on: day(), reason }),
      (c) => `사건 #${c.id} 접수 opened: ${c.station_id} (price_display)`);
  });

  const guard = (f) => f().catch((e) => { $('stations-error').textContent += `${e.message} `; });
  $('station-finder-form').addEventListener('submit', find);
  [map, screens, cases].forEach(guard);
});
