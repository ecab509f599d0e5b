// Energy crisis room: alert levels, stock days, disruption path, SWAP outstanding, allocation.
// Everything is fetched from /api/v1/energy/...; generated data is marked "sample" by the API.
// tiro.js is deferred, so this runs once the document (and window.tiro) is ready.
document.addEventListener('DOMContentLoaded', () => {
  const { api, fmt } = window.tiro;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const row = (cells) => `<tr>${cells.map((c) => (typeof c === 'number' ? `<td class="num">${fmt(c)}</td>` : `<td>${c ?? '—'}</td>`)).join('')}</tr>`;
  const pct = (x) => `${(100 * x).toFixed(1)}%`;
  const NAMES = { crude: '원유 crude', gas: '천연가스 natural gas' };

  async function alerts() {
    try {
      const levels = await api('/api/v1/energy/alerts/current');
      $('alert-levels').innerHTML = levels.map((l) => `
        <p class="alert-level" data-resource="${esc(l.resource)}"><strong>${esc(NAMES[l.resource] || l.resource)}</strong>:
          <span class="level-${esc(l.level)}">${esc(l.level)}</span> ${l.since ? `(${esc(l.since)}~)` : ''}</p>
        <ul>${(l.measures || []).map((m) => `<li>${esc(m.level)} · ${esc(m.measure)}</li>`).join('')}</ul>`).join('') || '—';
    } catch (e) { $('alerts-error').textContent = e.message; $('alert-levels').textContent = '—'; }
  }

  function gauge(days, obligation, title) {
    Plotly.newPlot('stock-gauge', [{
      type: 'indicator', mode: 'gauge+number', value: days, number: { suffix: ' 일 days' },
      title: { text: title },
      gauge: { axis: { range: [0, Math.max(250, days * 1.1)] },
        threshold: { line: { color: '#b00020', width: 3 }, value: obligation },
        steps: [{ range: [0, obligation], color: '#fde2e2' }] },
    }], { margin: { t: 40, b: 10, l: 20, r: 20 } }, { displayModeBar: false });
  }

  async function stockPublished() {
    const rows = await api('/api/v1/energy/stock-days/published');
    const r = rows[rows.length - 1];
    gauge(r.total_days, 90, `KNOC ${r.as_of}`);
    $('stock-published').innerHTML = `정부 ${fmt(r.government_days)} + 민간 ${fmt(r.private_days)} = <strong>${fmt(r.total_days)}일</strong>
      <span class="en">government + private days</span> · 기준 ${r.basis_year} 일평균 순수입 ${fmt(r.daily_net_imports_kt, 2)} kt/d ·
      <a href="${esc(r.provenance)}">출처 source</a> · 빨간 선 = 90일 의무 <span class="en">red line = 90-day obligation</span>`;
  }

  $('stock-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('stock-error').textContent = '';
    const q = new URLSearchParams(new FormData(ev.target));
    try {
      const r = await api(`/api/v1/energy/stock-days?${q}`);
      $('stock-result').querySelector('tbody').innerHTML = [
        row(['일평균 순수입 <span class="en">Daily net imports (kt/d)</span>', r.daily_net_imports_kt]),
        row([`비축의무 <span class="en">Obligation (${r.obligation_days} days, kt)</span>`, r.obligation_kt]),
        row(['인정 재고 <span class="en">Counted stocks (kt)</span>', r.counted_stocks_kt]),
        row(['<strong>비축일수 <span class="en">Days</span></strong>', r.days]),
      ].join('');
      gauge(r.days, r.obligation_days, '계산 결과 computed');
    } catch (e) { $('stock-error').textContent = e.message; }
  });

  let scenarioInput = null;
  function drawScenario(r) {
    const s = r.summary;
    const dates = r.path.map((p) => p.date);
    const traces = [
      { x: dates, y: r.path.map((p) => p.stock_days), name: '비축일수 stock days', line: { width: 3 } },
      { x: dates, y: r.path.map((p) => p.government_days), name: '정부 government', line: { dash: 'dot' } },
      { x: dates, y: r.path.map((p) => p.private_days), name: '민간 private', line: { dash: 'dot' } },
    ];
    const shapes = r.thresholds.map((t) => ({ type: 'line', xref: 'paper', x0: 0, x1: 1, y0: t.days, y1: t.days,
      line: { color: t.name.startsWith('비축의무') ? '#b00020' : '#999', dash: 'dash', width: 1 } }));
    Plotly.newPlot('scenario-chart', traces, { shapes, margin: { t: 20 }, yaxis: { title: '일 days' },
      legend: { orientation: 'h' } }, { displayModeBar: false });
    $('scenario-title').innerHTML = `<strong>${esc(s.scenario)}</strong> <span class="sample">${esc(s.data_label)}</span> ${s.start} – ${s.end}`;
    $('scenario-thresholds').querySelector('tbody').innerHTML = r.thresholds.map((t) =>
      row([esc(t.name), t.days, esc(t.basis), t.crossed_on || '—', t.recovered_on || '—', t.days_below])).join('');
    $('scenario-alerts').querySelector('tbody').innerHTML = (r.alerts || []).map((a) =>
      row([`<span class="level-${esc(a.level)}">${esc(a.level)}</span>`, pct(a.disrupted_share_at_least), a.first_day || '—', a.last_day || '—', a.days])).join('');
    $('scenario-summary').innerHTML = `최저 <strong>${fmt(s.min_stock_days)}일</strong> (${s.min_stock_days_on}) <span class="en">minimum</span> ·
      방출 ${fmt(s.released_bbl / 1e6, 2)} Mbbl <span class="en">released</span> · 부족 ${fmt(s.shortage_bbl / 1e6, 2)} Mbbl <span class="en">shortage</span>`;
  }

  async function scenario() {
    scenarioInput = await api('/api/v1/energy/scenario/example/input');
    const d = scenarioInput.disruptions[0];
    const f = $('scenario-form');
    f.share.value = d.share; f.weeks.value = d.weeks; f.restraint.value = scenarioInput.demand_restraint[0].share;
    drawScenario(await api('/api/v1/energy/scenario/example'));
  }

  $('scenario-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('scenario-error').textContent = '';
    const f = ev.target;
    const body = structuredClone(scenarioInput);
    body.disruptions[0].share = Number(f.share.value);
    body.disruptions[0].weeks = Number(f.weeks.value);
    body.demand_restraint[0].share = Number(f.restraint.value);
    try {
      drawScenario(await api('/api/v1/energy/scenario/run', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
    } catch (e) { $('scenario-error').textContent = e.message; }
  });

  async function swap() {
    try {
      const s = await api('/api/v1/energy/swap/status');
      $('swap-sites').querySelector('tbody').innerHTML = s.balances.map((b) =>
        row([esc(b.site), esc(b.grade), b.stock_bbl, b.outstanding_bbl])).join('');
      $('swap-refiners').querySelector('tbody').innerHTML = Object.entries(s.by_refiner).map(([k, v]) =>
        row([esc(k), v.loans, v.outstanding_bbl, v.overdue])).join('') || row(['—', '', '', '']);
      $('swap-loans').querySelector('tbody').innerHTML = s.loans.filter((l) => l.owed_bbl > 0).map((l) =>
        row([l.id, esc(l.refiner), esc(l.site), l.owed_bbl, `${l.due_date}${l.overdue ? ' <strong class="error">연체 overdue</strong>' : ''}`, esc(l.status)])).join('');
    } catch (e) { $('swap-error').textContent = e.message; }
  }

  async function allocation() {
    try {
      const r = await api('/api/v1/energy/allocate/example');
      $('alloc-title').innerHTML = `<strong>${esc(r.name)}</strong> · ${esc(r.product)} · 공급 ${fmt(r.supply)} ${esc(r.unit)} <span class="en">supply</span> · ${r.date}`;
      $('alloc-tiers').querySelector('tbody').innerHTML = r.tiers.map((t) =>
        row([`${t.tier} ${esc(t.tier_ko)} <span class="en">${esc(t.tier_en)}</span>`, t.demand, t.allocated, t.unmet, pct(t.fill_ratio)])).join('');
      $('alloc-customers').querySelector('tbody').innerHTML = r.customers.map((c) =>
        row([esc(c.customer_id), esc(c.name), esc(c.item), esc(c.region), c.demand, c.allocated, pct(c.fill_ratio)])).join('');
      const names = r.tiers.map((t) => `${t.tier} ${t.tier_ko}`);
      Plotly.newPlot('alloc-chart', [
        { type: 'bar', x: names, y: r.tiers.map((t) => t.allocated), name: '배정 allocated' },
        { type: 'bar', x: names, y: r.tiers.map((t) => t.unmet), name: '미충족 unmet' },
      ], { barmode: 'stack', margin: { t: 20 }, yaxis: { title: r.unit } }, { displayModeBar: false });
    } catch (e) { $('alloc-error').textContent = e.message; }
  }

  async function supply() {
    const p = await api('/api/v1/energy/supply/procurement');
    const labels = p.map((x) => `${x.batch} ${x.sources} (${x.unit})`);
    Plotly.newPlot('procurement-chart', [
      { type: 'bar', x: labels, y: p.map((x) => x.contracted), name: '확보 contracted' },
      { type: 'bar', x: labels, y: p.map((x) => x.arrived), name: '도입 arrived (sample)' },
    ], { barmode: 'group', margin: { t: 20 }, xaxis: { type: 'category' }, yaxis: { type: 'log', title: 'bbl · t' } }, { displayModeBar: false });
    const m = (await api('/api/v1/energy/supply/middle-east-share')).filter((x) => x.kind === 'published');
    Plotly.newPlot('me-chart', [{ type: 'bar', x: m.map((x) => x.period), y: m.map((x) => 100 * x.share),
      text: m.map((x) => pct(x.share)), textposition: 'auto' }], { margin: { t: 20 }, xaxis: { type: 'category' }, yaxis: { title: '%', range: [0, 100] } },
    { displayModeBar: false });
  }

  alerts(); stockPublished(); scenario(); swap(); allocation(); supply();
});
