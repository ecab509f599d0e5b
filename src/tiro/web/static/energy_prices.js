// Energy page, prices panels: fuel tax (table and cut history), the first cap's taxes and base,
// the international comparison, naphtha subsidy budget use, joint-stockpile volumes.
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

  const guard = (f) => f().catch((e) => { $('prices-error').textContent = e.message; });
  [fuelTax, capParts, cpi, subsidy, joint].forEach(guard);
});
