// Tariff calculator page: quote form, timeline chart (Plotly) and the deal-impact table.
(() => {
  const pct = (x) => (x == null ? '?' : (x * 100).toFixed(2) + '%');
  const usd = (x) => (x == null ? '?' : Number(x).toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const form = document.getElementById('quote-form');

  function body() {
    const data = Object.fromEntries(new FormData(form).entries());
    const out = { hts: data.hts, origin: data.origin || 'KR', entry_date: data.entry_date,
                  customs_value: Number(data.customs_value) };
    if (data.korus) out.korus = data.korus === 'true';
    if (data.metal_share !== '') out.metal_share = Number(data.metal_share);
    if (data.scenario) out.scenario = data.scenario;
    out.facts = {};
    for (const [name, value] of Object.entries(data)) {
      if (name.startsWith('fact_') && value) out.facts[name.slice(5)] = value === 'true';
    }
    window.tiroBroker.addFields(data, out);  // mode, producer, landed, KRW, KORUS comparison
    return out;
  }

  function renderQuote(q) {
    document.getElementById('quote-result').hidden = false;
    document.getElementById('quote-summary').textContent =
      `기본세율 base ${pct(q.base_rate)} · 추가관세 additional USD ${usd(q.additional_duty)} · ` +
      `총관세 total USD ${usd(q.total_duty)} · 총세율 total rate ${pct(q.total_rate)}` +
      ((q.not_modelled || []).length ? ` · 미반영 not modelled for ${q.origin}: ` +
        q.not_modelled.map((e) => e.label_en).join('; ') + ' (the total is a floor)' : '');
    const tbody = document.querySelector('#quote-lines tbody');
    tbody.innerHTML = '';
    for (const line of q.lines) {
      const tr = document.createElement('tr');
      const cells = [line.heading || '—', line.program_label || line.program, pct(line.rate), line.basis_label || line.basis, usd(line.basis_value), usd(line.duty)];
      for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
      const cite = document.createElement('td');
      const href = line.citation.href || '';
      if (href.startsWith('http')) {
        const a = document.createElement('a'); a.href = href; a.textContent = line.citation.title; cite.appendChild(a);
      } else { cite.textContent = `${line.citation.title} (${href})`; }
      tr.appendChild(cite);
      tbody.appendChild(tr);
    }
    document.getElementById('quote-needs').textContent =
      q.needs.length ? `추가 정보 필요 needs: ${q.needs.join(', ')}` : '';
    const ul = document.getElementById('quote-explain');
    ul.innerHTML = '';
    for (const e of q.explain) { const li = document.createElement('li'); li.textContent = e; ul.appendChild(li); }
    window.tiroBroker.render(q);
  }

  async function renderTimeline(b) {
    const params = new URLSearchParams({ hts: b.hts, origin: b.origin, value: b.customs_value });
    if (b.korus !== undefined) params.set('korus', b.korus);
    if (b.metal_share !== undefined) params.set('metal_share', b.metal_share);
    for (const [name, value] of Object.entries(b.facts)) params.append('fact', `${name}=${value}`);
    if (b.scenario) params.set('scenario', b.scenario);
    const points = await window.tiro.api(`/api/v1/tariff/timeline?${params}`);
    const trace = { x: points.map((p) => p.date), y: points.map((p) => (p.total_rate == null ? null : p.total_rate * 100)),
      text: points.map((p) => p.headings || '(no Ch. 99)'), type: 'scatter', mode: 'lines+markers',
      line: { shape: 'hv' }, name: b.hts, hovertemplate: '%{x}: %{y:.2f}%<br>%{text}<extra></extra>' };
    Plotly.newPlot('timeline-chart', [trace], { margin: { t: 20 }, yaxis: { title: '총세율 total rate (%)' },
      xaxis: { title: '수입일 entry date' } }, { displayModeBar: false });
  }

  async function renderMeasures(b) {
    const params = new URLSearchParams({ hts: b.hts, origin: b.origin });
    if (b.scenario) params.set('scenario', b.scenario);
    const rows = await window.tiro.api(`/api/v1/tariff/measures?${params}`);
    const tbody = document.querySelector('#measures-table tbody');
    tbody.innerHTML = '';
    for (const m of rows) {
      const tr = document.createElement('tr');
      const cells = [m.heading || '—', m.program_label || m.program, m.valid_from, m.valid_to || '', m.rate, m.conditions,
        `${m.label_ko} / ${m.label_en}` + (m.verified ? '' : ' (unverified)')];
      for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
      tbody.appendChild(tr);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const err = document.getElementById('quote-error');
    err.textContent = '';
    const b = body();
    try {
      renderQuote(await window.tiro.api('/api/v1/tariff/quote', { method: 'POST',
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) }));
      await renderMeasures(b);
      await renderTimeline(b);
    } catch (e) { err.textContent = e.message; }
  });

  document.getElementById('compare-run').addEventListener('click', async () => {
    const date = document.getElementById('compare-date').value;
    const r = await window.tiro.api('/api/v1/tariff/compare', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ entry_date: date }) });
    // A basket without group names names them by HTS code: then one column, not two.
    const named = r.by_product_group.some((g) => g.product_group !== g.hts);
    const head = document.querySelector('#compare-table thead');
    head.innerHTML = `<tr>${named ? '<th>품목 Product group</th>' : ''}<th>HTS</th><th>수출액 Value (USD mn)</th>` +
      r.scenarios.map((s) => `<th>${s} (USD mn)</th>`).join('') + '</tr>';
    const tbody = document.querySelector('#compare-table tbody');
    tbody.innerHTML = '';
    for (const g of r.by_product_group) {
      const tr = document.createElement('tr');
      const cells = [...(named ? [g.product_group] : []), g.hts, (g.customs_value / 1e6).toFixed(0),
        ...r.scenarios.map((s) => (g[`duty_${s}`] == null ? '?' : (g[`duty_${s}`] / 1e6).toFixed(0)))];
      for (const c of cells) { const td = document.createElement('td'); td.textContent = c; tr.appendChild(td); }
      tbody.appendChild(tr);
    }
    const saving = r.deal_saving == null ? '' : ` · 협상 효과 deal saving USD ${(r.deal_saving / 1e6).toFixed(0)} mn`;
    const mn = (usd) => Math.round(usd / 1e6).toLocaleString('en-US');
    const groups = [...new Set(r.unpriced_groups.filter(Boolean))].join(', ') || 'rows without an HTS line';
    const residual = r.unpriced_value
      ? ` · 미분류 잔여 unpriced residual USD ${mn(r.unpriced_value)} mn (${groups}): 대표 HTS 코드가 없는 나머지 수출 — ` +
        `basket rows with no single HTS line (the rest of the published total: many goods at many rates), ` +
        `carried at their value with no duty; the duties and rates above cover the priced USD ${mn(r.priced_value)} mn only.`
      : '';
    document.getElementById('compare-summary').textContent = r.scenarios
      .map((s) => `${s}: USD ${(r.totals[s].duty / 1e6).toFixed(0)} mn (${pct(r.totals[s].rate)})`).join(' · ') + saving + residual;
  });

  // Batch: the same engine as the CLI's `tiro tariff batch`; the priced Parquet, the bad rows and
  // the legal basis per pricing key come back as files.
  const batchForm = document.getElementById('batch-form');
  async function batchPart(part) {
    const data = new FormData(batchForm);
    const params = new URLSearchParams({ part });
    if (data.get('scenario')) params.set('scenario', data.get('scenario'));
    data.delete('scenario');
    const response = await fetch(`/api/v1/tariff/batch?${params}`, { method: 'POST', body: data });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new Error((body.field ? `${body.field}: ` : '') + (body.detail || response.statusText));
    }
    return response;
  }
  function link(blob, name, label) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob); a.download = name; a.textContent = label;
    return a;
  }
  batchForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const err = document.getElementById('batch-error');
    const downloads = document.getElementById('batch-downloads');
    err.textContent = ''; downloads.innerHTML = '';
    try {
      const priced = await batchPart('priced');
      const h = (k) => priced.headers.get(`X-Tiro-${k}`);
      document.getElementById('batch-summary').textContent =
        `행 rows ${h('Rows')} · 계산 priced ${h('Priced')} · 오류 errors ${h('Errors')} · 시나리오 scenario ${h('Scenario')}`;
      downloads.append(link(await priced.blob(), 'priced.parquet', '계산 결과 priced.parquet'), ' · ',
        link(await (await batchPart('measures')).blob(), 'priced.measures.parquet', '근거 legal basis per key .parquet'));
      const table = document.getElementById('batch-errors');
      const tbody = table.querySelector('tbody');
      tbody.innerHTML = '';
      if (Number(h('Errors')) > 0) {
        const csv = await (await batchPart('errors')).text();
        downloads.append(' · ', link(new Blob([csv], { type: 'text/csv' }), 'priced.errors.csv', '오류 행 errors.csv'));
        const header = csv.split('\n')[0].split(',');
        const col = (name) => header.indexOf(name);
        for (const row of csv.trim().split('\n').slice(1, 51)) {
          const cells = row.split(',');  // the reason is last and may contain commas
          const tr = document.createElement('tr');
          const reason = cells.slice(col('error')).join(',').replace(/^"|"$/g, '');
          for (const c of [cells[col('line_id')], cells[col('hts')], cells[col('error_field')], reason]) {
            const td = document.createElement('td'); td.textContent = c; tr.appendChild(td);
          }
          tbody.appendChild(tr);
        }
      }
      table.hidden = tbody.children.length === 0;
    } catch (e) { err.textContent = e.message; }
  });

  // tiro.js is deferred: wait for it before the first quote.
  document.addEventListener('DOMContentLoaded', () => form.requestSubmit());
})();
