// Trade dashboard: every figure is fetched from /api/v1/trade/... and drawn here; nothing is
// computed on the page except unit conversion (USD -> 억 달러, USD 100 m, as MOTIE prints it).
// tiro.js is deferred, so this runs once the document (and window.tiro) is ready.
document.addEventListener('DOMContentLoaded', () => {
  const { api, fmt } = window.tiro;
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
  const eok = (usd) => (usd == null ? null : usd / 1e8); // USD -> 억 달러
  const pct = (x, digits = 1) => (x == null ? '—' : `${x > 0 ? '+' : ''}${(100 * x).toFixed(digits)}%`);
  const num = (v, digits = 1) => `<td class="num">${v == null ? '—' : fmt(v, digits)}</td>`;
  const signed = (x) => `<td class="num ${x == null ? '' : x < 0 ? 'down' : 'up'}">${pct(x)}</td>`;
  const BASIS = { MOTIE: '산업부 MOTIE', KCS: '관세청 KCS', REPORT: '보고서 report', COMTRADE: 'UN Comtrade' };
  const VINTAGE = { flash: '속보', provisional: '잠정', confirmed: '확정', revised: '수정' };
  // A vintage in both languages: the Korean release name, its English name after it.
  const vintage = (v) => (VINTAGE[v] ? `${VINTAGE[v]} <span class="en" lang="en">${esc(v)}</span>` : esc(v));
  const ITEM_BASIS = { 'published item figure': '', 'MTI sum': 'MTI 합계', 'HS approximation': 'HS 근사' };
  const SOURCE = { MOTIE: '산업부', KCS: '관세청' };
  const fixed = (v, digits) => (v == null ? '—' : Number(v).toLocaleString('ko-KR', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  const COLORS = { exports: '#0b5cad', derived: '#9fb8d6', sa: '#c62828', perDay: '#2e7d32', before: '#9fb8d6', after: '#0b5cad' };
  const FONT = { family: '"Noto Sans KR", "Apple SD Gothic Neo", system-ui, sans-serif', size: 12, color: '#1b2430' };
  let names = { partner_group: {}, partner_group_set: {}, item: {} };
  const label = (kind, key) => { const n = names[kind][key]; return n ? `${n.ko} ${n.en}` : key; };
  const shortLabel = (kind, key) => (names[kind][key] ? names[kind][key].ko : key);

  function plot(id, traces, layout) {
    const base = {
      font: FONT, margin: { t: 40, r: 20, b: 40, l: 60 }, paper_bgcolor: '#fff', plot_bgcolor: '#fff',
      legend: { orientation: 'h', y: -0.15 }, hoverlabel: { font: FONT },
      xaxis: { gridcolor: '#eef1f5' }, yaxis: { gridcolor: '#eef1f5', zeroline: false },
    };
    const merged = { ...base, ...layout, xaxis: { ...base.xaxis, ...(layout.xaxis || {}) }, yaxis: { ...base.yaxis, ...(layout.yaxis || {}) } };
    return Plotly.newPlot(id, traces, merged, { displayModeBar: false, responsive: true });
  }
  const fail = (id) => (e) => { $(id).textContent = `불러오기 실패 Could not load: ${e.message}`; };

  async function kpis() {
    const [ind, balance, projection, fdi] = await Promise.all([
      api('/api/v1/trade/indicators?period=2025'),
      api('/api/v1/trade/balance'),
      api('/api/v1/trade/projection?year=2026'),
      api('/api/v1/trade/fdi?period=2025&by=total'),
    ]);
    const set = (kpi, value, sub) => {
      const card = document.querySelector(`[data-kpi="${kpi}"]`);
      card.querySelector('.value').innerHTML = value;
      card.querySelector('.sub').innerHTML = sub;
    };
    const y = ind.yoy;
    set('exports', `${fmt(eok(y.value), 0)}억 달러`,
      `전년 대비 <strong class="${y.growth < 0 ? 'down' : 'up'}">${pct(y.growth)}</strong> · ${esc(BASIS[ind.basis] || ind.basis)} · <span class="en">USD ${fmt(y.value / 1e9, 1)} bn</span>`);
    const b = balance.filter((r) => r.period === '2025' && r.basis === 'MOTIE').pop();
    if (b) {
      set('balance', `${b.balance >= 0 ? '+' : ''}${fmt(eok(b.balance), 0)}억 달러`,
        `수출 ${fmt(eok(b.exports), 0)} − 수입 ${fmt(eok(b.imports), 0)} · ${vintage(b.vintage)}`);
    }
    set('ytd', `${fmt(projection.ytd_usd_bn * 10, 0)}억 달러`,
      `1월~${Number(projection.through.slice(5))}월 · 연간 전망 <span class="en">year-end projection</span> ${fmt(projection.projection_usd_bn * 10, 0)}억
       (${Math.round(projection.interval.level * 100)}% 구간 ${fmt(projection.interval.low * 10, 0)}~${fmt(projection.interval.high * 10, 0)}) <span class="tag">추정 projection</span>`);
    const f = fdi.rows[0];
    set('fdi', `${fmt(f.value_usd_bn * 10, 1)}억 달러`,
      `신고 기준 <span class="en">notified</span> · 전년 대비 <strong class="${f.growth < 0 ? 'down' : 'up'}">${pct(f.growth)}</strong>${f.record ? ' · <span class="tag">역대 최대 record</span>' : ''}`);
  }

  async function monthly() {
    const out = await api('/api/v1/trade/seasonal');
    const rows = out.rows;
    const x = rows.map((r) => r.month);
    const derived = rows.filter((r) => r.derived).length;
    const published = (r) => !r.derived;
    const bars = (keep, name, color) => ({
      type: 'bar', x, y: rows.map((r) => (keep(r) ? r.exports_usd_bn * 10 : null)), name, marker: { color },
      customdata: rows.map((r) => (r.derived ? '역산 derived' : `${BASIS[r.basis] || r.basis} ${VINTAGE[r.vintage] || ''} ${r.vintage}`)),
      hovertemplate: '%{x}<br>%{y:,.0f}억 달러<br>%{customdata}<extra></extra>',
    });
    plot('trade-monthly', [
      bars(published, '수출액 Exports (발표 published)', COLORS.exports),
      bars((r) => r.derived, '수출액 역산 Exports (back-solved)', COLORS.derived),
      { type: 'scatter', mode: 'lines', x, y: rows.map((r) => r.sa_usd_bn * 10), name: `계절조정 Seasonally adjusted (${out.method.toUpperCase()})`,
        line: { color: COLORS.sa, width: 2.5 }, hovertemplate: '%{x}<br>계절조정 %{y:,.0f}억 달러<extra></extra>' },
      { type: 'scatter', mode: 'lines+markers', x, y: rows.map((r) => r.daily_avg * 10), name: '일평균 Per working day (right axis)', yaxis: 'y2',
        line: { color: COLORS.perDay, width: 1.5, dash: 'dot' }, marker: { size: 5 },
        customdata: rows.map((r) => r.working_days), hovertemplate: '%{x}<br>일평균 %{y:,.1f}억 달러 (조업일수 %{customdata}일)<extra></extra>' },
    ], {
      title: { text: '월별 수출 Monthly exports (억 달러 USD 100 m)', font: { size: 14 } },
      yaxis: { title: { text: '억 달러' }, rangemode: 'tozero' },
      yaxis2: { title: { text: '일평균 억 달러/일' }, overlaying: 'y', side: 'right', rangemode: 'tozero', showgrid: false, tickmode: 'auto', tickformat: ',.0f' },
      xaxis: { type: 'category', tickangle: -45, automargin: true }, margin: { t: 40, r: 60, b: 100, l: 70 }, bargap: 0.25, barmode: 'overlay',
      legend: { orientation: 'h', y: -0.3 },
    });
    const growth = rows.filter((r) => r.yoy_raw != null);
    plot('trade-yoy', [
      { type: 'bar', x: growth.map((r) => r.month), y: growth.map((r) => r.yoy_raw * 100), name: '수출 증감률 YoY (raw)',
        marker: { color: COLORS.exports }, hovertemplate: '%{x}<br>%{y:+.1f}%<extra></extra>' },
      { type: 'bar', x: growth.map((r) => r.month), y: growth.map((r) => r.yoy_per_day * 100), name: '일평균 증감률 YoY per working day',
        marker: { color: COLORS.perDay }, hovertemplate: '%{x}<br>일평균 %{y:+.1f}%<extra></extra>' },
    ], {
      title: { text: '전년동월 대비 증감률 Year-on-year growth (%)', font: { size: 14 } },
      yaxis: { ticksuffix: '%', zeroline: true, zerolinecolor: '#8a94a3' }, xaxis: { type: 'category', tickangle: -45, automargin: true },
      barmode: 'group', margin: { t: 40, r: 60, b: 100, l: 70 }, legend: { orientation: 'h', y: -0.45 },
    });
    $('trade-monthly-note').innerHTML = `계절조정: ${esc(out.method.toUpperCase())} (X-13 바이너리가 있으면 X-13, 없으면 STL) · 일평균 = 수출액 ÷ 조업일수(평일 1, 토요일 0.5, 공휴일 0)
      · 연한 막대 ${derived}개월은 2025년 증감률로 역산한 값 <span class="en">— pale bars (${derived} months) are back-solved from 2025 growth rates, not published monthly figures.</span>`;
  }

  async function partners() {
    const [a, b] = await Promise.all([
      api('/api/v1/trade/shares?period=2024&by=partner_group&vintage=provisional'),
      api('/api/v1/trade/shares?period=2025&by=partner_group&vintage=provisional'),
    ]);
    const keys = Object.keys(b.groups).filter((k) => k !== 'other').sort((p, q) => b.groups[p] - b.groups[q]);
    keys.unshift('other');
    const y = keys.map((k) => label('partner_group', k));
    const bar = (period, data, color) => ({
      type: 'bar', orientation: 'h', name: period, y, x: keys.map((k) => (data.groups[k] ?? 0) * 100),
      marker: { color }, hovertemplate: `%{y}<br>${period}: %{x:.1f}%<extra></extra>`,
    });
    plot('trade-partners', [bar('2024', a, COLORS.before), bar('2025', b, COLORS.after)], {
      title: { text: '수출 비중 Share of exports (%)', font: { size: 14 } }, barmode: 'group',
      xaxis: { ticksuffix: '%' }, yaxis: { automargin: true }, margin: { t: 40, r: 20, b: 50, l: 150 },
    });
  }

  // The report's printed shares (report facts), shown beside the computed ones and labelled.
  const REPORT_SHARE = { us_china: 'trade.markets.us_china_share', diversification_markets: 'trade.markets.asean_latam_cis_share' };
  const reportShares = (key) => (REPORT_SHARE[key]
    ? Promise.all(['2024', '2025'].map((y) => api(`/api/v1/facts/${REPORT_SHARE[key]}_${y}`).then((f) => f.value).catch(() => null)))
    : Promise.resolve([null, null]));
  // One rounding rule for every share on the page: half-up to one decimal of the computed value.
  const share1 = (x) => (x == null ? '—' : `${(Math.round(x * 1000 + 1e-9) / 10).toFixed(1)}%`);

  async function diversification() {
    const rows = await api('/api/v1/trade/share-change?before=2024&after=2025');
    const printed = await Promise.all(rows.map((r) => reportShares(r.key)));
    document.querySelector('#trade-diversification tbody').innerHTML = rows.map((r, i) =>
      `<tr data-key="${esc(r.key)}"><td>${esc(label('partner_group_set', r.key))}</td><td class="num">${share1(r.share_before)}</td>` +
      `<td class="num">${share1(r.share_after)}</td><td class="num ${r.change_pp < 0 ? 'down' : 'up'}">${r.change_pp > 0 ? '+' : ''}${r.change_pp.toFixed(2)}</td>` +
      `<td class="num report">${printed[i].map(share1).join(' → ')}</td></tr>`).join('');
  }

  async function items() {
    const out = await api('/api/v1/trade/items?period=2025');
    const motie = out.items.filter((r) => r.basis === 'MOTIE').sort((p, q) => p.value_usd_bn - q.value_usd_bn);
    plot('trade-items', [{
      type: 'bar', orientation: 'h', y: motie.map((r) => shortLabel('item', r.item)), x: motie.map((r) => r.value_usd_bn * 10),
      marker: { color: motie.map((r) => (r.growth == null ? '#8a94a3' : r.growth < 0 ? '#c62828' : COLORS.exports)) },
      text: motie.map((r) => pct(r.growth)), textposition: 'outside', cliponaxis: false,
      customdata: motie.map((r) => [share1(r.share), label('item', r.item)]),
      hovertemplate: '%{customdata[1]}<br>%{x:,.0f}억 달러 · 비중 %{customdata[0]}<br>증감률 %{text}<extra></extra>',
    }], {
      title: { text: `품목별 수출 Exports by item (억 달러, ${out.set_size}대 품목 중 발표분)`, font: { size: 14 } },
      xaxis: { title: { text: '억 달러 USD 100 m' } }, yaxis: { automargin: true }, margin: { t: 40, r: 50, b: 50, l: 90 }, showlegend: false,
    });
    document.querySelector('#trade-items-table tbody').innerHTML = [...out.items].sort((p, q) => q.value_usd_bn - p.value_usd_bn).map((r) =>
      `<tr><td>${esc(label('item', r.item))}</td><td>${esc(SOURCE[r.basis] || r.basis)}${ITEM_BASIS[r.basis_label] ? ` <span class="tag">${esc(ITEM_BASIS[r.basis_label])}</span>` : ''}${r.approximate ? ' <span class="tag">근사 approx.</span>' : ''}</td>` +
      `${num(r.value_usd_bn * 10, 0)}${signed(r.growth)}<td class="num">${share1(r.share)}</td></tr>`).join('');
  }

  async function fdi() {
    const [notified, arrived, type, source] = await Promise.all([
      api('/api/v1/trade/fdi/series?basis=notified'),
      api('/api/v1/trade/fdi/series?basis=arrived'),
      api('/api/v1/trade/fdi?period=2025&by=type'),
      api('/api/v1/trade/fdi?period=2025&by=source'),
    ]);
    const series = (rows, name, color) => ({
      type: 'bar', name, x: rows.map((r) => r.period), y: rows.map((r) => r.value_usd_bn * 10), marker: { color },
      customdata: rows.map((r) => (r.growth == null ? '—' : pct(r.growth))),
      hovertemplate: `%{x} ${name}<br>%{y:,.1f}억 달러 · 전년 대비 %{customdata}<extra></extra>`,
    });
    plot('trade-fdi', [series(notified, '신고 Notified', COLORS.after), series(arrived, '도착 Arrived', COLORS.perDay)], {
      title: { text: '연도별 외국인직접투자 FDI by year (억 달러)', font: { size: 14 } }, barmode: 'group',
      xaxis: { type: 'category' }, yaxis: { title: { text: '억 달러' } },
    });
    const years = (rows) => rows.map((r) => r.period).join(', ');
    $('trade-fdi-note').innerHTML = `신고 ${esc(years(notified))}년, 도착 ${esc(years(arrived))}년 수록 · <span class="en">years on file; a missing bar is a year not published in the sources found, not a zero.</span>`;
    const TYPE = { greenfield: '그린필드 Greenfield', 'M&A': '인수합병 M&A' };
    plot('trade-fdi-type', [{
      type: 'pie', hole: 0.55, sort: false, labels: type.rows.map((r) => TYPE[r.category] || r.category),
      values: type.rows.map((r) => r.value_usd_bn * 10), marker: { colors: [COLORS.derived, COLORS.after] },
      texttemplate: '%{label}<br>%{value:,.1f}억 (%{percent})', hovertemplate: '%{label}: %{value:,.1f}억 달러<extra></extra>',
    }], { title: { text: '2025 유형별 신고액 By type (notified)', font: { size: 14 } }, showlegend: false, margin: { t: 40, r: 20, b: 20, l: 20 } });
    const COUNTRY = { US: '미국 US', EU: '유럽연합 EU', Japan: '일본 Japan', China: '중국 China' };
    document.querySelector('#trade-fdi-source tbody').innerHTML = [...source.rows].sort((p, q) => q.value_usd_bn - p.value_usd_bn).map((r) =>
      `<tr><td>${esc(COUNTRY[r.category] || r.category)}</td><td class="num">${fixed(r.value_usd_bn * 10, 1)}</td>` +
      `${signed(r.growth_reported == null ? null : r.growth_reported / 100)}<td class="num">${share1(r.share)}</td></tr>`).join('');
  }

  async function balance() {
    const rows = await api('/api/v1/trade/balance');
    document.querySelector('#trade-balance tbody').innerHTML = rows.map((r) => {
      const ok = r.consistent == null ? '—' : r.consistent ? '<span class="ok">✔</span>' : '<span class="bad">✘</span>';
      return `<tr${r.consistent === false ? ' class="flag"' : ''}><td>${esc(r.period)}</td><td>${esc(BASIS[r.basis] || r.basis)}</td>` +
        `<td>${vintage(r.vintage)}</td>${num(eok(r.exports), 0)}${num(eok(r.imports), 0)}${num(eok(r.balance), 0)}` +
        `${num(eok(r.stated_balance), 0)}<td>${ok}</td></tr>`;
    }).join('');
  }

  (async () => {
    try { names = await api('/api/v1/trade/labels'); } catch (e) { fail('kpi-error')(e); }
    await Promise.all([
      kpis().catch(fail('kpi-error')),
      monthly().catch(fail('monthly-error')),
      partners().catch(fail('partners-error')),
      diversification().catch(fail('diversification-error')),
      items().catch(fail('items-error')),
      fdi().catch(fail('fdi-error')),
      balance().catch(fail('balance-error')),
    ]);
    document.body.dataset.tradeReady = '1';
  })();
});
