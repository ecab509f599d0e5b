// Tariff page, broker costs (issue 11 item 3): the form fields it adds to a quote request and
// the fees, AD/CVD orders, landed cost (USD/KRW) and KORUS claimed vs not of the answer.
window.tiroBroker = (() => {
  const usd = (x) => (x == null ? '?' : Number(x).toLocaleString('en-US', { maximumFractionDigits: 2 }));
  const krw = (x) => (x == null ? '?' : Number(x).toLocaleString('en-US', { maximumFractionDigits: 0 }));
  const pct = (x) => (x == null ? '?' : (x * 100).toFixed(2) + '%');

  function addFields(data, out) {
    if (data.mode) out.mode = data.mode;
    if (data.producer && data.producer.trim()) out.producer = data.producer;
    if (data.landed) out.landed = true;
    if (data.krw) out.krw = true;
    if (data.krw_rate) out.krw_rate = Number(data.krw_rate);
    if (data.compare_korus) out.compare_korus = true;
  }

  function fill(id, rows) {
    const table = document.getElementById(id);
    const tbody = table.querySelector('tbody');
    tbody.innerHTML = '';
    for (const cells of rows) {
      const tr = document.createElement('tr');
      for (const c of cells) {
        const td = document.createElement('td');
        if (c instanceof Node) td.appendChild(c); else td.textContent = c;
        tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
    table.hidden = rows.length === 0;
  }

  function link(cite) {
    if (!cite) return '';
    if (!(cite.href || '').startsWith('http')) return cite.title;
    const a = document.createElement('a'); a.href = cite.href; a.textContent = cite.title; return a;
  }

  function render(q) {
    const f = q.fees;
    document.getElementById('broker-fees').textContent = f
      ? `수수료 fees: MPF USD ${usd(f.mpf)} (${f.mpf_rule}) · HMF ` +
        (f.hmf == null ? '? (운송수단 필요 needs the mode)' : `USD ${usd(f.hmf)} (${f.mode})`)
      : '';
    const orders = (q.adcvd && q.adcvd.orders) || [];
    fill('broker-adcvd', orders.map((o) => [o.case, `${o.product_ko} / ${o.product}`,
      o.company || (o.rate_basis ? 'all others 기타' : '—'), pct(o.rate), usd(o.deposit), link(o.rate_citation)]));
    const l = q.landed;
    const parts = [['customs_value', '과세가격 customs value'], ['duties', '관세 duties'], ['mpf', 'MPF'],
      ['hmf', 'HMF'], ['adcvd_deposits', 'AD/CVD'], ['total', '도착원가 landed cost']];
    fill('broker-landed', l ? parts.map(([k, label]) => [label, usd(l.usd[k]), l.krw ? krw(l.krw[k]) : '—']) : []);
    document.querySelector('#broker-landed caption').textContent = l && l.fx
      ? `KRW ${l.fx.krw_per_usd}/USD (${l.fx.rate_date || 'your rate'}; ${l.fx.source})` : '';
    const c = q.korus_comparison;
    const keys = [['column1_rate_text', '기본세율 column 1'], ['total_duty', '총관세 total duty'], ['mpf', 'MPF'],
      ['landed_usd', '도착원가 landed USD']];
    fill('broker-korus', c ? keys.map(([k, label]) => [label, String(c.claimed[k] ?? '?'),
      String(c.not_claimed[k] ?? '?'), k in c.saving_from_claim ? usd(c.saving_from_claim[k]) : '']) : []);
    const needs = [...new Set([...((q.adcvd || {}).needs || []), ...((l || {}).needs || [])])];
    document.getElementById('broker-needs').textContent =
      needs.length ? `통관 비용에 필요 broker costs need: ${needs.join(', ')}` : '';
  }

  return { addFields, render };
})();
