// Energy crisis room: alert levels and timeline, stock days, disruption path, SWAP outstanding, allocation.
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
        ...r.separate_lines.map((x) => row([
          `${esc(x.label.ko)} <span class="en">${esc(x.label.en)} — separate, not counted; days if bought (${esc(x.as_of)}, <a href="${esc(x.source)}">출처 source</a>)</span>`,
          x.days_if_bought])),
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

  const sampleTag = (label) => (label === 'sample' ? '<span class="sample">sample</span>' : esc(label));

  async function swap() {
    try {
      const s = await api('/api/v1/energy/swap/status');
      $('swap-sites').querySelector('tbody').innerHTML = s.balances.map((b) =>
        row([esc(b.site), esc(b.grade), b.stock_bbl, b.floor_bbl, b.outstanding_bbl, sampleTag(b.data_label)])).join('');
      $('swap-refiners').querySelector('tbody').innerHTML = Object.entries(s.by_refiner).map(([k, v]) =>
        row([esc(k), v.loans, v.outstanding_bbl, v.overdue])).join('') || row(['—', '', '', '']);
      $('swap-loans').querySelector('tbody').innerHTML = s.loans.filter((l) => l.owed_bbl > 0).map((l) =>
        row([l.id, esc(l.refiner), esc(`${l.site} ${l.grade}`), l.owed_bbl, `${l.due_date}${l.overdue ? ' <strong class="error">연체 overdue</strong>' : ''}`, esc(l.status)])).join('')
        || '<tr><td colspan="6">대여 잔량 없음 <span class="en">nothing owed</span></td></tr>';
      const t = s.totals;
      $('swap-totals').innerHTML = `${s.as_of} 기준 <span class="en">as of</span> · 방출 ${fmt(t.released_bbl, 0)} = 상환 ${fmt(t.repaid_bbl, 0)} + 잔량 ${fmt(t.outstanding_bbl, 0)} bbl
        <span class="en">released = repaid + outstanding</span> · ${s.ledger_balanced ? '원장 일치 <span class="en">ledger balanced</span>' : '<strong class="error">원장 불일치 ledger NOT balanced</strong>'}`;
    } catch (e) { $('swap-error').textContent = e.message; }
  }

  const LEVELS = ['정상', '관심', '주의', '경계', '심각'];
  async function timeline() {
    try {
      const [path, history, replay] = await Promise.all([api('/api/v1/energy/alerts/path'),
        api('/api/v1/energy/alerts/history'), api('/api/v1/energy/alerts/replay')]);
      const traces = [];
      for (const res of Object.keys(NAMES)) {
        const mine = path.filter((p) => p.resource === res);
        traces.push({ x: mine.map((p) => p.date), y: mine.map((p) => p.recommended), name: `${NAMES[res]} 규칙 rules`,
          mode: 'lines+markers', line: { shape: 'hv' }, marker: { symbol: mine.map((p) => (p.label === 'sample' ? 'circle-open' : 'circle')), size: 8 },
          text: mine.map((p) => `${p.label}: ${p.source}`), hovertemplate: '%{x} %{y}<br>%{text}<extra></extra>' });
        const decided = history.filter((d) => d.resource === res);
        traces.push({ x: decided.map((d) => d.decided_on), y: decided.map((d) => d.level), name: `${NAMES[res]} 결정 decided`,
          mode: 'markers', marker: { size: 14, opacity: 0.5 }, text: decided.map((d) => d.reason), hovertemplate: '%{x} %{y}<br>%{text}<extra></extra>' });
      }
      Plotly.newPlot('alert-path-chart', traces, { margin: { t: 20 }, legend: { orientation: 'h' },
        yaxis: { type: 'category', categoryorder: 'array', categoryarray: LEVELS } }, { displayModeBar: false });
      const link = (href) => (href && href.startsWith('http') ? `<a href="${esc(href)}">출처 source</a>` : esc(href));
      $('alert-history').querySelector('tbody').innerHTML = history.map((d) => row([d.decided_on, esc(NAMES[d.resource] || d.resource),
        `${esc(d.previous_level)} → <span class="level-${esc(d.level)}">${esc(d.level)}</span>`,
        `${esc(d.kind)}${d.recommended_level ? ` (규칙 rules: ${esc(d.recommended_level)})` : ''}`, esc(d.reason), link(d.source_href)])).join('');
      $('alert-replay').querySelector('tbody').innerHTML = replay.map((r) => row([esc(NAMES[r.resource] || r.resource),
        `<span class="level-${esc(r.level)}">${esc(r.level)}</span>`, r.decided_on, r.rules_first_on || '—',
        r.lead_days ?? '—', r.data_label ? sampleTag(r.data_label) : '—', r.public_data_first_on || '—', esc((r.rules_fired || []).join(', '))])).join('');
    } catch (e) { $('timeline-error').textContent = e.message; }
  }

  let allocationInput = null;
  // The result carries everything the request had, so it is turned back into a request.
  const asRequest = (r) => ({ name: r.name, data_label: r.data_label, date: r.date, product: r.product, unit: r.unit,
    supply: r.supply, regional_limits: r.regional_limits,
    customers: r.customers.map((c) => ({ id: c.customer_id, name: c.name, item: c.item, region: c.region, demand: c.demand, minimum: c.minimum })) });
  function drawAllocation(r) {
    $('alloc-title').innerHTML = `<strong>${esc(r.name)}</strong> <span class="sample">${esc(r.data_label)}</span> · ${esc(r.product)} · 공급 ${fmt(r.supply)} ${esc(r.unit)} <span class="en">supply</span> · ${r.date}
      · 미충족 ${fmt(r.unmet)} ${esc(r.unit)} <span class="en">unmet</span> · 지역 한도 <span class="en">regional limits</span>:
      ${Object.entries(r.regional_limits || {}).map(([k, v]) => `${esc(k)} ${fmt(v)}`).join(', ') || '—'}`;
    $('alloc-tiers').querySelector('tbody').innerHTML = r.tiers.map((t) =>
      row([`${t.tier} ${esc(t.tier_ko)} <span class="en">${esc(t.tier_en)}</span>`, t.demand, t.allocated, t.unmet, pct(t.fill_ratio)])).join('');
    $('alloc-customers').querySelector('tbody').innerHTML = r.customers.map((c) =>
      row([esc(c.customer_id), esc(c.name), esc(c.item), c.tier, esc(c.region), c.demand, c.minimum, c.allocated, c.unmet, pct(c.fill_ratio)])).join('');
    const names = r.tiers.map((t) => `${t.tier} ${t.tier_ko}`);
    Plotly.newPlot('alloc-chart', [
      { type: 'bar', x: names, y: r.tiers.map((t) => t.allocated), name: '배정 allocated' },
      { type: 'bar', x: names, y: r.tiers.map((t) => t.unmet), name: '미충족 unmet' },
    ], { barmode: 'stack', margin: { t: 20 }, xaxis: { type: 'category' }, yaxis: { title: r.unit } }, { displayModeBar: false });
  }

  async function allocation() {
    try {
      const r = await api('/api/v1/energy/allocate/example');
      allocationInput = asRequest(r);
      $('alloc-form').supply.value = r.supply;
      drawAllocation(r);
    } catch (e) { $('alloc-error').textContent = e.message; }
  }

  $('alloc-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('alloc-error').textContent = '';
    const body = { ...allocationInput, supply: Number(ev.target.supply.value) };
    try {
      drawAllocation(await api('/api/v1/energy/allocate', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
    } catch (e) { $('alloc-error').textContent = e.message; }
  });

  async function supply() {
    const p = await api('/api/v1/energy/supply/procurement');
    // One line per source country, horizontal: long labels wrap instead of being cut.
    const labels = p.map((x) => [x.batch, ...x.sources.split(/;\s*/), `(${x.unit})`].join('<br>'));
    Plotly.newPlot('procurement-chart', [
      { type: 'bar', x: labels, y: p.map((x) => x.contracted), name: '확보 contracted' },
      { type: 'bar', x: labels, y: p.map((x) => x.arrived), name: '도입 arrived (sample)' },
    ], { barmode: 'group', margin: { t: 30, r: 10 }, legend: { orientation: 'h', x: 0, y: 1.12 },
      xaxis: { type: 'category', tickangle: 0, automargin: true },
      yaxis: { type: 'log', title: { text: 'bbl · t' }, automargin: true } },
    { displayModeBar: false, responsive: true });
    const m = (await api('/api/v1/energy/supply/middle-east-share')).filter((x) => x.kind === 'published');
    Plotly.newPlot('me-chart', [{ type: 'bar', x: m.map((x) => x.period), y: m.map((x) => 100 * x.share),
      text: m.map((x) => pct(x.share)), textposition: 'auto' }], { margin: { t: 20 }, xaxis: { type: 'category' }, yaxis: { title: '%', range: [0, 100] } },
    { displayModeBar: false });
  }

  alerts(); timeline(); stockPublished(); scenario(); swap(); allocation(); supply();
});
