// Energy page, prices panels: fuel tax (table and cut history), the first cap's taxes and base,
// the international comparison, naphtha subsidy budget use, joint-stockpile volumes, cap by round
// vs market prices, the CPI estimates, storage by base and plans, conversion support (sample).
// Everything comes from /api/v1/energy/...; unconfirmed parameters are marked [U] in the API docs.
document.addEventListener('DOMContentLoaded', () => {
  const { api, fmt } = window.tiro;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const pct = (x) => `${(100 * x).toFixed(0)}%`;
  const NAMES = { gasoline: '휘발유 gasoline', diesel: '경유 diesel', kerosene: '등유 kerosene', lpg_butane: 'LPG 부탄 butane' };
  const today = new Date().toISOString().slice(0, 10);
  const layout = (extra) => ({ margin: { t: 10, b: 40, l: 50, r: 10 }, legend: { orientation: 'h' }, ...extra });

  async function fuelTax() {
    const products = ['gasoline', 'diesel', 'lpg_butane', 'kerosene'];
    const rows = await Promise.all(products.map((p) => api(`/api/v1/energy/fuel-tax?product=${p}&date=${today}&history=true`)));
    $('fuel-tax-table').querySelector('tbody').innerHTML = rows.map((r) => `<tr data-product="${esc(r.product)}">
      <td>${esc(NAMES[r.product])}</td><td class="num">${pct(r.cut_rate)}</td><td class="num">${fmt(r.transport_tax, 2)}</td>
      <td class="num">${fmt(r.education_tax, 2)}</td><td class="num">${fmt(r.driving_tax, 2)}</td>
      <td class="num">${fmt(r.vat_on_tax, 2)}</td><td class="num"><strong>${fmt(r.total_per_litre, 0)}</strong></td></tr>`).join('');
    const traces = rows.filter((r) => r.product !== 'kerosene').map((r) => ({
      type: 'scatter', mode: 'lines+markers', line: { shape: 'hv' }, name: NAMES[r.product],
      x: r.history.map((h) => h.date), y: r.history.map((h) => h.total_per_litre),
      text: r.history.map((h) => `cut ${pct(h.cut_rate)}`),
    }));
    Plotly.newPlot('fuel-tax-chart', traces, layout({ yaxis: { title: 'KRW/L' } }), { displayModeBar: false });
  }

  async function capParts() {
    const products = ['gasoline', 'diesel', 'kerosene'];
    const caps = await Promise.all(products.map((p) => api(`/api/v1/energy/price-cap/next?product=${p}&date=2026-03-13&intl_change=0`)));
    Plotly.newPlot('cap-chart', [
      { type: 'bar', name: '세금 taxes', x: products.map((p) => NAMES[p]), y: caps.map((c) => c.taxes_at_first_cap) },
      { type: 'bar', name: '세전 기준 pre-tax base', x: products.map((p) => NAMES[p]), y: caps.map((c) => c.pre_tax_base) },
    ], layout({ barmode: 'stack', yaxis: { title: 'KRW/L' } }), { displayModeBar: false });
    const intl = await api('/api/v1/energy/price-cap/compare');
    const countries = ['KR', 'US', 'UK'];
    Plotly.newPlot('intl-chart', ['gasoline', 'diesel'].map((p) => ({
      type: 'bar', name: NAMES[p], x: countries,
      y: countries.map((c) => (intl.find((r) => r.country === c && r.product === p) || {}).rise_since_prewar * 100),
    })), layout({ yaxis: { title: '%' } }), { displayModeBar: false });
  }

  async function subsidy() {
    const book = await api('/api/v1/energy/subsidy/claims?programme=naphtha');
    const b = book.budget;
    $('subsidy-budget').innerHTML = b
      ? `<p id="subsidy-line">예산 ${fmt(b.budget_krw / 1e8, 0)}억원 · 승인 ${fmt(b.committed_krw / 1e8, 1)}억 · 지급 ${fmt(b.paid_krw / 1e8, 1)}억 ·
         잔액 <strong>${fmt(b.remaining_krw / 1e8, 1)}억원</strong> <span class="en">budget, committed, paid, remaining (KRW 100 mn)</span> · 청구 ${book.claims.length}건</p>`
      : '<p id="subsidy-line">청구 없음 <span class="en">no claims recorded yet; budget KRW 674.4bn (report 3 ②)</span></p>';
  }

  async function joint() {
    const data = await api('/api/v1/energy/stockpile/joint');
    const totals = data.records.filter((r) => r.kind === 'total');
    Plotly.newPlot('joint-chart', [{ type: 'bar', x: totals.map((r) => r.as_of), y: totals.map((r) => r.volume_mbbl),
      text: totals.map((r) => `${r.volume_mbbl} Mbbl`), textposition: 'auto' }],
    layout({ yaxis: { title: 'Mbbl' } }), { displayModeBar: false });
    $('joint-note').innerHTML = data.priority_rights_exercised.map((e) => `${esc(e.date)} ${esc(e.event)} · <a href="${esc(e.source)}">출처 source</a>`).join('<br>');
  }

  async function cpi() {
    const c = await api('/api/v1/energy/price-cap/cpi?month=2026-03');
    $('cpi-effect').innerHTML = `물가 효과 ${esc(c.month)}: 추정 <strong>${fmt(c.estimate_pp, 2)}%p</strong> (1차 효과, ${c.days_capped}/${c.days_in_month}일)
      · 보고서 ${fmt(c.report_pp, 1)}%p <span class="en">CPI effect: first-round estimate vs the report; no second-round effects, so smaller</span>`;
  }

  // Cap by round (published solid, computed dashed) against market prices: published pump
  // averages (markers, cited) and the station sample's national daily average (labelled sample).
  async function capHistory(product) {
    const [h, m] = await Promise.all([
      api(`/api/v1/energy/price-cap/history?product=${product}&until=${today}`),
      api(`/api/v1/energy/price-cap/market?product=${product}`),
    ]);
    const steps = (kind) => {
      const x = []; const y = [];
      h.rounds.forEach((r, i) => {
        const end = r.end || today;
        if (r.kind === kind || (i > 0 && h.rounds[i - 1].kind === kind)) { x.push(r.start); y.push(r.kind === kind ? r.cap : null); }
        if (r.kind === kind) { x.push(end); y.push(r.cap); }
      });
      return { x, y };
    };
    const pub = steps('published'); const comp = steps('computed');
    const traces = [
      { type: 'scatter', mode: 'lines', name: '최고가격 공표 published cap', x: pub.x, y: pub.y, line: { width: 3 } },
      { type: 'scatter', mode: 'lines', name: '최고가격 계산 computed (rule, not a fact)', x: comp.x, y: comp.y, line: { dash: 'dash', width: 2 } },
      { type: 'scatter', mode: 'lines', name: '주유소 일평균 sample', x: m.sample.rows.map((r) => r.date), y: m.sample.rows.map((r) => r.price), line: { width: 1 }, opacity: 0.7 },
      { type: 'scatter', mode: 'markers', name: '주유소 평균 공표 published pump', x: m.published.rows.map((r) => r.start), y: m.published.rows.map((r) => r.price),
        text: m.published.rows.map((r) => `${r.start}..${r.end}`), marker: { size: 9, symbol: 'diamond' } },
    ];
    Plotly.newPlot(`cap-history-${product}`, traces, layout({ margin: { t: 30, b: 40, l: 50, r: 10 }, title: { text: NAMES[product], font: { size: 13 } }, yaxis: { title: 'KRW/L' } }), { displayModeBar: false });
    return h;
  }

  async function capHistories() {
    const [g] = await Promise.all(['gasoline', 'diesel'].map(capHistory));
    const last = g.status[g.status.length - 1];
    const published = g.rounds.filter((r) => r.kind === 'published').length;
    $('cap-status').innerHTML = `공표 차수 ${published}개, 계산 ${g.rounds.length - published}개 · 시행 확인 최종일 <strong>${esc(last.date)}</strong>
      (<a href="${esc(last.source)}">출처 source</a>) <span class="en">last confirmed in force; nothing later was found, so whether the cap is in force today is not known</span>`;
  }

  async function cpiTable() {
    const months = ['2026-03', '2026-04', '2026-05', '2026-06'];
    const rows = await Promise.all(months.map(async (mo) => {
      const indexed = await api(`/api/v1/energy/price-cap/cpi?month=${mo}&method=indexed`);
      // the frozen path is only meaningful while the cap sits below the 3/11 prices (March)
      const frozen = mo === '2026-03' ? await api(`/api/v1/energy/price-cap/cpi?month=${mo}`) : null;
      return { mo, indexed, frozen };
    }));
    $('cpi-table').querySelector('tbody').innerHTML = rows.map(({ mo, indexed, frozen }) => `<tr data-month="${mo}"><td>${mo}</td>
      <td class="num">${frozen ? fmt(frozen.estimate_pp, 2) : '–'}</td><td class="num">${fmt(indexed.estimate_pp, 2)}</td>
      <td class="num">${indexed.official_pp == null ? '–' : fmt(indexed.official_pp, 1)}</td>
      <td class="num">${indexed.ratio_to_official == null ? '–' : fmt(indexed.ratio_to_official, 2)}</td></tr>`).join('');
  }

  async function storage() {
    const [sites, national, plans] = await Promise.all([
      api('/api/v1/energy/stockpile/sites'), api('/api/v1/energy/stockpile/storage'), api('/api/v1/energy/stockpile/plans'),
    ]);
    const bySite = {};
    sites.forEach((r) => { (bySite[r.site] = bySite[r.site] || []).push(r); });
    Plotly.newPlot('storage-sites-chart', Object.entries(bySite).map(([site, rs]) => ({
      type: 'scatter', mode: 'markers+text', name: site, x: rs.map((r) => r.as_of), y: rs.map((r) => r.capacity_mbbl),
      text: rs.map((r) => (r.kind === 'addition' ? `+${r.capacity_mbbl}` : `${r.capacity_mbbl}`)), textposition: 'top center',
      marker: { size: 10, symbol: rs.map((r) => (r.kind === 'addition' ? 'triangle-up' : 'circle')) },
    })), layout({ yaxis: { title: 'Mbbl (▲ added, ● site total)' } }), { displayModeBar: false });
    const series = (holder, col) => national.filter((r) => r.holder === holder && r[col] != null);
    Plotly.newPlot('storage-national-chart', [
      { type: 'scatter', mode: 'lines+markers', line: { shape: 'hv' }, name: '정부 저장능력 government capacity', x: series('government', 'capacity_mbbl').map((r) => r.as_of), y: series('government', 'capacity_mbbl').map((r) => r.capacity_mbbl) },
      { type: 'scatter', mode: 'markers', name: '정부 비축유 government stock', x: series('government', 'stock_mbbl').map((r) => r.as_of), y: series('government', 'stock_mbbl').map((r) => r.stock_mbbl) },
      { type: 'scatter', mode: 'markers', name: '민간 재고 private stock', x: series('private', 'stock_mbbl').map((r) => r.as_of), y: series('private', 'stock_mbbl').map((r) => r.stock_mbbl) },
    ], layout({ yaxis: { title: 'Mbbl' } }), { displayModeBar: false });
    const link = (src) => (String(src).startsWith('http') ? `<a href="${esc(src)}">link</a>` : esc(src));
    $('stockpile-plans').querySelector('tbody').innerHTML = plans.map((p) => `<tr data-kind="${esc(p.kind)}"><td>${esc(p.date)}</td><td>${esc(p.kind)}</td>
      <td>${esc(p.plan)}</td><td class="num">${p.volume_mbbl == null ? '미공표' : fmt(p.volume_mbbl, 3)}</td><td>${esc(p.status)}</td><td>${link(p.source)}</td></tr>`).join('');
    const ex = await api('/api/v1/energy/subsidy/conversion?capex_krw=45000000000&added_capacity_bbl_day=20000&rd_krw=3000000000&date=2026-06-01');
    $('conversion-example').innerHTML = `보고서 3 ③: 중동산 외 원유 처리 설비 전환·개조 및 기술개발 지원. 예시: 투자비 450억, 기술개발 30억, 전환 2만 b/d →
      지원 <strong>${fmt(ex.support_krw / 1e8, 0)}억원</strong> <span class="sample">sample</span>
      <span class="en">rates, cap and threshold are sample values: no figures were published</span>`;
  }

  const guard = (f) => f().catch((e) => { $('prices-error').textContent = e.message; });
  [fuelTax, capParts, cpi, subsidy, joint, capHistories, cpiTable].forEach(guard);
  storage().catch((e) => { $('stockpile-error').textContent = e.message; });
});
